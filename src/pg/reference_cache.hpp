// Backend-side access to compiled reference data: model images per release, the release
// registry, and the ICD-10-CM code sets.
//
// One statement, one state: the first call of a statement reads the reference version its
// snapshot sees (reference_version.hpp); the registry and every image it then uses are those of
// that version, compiled lazily from the reference tables on the same snapshot (SPI, see
// release_loader.cpp) or found in shared memory under that version. A later statement whose
// snapshot sees another version (another session committed a change, or this transaction made
// one) drops them. Parallel workers run on the leader's snapshot, so they use the same version.
// Pointers handed out stay valid for the rest of the current SQL function call: the cache is
// dropped only by begin_reference_lookup() at the start of a call, never during one.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "../core/fixed_point.hpp"
#include "../core/icd_code.hpp"
#include "../core/model_image.hpp"

namespace hccraf::pg {

struct ReleaseInfo {
    std::string model_version;
    int payment_year;
    Milli blend_weight;
    bool has_payment;    // has a normalization factor
    std::string family;  // "CMS-HCC", "RxHCC", "ESRD"
};

// One model of a scoring request: its image and its weight in the payment score.
struct ModelPart {
    const ModelImage* image;
    Milli weight;              // 1000 for a single model
    bool alternative = false;  // normalize with the release's alternative basis (RxHCC PDP)
};

// Resolves a user's model name for a payment year, "<model>[:<basis>]":
//   * a concrete release ("V28", "RxHCC_V08"; as spelled, else the one release whose name
//     matches ignoring case);
//   * a family, meaning its payment model of that year: "CMS-HCC" (every CMS-HCC release with a
//     blend weight > 0: one, or a V24/V28 blend), "RxHCC", "ESRD" (the one release of the
//     family with a blend weight > 0);
//   * ":PDP" after an RxHCC model: the stand-alone PDP normalization instead of the MA-PD one
//     (the release's alternative basis; models without one refuse it).
// Throws InputError with a hint listing what exists. Returns 1 or 2 parts.
int resolve_models(std::string_view model, int payment_year, ModelPart (&parts)[2]);

// The compiled image of a concrete release (throws InputError when it does not exist).
const ModelImage& model_image(std::string_view model_version, int payment_year);

// All releases in the registry (as of the last begin_reference_lookup).
const std::vector<ReleaseInfo>& releases();

// ICD-10-CM validity (CodeSetImage::in_force): billable in fiscal year PY-1 or PY.
bool icd_code_in_force(IcdKey key, int payment_year);

// The code sets icd_code_in_force consults, for messages: "FY2025 and FY2026", or "FY2025
// (standing in for FY2023 and FY2024, which are not loaded)".
std::string code_sets_in_force(int payment_year);

// Every SQL function calls this once at its start, before any other lookup: it makes the cache
// that of the reference version the statement's snapshot sees, and returns the cache
// generation. Pointers obtained afterwards stay valid until the next call of
// begin_reference_lookup() returns a different generation (so a caller that caches them, e.g. in
// fn_extra, compares generations). Cheap when the statement is the same as the last call's.
std::uint64_t begin_reference_lookup();

// The reference version the current statement uses (hccraf.images, shared_memory_usage).
std::uint64_t current_reference_version();

// What this backend holds (for hccraf.images): local copies and the shared images it uses.
struct LocalImageInfo {
    std::string model;  // "ICD10CM" for the code-set image (payment_year 0)
    int payment_year;
    std::size_t bytes;
    double build_ms;  // 0 when it was found ready in shared memory
    bool shared;
    std::uint64_t version;  // reference version
};
std::vector<LocalImageInfo> backend_images();

// Transaction end: drop this backend's pin on shared images (invalidation.cpp's xact callback).
void forget_shared_pin() noexcept;

}  // namespace hccraf::pg
