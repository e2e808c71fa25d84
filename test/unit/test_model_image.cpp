// compile_image and the ModelImage view: accessors, validation, pointer-freedom, size.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <memory>

#include "errors.hpp"
#include "icd_code.hpp"
#include "image_layout.hpp"
#include "support.hpp"

using namespace hccraf;
using namespace hccraf::test;

TEST(ModelImage, AccessorsOfASyntheticRelease) {
    OwnedImage img(synthetic_release());
    const ModelImage& m = img.view;
    EXPECT_EQ(m.model_version(), "V28");
    EXPECT_EQ(m.payment_year(), 2099);
    EXPECT_EQ(m.normalization_factor(), 1067);
    EXPECT_EQ(m.ma_coding_adjustment(), 59);
    EXPECT_EQ(m.blend_weight(), 1000);
    EXPECT_EQ(m.byte_size(), img.bytes.size());
    EXPECT_EQ(m.hcc_slot_count(), 19);
    EXPECT_EQ(m.hcc_number(0), 17);  // slots follow ascending HCC numbers
    EXPECT_EQ(m.hcc_slot(17), 0);
    EXPECT_EQ(m.hcc_slot(280), 18);
    EXPECT_EQ(m.hcc_slot(19), -1);
    EXPECT_EQ(m.hcc_slot(100000), -1);
    EXPECT_EQ(m.hcc_label(m.hcc_slot(38)), "Label 38");
    EXPECT_TRUE(m.has_cc223_patch());
    EXPECT_EQ(m.interaction_count(), 3);
    EXPECT_EQ(m.interaction_name(0), "DIABETES_HF");  // image order = name order
    EXPECT_EQ(m.interaction_name(3), "");
}

TEST(ModelImage, MapCodeUsesTheCrosswalkOnly) {
    OwnedImage img(synthetic_release());
    int hccs[2];
    EXPECT_EQ(img.view.map_code(pack_icd("E1152"), hccs), 2);
    EXPECT_EQ(hccs[0], 38);
    EXPECT_EQ(hccs[1], 226);
    EXPECT_EQ(img.view.map_code(pack_icd("D66"), hccs), 1);  // no edit applied here
    EXPECT_EQ(hccs[0], 111);
    EXPECT_EQ(img.view.map_code(pack_icd("I10"), hccs), 0);    // CC999 is not a payment HCC
    EXPECT_EQ(img.view.map_code(pack_icd("C50A0"), hccs), 0);  // only an edit names it
    EXPECT_EQ(img.view.map_code(pack_icd("A000"), hccs), 0);
}

TEST(ModelImage, ShippedReleasesCompileSmall) {
    for (auto [model, py] : {std::pair{"V24", 2024},
                             {"V24", 2025},
                             {"V24", 2026},
                             {"V28", 2024},
                             {"V28", 2025},
                             {"V28", 2026},
                             {"V28", 2027}}) {
        const ModelImage& m = release_image(model, py);
        EXPECT_LT(m.byte_size(), 1u << 20) << model << " " << py;
        EXPECT_EQ(m.has_cc223_patch(), std::string(model) == "V28");
        std::printf("[ image    ] %s PY%d: %zu bytes, %zu codes, %d HCCs, %d interactions\n", model, py,
                    m.byte_size(), m.code_count(), m.hcc_slot_count(), m.interaction_count());
    }
    EXPECT_EQ(release_image("V28", 2026).hcc_slot_count(), 115);
    EXPECT_EQ(release_image("V24", 2026).hcc_slot_count(), 86);
}

// The same bytes copied to another address score identically (no internal pointers).
TEST(ModelImage, BytesAreRelocatable) {
    OwnedImage img(synthetic_release());
    auto copy = std::make_unique<std::uint64_t[]>(img.bytes.size() / 8 + 1);
    std::memcpy(copy.get(), img.bytes.data(), img.bytes.size());
    img.bytes.assign(img.bytes.size(), std::byte{0});  // the original is gone
    ModelImage moved(copy.get(), img.view.byte_size());
    ScoreResult r = score_codes(moved, person(70, Sex::Female), {"E11.9", "I50.22"});
    EXPECT_EQ(hcc_numbers(moved, r.hccs), (std::set<int>{38, 226}));
    // 0.400 + 0.038 + 0.226 + DIABETES_HF 0.007 + D2 0.002
    EXPECT_EQ(r.raw, m("0.673"));
}

