// The byte format read by fuzz_compiler.cpp: a ReleaseData (release_data.hpp) as a header and a
// sequence of rows, built so that small mutations make the values compile_image must reject:
// huge, negative and duplicate HCC numbers, unknown segments/kinds/variables, codes not in the
// CMS spelling, out-of-range coefficients and ages. encode_release() writes a whole ReleaseData
// (seeds: make_fuzz_seeds.cpp) using only the "raw" forms, which can represent any value.
//
//   model_version : string picker          payment_year : i32
//   nf, ma, blend : milli picker           then rows until the input ends, u8 type; below 0xF0
//                                          (kExtTag) type % 6:
//   0 label       : int hcc, str label (length byte + bytes)
//   1 crosswalk   : code, int cc
//   2 hierarchy   : int rule_order, int superior, int subordinate
//   3 interaction : name, term, int member
//   4 factor      : segment, variable, kind, milli coefficient
//   5 edit        : int order, edit kind, code, u8 sex, int age_min, int age_max, u8 drop, int cc
// type >= 0xF0: (type - 0xF0) % 4:
//   0 family      : string picker (CMS-HCC RxHCC ESRD HHS-HCC ...); a known family switches the
//                   pickers below to its names from then on (segments, kinds, variables, edit
//                   kinds, HHS-HCC numbers)
//   1 set         : HHS-HCC member set: set name, int member
//   2 drug        : HHS-HCC drug code: code system, code, variable (RXC_nn, ACF_PrEP, ...)
//   3 csr         : HHS-HCC CSR factor: int indicator, metal, milli factor
// (Inputs written before the families only have types below 0xF0 in practice: they keep their
// meaning, CMS-HCC.)
// int picker    : u8 tag % 4: 0 = a label HCC seen so far (u8 index), 1 = u8, 2 = raw i32,
//                 3 = an extreme value (u8 index into kExtremeInts; HHS-HCC: kHhsInts, the
//                 numbers of HHS_HCCnnn, HHS_HCCnnn_k, groups and RXCs around their bounds)
// milli picker  : u8 tag % 4: 0 = u16, 1 = raw i64, 2 = extreme (u8 index), 3 = u8
// string picker : u8 tag: 0xC0.. = raw (length byte + bytes); below, from a pool (variables:
//                 0x40.. the family's name of a label seen so far ("HCC19", "RXHCC31", "G01",
//                 "RXC_06"), 0x80.. a person-level variable name of the family; sets and drug
//                 variables: 0x40.. the HHS-HCC name of a label)
#pragma once
#include <climits>
#include <cstdint>
#include <string>
#include <vector>

#include "demographics.hpp"
#include "fuzz_bytes.hpp"
#include "model_family.hpp"
#include "model_image.hpp"
#include "release_data.hpp"

