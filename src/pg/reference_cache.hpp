// Backend-side access to compiled reference data: model images per release, the release
// registry, and the ICD-10-CM code sets.
//
// Images are compiled lazily from the reference tables (SPI, see release_loader.cpp) on first
// use and kept until a committed change to the reference tables invalidates them (relcache
// callback on hccraf.model_release, see invalidation.cpp). Pointers handed out stay valid for
// the rest of the current SQL function call: invalidation only marks the cache stale, and the
// cache is dropped by begin_reference_lookup() at the start of a later call, never during one.
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
    bool has_payment;  // has a normalization factor
};

// One model of a scoring request: its image and its weight in the payment score.
struct ModelPart {
    const ModelImage* image;
    Milli weight;  // 1000 for a single model
};

// Resolves a user's model name for a payment year: a concrete release ("V28", case-insensitive)
// or "CMS-HCC", the payment model of that year (every release with a blend weight > 0).
// Throws InputError with a hint listing what exists. Returns 1 or 2 parts.
int resolve_models(std::string_view model, int payment_year, ModelPart (&parts)[2]);

// The compiled image of a concrete release (throws InputError when it does not exist).
const ModelImage& model_image(std::string_view model_version, int payment_year);

// All releases in the registry (as of the last begin_reference_lookup).
const std::vector<ReleaseInfo>& releases();

// ICD-10-CM validity (CodeSetImage::in_force): billable in fiscal year PY-1 or PY.
bool icd_code_in_force(IcdKey key, int payment_year);

// Every SQL function calls this once at its start, before any other lookup: it drops what a
// committed reference change invalidated and returns the cache generation. Pointers obtained
// afterwards stay valid until the next call of begin_reference_lookup() returns a different
// generation (so a caller that caches them, e.g. in fn_extra, compares generations).
std::uint64_t begin_reference_lookup();

// What this backend holds (for hccraf.images): local copies and the shared images it uses.
struct LocalImageInfo {
    std::string model;  // "ICD10CM" for the code-set image (payment_year 0)
    int payment_year;
    std::size_t bytes;
    double build_ms;  // 0 when it was found ready in shared memory
    bool shared;
    std::uint64_t generation;  // shared generation (0 without shared memory)
};
std::vector<LocalImageInfo> backend_images();

// Transaction end: drop this backend's pin on shared images (invalidation.cpp's xact callback).
void forget_shared_pin() noexcept;

// Called by the relcache callback: forget everything at the next begin_reference_lookup().
void mark_reference_cache_stale() noexcept;

}  // namespace hccraf::pg
