// The byte layout of a compiled ModelImage (private to src/core).
//
//   [Header][section 0][section 1]...[string pool]
//
// Every section starts at an 8-byte aligned offset from the start of the block and holds
// `count` fixed-width records; nothing stores a pointer, so the block may be copied or mapped at
// any address. The reader (ImageAccess) reinterprets the block in place: the block must be
// 8-byte aligned (std::vector<std::byte> storage, palloc and ShmemAlloc all are).
//
// Bump kFormatVersion whenever a record or the meaning of a field changes: images are rebuilt
// from reference data on load, never persisted across versions, and a mismatch is a DataError.
#pragma once
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "icd_code.hpp"
#include "model_image.hpp"

namespace hccraf::layout {

inline constexpr char kMagic[8] = {'H', 'C', 'C', 'R', 'A', 'F', 'I', 'M'};
inline constexpr std::uint32_t kFormatVersion = 4;
inline constexpr std::uint8_t kNoSlot = 0xFF;
inline constexpr int kMaxInteractions = 32;
inline constexpr std::uint32_t kFlagCc223Patch = 1;
// Set when the hierarchy rules' parents ascend in slot order (true of V24 and V28): the scorer
// may then visit only the rules whose parent is present, in slot order, which is file order.
inline constexpr std::uint32_t kFlagRulesAscending = 2;
// Set when the family zeroes some CCs before the hierarchy (ESRD: the renal CCs 134-138, E24
// 538-548); the CCs are Header::zero_before_hierarchy.
inline constexpr std::uint32_t kFlagZeroBeforeHierarchy = 4;
// Set when the code hash table holds 32-bit entries; without it the entries are 16-bit, which
// holds every release of up to 65,535 codes (all shipped ones: the table is a third of a
// release's image, so halving it kept the images of 0.3.0, with their larger segment records,
// smaller than 0.2.0's).
inline constexpr std::uint32_t kFlagWideCodeHash = 8;
inline constexpr std::uint32_t kKnownFlags =
    kFlagCc223Patch | kFlagRulesAscending | kFlagZeroBeforeHierarchy | kFlagWideCodeHash;

// Code look-up: an open-addressing hash table (linear probing, load <= 1/2) of indexes into the
// sorted key array. A binary search mispredicted its way to 15 % of the per-row time; the hash
// needs ~1.3 probes. The sorted keys stay (explanations and validation walk them in order).
inline constexpr IcdKey kKeyLimit = 37ull * 37 * 37 * 37 * 37 * 37 * 37;  // 37^7
inline std::uint32_t code_hash(IcdKey key, std::uint32_t mask) {
    return static_cast<std::uint32_t>((key * 0x9E3779B97F4A7C15ull) >> 32) & mask;
}

// Person-level variable ids (canonical, shared by all releases; see demographics.hpp).
inline constexpr int kDemographicIds = 352;
inline constexpr int kDemographicWords = (kDemographicIds + 63) / 64;

enum Sec : std::uint32_t {
    kSecHccs,          // HccRecord[slot]
    kSecHccIndex,      // uint8_t[max hcc number + 1]: number -> slot or kNoSlot
    kSecCodeKeys,      // IcdKey[], strictly ascending
    kSecCodeInfo,      // CodeInfo[], parallel to the keys
    kSecCodeHash,      // uint16_t (uint32_t with kFlagWideCodeHash)[2^k >= 2 * codes]: code index
                       // + 1, 0 = empty (code_hash probing)
    kSecEdits,         // EditRecord[], sorted by (key, kind, edit_order)
    kSecRules,         // RuleRecord[], CMS file order
    kSecInteractions,  // InteractionRecord[], by name
    kSecTerms,         // TermRecord[], grouped by interaction
    kSecSegments,      // SegmentRecord[family's segment count], in Segment enum order
    kSecRuleOfSlot,    // uint8_t[slots]: index of the rule whose parent is the slot, or kNoSlot
    kSecSets,          // SetRecord[]: HHS-HCC groups and member sets (severe, transplant, ...)
    kSecDrugs,         // DrugRecord[], strictly ascending keys: HHS-HCC NDC / HCPCS -> RXC, ACF
    kSecStrings,       // char[]
    kSecCount
};

struct Section {
    std::uint32_t offset;
    std::uint32_t count;
};
struct StrRef {
    std::uint32_t offset;
    std::uint32_t length;
};

struct Header {
    char magic[8];
    std::uint32_t format_version;
    std::uint32_t header_size;
    std::uint64_t total_size;
    char model_version[16];  // NUL-terminated
    std::int32_t payment_year;
    std::uint16_t hcc_slot_count;
    std::uint16_t interaction_count;
    std::int64_t normalization_factor;
    std::int64_t ma_coding_adjustment;
    std::int64_t blend_weight;
    std::uint32_t flags;      // kFlag*
    std::uint8_t cc223_slot;  // valid with kFlagCc223Patch
    std::uint8_t family;      // Family
    std::uint8_t pad0[2];
    char alt_basis[8];             // name of the alternative normalization basis ("PDP"), "" = none
    HccSet cc223_keep;             // CC221/222/224/225/226: any of them keeps CC223
    HccSet rule_parents;           // union of hierarchy parents (skip the loop when disjoint)
    HccSet zero_before_hierarchy;  // valid with kFlagZeroBeforeHierarchy
    HccSet not_counted;            // HHS-HCC: slots HCC_CNT leaves out (RXCs, HHS_HCC022)
    HccSet rxc_slots;              // HHS-HCC: the RXC slots
    HccSet group_slots;            // HHS-HCC: the group slots
    std::int32_t csr_factor[12];   // HHS-HCC: CSR factor (hundredths) by indicator 1..11, 0 = none
    std::uint8_t csr_metal[12];    // HHS-HCC: the Metal + 1 an indicator belongs to, 0 = any
    std::uint8_t pad1[4];
    Section sections[kSecCount];
};

struct HccRecord {
    std::uint16_t number;
    std::uint16_t pad;
    StrRef label;
};

struct CodeInfo {
    std::uint8_t slot[2];  // crosswalk CCs as slots, ascending; kNoSlot = none
    std::uint8_t edit_count;
    std::uint8_t pad;
    std::uint32_t edit_first;  // index into kSecEdits
};

// kSplit (HHS-HCC conditional crosswalk): the record's CC is set when the sex matches and the age
// is INSIDE [age_min, age_max] (the other kinds act when it is outside the valid range).
enum EditKind : std::uint8_t { kMandatory = 0, kMceAge = 1, kSplit = 2 };
enum EditAction : std::uint8_t { kDrop = 0, kSetCc = 1 };

struct EditRecord {
    IcdKey key;
    std::int32_t edit_order;
    std::int16_t age_min;  // -1 = unbounded
    std::int16_t age_max;  // -1 = unbounded
    std::uint8_t kind;     // EditKind
    std::uint8_t sex;      // 0, 'M', 'F'
    std::uint8_t action;   // EditAction
    std::uint8_t slot;     // with kSetCc
    std::uint32_t cc;      // CC number (for explanations)
};

struct RuleRecord {
    HccSet children;
    std::int32_t rule_order;
    std::uint8_t parent_slot;
    std::uint8_t pad[3];
};

struct InteractionRecord {
    StrRef name;
    std::uint16_t first_term;
    std::uint16_t term_count;
};

inline constexpr std::uint32_t kTermDisabl = 1;   // DISABL: age < 65 and OREC not '0'
inline constexpr std::uint32_t kTermNonAged = 2;  // NONAGED: age < 65 (RxHCC, ESRD)
struct TermRecord {
    HccSet members;
    StrRef name;
    std::uint32_t flags;
    std::uint32_t pad;
};

struct SegmentRecord {
    HccSet hcc_present;
    std::int32_t hcc_factor[kMaxHccSlots];
    std::int32_t interaction_factor[kMaxInteractions];
    std::uint32_t interaction_present;
    std::uint32_t count_present;    // bit k: Dk (k = 1..9), bit 10: D10P
    std::int32_t count_factor[12];  // index 1..10
    std::uint64_t demographic_present[kDemographicWords];
    std::int32_t demographic_factor[kDemographicIds];
    std::int32_t divisor[2];        // ESRD GRAFT_NE ActAdj by graft duration (0 = none)
    std::int64_t normalization[2];  // [0] this segment's factor (0 = the header's), [1] the
                                    // alternative basis' factor (0 = none)
};

// HHS-HCC member sets. kSetGroup: `slot` is the group, set when any member is 1 (members then
// 0). The others are read by hhs_model.cpp: param = HhsModel for severe / transplant / excluded,
// the level 1..5 for severity, the maturity 1..4 for maturity.
enum SetKind : std::uint8_t {
    kSetGroup = 0,
    kSetSevere = 1,
    kSetTransplant = 2,
    kSetExcluded = 3,
    kSetSeverity = 4,
    kSetMaturity = 5,
};
inline constexpr int kSetKinds = 6;
struct SetRecord {
    HccSet members;
    std::uint8_t kind;
    std::uint8_t param;
    std::uint8_t slot;  // kSetGroup: the group's slot; kNoSlot otherwise
    std::uint8_t pad[5];
};

// Drug codes (hhs_model.hpp ndc_key / hcpcs_key): key = the NDC's 11 characters in base 36
// (< 36^11 < 2^57), or kHcpcsKeyBase + the HCPCS code's 5 in base 36.
inline constexpr std::uint64_t kHcpcsKeyBase = std::uint64_t{1} << 60;
inline constexpr std::uint8_t kAcfAdult = 1, kAcfChild = 2;
struct DrugRecord {
    std::uint64_t key;
    std::uint8_t slot;  // the RXC's slot, or kNoSlot
    std::uint8_t acf;   // kAcfAdult | kAcfChild
    std::uint8_t pad[6];
};

template <class T>
inline constexpr bool kRecord = std::is_trivially_copyable_v<T>&& std::is_standard_layout_v<T>;
static_assert(kRecord<Header> && kRecord<HccRecord> && kRecord<CodeInfo> && kRecord<EditRecord> &&
              kRecord<RuleRecord> && kRecord<InteractionRecord> && kRecord<TermRecord> &&
              kRecord<SegmentRecord> && kRecord<SetRecord> && kRecord<DrugRecord>);
static_assert(sizeof(CodeInfo) == 8 && sizeof(EditRecord) == 24 && sizeof(RuleRecord) == 32 &&
              sizeof(TermRecord) == 40 && sizeof(HccRecord) == 12 && sizeof(SetRecord) == 32 &&
              sizeof(DrugRecord) == 16);

}  // namespace hccraf::layout