namespace hccraf::fuzz {

inline constexpr std::int32_t kExtremeInts[] = {INT_MIN, INT_MIN + 1, -2,    -1,    0,      1,   2,
                                                127,     128,         200,   201,   255,    256, 9999,
                                                10000,   32767,       65535, 65536, INT_MAX};
inline constexpr std::int64_t kExtremeMilli[] = {INT64_MIN,
                                                 -1000,
                                                 -1,
                                                 0,
                                                 1,
                                                 999,
                                                 1000,
                                                 1001,
                                                 INT32_MAX,
                                                 std::int64_t{INT32_MAX} + 1,
                                                 1'000'000'000'000,
                                                 1'000'000'000'000'000,
                                                 INT64_MAX};
inline constexpr std::int32_t kHhsInts[] = {INT_MIN, -1,   0,    1,    2,    3,    4,    5,    6,    11,   12,
                                            19,      21,   22,   28,   34,   64,   137,  242,  249,  1035, 2035,
                                            1037,    2037, 1161, 2161, 3035, 5000, 5010, 5012, 5022, 5024, 5240,
                                            5999,    6000, 6001, 6006, 6007, 6010, 6099, 6100, 9999, 10000, INT_MAX};
inline constexpr std::uint8_t kRawTag = 0xC0;
inline constexpr std::uint8_t kExtTag = 0xF0;

inline const std::vector<std::string>& code_pool() {
    static const std::vector<std::string> pool = {
        "E119",  "E1122", "I5022",  "N1830",    "C50911", "D66",  "J449",    "Z944", "K7211",
        "R4020", "I10",   "Z95811", "C9330",    "P040",   "Q909", "E66",     "e119", "E11.9",
        "",      "1234",  "E1",     "E1234567", " E119",  "QA0",  "ZZZZZZZ", "A00"};
    return pool;
}
inline const std::vector<std::string>& model_pool() {
    static const std::vector<std::string> pool = {"V28", "V24", "V28X", "", "V280123456789ABC", "V2", "v28"};
    return pool;
}
inline const std::vector<std::string>& segment_pool() {
    static const std::vector<std::string> pool = {"CNA", "CND", "CFA",   "CFD", "CPA", "CPD",
                                                  "INS", "NE",  "SNPNE", "cna", "",    "XYZ"};
    return pool;
}
inline const std::vector<std::string>& kind_pool() {
    static const std::vector<std::string> pool = {"demographic", "new_enrollee", "hcc", "interaction",
                                                  "count",       "HCC",          ""};
    return pool;
}
inline const std::vector<std::string>& edit_kind_pool() {
    static const std::vector<std::string> pool = {"mandatory", "mce_age", "", "MANDATORY"};
    return pool;
}
inline const std::vector<std::string>& interaction_pool() {
    static const std::vector<std::string> pool = {"DIABETES_HF", "HF_LUNG", "DISABLED_CANCER", "X", ""};
    return pool;
}
inline const std::vector<std::string>& term_pool() {
    static const std::vector<std::string> pool = {"DISABL", "HF", "DIABETES", "LUNG", "CANCER", ""};
    return pool;
}
inline const std::vector<std::string>& variable_pool() {
    static const std::vector<std::string> pool = {"D1",
                                                  "D9",
                                                  "D10P",
                                                  "D0",
                                                  "D11",
                                                  "HCC",
                                                  "HCC0",
                                                  "HCC01",
                                                  "HCC99999",
                                                  "HCC2147483647",
                                                  "LTIMCAID",
                                                  "ORIGDS",
                                                  "OriginallyDisabled_Female",
                                                  "M65_69",
                                                  "F0_34",
                                                  "NMCAID_NORIGDIS_NEF65",
                                                  "DIABETES_HF",
                                                  "HF_LUNG",
                                                  "DISABLED_CANCER",
                                                  ""};
    return pool;
}

inline const std::vector<std::string>& family_pool() {
    static const std::vector<std::string> pool = {"CMS-HCC", "RxHCC", "ESRD", "HHS-HCC", "hhs-hcc", "", "HHS"};
    return pool;
}
inline const std::vector<std::string>& hhs_kind_pool() {
    static const std::vector<std::string> pool = {"demographic", "hcc",  "group",       "rxc",  "interaction",
                                                  "count",       "duration", "acf",     "maturity", "new_enrollee",
                                                  "graft",       "divisor",  "normalization", "HCC", ""};
    return pool;
}
inline const std::vector<std::string>& hhs_edit_kind_pool() {
    static const std::vector<std::string> pool = {"mce_age", "cc_split", "mandatory", "", "CC_SPLIT"};
    return pool;
}
inline const std::vector<std::string>& hhs_variable_pool() {
    static const std::vector<std::string> pool = {
        "HHS_HCC019", "HHS_HCC022", "HHS_HCC035_1", "HHS_HCC035_3", "HHS_HCC35", "HHS_HCC000", "G01",
        "G02B",       "G02J",       "G00",          "G1",           "RXC_06",   "RXC_00",     "RXC_6",
        "RXC_100",    "HCC19",      "ACF_PrEP",     "HCC_ED7",      "SEVERE_HCC_COUNT0",    "AGE0_MALE",
        "RXC_01_X_HCC001", ""};
    return pool;
}
inline const std::vector<std::string>& set_pool() {
    static const std::vector<std::string> pool = {
        "G01",       "G02B",           "G24",           "SEVERE_ADULT",       "SEVERE_CHILD",
        "TRANSPLANT_ADULT", "TRANSPLANT_CHILD", "EXCLUDED_ADULT", "EXCLUDED_CHILD", "EXCLUDED_INFANT",
        "SEVERITY1", "SEVERITY3",      "SEVERITY5",     "SEVERITY6",          "EXTREMELY_IMMATURE",
        "IMMATURE",  "PREMATURE_MULTIPLES", "TERM",     "RXC_06",             "HHS_HCC019",
        "severe_adult", ""};
    return pool;
}
inline const std::vector<std::string>& drug_system_pool() {
    static const std::vector<std::string> pool = {"ndc", "hcpcs", "NDC", "", "icd"};
    return pool;
}
inline const std::vector<std::string>& drug_code_pool() {
    static const std::vector<std::string> pool = {
        "00002021301", "00002115201", "00002144201", "00247210401", "00117A52902", "00000000000", "ZZZZZZZZZZZ",
        "J0738",       "C9482",       "j0738",       "00000",       "ZZZZZ",       " 00002021301", "0002021301",
        "00002-0213-01", "000020213011", "J073",     "",            "J07 8"};
    return pool;
}
inline const std::vector<std::string>& drug_variable_pool() {
    static const std::vector<std::string> pool = {"RXC_01", "RXC_06", "RXC_07", "RXC_10", "ACF_PrEP",
                                                  "ACF_PrEP_Child", "RXC_00", "RXC_11", "acf_prep", "G01",
                                                  "HHS_HCC001", ""};
    return pool;
}
inline const std::vector<std::string>& metal_pool() {
    static const std::vector<std::string> pool = {"any",  "platinum", "gold", "silver", "bronze",
                                                  "catastrophic", "Silver", "", "none"};
    return pool;
}

class ReleaseDecoder {
public:
    explicit ReleaseDecoder(ByteReader& in) : in_(in) {}

