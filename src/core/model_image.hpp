// ModelImage: the compiled, flat, pointer-free, read-only form of one release.
//
// Invariants (they are what lets the same bytes live in a std::vector, in palloc'd backend
// memory or in PostgreSQL shared memory mapped at any address):
//   * the image is one contiguous byte block that starts with a layout::Header
//     (image_layout.hpp);
//   * every internal reference is an offset from the start of the block, never a pointer;
//   * all records are fixed-width PODs; strings live in one string pool (offset + length);
//   * the block is never written after compile_image returns.
// ICD codes are packed IcdKeys in a sorted array with an open-addressing hash table of indexes
// for the look-up (one probe on average); HCC sets are 128-bit
// bitsets over dense "slots" (slot = index of the HCC in the release's label list, ascending
// HCC number); hierarchy rules are (parent slot, children mask) in CMS file order; interaction
// terms are masks; factors are per-segment vectors of thousandths with a presence mask.
#pragma once
#include <bit>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fixed_point.hpp"
#include "icd_code.hpp"
#include "model_family.hpp"
#include "release_data.hpp"

namespace hccraf {

// 192: the HHS-HCC V08 model has 141 HCCs, 23 groups and 10 RXCs, which are all slots (a group or
// an RXC is a flag like an HCC: hierarchies, interaction terms and count sets name them).
inline constexpr int kMaxHccSlots = 192;
inline constexpr int kHccSetWords = kMaxHccSlots / 64;
inline constexpr int kMaxHccNumber = 9999;  // HCC numbers are 1..9999 (HccRecord stores 16 bits)
// Largest normalization factor (999.999, the range of model_release.normalization_factor).
// Trap (found by fuzz_compiler): normalize_score rounds with 2 * factor, which overflowed int64
// for a factor above 2^62 that both compile_image and the validator accepted.
inline constexpr Milli kMaxNormalizationFactor = 999'999;

// A set of HCC slots (0..191) as three 64-bit words. All set algebra of the scorer goes through
// these members (no code outside this struct touches the words one by one).
struct HccSet {
    std::uint64_t w[kHccSetWords] = {0, 0, 0};
    void set(int slot) { w[slot >> 6] |= std::uint64_t{1} << (slot & 63); }
    void reset(int slot) { w[slot >> 6] &= ~(std::uint64_t{1} << (slot & 63)); }
    bool test(int slot) const { return (w[slot >> 6] >> (slot & 63)) & 1; }
    bool intersects(const HccSet& o) const { return (w[0] & o.w[0]) | (w[1] & o.w[1]) | (w[2] & o.w[2]); }
    bool empty() const { return (w[0] | w[1] | w[2]) == 0; }
    int count() const { return std::popcount(w[0]) + std::popcount(w[1]) + std::popcount(w[2]); }
    bool operator==(const HccSet& o) const { return w[0] == o.w[0] && w[1] == o.w[1] && w[2] == o.w[2]; }
    // Slots 0..n-1 (n <= kMaxHccSlots).
    static HccSet first(int n) {
        HccSet s;
        for (int i = 0; i < n; ++i) s.set(i);
        return s;
    }
    HccSet& operator|=(const HccSet& o) {
        for (int i = 0; i < kHccSetWords; ++i) w[i] |= o.w[i];
        return *this;
    }
    HccSet& operator&=(const HccSet& o) {
        for (int i = 0; i < kHccSetWords; ++i) w[i] &= o.w[i];
        return *this;
    }
    HccSet& operator-=(const HccSet& o) {  // set difference
        for (int i = 0; i < kHccSetWords; ++i) w[i] &= ~o.w[i];
        return *this;
    }
    friend HccSet operator|(HccSet a, const HccSet& b) { return a |= b; }
    friend HccSet operator&(HccSet a, const HccSet& b) { return a &= b; }
    friend HccSet operator-(HccSet a, const HccSet& b) { return a -= b; }
    // Calls f(slot) for every slot in the set, ascending.
    template <class F>
    void for_each(F&& f) const {
        for (int i = 0; i < kHccSetWords; ++i)
            for (std::uint64_t bits = w[i]; bits; bits &= bits - 1) f(i * 64 + std::countr_zero(bits));
    }
};

// "HCC38" / "RXHCC31": the one spelling of an HCC variable of a family (written into buf,
// NUL-terminated, no allocation, usable where PostgreSQL may longjmp) and its std::string form.
void format_hcc_name(Family f, int hcc_number, char (&buf)[16]) noexcept;
std::string hcc_name(Family f, int hcc_number);
inline void format_hcc_name(int hcc_number, char (&buf)[16]) noexcept {
    format_hcc_name(Family::CmsHcc, hcc_number, buf);
}
inline std::string hcc_name(int hcc_number) {
    return hcc_name(Family::CmsHcc, hcc_number);
}

// Compiles a release. Throws DataError naming the offending row when the data is inconsistent
// (factor for an HCC without label, hierarchy on an unknown HCC, > 192 HCCs, ...).
std::vector<std::byte> compile_image(const ReleaseData& data);

// A read-only view of compiled bytes. Cheap to construct; does not own the bytes.
class ModelImage {
public:
    // Validates magic, format version, size, every internal offset, count and cross-reference
    // (O(image size), tens of microseconds); throws DataError. bytes must be 8-byte aligned.
    // Every view is made this way, also of an image another backend published in shared
    // memory: a damaged image is rejected, never read out of bounds (fuzzed).
    ModelImage(const void* bytes, std::size_t size);

