// compile_image: ReleaseData -> one flat, pointer-free image (layout in image_layout.hpp).
// Every inconsistency is a DataError naming the offending row; the CMS rules behind each
// table are cited where the table is built.
#include <algorithm>
#include <cstring>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/container/flat_map.hpp>

#include "demographics.hpp"
#include "errors.hpp"
#include "hhs_model.hpp"
#include "image_layout.hpp"
#include "interrupts.hpp"
#include "model_image.hpp"

namespace hccraf {

using namespace layout;

namespace {

// "D1".."D9" -> 1..9, "D10P" -> 10, else 0.
int count_index(std::string_view v) {
    if (v == "D10P") return 10;
    if (v.size() == 2 && v[0] == 'D' && v[1] >= '1' && v[1] <= '9') return v[1] - '0';
    return 0;
}

// "HCC38" -> 38 (prefix "HCC"), "RXHCC31" -> 31 (prefix "RXHCC"), else 0.
int hcc_variable(std::string_view v, std::string_view prefix) {
    const std::size_t p = prefix.size();
    if (v.size() < p + 1 || v.size() > p + 4 || v.substr(0, p) != prefix || v[p] == '0') return 0;
    int n = 0;
    for (char c : v.substr(p)) {
        if (c < '0' || c > '9') return 0;
        n = n * 10 + (c - '0');
    }
    return n;
}

// Accumulates the string pool.
struct Pool {
    std::string bytes;
    StrRef add(std::string_view s) {
        StrRef r{static_cast<std::uint32_t>(bytes.size()), static_cast<std::uint32_t>(s.size())};
        bytes.append(s);
        return r;
    }
};

// Appends the sections to the block, each 8-byte aligned.
struct Writer {
    std::vector<std::byte> out;
    Header header{};
    Writer() { out.resize(sizeof(Header)); }
    template <class T>
    void put(Sec s, const T* data, std::size_t count) {
        out.resize((out.size() + 7) & ~std::size_t{7});
        header.sections[s] = {static_cast<std::uint32_t>(out.size()), static_cast<std::uint32_t>(count)};
        std::size_t at = out.size();
        out.resize(at + sizeof(T) * count);
        if (count) std::memcpy(out.data() + at, data, sizeof(T) * count);
    }
    template <class T>
    void put(Sec s, const std::vector<T>& v) {
        put(s, v.data(), v.size());
    }
};

// The crosswalk CC slots of one code: ascending, at most two, kNoSlot = none.
struct Slots {
    std::uint8_t slot[2] = {kNoSlot, kNoSlot};
};

// Adds CC slot u to a code's crosswalk slots.
void add_slot(Slots& c, std::uint8_t u, IcdKey key, int cc) {
    if (c.slot[0] == u || c.slot[1] == u) return;
    if (c.slot[1] != kNoSlot)
        throw DataError("crosswalk rows of " + format_icd(key) + " (CC" + std::to_string(cc) +
                        "): the code maps to more than two CCs");
    if (c.slot[0] == kNoSlot)
        c.slot[0] = u;
    else
        c.slot[1] = u;
    if (c.slot[1] != kNoSlot && c.slot[1] < c.slot[0]) std::swap(c.slot[0], c.slot[1]);
}

// Edit order within a code: mandatory (by chain order) before MCE (image_layout.hpp).
bool edit_before(const EditRecord& a, const EditRecord& b) {
    if (a.key != b.key) return a.key < b.key;
    return a.kind != b.kind ? a.kind < b.kind : a.edit_order < b.edit_order;
}

IcdKey data_code_key(const std::string& code, const std::string& where) {
    char buf[8];
    std::size_t n = normalize_icd(code, buf);
    if (n == 0 || std::string_view(buf, n) != code)
        throw DataError(where + ": ICD-10-CM code \"" + code +
                        "\" is not in the CMS spelling (upper case, no dot)");
    return pack_icd(code);
}

using NeedSlot = std::function<int(int, const std::string&)>;

// sets.csv (hhs_hcc_v08_rules.md §5.5-§5.9): a set's name says what it is for.
void compile_hhs_sets(const ReleaseData& d, const NeedSlot& need_slot, std::vector<SetRecord>& out) {
    struct Named {
        const char* name;
        SetKind kind;
        std::uint8_t param;
    };
    static constexpr Named kNamed[] = {
        {"SEVERE_ADULT", kSetSevere, 0},          {"SEVERE_CHILD", kSetSevere, 1},
        {"TRANSPLANT_ADULT", kSetTransplant, 0},  {"TRANSPLANT_CHILD", kSetTransplant, 1},
        {"EXCLUDED_ADULT", kSetExcluded, 0},      {"EXCLUDED_CHILD", kSetExcluded, 1},
        {"EXCLUDED_INFANT", kSetExcluded, 2},     {"SEVERITY1", kSetSeverity, 1},
        {"SEVERITY2", kSetSeverity, 2},           {"SEVERITY3", kSetSeverity, 3},
        {"SEVERITY4", kSetSeverity, 4},           {"SEVERITY5", kSetSeverity, 5},
        {"EXTREMELY_IMMATURE", kSetMaturity, 1},  {"IMMATURE", kSetMaturity, 2},
        {"PREMATURE_MULTIPLES", kSetMaturity, 3}, {"TERM", kSetMaturity, 4},
    };
    boost::container::flat_map<std::string, SetRecord> by_name;
    for (std::size_t i = 0; i < d.sets.size(); ++i) {
        interrupts::poll_every(i);
        const SetRow& row = d.sets[i];
        const std::string where = "set row " + row.set + "," + std::to_string(row.member);
        auto [it, fresh] = by_name.try_emplace(row.set);
        SetRecord& r = it->second;
        if (fresh) {
            r.slot = kNoSlot;
            const int group = parse_hcc_code(Family::Hhs, row.set);
            const Named* named = nullptr;
            for (const Named& n : kNamed)
                if (row.set == n.name) named = &n;
            if (hhs_is_group(group)) {
                r.kind = kSetGroup;
                r.slot = static_cast<std::uint8_t>(need_slot(group, where));
            } else if (named) {
                r.kind = named->kind;
                r.param = named->param;
            } else {
                throw DataError(where + ": unknown set",
                                "sets are the groups (G01, G02B, ...) and SEVERE_ADULT, SEVERE_CHILD, "
                                "TRANSPLANT_ADULT, TRANSPLANT_CHILD, EXCLUDED_ADULT, EXCLUDED_CHILD, "
                                "EXCLUDED_INFANT, SEVERITY1..5, EXTREMELY_IMMATURE, IMMATURE, "
                                "PREMATURE_MULTIPLES, TERM");
            }
        }
        const int m = need_slot(row.member, where);
        if (r.kind == kSetGroup && m == r.slot) throw DataError(where + ": a group cannot be its own member");
        r.members.set(m);
    }
    for (auto& [name, r] : by_name) out.push_back(r);
}

// NDC / HCPCS keys as the scorer computes them from user input (hhs_model.hpp).
std::optional<std::uint64_t> drug_key(std::string_view system, std::string_view code) {
    if (system == "ndc") return ndc_key(code);
    if (system == "hcpcs") return hcpcs_key(code);
    return std::nullopt;
}

void compile_hhs_drugs(const ReleaseData& d, const std::string& rel, const NeedSlot& need_slot,
                       std::vector<DrugRecord>& out) {
    boost::container::flat_map<std::uint64_t, DrugRecord> by_key;
    by_key.reserve(d.drugs.size());
    for (std::size_t i = 0; i < d.drugs.size(); ++i) {
        interrupts::poll_every(i);
        const DrugRow& row = d.drugs[i];
        const std::string where = "drug row " + row.code_system + "," + row.code + "," + row.variable;
        auto key = drug_key(row.code_system, row.code);
        if (!key) throw DataError(where + ": an NDC has 11 digits, an HCPCS code 5 characters 0-9 A-Z");
        auto [it, fresh] = by_key.try_emplace(*key);
        DrugRecord& r = it->second;
        if (fresh) {
            // Trap (found by fuzz_compiler): "all fields 0" is not "new": NDC 00000000000 is key 0
            // and an RXC may have slot 0.
            r.key = *key;
            r.slot = kNoSlot;
        }
        if (row.variable == "ACF_PrEP") {
            r.acf |= kAcfAdult;
        } else if (row.variable == "ACF_PrEP_Child") {
            r.acf |= kAcfChild;
        } else {
            const int n = parse_hcc_code(Family::Hhs, row.variable);
            if (!hhs_is_rxc(n))
                throw DataError(where + ": the variable is RXC_nn, ACF_PrEP or ACF_PrEP_Child");
            const int s = need_slot(n, where);
            if (r.slot != kNoSlot && r.slot != s) throw DataError(where + ": the code is in two RXCs");
            r.slot = static_cast<std::uint8_t>(s);
        }
    }
    if (by_key.size() > 10'000'000) throw DataError(rel + ": too many drug codes");
    for (auto& [key, r] : by_key) out.push_back(r);  // flat_map: ascending keys
}

void compile_hhs_csr(const ReleaseData& d, const std::string& rel, Header& h) {
    static constexpr const char* kMetals[] = {"platinum", "gold", "silver", "bronze", "catastrophic"};
    for (const CsrRow& row : d.csr) {
        const std::string where = "CSR row " + std::to_string(row.indicator) + "," + row.metal;
        if (row.indicator < 1 || row.indicator > 11) throw DataError(where + ": CSR indicators are 1 to 11");
        if (h.csr_factor[row.indicator] != 0) throw DataError(where + ": listed twice");
        // factor in thousandths from the data; the image keeps hundredths (exact products).
        if (row.factor <= 0 || row.factor > 100'000 || row.factor % 10 != 0)
            throw DataError(where + ": a CSR factor is positive with at most 2 decimals");
        int metal = -1;
        if (row.metal == "any") metal = 0;
        for (int m = 0; m < 5; ++m)
            if (row.metal == kMetals[m]) metal = m + 1;
        if (metal < 0)
            throw DataError(where + ": metal is platinum, gold, silver, bronze, catastrophic or any");
        h.csr_factor[row.indicator] = static_cast<std::int32_t>(row.factor / 10);
        h.csr_metal[row.indicator] = static_cast<std::uint8_t>(metal);
    }
    if (h.csr_factor[1] == 0) throw DataError(rel + ": CSR indicator 1 (no CSR) is missing");
}

}  // namespace

std::vector<std::byte> compile_image(const ReleaseData& d) {
    const std::string rel = d.model_version + " PY" + std::to_string(d.payment_year);
    Writer w;
    Header& h = w.header;
    Pool pool;

    // --- header scalars
    if (d.model_version.empty() || d.model_version.size() >= sizeof(h.model_version))
        throw DataError("model_version \"" + d.model_version + "\" must have 1 to 15 characters");
    // Trap (found by fuzz_compiler): the header field is NUL-terminated, so an embedded NUL
    // would make the image report a shorter model_version than the data it was compiled from.
    if (d.model_version.find('\0') != std::string::npos)
        throw DataError("model_version must not contain a NUL character");
    std::memcpy(h.magic, kMagic, sizeof kMagic);
    h.format_version = kFormatVersion;
    h.header_size = sizeof(Header);
    std::memcpy(h.model_version, d.model_version.data(), d.model_version.size());
    h.payment_year = d.payment_year;
    if (d.normalization_factor < 0 || d.normalization_factor > kMaxNormalizationFactor ||
        d.ma_coding_adjustment < 0 || d.ma_coding_adjustment >= 1000 || d.blend_weight < 0 ||
        d.blend_weight > 1000)
        throw DataError(rel + ": normalization factor, MA coding adjustment or blend weight out of range");
    h.normalization_factor = d.normalization_factor;
    const std::optional<Family> family_opt = parse_family(d.model_family);
    if (!family_opt)
        throw DataError(rel + ": unknown model family \"" + d.model_family + "\"",
                        "families: CMS-HCC RxHCC ESRD");
    const Family family = *family_opt;
    h.family = static_cast<std::uint8_t>(family);
    const std::string prefix = hcc_prefix(family);
    h.ma_coding_adjustment = d.ma_coding_adjustment;
    h.blend_weight = d.blend_weight;

    // --- payment HCCs: slot = rank of the HCC number
    // Trap: every value is checked BEFORE anything is sized by it (an HCC2147483647 label once
    // sized slot_of at 2 GB before its range check).
    std::vector<LabelRow> labels = d.labels;
    if (labels.empty()) throw DataError(rel + ": no payment HCC labels");
    if (labels.size() > static_cast<std::size_t>(kMaxHccSlots))
        throw DataError(rel + ": " + std::to_string(labels.size()) + " payment HCCs, at most " +
                        std::to_string(kMaxHccSlots) + " are supported");
    for (const auto& l : labels)
        if (l.hcc <= 0 || l.hcc > kMaxHccNumber)
            throw DataError(rel + ": label row for HCC" + std::to_string(l.hcc) + ": HCC numbers are 1 to " +
                            std::to_string(kMaxHccNumber));
    std::sort(labels.begin(), labels.end(),
              [](const LabelRow& a, const LabelRow& b) { return a.hcc < b.hcc; });
    std::vector<HccRecord> hccs;
    std::vector<std::uint8_t> slot_of(static_cast<std::size_t>(labels.back().hcc) + 1, kNoSlot);
    for (const auto& l : labels) {
        if (slot_of[l.hcc] != kNoSlot)
            throw DataError(rel + ": HCC" + std::to_string(l.hcc) + " has two labels");
        slot_of[l.hcc] = static_cast<std::uint8_t>(hccs.size());
        hccs.push_back({static_cast<std::uint16_t>(l.hcc), 0, pool.add(l.label)});
    }
    auto slot = [&](int hcc) -> int {
        return (hcc > 0 && static_cast<std::size_t>(hcc) < slot_of.size() && slot_of[hcc] != kNoSlot)
                   ? slot_of[hcc]
                   : -1;
    };
    auto need_slot = [&](int hcc, const std::string& where) {
        int s = slot(hcc);
        if (s < 0)
            throw DataError(where + ": " + hcc_name(family, hcc) + " is not a payment HCC of " + rel,
                            "every HCC named here must have a label (labels.csv, table hccraf.hcc_label)");
        return s;
    };
    h.hcc_slot_count = static_cast<std::uint16_t>(hccs.size());

    // --- codes: crosswalk and edits share one sorted key table. Both are sorted once and merged
    // (O(n log n) whatever the row order; no per-code map or container: the key table, the code
    // infos and the edit records come out of one merge walk).
    struct CrosswalkEntry {
        IcdKey key;
        std::uint8_t slot;
        int cc;
    };
    std::vector<CrosswalkEntry> crosswalk;
    crosswalk.reserve(d.crosswalk.size());
    for (std::size_t i = 0; i < d.crosswalk.size(); ++i) {
        interrupts::poll_every(i);
        const CrosswalkRow& row = d.crosswalk[i];
        std::string where = "crosswalk row " + row.icd10_code + "," + std::to_string(row.cc);
        IcdKey key = data_code_key(row.icd10_code, where);
        int s = slot(row.cc);
        if (s < 0) continue;  // SAS FIND_IND only knows payment CCs: others are ignored (§9)
        crosswalk.push_back({key, static_cast<std::uint8_t>(s), row.cc});
    }
    std::stable_sort(crosswalk.begin(), crosswalk.end(),
                     [](const CrosswalkEntry& a, const CrosswalkEntry& b) {
                         return a.key != b.key ? a.key < b.key : a.slot < b.slot;
                     });
    crosswalk.erase(std::unique(crosswalk.begin(), crosswalk.end(),
                                [](const CrosswalkEntry& a, const CrosswalkEntry& b) {
                                    return a.key == b.key && a.slot == b.slot;
                                }),
                    crosswalk.end());
    std::vector<EditRecord> edits;
    edits.reserve(d.edits.size());
    if (family == Family::Hhs) {
        // An HHS-HCC code may map to three CCs without a condition (a CodeInfo holds two): the
        // third becomes a split record that always holds.
        std::vector<CrosswalkEntry> kept;
        for (std::size_t i = 0; i < crosswalk.size(); ++i) {
            if (i >= 2 && crosswalk[i - 2].key == crosswalk[i].key) {
                EditRecord r{};
                r.key = crosswalk[i].key;
                r.kind = kSplit;
                r.age_min = r.age_max = -1;
                r.action = kSetCc;
                r.slot = crosswalk[i].slot;
                r.cc = static_cast<std::uint32_t>(crosswalk[i].cc);
                edits.push_back(r);
            } else {
                kept.push_back(crosswalk[i]);
            }
        }
        // Trap: the test above reads crosswalk, not kept, so a fourth CC spills as well.
        crosswalk.swap(kept);
    }
    for (std::size_t i = 0; i < d.edits.size(); ++i) {
        interrupts::poll_every(i);
        const EditRow& e = d.edits[i];
        std::string where =
            "edit row " + std::to_string(e.edit_order) + "," + e.edit_kind + "," + e.icd10_code;
        EditRecord r{};
        r.key = data_code_key(e.icd10_code, where);
        r.edit_order = e.edit_order;
        if (e.edit_kind == "mandatory") {
            r.kind = kMandatory;
            if (e.edit_order <= 0) throw DataError(where + ": a mandatory edit needs edit_order >= 1");
        } else if (e.edit_kind == "mce_age") {
            r.kind = kMceAge;
        } else if (e.edit_kind == "cc_split" && family == Family::Hhs) {
            // HHS-HCC conditional crosswalk row (hhs_hcc_v08_rules.md §4): sets its CC when the age
            // and sex condition holds.
            r.kind = kSplit;
            if (e.drop) throw DataError(where + ": a cc_split row names the CC it sets");
        } else {
            throw DataError(where + ": edit_kind must be mandatory or mce_age" +
                            std::string(family == Family::Hhs ? " or cc_split" : ""));
        }
        if (e.sex != 0 && e.sex != 'M' && e.sex != 'F')
            throw DataError(where + ": sex must be M, F or empty");
        r.sex = static_cast<std::uint8_t>(e.sex);
        if (e.age_min < -1 || e.age_max < -1 || e.age_min > 200 || e.age_max > 200 ||
            (e.age_min >= 0 && e.age_max >= 0 && e.age_min > e.age_max))
            throw DataError(where + ": invalid age range");
        r.age_min = static_cast<std::int16_t>(e.age_min);
        r.age_max = static_cast<std::int16_t>(e.age_max);
        r.action = e.drop ? kDrop : kSetCc;
        r.slot = kNoSlot;
        if (!e.drop) {
            r.slot = static_cast<std::uint8_t>(need_slot(e.cc, where));
            r.cc = static_cast<std::uint32_t>(e.cc);
        }
        edits.push_back(r);
    }
    std::stable_sort(edits.begin(), edits.end(), edit_before);
    std::vector<IcdKey> keys;
    std::vector<CodeInfo> infos;
    std::size_t x = 0, e = 0;  // positions in crosswalk and edits
    while (x < crosswalk.size() || e < edits.size()) {
        const IcdKey key = (e == edits.size() || (x < crosswalk.size() && crosswalk[x].key < edits[e].key))
                               ? crosswalk[x].key
                               : edits[e].key;
        Slots slots;
        for (; x < crosswalk.size() && crosswalk[x].key == key; ++x)
            add_slot(slots, crosswalk[x].slot, key, crosswalk[x].cc);
        const std::size_t first_edit = e;
        for (; e < edits.size() && edits[e].key == key; ++e)
            if (e > first_edit && edits[e].kind == kMandatory && edits[e - 1].kind == kMandatory &&
                edits[e].edit_order == edits[e - 1].edit_order)
                throw DataError("edit rows: code " + format_icd(key) + " is listed twice in mandatory edit " +
                                std::to_string(edits[e].edit_order));
        if (e - first_edit > 255) throw DataError("edit rows: too many edits for " + format_icd(key));
        keys.push_back(key);
        infos.push_back({{slots.slot[0], slots.slot[1]},
                         static_cast<std::uint8_t>(e - first_edit),
                         0,
                         static_cast<std::uint32_t>(first_edit)});
    }
    std::uint32_t table_size = 16;
    while (table_size < 2 * keys.size()) table_size *= 2;
    std::vector<std::uint32_t> code_hash_table(table_size, 0);
    for (std::uint32_t i = 0; i < keys.size(); ++i) {
        std::uint32_t h = code_hash(keys[i], table_size - 1);
        while (code_hash_table[h] != 0) h = (h + 1) & (table_size - 1);
        code_hash_table[h] = i + 1;
    }

    // --- hierarchy: one rule per rule_order, applied in that order (§11)
    // A flat map (one sorted array, Boost.Container) instead of a node-based std::map: at most
    // 254 rules (checked on insertion, so no row order can make the insertions quadratic),
    // walked once in rule order.
    boost::container::flat_map<int, RuleRecord> rule_map;
    for (const auto& row : d.hierarchy) {
        std::string where = "hierarchy row " + std::to_string(row.rule_order) + "," +
                            std::to_string(row.superior_hcc) + "," + std::to_string(row.subordinate_hcc);
        int ps = need_slot(row.superior_hcc, where), cs = need_slot(row.subordinate_hcc, where);
        if (ps == cs) throw DataError(where + ": an HCC cannot be its own subordinate");
        auto [it, fresh] = rule_map.try_emplace(row.rule_order);
        if (rule_map.size() >= kNoSlot) throw DataError(rel + ": too many hierarchy rules");
        RuleRecord& r = it->second;
        if (fresh) {
            r.rule_order = row.rule_order;
            r.parent_slot = static_cast<std::uint8_t>(ps);
        } else if (r.parent_slot != ps) {
            throw DataError(where + ": rule " + std::to_string(row.rule_order) + " has two superior HCCs");
        }
        r.children.set(cs);
    }
    std::vector<RuleRecord> rules;
    for (auto& [order, r] : rule_map) {
        if (h.rule_parents.test(r.parent_slot))
            throw DataError(rel + ": HCC" + std::to_string(hccs[r.parent_slot].number) +
                            " is the superior of two hierarchy rules");
        h.rule_parents.set(r.parent_slot);
        rules.push_back(r);
    }
    if (rules.size() >= kNoSlot) throw DataError(rel + ": too many hierarchy rules");
    std::vector<std::uint8_t> rule_of_slot(hccs.size(), kNoSlot);
    bool ascending = true;
    for (std::size_t i = 0; i < rules.size(); ++i) {
        rule_of_slot[rules[i].parent_slot] = static_cast<std::uint8_t>(i);
        if (i > 0 && rules[i].parent_slot <= rules[i - 1].parent_slot) ascending = false;
    }
    if (ascending) h.flags |= kFlagRulesAscending;

    // --- V28 CC223 patch (v28_rules.md §10, M28 448-450). A rule of the V28 model, not data:
    // CC223 is dropped before the hierarchy unless CC221, 222, 224, 225 or 226 is present.
    if (family == Family::CmsHcc && d.model_version.rfind("V28", 0) == 0 && slot(223) >= 0) {
        h.flags |= kFlagCc223Patch;
        h.cc223_slot = static_cast<std::uint8_t>(slot(223));
        for (int keep : {221, 222, 224, 225, 226})
            if (slot(keep) >= 0) h.cc223_keep.set(slot(keep));
    }

    // --- ESRD renal CCs (esrd_v24_rules.md §6, E24 538-548). A rule of the ESRD family: CC134-138
    // are set to 0 before the hierarchy (their factors are 0 everywhere, but they would show).
    if (family == Family::Esrd) {
        for (int renal = 134; renal <= 138; ++renal)
            if (slot(renal) >= 0) h.zero_before_hierarchy.set(slot(renal));
        if (!h.zero_before_hierarchy.empty()) h.flags |= kFlagZeroBeforeHierarchy;
    }

    // --- interactions: name -> terms (term -> members)
    // Flat maps again: at most 32 interactions and 65,535 terms (checked on insertion).
    boost::container::flat_map<std::string, boost::container::flat_map<std::string, TermRecord>> inter_map;
    std::size_t term_count = 0;
    for (const auto& row : d.interactions) {
        std::string where = "interaction row " + row.interaction + "," + row.term + "," +
                            (row.member_hcc ? std::to_string(row.member_hcc) : std::string());
        if (row.interaction.empty() || row.term.empty()) throw DataError(where + ": empty name");
        auto& tmap = inter_map[row.interaction];
        if (inter_map.size() > static_cast<std::size_t>(kMaxInteractions))
            throw DataError(rel + ": more than " + std::to_string(kMaxInteractions) + " interactions");
        auto [tit, new_term] = tmap.try_emplace(row.term);
        if (new_term && ++term_count > std::numeric_limits<std::uint16_t>::max())
            throw DataError(rel + ": too many interaction terms");
        TermRecord& t = tit->second;
        if (row.term == "DISABL" || row.term == "NONAGED") {
            if (row.member_hcc != 0) throw DataError(where + ": the " + row.term + " term has no member HCC");
            t.flags = row.term == "DISABL" ? kTermDisabl : kTermNonAged;
        } else {
            t.members.set(need_slot(row.member_hcc, where));
        }
    }
    if (inter_map.size() > static_cast<std::size_t>(kMaxInteractions))
        throw DataError(rel + ": " + std::to_string(inter_map.size()) + " interactions, at most " +
                        std::to_string(kMaxInteractions) + " are supported");
    std::vector<InteractionRecord> inters;
    std::vector<TermRecord> terms;
    boost::container::flat_map<std::string, int, std::less<>> inter_id;
    for (auto& [name, tmap] : inter_map) {
        inter_id[name] = static_cast<int>(inters.size());
        inters.push_back({pool.add(name), static_cast<std::uint16_t>(terms.size()),
                          static_cast<std::uint16_t>(tmap.size())});
        for (auto& [tname, t] : tmap) {
            t.name = pool.add(tname);
            terms.push_back(t);
        }
    }
    if (terms.size() > std::numeric_limits<std::uint16_t>::max())
        throw DataError(rel + ": too many interaction terms (" + std::to_string(terms.size()) + ")");
    h.interaction_count = static_cast<std::uint16_t>(inters.size());

    // --- factors: a variable is in a segment's list iff it has a row (data/FORMAT.md)
    const SegmentRange range = family_segments(family);
    std::vector<SegmentRecord> segs(static_cast<std::size_t>(range.count));
    for (auto& s : segs) s = SegmentRecord{};
    std::string alt_basis;
    for (const auto& f : d.factors) {
        std::string where = "factor row " + f.segment + "," + f.variable + "," + f.kind;
        auto seg = parse_segment(family, f.segment);
        if (!seg) {
            std::string names;
            for (int i = range.first; i < range.first + range.count; ++i)
                names += std::string(names.empty() ? "" : " ") + segment_name(static_cast<Segment>(i));
            throw DataError(where + ": not a segment of the " + family_name(family) + " model",
                            "segments: " + names);
        }
        SegmentRecord& s = segs[static_cast<std::size_t>(static_cast<int>(*seg) - range.first)];
        // Factors may be negative (ESRD DIAL Originally_ESRD_Female is -0.024).
        if (f.coefficient < std::numeric_limits<std::int32_t>::min() ||
            f.coefficient > std::numeric_limits<std::int32_t>::max())
            throw DataError(where + ": coefficient out of range");
        auto coef = static_cast<std::int32_t>(f.coefficient);
        auto dup = [&]() { throw DataError(where + ": listed twice"); };
        if (f.kind == "hcc" || f.kind == "interaction" || f.kind == "count") {
            // Diagnoses never enter the NE / SNPNE / transplant-month scores (v28_rules.md §15).
            if (!segment_uses_diagnoses(*seg))
                throw DataError(where +
                                ": this segment's score does not use diagnoses; it has only "
                                "person-level factors");
        }
        if (f.kind == "hcc" || (family == Family::Hhs && (f.kind == "group" || f.kind == "rxc"))) {
            // HHS-HCC groups and RXCs are slots like its HCCs (model_family.hpp).
            int n =
                family == Family::Hhs ? parse_hcc_code(family, f.variable) : hcc_variable(f.variable, prefix);
            const bool kind_ok =
                family != Family::Hhs || (f.kind == "group" ? hhs_is_group(n)
                                          : f.kind == "rxc" ? hhs_is_rxc(n)
                                                            : n > 0 && !hhs_is_group(n) && !hhs_is_rxc(n));
            if (n == 0 || !kind_ok)
                throw DataError(where + ": not " + (f.kind == "hcc" ? "an HCC" : "a " + f.kind) +
                                " variable (" + prefix + "n)");
            int hs = need_slot(n, where);
            if (s.hcc_present.test(hs)) dup();
            s.hcc_present.set(hs);
            s.hcc_factor[hs] = coef;
        } else if (f.kind == "interaction") {
            auto it = inter_id.find(f.variable);
            if (it == inter_id.end())
                throw DataError(
                    where +
                    ": interaction not defined (interactions.csv, table hccraf.hcc_interaction_member)");
            std::uint32_t bit = 1u << it->second;
            if (s.interaction_present & bit) dup();
            s.interaction_present |= bit;
            s.interaction_factor[it->second] = coef;
        } else if (f.kind == "count" && family != Family::Hhs) {
            int k = count_index(f.variable);
            if (k == 0) throw DataError(where + ": count variables are D1..D9 and D10P");
            if (s.count_present & (1u << k)) dup();
            s.count_present |= 1u << k;
            s.count_factor[k] = coef;
        } else if (f.kind == "demographic" || f.kind == "new_enrollee" || f.kind == "graft" ||
                   (family == Family::Hhs &&
                    (f.kind == "count" || f.kind == "duration" || f.kind == "acf" || f.kind == "maturity"))) {
            int id = demo::id(family, f.variable);
            if (id < 0)
                throw DataError(where + ": not a person-level variable of the " +
                                std::string(family_name(family)) + " model");
            const demo::Kind want = f.kind == "graft"          ? demo::Kind::Graft
                                    : f.kind == "new_enrollee" ? demo::Kind::NewEnrollee
                                    : f.kind == "count"        ? demo::Kind::Count
                                    : f.kind == "duration"     ? demo::Kind::Duration
                                    : f.kind == "acf"          ? demo::Kind::Acf
                                    : f.kind == "maturity"     ? demo::Kind::Maturity
                                                               : demo::Kind::Demographic;
            if (demo::kind(id) != want) throw DataError(where + ": kind does not match the variable");
            std::uint64_t bit = std::uint64_t{1} << (id % 64);
            if (s.demographic_present[id / 64] & bit) dup();
            s.demographic_present[id / 64] |= bit;
            s.demographic_factor[id] = coef;
        } else if (f.kind == "divisor") {
            // ESRD GRAFT_NE actuarial adjustment by graft duration (esrd_v24_rules.md §9).
            int k = f.variable == "ActAdj_DUR4_9" ? 0 : f.variable == "ActAdj_DUR10PL" ? 1 : -1;
            if (k < 0) throw DataError(where + ": divisors are ActAdj_DUR4_9 and ActAdj_DUR10PL");
            if (coef <= 0) throw DataError(where + ": a divisor must be positive");
            if (s.divisor[k]) dup();
            s.divisor[k] = coef;
        } else if (f.kind == "normalization") {
            // NF: this segment's normalization factor (ESRD graft 1.104); NF_<BASIS>: the factor of
            // an alternative basis (RxHCC NF_PDP 0.887), one basis per release.
            if (coef <= 0 || coef > kMaxNormalizationFactor)
                throw DataError(where + ": normalization factor out of range");
            if (f.variable == "NF") {
                if (s.normalization[0]) dup();
                s.normalization[0] = coef;
            } else if (f.variable.rfind("NF_", 0) == 0 && f.variable.size() > 3 &&
                       f.variable.size() < 3 + sizeof(h.alt_basis)) {
                std::string basis = f.variable.substr(3);
                if (!alt_basis.empty() && basis != alt_basis)
                    throw DataError(where + ": a release has one alternative normalization basis (" +
                                    alt_basis + ")");
                alt_basis = basis;
                if (s.normalization[1]) dup();
                s.normalization[1] = coef;
            } else {
                throw DataError(where +
                                ": normalization variables are NF and NF_<basis> (up to 7 characters)");
            }
        } else {
            throw DataError(
                where + ": unknown kind",
                "kinds: demographic new_enrollee graft hcc interaction count divisor normalization; HHS-HCC "
                "also group rxc duration acf maturity");
        }
    }
    if (alt_basis.find('\0') != std::string::npos) throw DataError(rel + ": NUL in a basis name");

    // --- HHS-HCC: member sets, drug codes, CSR factors, the slots HCC_CNT leaves out
    std::vector<SetRecord> sets;
    std::vector<DrugRecord> drugs;
    if (family == Family::Hhs) {
        compile_hhs_sets(d, need_slot, sets);
        compile_hhs_drugs(d, rel, need_slot, drugs);
        compile_hhs_csr(d, rel, h);
        // HCC_CNT counts HCCs and groups, not RXCs and not the type-1 add-on HHS_HCC022 (§5.6).
        for (int s = 0; s < static_cast<int>(hccs.size()); ++s) {
            if (hhs_is_rxc(hccs[s].number) || hccs[s].number == 22) h.not_counted.set(s);
            if (hhs_is_rxc(hccs[s].number)) h.rxc_slots.set(s);
            if (hhs_is_group(hccs[s].number)) h.group_slots.set(s);
        }
    } else if (!d.sets.empty() || !d.drugs.empty() || !d.csr.empty()) {
        throw DataError(rel + ": member sets, drug codes and CSR factors belong to the HHS-HCC family");
    }
    std::memcpy(h.alt_basis, alt_basis.data(), alt_basis.size());

    // --- write
    w.put(kSecHccs, hccs);
    w.put(kSecHccIndex, slot_of);
    w.put(kSecCodeKeys, keys);
    w.put(kSecCodeInfo, infos);
    if (keys.size() < std::numeric_limits<std::uint16_t>::max()) {
        const std::vector<std::uint16_t> narrow(code_hash_table.begin(), code_hash_table.end());
        w.put(kSecCodeHash, narrow);
    } else {
        h.flags |= kFlagWideCodeHash;
        w.put(kSecCodeHash, code_hash_table);
    }
    w.put(kSecEdits, edits);
    w.put(kSecRules, rules);
    w.put(kSecInteractions, inters);
    w.put(kSecTerms, terms);
    w.put(kSecSegments, segs);
    w.put(kSecRuleOfSlot, rule_of_slot);
    w.put(kSecSets, sets);
    w.put(kSecDrugs, drugs);
    w.put(kSecStrings, pool.bytes.data(), pool.bytes.size());
    w.out.resize((w.out.size() + 7) & ~std::size_t{7});
    if (w.out.size() > std::numeric_limits<std::uint32_t>::max()) throw DataError(rel + ": image too large");
    h.total_size = w.out.size();
    std::memcpy(w.out.data(), &h, sizeof h);
    return std::move(w.out);
}

}  // namespace hccraf