    ReleaseData decode() {
        ReleaseData d;
        d.model_version = pick(model_pool());
        d.payment_year = in_.i32();
        d.normalization_factor = milli();
        d.ma_coding_adjustment = milli();
        d.blend_weight = milli();
        while (!in_.empty()) {
            const std::uint8_t type = in_.u8();
            if (type >= kExtTag) {
                extension(d, type);
                continue;
            }
            switch (type % 6) {
                case 0: {
                    int hcc = integer();
                    d.labels.push_back({hcc, in_.str()});
                    labels_.push_back(hcc);
                    break;
                }
                case 1: {
                    std::string code = pick(code_pool());
                    d.crosswalk.push_back({code, integer()});
                    break;
                }
                case 2: {
                    int order = integer(), sup = integer();
                    d.hierarchy.push_back({order, sup, integer()});
                    break;
                }
                case 3: {
                    std::string name = pick(interaction_pool()), term = pick(term_pool());
                    d.interactions.push_back({name, term, integer()});
                    break;
                }
                case 4: {
                    std::string seg = segment(), var = variable(),
                                kind = pick(family_ == Family::CmsHcc ? kind_pool() : hhs_kind_pool());
                    d.factors.push_back({seg, var, kind, milli()});
                    break;
                }
                case 5: {
                    EditRow e;
                    e.edit_order = integer();
                    e.edit_kind = pick(family_ == Family::Hhs ? hhs_edit_kind_pool() : edit_kind_pool());
                    e.icd10_code = pick(code_pool());
                    const std::uint8_t sex = in_.u8();
                    e.sex = sex % 4 == 0   ? 0
                            : sex % 4 == 1 ? 'M'
                            : sex % 4 == 2 ? 'F'
                                           : static_cast<char>(sex);
                    e.age_min = integer();
                    e.age_max = integer();
                    e.drop = in_.bit();
                    e.cc = integer();
                    d.edits.push_back(std::move(e));
                    break;
                }
            }
        }
        return d;
    }

private:
    void extension(ReleaseData& d, std::uint8_t type) {
        switch ((type - kExtTag) % 4) {
            case 0:
                d.model_family = pick(family_pool());
                if (auto f = parse_family(d.model_family)) family_ = *f;
                break;
            case 1: {
                std::string set = name_or(set_pool());
                d.sets.push_back({set, integer()});
                break;
            }
            case 2: {
                std::string system = pick(drug_system_pool()), code = pick(drug_code_pool());
                d.drugs.push_back({system, code, name_or(drug_variable_pool())});
                break;
            }
            default: {
                const int indicator = integer();
                std::string metal = pick(metal_pool());
                d.csr.push_back({indicator, metal, milli()});
                break;
            }
        }
    }
    // A pool entry, or (0x40..0x7F) the HHS-HCC name of a label seen so far.
    std::string name_or(const std::vector<std::string>& pool) {
        const std::uint8_t tag = in_.u8();
        if (tag >= kRawTag) return in_.str(40);
        if (tag >= 0x40 && tag < 0x80 && !labels_.empty()) return hcc_name(Family::Hhs, labels_[tag % labels_.size()]);
        return pool[tag % pool.size()];
    }
    std::string segment() {
        if (family_ == Family::CmsHcc) return pick(segment_pool());
        const std::uint8_t tag = in_.u8();
        if (tag >= kRawTag) return in_.str(40);
        const SegmentRange r = family_segments(family_);
        const int i = tag % (r.count + 3);
        if (i < r.count) return segment_name(static_cast<Segment>(r.first + i));
        return i == r.count ? "CNA" : i == r.count + 1 ? "" : "Adult_Gold ";
    }
    int integer() {
        const std::uint8_t tag = in_.u8();
        switch (tag % 4) {
            case 0: {
                const std::uint8_t i = in_.u8();
                return labels_.empty() ? i : labels_[i % labels_.size()];
            }
            case 1:
                return in_.u8();
            case 2:
                return in_.i32();
            default:
                return family_ == Family::Hhs ? kHhsInts[in_.u8() % std::size(kHhsInts)]
                                              : kExtremeInts[in_.u8() % std::size(kExtremeInts)];
        }
    }
    Milli milli() {
        const std::uint8_t tag = in_.u8();
        switch (tag % 4) {
            case 0:
                return in_.u16();
            case 1:
                return in_.i64();
            case 2:
                return kExtremeMilli[in_.u8() % std::size(kExtremeMilli)];
            default:
                return in_.u8();
        }
    }
    std::string pick(const std::vector<std::string>& pool) {
        const std::uint8_t tag = in_.u8();
        if (tag >= kRawTag) return in_.str(40);
        return pool[tag % pool.size()];
    }
    std::string variable() {
        const std::uint8_t tag = in_.u8();
        if (tag >= kRawTag) return in_.str(40);
        if (family_ != Family::CmsHcc) {
            // The family's person-level names (HHS-HCC: ids 273..351; others: 0..272) and its
            // spelling of the labels seen so far.
            if (tag >= 0x80)
                return family_ == Family::Hhs ? demo::name(family_, demo::kHhsAdultCell + (tag - 0x80) % 79)
                                              : demo::name(family_, (tag - 0x80) * 5 % 273);
            if (tag >= 0x40 && !labels_.empty()) return hcc_name(family_, labels_[tag % labels_.size()]);
            if (family_ == Family::Hhs) return hhs_variable_pool()[tag % hhs_variable_pool().size()];
        }
        if (tag >= 0x80) return demo::name((tag - 0x80) * 3 % 160);  // ids past 155: ""
        if (tag >= 0x40 && !labels_.empty()) return "HCC" + std::to_string(labels_[tag % labels_.size()]);
        return variable_pool()[tag % variable_pool().size()];
    }