TEST(ModelImage, RejectsDamagedBytes) {
    OwnedImage img(synthetic_release());
    auto bytes = img.bytes;
    auto expect_bad = [](std::vector<std::byte> b, std::size_t size) {
        EXPECT_THROW(ModelImage(b.data(), size), DataError);
    };
    expect_bad(bytes, 16);                // truncated header
    expect_bad(bytes, bytes.size() - 8);  // truncated body
    {
        auto b = bytes;
        b[0] = std::byte{'X'};  // magic
        expect_bad(b, b.size());
    }
    {
        auto b = bytes;
        b[8] = std::byte{99};  // format version
        expect_bad(b, b.size());
    }
    {
        // Swap two code keys: the table is no longer sorted.
        auto b = bytes;
        layout::Header h;
        std::memcpy(&h, b.data(), sizeof h);
        auto* keys = reinterpret_cast<IcdKey*>(b.data() + h.sections[layout::kSecCodeKeys].offset);
        std::swap(keys[0], keys[1]);
        expect_bad(b, b.size());
    }
    {
        // A hierarchy rule pointing past the HCC slots.
        auto b = bytes;
        layout::Header h;
        std::memcpy(&h, b.data(), sizeof h);
        auto* rules = reinterpret_cast<layout::RuleRecord*>(b.data() + h.sections[layout::kSecRules].offset);
        rules[0].parent_slot = 120;
        expect_bad(b, b.size());
    }
    // Misaligned start.
    std::vector<std::byte> shifted(bytes.size() + 1);
    std::memcpy(shifted.data() + 1, bytes.data(), bytes.size());
    EXPECT_THROW(ModelImage(shifted.data() + 1, bytes.size()), DataError);
    // A larger buffer is fine: the header's size wins.
    auto bigger = bytes;
    bigger.resize(bytes.size() + 64);
    EXPECT_EQ(ModelImage(bigger.data(), bigger.size()).byte_size(), bytes.size());
}

namespace {
void expect_compile_error(void (*mutate)(ReleaseData&), const char* what) {
    ReleaseData d = synthetic_release();
    mutate(d);
    EXPECT_THROW(compile_image(d), DataError) << what;
}
}  // namespace