namespace hccraf {

// Typed, unchecked access to a validated image (scorer internals). Construction is a few loads.
class ImageAccess {
public:
    explicit ImageAccess(const ModelImage& image)
        : base_(image.base_), h_(reinterpret_cast<const layout::Header*>(image.base_)) {}

    const layout::Header& header() const { return *h_; }
    std::uint32_t count(layout::Sec s) const { return h_->sections[s].count; }
    template <class T>
    const T* section(layout::Sec s) const {
        return reinterpret_cast<const T*>(base_ + h_->sections[s].offset);
    }
    std::string_view str(layout::StrRef r) const {
        return {reinterpret_cast<const char*>(base_ + h_->sections[layout::kSecStrings].offset) + r.offset,
                r.length};
    }
    Family family() const { return static_cast<Family>(h_->family); }
    // The record of a segment of the image's family (callers pass only such segments).
    const layout::SegmentRecord& segment(Segment s) const {
        return section<layout::SegmentRecord>(
            layout::kSecSegments)[static_cast<int>(s) - family_segments(family()).first];
    }
    bool has_segment(Segment s) const {
        SegmentRange r = family_segments(family());
        return static_cast<int>(s) >= r.first && static_cast<int>(s) < r.first + r.count;
    }

    // Index of key in the code table, or -1. The table is never full (load <= 1/2), so the
    // probe sequence always reaches an empty slot.
    int find_code(IcdKey key) const {
        if (h_->flags & layout::kFlagWideCodeHash)
            return probe(section<std::uint32_t>(layout::kSecCodeHash), key);
        return probe(section<std::uint16_t>(layout::kSecCodeHash), key);
    }
    // Entry t of the code hash table (either width).
    std::uint32_t code_hash_entry(std::uint32_t t) const {
        if (h_->flags & layout::kFlagWideCodeHash) return section<std::uint32_t>(layout::kSecCodeHash)[t];
        return section<std::uint16_t>(layout::kSecCodeHash)[t];
    }

private:
    template <class Entry>
    int probe(const Entry* table, IcdKey key) const {
        const std::uint32_t mask = count(layout::kSecCodeHash) - 1;
        const IcdKey* keys = section<IcdKey>(layout::kSecCodeKeys);
        for (std::uint32_t h = layout::code_hash(key, mask);; h = (h + 1) & mask) {
            std::uint32_t entry = table[h];
            if (entry == 0) return -1;
            if (keys[entry - 1] == key) return static_cast<int>(entry - 1);
        }
    }

    const std::byte* base_;
    const layout::Header* h_;
};

}  // namespace hccraf
