// The six worked examples of ../shared/cms/spec/worked_examples.md, with the numbers computed
// by hand there (factors from C28, PY2026 crosswalk), scored on the shipped V28 PY2026 release.
#include <gtest/gtest.h>

#include "support.hpp"

using namespace hccraf;
using namespace hccraf::test;
using S = std::set<int>;
using N = std::set<std::string>;

namespace {
const ModelImage& v28() { return release_image("V28", 2026); }
}  // namespace

// Example 1: 68-year-old man, CNA; E11.9 N18.30 I50.22.
TEST(WorkedExample, Example1CnaDiabetesCkdHeartFailure) {
    Patient p = person(age_on_feb1(1957, 6, 15, 2026), Sex::Male, '0', Dual::Non);
    ASSERT_EQ(p.age, 68);
    ScoreResult r = score_codes(v28(), p, {"E11.9", "N18.30", "I50.22"});
    EXPECT_EQ(r.segment, Segment::CNA);
    EXPECT_EQ(demographic_names(v28(), r), N{"M65_69"});
    EXPECT_EQ(hcc_numbers(v28(), r.hccs), (S{38, 226, 329}));
    EXPECT_EQ(interaction_names(v28(), r), (N{"DIABETES_HF_V28", "HF_KIDNEY_V28", "D3"}));
    // 0.332 + 0.166 + 0.360 + 0.127 + 0.112 + 0.176 + 0.000
    EXPECT_EQ(r.demographic, m("0.332"));
    EXPECT_EQ(r.disease, m("0.653"));
    EXPECT_EQ(r.interaction, m("0.288"));
    EXPECT_EQ(r.raw, m("1.273"));
    EXPECT_EQ(r.normalized, m("1.193"));  // 1.273 / 1.067 = 1.193065
    EXPECT_EQ(r.payment, m("1.123"));     // 1.193 x 0.941 = 1.122613
}

// Example 2: 45-year-old woman, CFD; breast cancer < 50 -> CC22, female D66 -> CC112,
// C93.30 dropped by the MCE pediatric edit.
TEST(WorkedExample, Example2MandatoryAndMceEdits) {
    Patient p = person(age_on_feb1(1980, 8, 20, 2026), Sex::Female, '1', Dual::Full);
    ASSERT_EQ(p.age, 45);
    ScoreResult r = score_codes(v28(), p, {"C50.911", "D66", "E11.9", "C93.30"});
    EXPECT_EQ(r.segment, Segment::CFD);
    EXPECT_EQ(demographic_names(v28(), r), N{"F45_54"});
    EXPECT_EQ(hcc_numbers(v28(), r.hccs), (S{22, 38, 112}));
    EXPECT_EQ(interaction_names(v28(), r), N{"D3"});
    // 0.384 + 0.409 + 0.235 + 0.634 + 0.000
    EXPECT_EQ(r.raw, m("1.662"));
    EXPECT_EQ(r.normalized, m("1.558"));  // 1.557638
    EXPECT_EQ(r.payment, m("1.466"));     // 1.466078
}

// Example 3: 72-year-old woman, CNA; 62 + 63 + 202 keeps 62 and 202.
TEST(WorkedExample, Example3HierarchyChain62_63_202) {
    Patient p = person(age_on_feb1(1953, 10, 5, 2026), Sex::Female, '0', Dual::Non);
    ASSERT_EQ(p.age, 72);
    ScoreResult r = score_codes(v28(), p, {"Z94.4", "K72.11", "R40.20"});
    EXPECT_EQ(hcc_numbers(v28(), r.hccs), (S{62, 202}));
    EXPECT_EQ(interaction_names(v28(), r), N{"D2"});
    EXPECT_EQ(r.raw, m("1.314"));         // 0.395 + 0.376 + 0.543
    EXPECT_EQ(r.normalized, m("1.231"));  // 1.231490
    EXPECT_EQ(r.payment, m("1.158"));     // 1.158371
    // Contrast: without Z94.4 rule 11 fires and drops 202: 0.395 + 0.962.
    ScoreResult c = score_codes(v28(), p, {"K72.11", "R40.20"});
    EXPECT_EQ(hcc_numbers(v28(), c.hccs), S{63});
    EXPECT_EQ(c.raw, m("1.357"));
}

