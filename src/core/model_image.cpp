// The validating ModelImage view over compiled bytes (layout in image_layout.hpp) and the
// segment names. The compiler is image_compiler.cpp.
#include "model_image.hpp"

#include <cstdio>
#include <cstring>
#include <string>

#include "errors.hpp"
#include "image_layout.hpp"

namespace hccraf {

using namespace layout;

void format_hcc_name(Family f, int hcc_number, char (&buf)[16]) noexcept {
    if (f != Family::Hhs) {
        std::snprintf(buf, sizeof buf, "%s%d", hcc_prefix(f), hcc_number);
    } else if (hhs_is_rxc(hcc_number)) {
        std::snprintf(buf, sizeof buf, "RXC_%02u", static_cast<unsigned>(hcc_number - kHhsRxcBase) % 100u);
    } else if (hhs_is_group(hcc_number)) {
        const unsigned g = static_cast<unsigned>(hcc_number - kHhsGroupBase) % 1000u, letter = g % 10u;
        if (letter == 0)
            std::snprintf(buf, sizeof buf, "G%02u", g / 10u);
        else
            std::snprintf(buf, sizeof buf, "G%02u%c", g / 10u, static_cast<char>('A' + letter - 1));
    } else if (hcc_number >= 1000) {
        const unsigned n = static_cast<unsigned>(hcc_number) % 10000u;
        std::snprintf(buf, sizeof buf, "HHS_HCC%03u_%u", n % 1000u, n / 1000u);
    } else {
        std::snprintf(buf, sizeof buf, "HHS_HCC%03u", static_cast<unsigned>(hcc_number) % 1000u);
    }
}

std::string hcc_name(Family f, int hcc_number) {
    char buf[16];
    format_hcc_name(f, hcc_number, buf);
    return buf;
}

// ---------------------------------------------------------------------------------------------
// ModelImage

namespace {

[[noreturn]] void bad_image(const std::string& what) {
    throw DataError("invalid model image: " + what, "recompile the image from the reference data");
}

bool within(const HccSet& s, int slots) {
    return (s - HccSet::first(slots)).empty();
}

}  // namespace

ModelImage::ModelImage(const void* bytes, std::size_t size)
    : base_(static_cast<const std::byte*>(bytes)), size_(size) {
    if (bytes == nullptr || reinterpret_cast<std::uintptr_t>(bytes) % 8 != 0)
        bad_image("null or not 8-byte aligned");
    if (size < sizeof(Header)) bad_image("shorter than its header");
    Header h;
    std::memcpy(&h, bytes, sizeof h);
    if (std::memcmp(h.magic, kMagic, sizeof kMagic) != 0) bad_image("bad magic");
    if (h.format_version != kFormatVersion)
        bad_image("format version " + std::to_string(h.format_version) + ", expected " +
                  std::to_string(kFormatVersion));
    if (h.header_size != sizeof(Header)) bad_image("header size mismatch");
    if (h.total_size > size || h.total_size < sizeof(Header)) bad_image("total size exceeds the buffer");
    size_ = h.total_size;
    if (std::memchr(h.model_version, 0, sizeof h.model_version) == nullptr || h.model_version[0] == 0)
        bad_image("model version not terminated");
    if (h.hcc_slot_count == 0 || h.hcc_slot_count > kMaxHccSlots) bad_image("HCC slot count");
    if (h.family >= kFamilyCount) bad_image("model family");
    if (std::memchr(h.alt_basis, 0, sizeof h.alt_basis) == nullptr) bad_image("basis name not terminated");
    if (h.interaction_count > kMaxInteractions) bad_image("interaction count");
    if (h.normalization_factor < 0 || h.normalization_factor > kMaxNormalizationFactor ||
        h.ma_coding_adjustment < 0 || h.ma_coding_adjustment >= 1000 || h.blend_weight < 0 ||
        h.blend_weight > 1000)
        bad_image("payment parameters out of range");

    static constexpr std::size_t kRecordSize[kSecCount] = {sizeof(HccRecord),
                                                           1,
                                                           sizeof(IcdKey),
                                                           sizeof(CodeInfo),
                                                           0,  // the code hash: by its flag
                                                           sizeof(EditRecord),
                                                           sizeof(RuleRecord),
                                                           sizeof(InteractionRecord),
                                                           sizeof(TermRecord),
                                                           sizeof(SegmentRecord),
                                                           1,
                                                           sizeof(SetRecord),
                                                           sizeof(DrugRecord),
                                                           1};
    for (std::uint32_t s = 0; s < kSecCount; ++s) {
        const Section& sec = h.sections[s];
        const std::size_t record = s != kSecCodeHash               ? kRecordSize[s]
                                   : (h.flags & kFlagWideCodeHash) ? sizeof(std::uint32_t)
                                                                   : sizeof(std::uint16_t);
        if (sec.offset % 8 != 0 || sec.offset < sizeof(Header) ||
            std::uint64_t{sec.offset} + std::uint64_t{sec.count} * record > h.total_size)
            bad_image("section " + std::to_string(s) + " out of bounds");
    }
    const int slots = h.hcc_slot_count;
    const auto& sec = h.sections;
    if (sec[kSecHccs].count != static_cast<std::uint32_t>(slots)) bad_image("HCC table size");
    if (sec[kSecCodeInfo].count != sec[kSecCodeKeys].count) bad_image("code tables differ in size");
    const std::uint32_t table_size = sec[kSecCodeHash].count;
    if (table_size < 2 * sec[kSecCodeKeys].count || table_size == 0 || (table_size & (table_size - 1)) != 0)
        bad_image("code hash table size");
    if (sec[kSecInteractions].count != h.interaction_count) bad_image("interaction table size");
    const SegmentRange seg_range = family_segments(static_cast<Family>(h.family));
    if (sec[kSecSegments].count != static_cast<std::uint32_t>(seg_range.count))
        bad_image("segment table size");

    ImageAccess a(*this);
    const std::uint32_t pool_size = sec[kSecStrings].count;
    auto check_str = [&](StrRef r) {
        if (std::uint64_t{r.offset} + r.length > pool_size) bad_image("string out of the pool");
    };
    auto check_slot = [&](std::uint8_t s) {
        if (s >= slots) bad_image("HCC slot out of range");
    };

    const HccRecord* hcc = a.section<HccRecord>(kSecHccs);
    const std::uint8_t* index = a.section<std::uint8_t>(kSecHccIndex);
    const std::uint32_t index_n = sec[kSecHccIndex].count;
    for (int s = 0; s < slots; ++s) {
        if (s > 0 && hcc[s].number <= hcc[s - 1].number) bad_image("HCC numbers not ascending");
        if (hcc[s].number >= index_n || index[hcc[s].number] != s) bad_image("HCC index inconsistent");
        check_str(hcc[s].label);
    }
    for (std::uint32_t n = 0; n < index_n; ++n)
        if (index[n] != kNoSlot && (index[n] >= slots || hcc[index[n]].number != n))
            bad_image("HCC index inconsistent");

    const IcdKey* keys = a.section<IcdKey>(kSecCodeKeys);
    const CodeInfo* info = a.section<CodeInfo>(kSecCodeInfo);
    const EditRecord* edits = a.section<EditRecord>(kSecEdits);
    const std::uint32_t ncodes = sec[kSecCodeKeys].count, nedits = sec[kSecEdits].count;
    // The hash table must hold every code exactly once and find each of them (which also
    // proves that no probe sequence runs forever).
    std::uint32_t filled = 0;
    for (std::uint32_t t = 0; t < sec[kSecCodeHash].count; ++t) {
        const std::uint32_t entry = a.code_hash_entry(t);
        if (entry > ncodes) bad_image("code hash entry out of range");
        filled += entry != 0;
    }
    if (filled != ncodes) bad_image("code hash table incomplete");
    for (std::uint32_t i = 0; i < ncodes; ++i)
        if (a.find_code(keys[i]) != static_cast<int>(i)) bad_image("code hash table inconsistent");
    const std::uint8_t* rule_of = a.section<std::uint8_t>(kSecRuleOfSlot);
    const RuleRecord* rule_recs = a.section<RuleRecord>(kSecRules);
    if (sec[kSecRuleOfSlot].count != static_cast<std::uint32_t>(slots)) bad_image("rule index size");
    for (int s = 0; s < slots; ++s)
        if (rule_of[s] != kNoSlot &&
            (rule_of[s] >= sec[kSecRules].count || rule_recs[rule_of[s]].parent_slot != s))
            bad_image("rule index inconsistent");
    std::uint32_t edits_seen = 0;
    for (std::uint32_t i = 0; i < ncodes; ++i) {
        if (keys[i] >= kKeyLimit || (i > 0 && keys[i] <= keys[i - 1])) bad_image("code keys not sorted");
        const CodeInfo& c = info[i];
        if (c.slot[0] != kNoSlot) check_slot(c.slot[0]);
        if (c.slot[1] != kNoSlot) {
            check_slot(c.slot[1]);
            if (c.slot[0] == kNoSlot || c.slot[0] >= c.slot[1]) bad_image("code slots not ascending");
        }
        if (c.edit_count &&
            (c.edit_first != edits_seen || std::uint64_t{c.edit_first} + c.edit_count > nedits))
            bad_image("edit range");
        edits_seen += c.edit_count;
        for (std::uint32_t e = c.edit_first; e < c.edit_first + c.edit_count; ++e) {
            const EditRecord& r = edits[e];
            if (r.key != keys[i] || r.kind > kSplit || r.action > kSetCc ||
                (r.kind == kSplit && r.action != kSetCc) || (r.sex != 0 && r.sex != 'M' && r.sex != 'F') ||
                r.age_min < -1 || r.age_max < -1)
                bad_image("edit record");
            if (r.action == kSetCc) check_slot(r.slot);
            if (e > c.edit_first && r.kind < edits[e - 1].kind) bad_image("edits not sorted");
        }
    }
    if (edits_seen != nedits) bad_image("orphan edit records");

    const RuleRecord* rules = a.section<RuleRecord>(kSecRules);
    HccSet parents;
    for (std::uint32_t r = 0; r < sec[kSecRules].count; ++r) {
        check_slot(rules[r].parent_slot);
        if (!within(rules[r].children, slots) || rules[r].children.test(rules[r].parent_slot))
            bad_image("hierarchy rule");
        // Trap (found by fuzz_images): the scorer indexes the rules with rule_of[parent] (and, with
        // kFlagRulesAscending, visits them in slot order), so the index must name every parent's
        // rule and the flag must be true; a parent whose index was kNoSlot read rules[255].
        if (rule_of[rules[r].parent_slot] != r) bad_image("rule index inconsistent");
        if ((h.flags & kFlagRulesAscending) && r > 0 && rules[r].parent_slot <= rules[r - 1].parent_slot)
            bad_image("hierarchy rules not ascending");
        parents.set(rules[r].parent_slot);
    }
    if (!(parents == h.rule_parents)) bad_image("hierarchy parent mask");
    if (h.flags & ~kKnownFlags) bad_image("unknown flags");
    if ((h.flags & kFlagZeroBeforeHierarchy) && !within(h.zero_before_hierarchy, slots))
        bad_image("zero-before-hierarchy mask");
    if (h.flags & kFlagCc223Patch) {
        check_slot(h.cc223_slot);
        if (!within(h.cc223_keep, slots)) bad_image("CC223 patch mask");
    }
    if (!within(h.not_counted, slots) || !within(h.rxc_slots, slots) || !within(h.group_slots, slots))
        bad_image("HHS-HCC slot masks");
    for (int i = 0; i < 12; ++i)
        if (h.csr_factor[i] < 0 || h.csr_factor[i] > 100'000 || h.csr_metal[i] > 5 ||
            ((i == 0) && h.csr_factor[i] != 0))
            bad_image("CSR factor table");
    // Only HHS-HCC has member sets, drug codes and CSR factors; their parameters index the
    // scorer's variable ids (hhs_model.cpp: severity 1..5, maturity 1..4, a model 0..2), so a
    // value out of range would read past a segment's vectors (found by fuzz_images).
    const bool hhs = static_cast<Family>(h.family) == Family::Hhs;
    if (!hhs && (sec[kSecSets].count || sec[kSecDrugs].count || h.csr_factor[1]))
        bad_image("HHS-HCC tables in an image of another family");
    const SetRecord* sets = a.section<SetRecord>(kSecSets);
    for (std::uint32_t i = 0; i < sec[kSecSets].count; ++i) {
        if (sets[i].kind >= kSetKinds || !within(sets[i].members, slots)) bad_image("member set");
        const int param = sets[i].param;
        const bool param_ok = sets[i].kind == kSetGroup      ? param == 0
                              : sets[i].kind == kSetSeverity ? param >= 1 && param <= 5
                              : sets[i].kind == kSetMaturity ? param >= 1 && param <= 4
                              : sets[i].kind == kSetExcluded ? param <= 2
                                                             : param <= 1;  // severe, transplant
        if (!param_ok) bad_image("member set parameter");
        if (sets[i].kind == kSetGroup) {
            check_slot(sets[i].slot);
            if (sets[i].members.test(sets[i].slot)) bad_image("a group is its own member");
        } else if (sets[i].slot != kNoSlot) {
            bad_image("member set slot");
        }
    }
    const DrugRecord* drugs = a.section<DrugRecord>(kSecDrugs);
    for (std::uint32_t i = 0; i < sec[kSecDrugs].count; ++i) {
        if (i > 0 && drugs[i].key <= drugs[i - 1].key) bad_image("drug keys not sorted");
        if (drugs[i].slot != kNoSlot) check_slot(drugs[i].slot);
        if (drugs[i].acf & ~(kAcfAdult | kAcfChild)) bad_image("drug record");
    }

    const InteractionRecord* inter = a.section<InteractionRecord>(kSecInteractions);
    const TermRecord* terms = a.section<TermRecord>(kSecTerms);
    for (std::uint32_t i = 0; i < h.interaction_count; ++i) {
        check_str(inter[i].name);
        if (inter[i].term_count == 0 ||
            std::uint32_t{inter[i].first_term} + inter[i].term_count > sec[kSecTerms].count)
            bad_image("interaction terms");
    }
    for (std::uint32_t t = 0; t < sec[kSecTerms].count; ++t) {
        check_str(terms[t].name);
        if (!within(terms[t].members, slots) || (terms[t].flags & ~(kTermDisabl | kTermNonAged)))
            bad_image("interaction term");
    }

    for (int s = seg_range.first; s < seg_range.first + seg_range.count; ++s) {
        const SegmentRecord& g = a.segment(static_cast<Segment>(s));
        if (g.divisor[0] < 0 || g.divisor[1] < 0 || g.normalization[0] < 0 || g.normalization[1] < 0 ||
            g.normalization[0] > kMaxNormalizationFactor || g.normalization[1] > kMaxNormalizationFactor)
            bad_image("segment divisor or normalization factor");
        if (!within(g.hcc_present, slots)) bad_image("segment HCC mask");
        if (h.interaction_count < 32 && (g.interaction_present >> h.interaction_count) != 0)
            bad_image("segment interaction mask");
        if (g.count_present & ~0x7FEu) bad_image("segment count mask");
        if (g.demographic_present[kDemographicWords - 1] >> (kDemographicIds % 64) != 0)
            bad_image("segment demographic mask");
    }
}

std::string_view ModelImage::model_version() const {
    return ImageAccess(*this).header().model_version;
}
Family ModelImage::family() const {
    return ImageAccess(*this).family();
}
std::string ModelImage::hcc_name(int slot) const {
    return hccraf::hcc_name(family(), hcc_number(slot));
}
std::string_view ModelImage::alternative_basis() const {
    return ImageAccess(*this).header().alt_basis;
}
Milli ModelImage::segment_normalization_factor(Segment s, bool alternative) const {
    ImageAccess a(*this);
    if (!a.has_segment(s)) return 0;
    const SegmentRecord& g = a.segment(s);
    if (alternative) return g.normalization[1];
    return g.normalization[0] > 0 ? g.normalization[0] : a.header().normalization_factor;
}
int ModelImage::payment_year() const {
    return ImageAccess(*this).header().payment_year;
}
Milli ModelImage::normalization_factor() const {
    return ImageAccess(*this).header().normalization_factor;
}
Milli ModelImage::ma_coding_adjustment() const {
    return ImageAccess(*this).header().ma_coding_adjustment;
}
Milli ModelImage::blend_weight() const {
    return ImageAccess(*this).header().blend_weight;
}
std::size_t ModelImage::byte_size() const {
    return size_;
}
int ModelImage::hcc_slot_count() const {
    return ImageAccess(*this).header().hcc_slot_count;
}

int ModelImage::hcc_number(int slot) const {
    ImageAccess a(*this);
    if (slot < 0 || slot >= a.header().hcc_slot_count) return -1;
    return a.section<HccRecord>(kSecHccs)[slot].number;
}

int ModelImage::hcc_slot(int hcc_number) const {
    ImageAccess a(*this);
    if (hcc_number < 0 || static_cast<std::uint32_t>(hcc_number) >= a.count(kSecHccIndex)) return -1;
    std::uint8_t s = a.section<std::uint8_t>(kSecHccIndex)[hcc_number];
    return s == kNoSlot ? -1 : s;
}

std::string_view ModelImage::hcc_label(int slot) const {
    ImageAccess a(*this);
    if (slot < 0 || slot >= a.header().hcc_slot_count) return {};
    return a.str(a.section<HccRecord>(kSecHccs)[slot].label);
}

int ModelImage::map_code(IcdKey key, int (&hcc_numbers)[2]) const {
    ImageAccess a(*this);
    int i = a.find_code(key);
    hcc_numbers[0] = hcc_numbers[1] = 0;
    if (i < 0) return 0;
    const CodeInfo& c = a.section<CodeInfo>(kSecCodeInfo)[i];
    int n = 0;
    for (std::uint8_t s : c.slot)
        if (s != kNoSlot) hcc_numbers[n++] = a.section<HccRecord>(kSecHccs)[s].number;
    return n;
}

int ModelImage::map_code_any(IcdKey key, int (&hcc_numbers)[kMaxMappedCcs]) const {
    ImageAccess a(*this);
    const int i = a.find_code(key);
    if (i < 0) return 0;
    const CodeInfo& c = a.section<CodeInfo>(kSecCodeInfo)[i];
    HccSet all;
    for (std::uint8_t s : c.slot)
        if (s != kNoSlot) all.set(s);
    const EditRecord* edits = a.section<EditRecord>(kSecEdits);
    for (std::uint32_t e = c.edit_first; e < c.edit_first + c.edit_count; ++e)
        if (edits[e].kind == kSplit) all.set(edits[e].slot);
    int n = 0;
    all.for_each([&](int s) {
        if (n < kMaxMappedCcs) hcc_numbers[n++] = a.section<HccRecord>(kSecHccs)[s].number;
    });
    return n;
}

int ModelImage::interaction_count() const {
    return ImageAccess(*this).header().interaction_count;
}

std::string_view ModelImage::interaction_name(int id) const {
    ImageAccess a(*this);
    if (id < 0 || id >= a.header().interaction_count) return {};
    return a.str(a.section<InteractionRecord>(kSecInteractions)[id].name);
}

bool ModelImage::has_cc223_patch() const {
    return (ImageAccess(*this).header().flags & kFlagCc223Patch) != 0;
}

std::size_t ModelImage::code_count() const {
    return ImageAccess(*this).count(kSecCodeKeys);
}

}  // namespace hccraf
