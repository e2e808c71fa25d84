// The byte format read by fuzz_compiler.cpp: a ReleaseData (release_data.hpp) as a header and a
// sequence of rows, built so that small mutations make the values compile_image must reject:
// huge, negative and duplicate HCC numbers, unknown segments/kinds/variables, codes not in the
// CMS spelling, out-of-range coefficients and ages. encode_release() writes a whole ReleaseData
// (seeds: make_fuzz_seeds.cpp) using only the "raw" forms, which can represent any value.
//
//   model_version : string picker          payment_year : i32
//   nf, ma, blend : milli picker           then rows until the input ends, u8 type % 6:
//   0 label       : int hcc, str label (length byte + bytes)
//   1 crosswalk   : code, int cc
//   2 hierarchy   : int rule_order, int superior, int subordinate
//   3 interaction : name, term, int member
//   4 factor      : segment, variable, kind, milli coefficient
//   5 edit        : int order, edit kind, code, u8 sex, int age_min, int age_max, u8 drop, int cc
// int picker    : u8 tag % 4: 0 = a label HCC seen so far (u8 index), 1 = u8, 2 = raw i32,
//                 3 = an extreme value (u8 index into kExtremeInts)
// milli picker  : u8 tag % 4: 0 = u16, 1 = raw i64, 2 = extreme (u8 index), 3 = u8
// string picker : u8 tag: 0xC0.. = raw (length byte + bytes); below, from a pool (variables:
//                 0x40.. "HCC<label>", 0x80.. a demographic variable name)
#pragma once
#include <climits>
#include <cstdint>
#include <string>
#include <vector>

#include "demographics.hpp"
#include "fuzz_bytes.hpp"
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
inline constexpr std::uint8_t kRawTag = 0xC0;

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
            switch (in_.u8() % 6) {
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
                    std::string seg = pick(segment_pool()), var = variable(), kind = pick(kind_pool());
                    d.factors.push_back({seg, var, kind, milli()});
                    break;
                }
                case 5: {
                    EditRow e;
                    e.edit_order = integer();
                    e.edit_kind = pick(edit_kind_pool());
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
                return kExtremeInts[in_.u8() % std::size(kExtremeInts)];
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
        if (tag >= 0x80) return demo::name((tag - 0x80) * 3 % 160);  // ids past 155: ""
        if (tag >= 0x40 && !labels_.empty()) return "HCC" + std::to_string(labels_[tag % labels_.size()]);
        return variable_pool()[tag % variable_pool().size()];
    }

    ByteReader& in_;
    std::vector<int> labels_;
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
    return w.out;
}

}  // namespace hccraf::fuzz