// Example 4: 66-year-old woman, new enrollee, originally disabled, Medicaid; NE and SNPNE,
// and the age-64 rule.
TEST(WorkedExample, Example4NewEnrollee) {
    Patient p = person(age_on_feb1(1959, 9, 10, 2026), Sex::Female, '1', Dual::Full);
    ASSERT_EQ(p.age, 66);
    p.new_enrollee = true;
    ScoreResult r = score_codes(v28(), p, {"E11.9"});
    EXPECT_EQ(r.segment, Segment::NE);
    EXPECT_EQ(demographic_names(v28(), r), N{"MCAID_ORIGDIS_NEF66"});
    EXPECT_EQ(r.raw, m("1.599"));
    EXPECT_EQ(r.normalized, m("1.499"));  // 1.498594
    EXPECT_EQ(r.payment, m("1.411"));     // 1.410559
    p.snp_new_enrollee = true;
    ScoreResult s = score_codes(v28(), p, {"E11.9"});
    EXPECT_EQ(s.segment, Segment::SNPNE);
    EXPECT_EQ(s.raw, m("2.085"));
    EXPECT_EQ(s.normalized, m("1.954"));  // 1.954077
    EXPECT_EQ(s.payment, m("1.839"));     // 1.838714
    // Age-64 rule: born 1961-06-01, 64 on 1 Feb 2026.
    Patient q = person(age_on_feb1(1961, 6, 1, 2026), Sex::Female, '0', Dual::Non);
    ASSERT_EQ(q.age, 64);
    q.new_enrollee = true;
    EXPECT_EQ(score_codes(v28(), q, {}).raw, m("0.532"));  // NE_NMCAID_NORIGDIS_NEF65
    q.orec = '1';
    EXPECT_EQ(score_codes(v28(), q, {}).raw, m("1.212"));  // NE_NMCAID_NORIGDIS_NEF60_64
}

// Example 5: 60-year-old man, institutional, Medicaid, disabled.
TEST(WorkedExample, Example5Institutional) {
    Patient p = person(age_on_feb1(1965, 3, 15, 2026), Sex::Male, '1', Dual::Full);
    ASSERT_EQ(p.age, 60);
    p.institutional = true;
    ScoreResult r = score_codes(v28(), p, {"I50.9", "J44.9", "L89.154", "C34.90", "G35"});
    EXPECT_EQ(r.segment, Segment::INS);
    EXPECT_EQ(demographic_names(v28(), r), (N{"M60_64", "LTIMCAID"}));
    EXPECT_EQ(hcc_numbers(v28(), r.hccs), (S{20, 198, 226, 280, 379}));
    EXPECT_EQ(interaction_names(v28(), r),
              (N{"HF_CHR_LUNG_V28", "DISABLED_CANCER_V28", "DISABLED_NEURO_V28", "DISABLED_HF_V28",
                 "DISABLED_CHR_LUNG_V28", "DISABLED_ULCER_V28", "D5"}));
    EXPECT_EQ(r.demographic, m("1.047"));  // 0.917 + 0.130
    EXPECT_EQ(r.disease, m("2.847"));      // 0.672 + 0.226 + 0.217 + 0.312 + 1.420
    EXPECT_EQ(r.interaction, m("1.969"));  // 0.145 + 0.367 + 0.154 + 0.488 + 0.278 + 0.537
    EXPECT_EQ(r.raw, m("5.863"));
    EXPECT_EQ(r.normalized, m("5.495"));   // 5.494845
    EXPECT_EQ(r.payment, m("5.171"));      // 5.170795
}

// Example 6: 58-year-old man, CND, 13 payment HCCs -> D10P.
TEST(WorkedExample, Example6TenOrMoreHccs) {
    Patient p = person(age_on_feb1(1967, 11, 30, 2026), Sex::Male, '1', Dual::Non);
    ASSERT_EQ(p.age, 58);
    ScoreResult r = score_codes(v28(), p,
                                {"E11.22", "E66.01", "M06.9", "F03.90", "F10.20", "F20.9", "G35",
                                 "J96.11", "I50.22", "I48.91", "I70.261", "J44.9", "N18.4"});
    EXPECT_EQ(r.segment, Segment::CND);
    EXPECT_EQ(hcc_numbers(v28(), r.hccs),
              (S{37, 48, 93, 127, 139, 151, 198, 213, 226, 238, 263, 280, 327}));
    EXPECT_EQ(interaction_names(v28(), r),
              (N{"DIABETES_HF_V28", "HF_CHR_LUNG_V28", "HF_KIDNEY_V28",
                 "CHR_LUNG_CARD_RESP_FAIL_V28", "HF_HCC238_V28", "gSubUseDisorder_gPsych_V28",
                 "D10P"}));
    EXPECT_EQ(r.demographic, m("0.283"));
    EXPECT_EQ(r.disease, m("5.642"));
    EXPECT_EQ(r.interaction, m("2.416"));  // 0.985 + D10P 1.431
    EXPECT_EQ(r.raw, m("8.341"));
    EXPECT_EQ(r.normalized, m("7.817"));   // 7.817245
    EXPECT_EQ(r.payment, m("7.356"));      // 7.355797
}
