// fuzz_images: the validating constructors ModelImage(bytes, size) (model_image.hpp) and
// CodeSetImage(bytes, size) (code_set.hpp) on arbitrary bytes.
//
// The input is copied into a heap block of exactly its size (operator new[] is 16-byte aligned,
// so 8-byte alignment holds, and ASan flags any read past the end): a truncated or corrupted
// image must be rejected with DataError (any other exception aborts the run), never read out
// of bounds, and an image that is ACCEPTED must be safe to use in full:
//   * every accessor, over every slot, code and interaction (image_checks.hpp);
//   * score() and explain() for one person per segment of the image's family (CMS-HCC 9, RxHCC 8,
//     ESRD 11) with codes from the image's own key table and from the input, agreeing with each
//     other, with score_in_segment and with risk_profiles (image_checks.hpp), and find_gaps;
//   * an HHS-HCC image: score/explain/score_in_segment/risk_profiles/find_gaps refuse it with
//     InputError; hhs_score and hhs_explain for five enrollees (adult, child, infants of age 0
//     and 1, one at random; CSR indicators 0..12 and enrollment days -1..367 varied) with the
//     image's codes and drug keys and words of the input: InputError exactly for the invalid
//     enrollees, the two agree, the contract of hhs_model.hpp holds (check_hhs_image);
//   * for a code set: in_force() for extreme payment years (INT_MIN, 0, 2026, INT_MAX, ...)
//     equals a reference written from code_set.hpp's contract.
// Seeds (corpus/fuzz_images): compiled synthetic, reduced-real and real releases and code sets.
#include <algorithm>
#include <climits>
#include <cstdlib>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "code_set.hpp"
#include "errors.hpp"
#include "fuzz_bytes.hpp"
#include "image_checks.hpp"
#include "model_image.hpp"

using namespace hccraf;
using namespace hccraf::fuzz;

namespace {

std::uint64_t load64(const std::uint8_t* p) {
    std::uint64_t v;
    std::memcpy(&v, p, 8);
    return v;
}

void exercise_model_image(const ModelImage& image, const std::uint8_t* data, std::size_t size) {
    check_accessors(image);
    const std::uint64_t salt = size >= 8 ? load64(data + size - 8) : size;
    std::vector<IcdKey> codes = sample_keys(image_keys(image), 24, salt);
    // A few words of the input as keys (most unknown, some reduced into the key range).
    for (std::size_t at = 64; at + 8 <= size && codes.size() < 32; at += size / 5 + 8) {
        const std::uint64_t w = load64(data + at);
        codes.push_back(w);
        codes.push_back(w % kKeyLimit);
    }
    if (image.family() == Family::Hhs) {
        // HHS-HCC: the image's own drug keys and a few words of the input as drug keys.
        std::vector<std::uint64_t> drugs;
        const std::vector<std::uint64_t> own = image_drug_keys(image);
        for (std::size_t i = salt % 7; i < own.size() && drugs.size() < 12; i += own.size() / 12 + 1)
            drugs.push_back(own[i]);
        for (std::size_t at = 32; at + 8 <= size && drugs.size() < 16; at += size / 3 + 8)
            drugs.push_back(load64(data + at));
        check_hhs_image(image, codes, drugs, salt, HhsCheckOptions{});
        return;
    }
    const std::vector<Patient> persons = persons_for_family(image.family(), salt);
    for (std::size_t i = 0; i < persons.size(); ++i) {
        // Varying subsets, including none: persons without codes take another path.
        std::vector<IcdKey> mine;
        for (std::size_t j = 0; j < codes.size(); ++j)
            if ((j + i) % (1 + i % 3) == 0) mine.push_back(codes[j]);
        if (i == 0) mine.clear();
        check_person(image, persons[i], mine, PersonCheckOptions{});
    }
    // Gaps: prior = the first half of the codes, current = the second half plus a few of the first.
    const std::size_t half = codes.size() / 2;
    std::vector<IcdKey> prior(codes.begin(), codes.begin() + half);
    std::vector<IcdKey> current(codes.begin() + half, codes.end());
    for (std::size_t j = 0; j < half; j += 3) current.push_back(codes[j]);
    check_gaps(image, persons[salt % persons.size()], prior, current);
    check_gaps(image, persons[(salt >> 8) % persons.size()], current, prior);
}

// Reference of CodeSetImage::in_force (code_set.hpp): billable in FY py-1 or py; when neither is
// loaded, the nearest loaded fiscal year (either one on a tie); no year loaded: everything.
// Reads the block through the layout of code_set.cpp's private Header: count at byte 16,
// year_count at 24, years at 28 (16 x int32), entries (key, mask) from byte 96.
struct CodeSetReference {
    const std::uint8_t* base;
    std::size_t count() const { return load64(base + 16); }
    int year_count() const {
        std::int32_t n;
        std::memcpy(&n, base + 24, 4);
        return n;
    }
    int year(int i) const {
        std::int32_t y;
        std::memcpy(&y, base + 28 + 4 * i, 4);
        return y;
    }
    IcdKey key(std::size_t i) const { return load64(base + 96 + 16 * i); }
    std::uint64_t mask(std::size_t i) const { return load64(base + 96 + 16 * i + 8); }