    std::string_view model_version() const;
    Family family() const;
    int payment_year() const;
    Milli normalization_factor() const;  // 0 when the release has no payment role
    Milli ma_coding_adjustment() const;
    Milli blend_weight() const;
    std::size_t byte_size() const;

    // The release's own spelling of the HCC in slot s ("HCC38", "RXHCC31").
    std::string hcc_name(int slot) const;
    // The alternative normalization basis ("PDP" for RxHCC), empty when the release has none.
    std::string_view alternative_basis() const;
    // Normalization factor of a segment (its own row, else the release's; 0 = none) and of the
    // alternative basis (0 = none).
    Milli segment_normalization_factor(Segment s, bool alternative = false) const;
    int hcc_slot_count() const;
    int hcc_number(int slot) const;      // slot -> 38
    int hcc_slot(int hcc_number) const;  // 38 -> slot, -1 when not a payment HCC
    std::string_view hcc_label(int slot) const;

    // Crosswalk only (no edits): writes the payment HCC numbers of the code, ascending, and
    // returns how many (0, 1 or 2). 0 = the code maps to no payment HCC in this release.
    int map_code(IcdKey key, int (&hcc_numbers)[2]) const;
    // Every CC the code can map to: the crosswalk's and, for HHS-HCC, those of its conditional
    // rows (whichever age and sex they need), ascending, distinct; at most kMaxMappedCcs.
    static constexpr int kMaxMappedCcs = 8;
    int map_code_any(IcdKey key, int (&hcc_numbers)[kMaxMappedCcs]) const;

    // Names of the interaction variables (image order, < 32) and whether the segment lists it.
    int interaction_count() const;
    std::string_view interaction_name(int id) const;

    // True when this release applies the V28 CC223 rule (v28_rules.md §10): compile_image turns
    // it on for a model_version starting with "V28" whose labels include HCC223.
    bool has_cc223_patch() const;
    // Number of distinct codes in the look-up table (crosswalk codes with a payment CC, plus
    // codes named only by an edit).
    std::size_t code_count() const;

    const std::byte* bytes() const { return base_; }

private:
    friend class ImageAccess;  // scorer internals (image_layout.hpp)
    const std::byte* base_;
    std::size_t size_;  // the image's total size (<= the size passed in)
};

}  // namespace hccraf
