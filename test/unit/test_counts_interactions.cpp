// Groups/interactions (v28_rules.md §12, v24_rules.md §7) and the payment-HCC count (§13).
#include <gtest/gtest.h>

#include "support.hpp"

using namespace hccraf;
using namespace hccraf::test;
using N = std::set<std::string>;

namespace {
const ModelImage& v28() { return release_image("V28", 2026); }
const ModelImage& v24() { return release_image("V24", 2026); }
Patient ins(int age, Sex sex, char orec, Dual dual) {
    Patient p = person(age, sex, orec, dual);
    p.institutional = true;
    return p;
}
}  // namespace

TEST(Count, ExactCountPicksDk) {
    OwnedImage img(synthetic_release());
    ScoreResult r = score_codes(img.view, person(70, Sex::Male),
                                {"C78.00", "E11.9", "Z94.4", "R40.20", "D66", "J44.9", "I42.0",
                                 "P04.0", "Z95.811", "I50.22", "K74.60"});
    // CCs 17 38 62 202 111 280 227 223 226 64 (P04.0 dropped at 70: edit rule 4). CC223 kept
    // by 226; 62 drops 64; 223 drops 226 and 227 -> 17 38 62 111 202 223 280.
    EXPECT_EQ(hcc_numbers(img.view, r.hccs), (std::set<int>{17, 38, 62, 111, 202, 223, 280}));
    EXPECT_EQ(r.payment_hcc_count, 7);
    EXPECT_EQ(r.count_variable, 7);
    // CNA 0.400 + HCCs 0.933 + DIABETES_HF 0.007 + HF_LUNG 0.011 + D7 0.007
    EXPECT_EQ(r.raw, m("1.358"));
}

TEST(Count, TenOrMoreIsD10P) {
    ScoreResult big = score_codes(v28(), person(58, Sex::Male, '1'),
                                  {"E11.22", "E66.01", "M06.9", "F03.90", "F10.20", "F20.9", "G35",
                                   "J96.11", "I50.22", "I48.91", "I70.261", "J44.9", "N18.4"});
    EXPECT_EQ(big.payment_hcc_count, 13);
    EXPECT_EQ(big.count_variable, 10);
    EXPECT_TRUE(interaction_names(v28(), big).count("D10P"));
    EXPECT_STREQ(count_variable_name(10), "D10P");
    EXPECT_STREQ(count_variable_name(9), "D9");
}

TEST(Count, CountsPostHierarchyHccsOnly) {
    ScoreResult r = score_codes(v28(), person(72, Sex::Female), {"Z94.4", "K72.11", "R40.20"});
    EXPECT_EQ(r.payment_hcc_count, 2);
    EXPECT_EQ(interaction_names(v28(), r), N{"D2"});
}

TEST(Count, InteractionsAreNotCounted) {
    ScoreResult r = score_codes(v28(), person(68, Sex::Male), {"E11.9", "N18.30", "I50.22"});
    EXPECT_EQ(interaction_names(v28(), r), (N{"D3", "DIABETES_HF_V28", "HF_KIDNEY_V28"}));
}

// V24's institutional list has no D variables; V28's has them (D5 factor 0.000).
TEST(Count, V24InstitutionalHasNoCountVariable) {
    ScoreResult r24 = score_codes(v24(), ins(60, Sex::Male, '1', Dual::Full),
                                  {"I50.9", "J44.9", "L89.154", "C34.90", "G35"});
    EXPECT_GE(r24.payment_hcc_count, 4);
    EXPECT_EQ(r24.count_variable, 0);
    ScoreResult r28 = score_codes(v28(), ins(60, Sex::Male, '1', Dual::Full),
                                  {"I50.9", "J44.9", "L89.154", "C34.90", "G35"});
    EXPECT_EQ(r28.count_variable, 5);
    // V24 community segments do have counts.
    EXPECT_EQ(score_codes(v24(), person(68, Sex::Male), {"E11.9", "N18.30", "I50.22"}).count_variable, 3);
}

TEST(Count, PersonWithoutCodesHasNone) {
    ScoreResult r = score_codes(v28(), ins(85, Sex::Male, '0', Dual::Full), {});
    EXPECT_EQ(r.count_variable, 0);
    EXPECT_EQ(r.interaction, 0);
    EXPECT_EQ(r.raw, m("1.265"));  // INS_M85_89 + INS_LTIMCAID (golden H55)
}

// gSubUseDisorder_gPsych_V28 exists only in the community disabled lists.
TEST(Interactions, OnlyThoseInTheSegmentListCount) {
    ScoreResult cnd = score_codes(v28(), person(45, Sex::Male, '1'), {"F11.20", "F31.9"});
    EXPECT_EQ(interaction_names(v28(), cnd), (N{"D2", "gSubUseDisorder_gPsych_V28"}));
    EXPECT_EQ(cnd.raw, m("0.833"));  // golden H66
    ScoreResult cna = score_codes(v28(), person(70, Sex::Male, '1'), {"F11.20", "F31.9"});
    EXPECT_EQ(interaction_names(v28(), cna), N{"D2"});
}

TEST(Interactions, DisabledTermsOnlyInInstitutional) {
    // Worked example 2 person: DISABLED_CANCER_V28 is 1 but CFD does not list it.
    ScoreResult cfd = score_codes(v28(), person(45, Sex::Female, '1', Dual::Full), {"C50.911", "E11.9"});
    EXPECT_EQ(interaction_names(v28(), cfd), N{"D2"});
    ScoreResult in = score_codes(v28(), ins(52, Sex::Male, '3', Dual::Non), {"I50.22", "E11.9"});
    EXPECT_EQ(interaction_names(v28(), in), (N{"D2", "DIABETES_HF_V28", "DISABLED_HF_V28"}));
    EXPECT_EQ(in.raw, m("2.185"));  // golden H32
}

TEST(Interactions, HfGroupExcludes227ButIncludes223) {
    // HF_V28 = 221-226 (not 227).
    ScoreResult r = score_codes(v28(), person(74, Sex::Male), {"I42.0", "E11.9"});
    EXPECT_EQ(interaction_names(v28(), r), N{"D2"});
    ScoreResult s = score_codes(v28(), person(69, Sex::Male, '0', Dual::Full),
                                {"z95.811", "I50.23", "J44.9", "E11.9"});
    EXPECT_EQ(interaction_names(v28(), s), (N{"D3", "DIABETES_HF_V28", "HF_CHR_LUNG_V28"}));
    EXPECT_EQ(s.raw, m("4.326"));  // golden H18
}

TEST(Interactions, V24InstitutionalInteractions) {
    ScoreResult r = score_codes(v24(), ins(55, Sex::Male, '1', Dual::Partial),
                                {"F20.9", "J44.9", "G40.909", "I50.22"});
    EXPECT_EQ(interaction_names(v24(), r),
              (N{"CHF_gCopdCF", "DISABLED_HCC85", "SCHIZOPHRENIA_CHF", "SCHIZOPHRENIA_SEIZURES",
                 "SCHIZOPHRENIA_gCopdCF"}));
}