TEST(CompileImage, RejectsInconsistentData) {
    expect_compile_error(
        [](ReleaseData& d) {
            d.factors.push_back({"CNA", "HCC19", "hcc", 1});
        },
        "factor for an HCC without label");
    expect_compile_error(
        [](ReleaseData& d) {
            d.hierarchy.push_back({99, 19, 17});
        },
        "hierarchy on an unknown HCC");
    expect_compile_error(
        [](ReleaseData& d) {
            d.hierarchy.push_back({1, 22, 38});
        },
        "one rule with two parents");
    expect_compile_error(
        [](ReleaseData& d) {
            for (int h = 500; h < 690; ++h) d.labels.push_back({h, "x"});
        },
        "more than 192 HCCs");
    expect_compile_error(
        [](ReleaseData& d) {
            d.factors.push_back({"XYZ", "HCC38", "hcc", 1});
        },
        "unknown segment");
    expect_compile_error(
        [](ReleaseData& d) {
            d.factors.push_back({"CNA", "HCC38", "disease", 1});
        },
        "unknown kind");
    expect_compile_error(
        [](ReleaseData& d) {
            d.factors.push_back({"CNA", "HCC38", "hcc", 1});
        },
        "duplicate factor");
    expect_compile_error(
        [](ReleaseData& d) {
            d.factors.push_back({"CNA", "NOPE_V28", "interaction", 1});
        },
        "undefined interaction");
    expect_compile_error(
        [](ReleaseData& d) {
            d.factors.push_back({"NE", "HCC38", "hcc", 1});
        },
        "diagnoses in the NE list");
    expect_compile_error(
        [](ReleaseData& d) {
            d.factors.push_back({"CNA", "F64_65", "demographic", 1});
        },
        "unknown demographic cell");
    expect_compile_error(
        [](ReleaseData& d) {
            d.factors.push_back({"CNA", "D11", "count", 1});
        },
        "unknown count variable");
    expect_compile_error([](ReleaseData& d) { d.crosswalk.push_back({"E11.9", 38}); }, "dotted code");
    expect_compile_error(
        [](ReleaseData& d) {
            d.crosswalk.push_back({"E1152", 17});
        },
        "a code with three CCs");
    expect_compile_error(
        [](ReleaseData& d) {
            d.edits.push_back({7, "mandatory", "E119", 0, 5, -1, false, 19});
        },
        "an edit naming a CC that is not a payment HCC");
    expect_compile_error(
        [](ReleaseData& d) {
            d.edits.push_back({7, "sometimes", "E119", 0, 5, -1, true, 0});
        },
        "unknown edit kind");
    expect_compile_error(
        [](ReleaseData& d) {
            d.edits.push_back({7, "mandatory", "E119", 0, 30, 20, true, 0});
        },
        "empty valid range");
    expect_compile_error(
        [](ReleaseData& d) {
            d.interactions.push_back({"DISABLED_CANCER", "DISABL", 38});
        },
        "DISABL with a member");
    expect_compile_error(
        [](ReleaseData& d) {
            d.interactions.push_back({"X", "Y", 19});
        },
        "interaction member without label");
    expect_compile_error(
        [](ReleaseData& d) {
            for (int i = 0; i < 30; ++i) {
                std::string name(1, 'I');  // not "I" + to_string: GCC 12 -Wrestrict false positive
                name += std::to_string(i);
                d.interactions.push_back({name, "T", 38});
            }
        },
        "more than 32 interactions");
    expect_compile_error(
        [](ReleaseData& d) {
            d.factors.push_back({"CE_LTI", "HCC38", "hcc", 1});
        },
        "a segment of another family");
    expect_compile_error([](ReleaseData& d) { d.model_family = "HHS-HCC"; }, "an unknown model family");
    expect_compile_error(
        [](ReleaseData& d) {
            d.factors.push_back({"CNA", "OD65", "demographic", 1});
        },
        "a person variable spelled as another family spells it");
    expect_compile_error(
        [](ReleaseData& d) {
            d.factors.push_back({"CNA", "ActAdj_DUR4_9", "divisor", 0});
        },
        "a divisor that is not positive");
    expect_compile_error(
        [](ReleaseData& d) {
            d.factors.push_back({"CNA", "NF_PDP", "normalization", 887});
            d.factors.push_back({"CND", "NF_MAPD", "normalization", 900});
        },
        "two alternative normalization bases");
}

// The code hash table is 16-bit up to 65,534 codes (every shipped release) and 32-bit above:
// a release with 70,000 codes (a user's crosswalk of every billable code would have ~75,000)
// compiles, validates and finds every code.
TEST(CompileImage, WideCodeHashTableAboveSixtyFiveThousandCodes) {
    ReleaseData d = synthetic_release();
    const std::size_t before = OwnedImage(d).view.code_count();
    char code[8];
    for (int i = 0; i < 70000; ++i) {
        std::snprintf(code, sizeof code, "Z%06d", i);
        d.crosswalk.push_back({code, 38});
    }
    OwnedImage wide(d);
    EXPECT_EQ(wide.view.code_count(), before + 70000);
    int hccs[2];
    for (int i = 0; i < 70000; i += 997) {
        std::snprintf(code, sizeof code, "Z%06d", i);
        ASSERT_EQ(wide.view.map_code(pack_icd(code), hccs), 1) << code;
        EXPECT_EQ(hccs[0], 38);
    }
    EXPECT_EQ(wide.view.map_code(pack_icd("Z999999"), hccs), 0);
    EXPECT_EQ(wide.view.map_code(pack_icd("E119"), hccs), 1);
    // The 16-bit table of the small release finds its codes too.
    OwnedImage narrow(synthetic_release());
    EXPECT_EQ(narrow.view.map_code(pack_icd("E119"), hccs), 1);
    EXPECT_LT(narrow.view.byte_size(), wide.view.byte_size());
}