    ByteReader& in_;
    std::vector<int> labels_;
    Family family_ = Family::CmsHcc;
};

inline std::vector<std::uint8_t> encode_release(const ReleaseData& d) {
    ByteWriter w;
    auto text = [&](const std::string& s) {
        w.u8(kRawTag);
        w.str(s);
    };
    auto integer = [&](int v) {
        w.u8(2);
        w.i32(v);
    };
    auto milli = [&](Milli v) {
        w.u8(1);
        w.i64(v);
    };
    text(d.model_version);
    w.i32(d.payment_year);
    milli(d.normalization_factor);
    milli(d.ma_coding_adjustment);
    milli(d.blend_weight);
    if (d.model_family != "CMS-HCC") {  // CMS-HCC releases encode as before the families
        w.u8(kExtTag);
        text(d.model_family);
    }
    for (const auto& l : d.labels) {
        w.u8(0);
        integer(l.hcc);
        w.str(l.label);
    }
    for (const auto& c : d.crosswalk) {
        w.u8(1);
        text(c.icd10_code);
        integer(c.cc);
    }
    for (const auto& h : d.hierarchy) {
        w.u8(2);
        integer(h.rule_order);
        integer(h.superior_hcc);
        integer(h.subordinate_hcc);
    }
    for (const auto& i : d.interactions) {
        w.u8(3);
        text(i.interaction);
        text(i.term);
        integer(i.member_hcc);
    }
    for (const auto& f : d.factors) {
        w.u8(4);
        text(f.segment);
        w.u8(kRawTag);
        w.str(f.variable);
        text(f.kind);
        milli(f.coefficient);
    }
    for (const auto& e : d.edits) {
        w.u8(5);
        integer(e.edit_order);
        text(e.edit_kind);
        text(e.icd10_code);
        // The decoder maps sex % 4 to {0, 'M', 'F', raw}: 'M' (77) and 'F' (70) are written as 1, 2.
        w.u8(e.sex == 0 ? 0 : e.sex == 'M' ? 1 : e.sex == 'F' ? 2 : static_cast<std::uint8_t>(e.sex));
        integer(e.age_min);
        integer(e.age_max);
        w.u8(e.drop ? 1 : 0);
        integer(e.cc);
    }
    for (const auto& r : d.sets) {
        w.u8(kExtTag + 1);
        text(r.set);
        integer(r.member);
    }
    for (const auto& r : d.drugs) {
        w.u8(kExtTag + 2);
        text(r.code_system);
        text(r.code);
        text(r.variable);
    }
    for (const auto& r : d.csr) {
        w.u8(kExtTag + 3);
        integer(r.indicator);
        text(r.metal);
        milli(r.factor);
    }
    return w.out;
}

}  // namespace hccraf::fuzz