    // in_force under each admissible choice of stand-in year: {answer, answer on a tie}.
    std::pair<bool, bool> in_force(IcdKey k, int payment_year) const {
        if (year_count() == 0) return {true, true};
        const std::int64_t py = payment_year;
        std::uint64_t mask_now = 0;
        for (int i = 0; i < year_count(); ++i)
            if (year(i) == py - 1 || year(i) == py) mask_now |= std::uint64_t{1} << (year(i) - 2000);
        std::uint64_t alt = mask_now;
        if (mask_now == 0) {  // the nearest loaded years: py - d and/or py + d
            std::int64_t best = INT64_MAX;
            for (int i = 0; i < year_count(); ++i)
                best = std::min<std::int64_t>(best, std::llabs(year(i) - py));
            std::vector<int> nearest;
            for (int i = 0; i < year_count(); ++i)
                if (std::llabs(year(i) - py) == best) nearest.push_back(year(i));
            mask_now = std::uint64_t{1} << (nearest.front() - 2000);
            alt = std::uint64_t{1} << (nearest.back() - 2000);
        }
        std::uint64_t billable = 0;
        for (std::size_t i = 0; i < count(); ++i)
            if (key(i) == k) billable = mask(i);
        return {(billable & mask_now) != 0, (billable & alt) != 0};
    }
};

void exercise_code_set(const CodeSetImage& set, const std::uint8_t* bytes, std::size_t size) {
    FUZZ_CHECK(set.byte_size() == size);
    FUZZ_CHECK(set.code_count() <= (size - 96) / 16);
    const CodeSetReference ref{bytes};
    FUZZ_CHECK(ref.count() == set.code_count());
    std::vector<IcdKey> keys = {0, 1, ~IcdKey{0}, kKeyLimit};
    for (std::size_t i = 0; i < set.code_count() && keys.size() < 40; i += 1 + set.code_count() / 16) {
        keys.push_back(ref.key(i));
        keys.push_back(ref.key(i) + 1);  // usually not in the set
    }
    for (IcdKey k : keys)
        for (int py :
             {INT_MIN, INT_MIN + 1, -1, 0, 1999, 2000, 2001, 2025, 2026, 2063, 2064, INT_MAX - 1, INT_MAX}) {
            const bool got = set.in_force(k, py);
            const auto [a, b] = ref.in_force(k, py);
            FUZZ_CHECK(got == a || got == b);
        }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // Exactly `size` bytes on the heap: no slack for an out-of-bounds read to land in.
    std::unique_ptr<std::uint8_t[]> block(new std::uint8_t[size]);
    if (size) std::memcpy(block.get(), data, size);
    FUZZ_CHECK(reinterpret_cast<std::uintptr_t>(block.get()) % 8 == 0);

    try {
        const ModelImage image(block.get(), size);
        FUZZ_CHECK(image.byte_size() <= size);
        exercise_model_image(image, block.get(), size);
    } catch (const DataError&) {
    }
    try {
        const CodeSetImage set(block.get(), size);
        exercise_code_set(set, block.get(), size);
    } catch (const DataError&) {
    }
    return 0;
}
