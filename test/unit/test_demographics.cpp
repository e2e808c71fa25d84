// Demographic variables: age/sex cells, DISABL, ORIGDS, OriginallyDisabled_*, LTIMCAID and
// the new-enrollee cells (v28_rules.md §4-§7, §15; golden README "orec").
#include <gtest/gtest.h>

#include "support.hpp"

using namespace hccraf;
using namespace hccraf::test;
using N = std::set<std::string>;

namespace {
const ModelImage& v28() { return release_image("V28", 2026); }
Patient ne(int age, Sex sex, char orec, Dual dual = Dual::Non, bool snp = false) {
    Patient p = person(age, sex, orec, dual);
    p.new_enrollee = true;
    p.snp_new_enrollee = snp;
    return p;
}
}  // namespace

// AGESEXV2: a new enrollee aged 64 takes the "65" cell only when OREC is '0'.
TEST(NewEnrollee, Age64WithOrec0UsesThe65Cell) {
    ScoreResult r = score_codes(v28(), ne(64, Sex::Female, '0'), {});
    EXPECT_EQ(r.segment, Segment::NE);
    EXPECT_EQ(demographic_names(v28(), r), N{"NMCAID_NORIGDIS_NEF65"});
    EXPECT_EQ(r.raw, m("0.532"));
}

TEST(NewEnrollee, Age64WithOrec1Or2UsesThe60To64Cell) {
    ScoreResult r = score_codes(v28(), ne(64, Sex::Female, '1'), {});
    EXPECT_EQ(demographic_names(v28(), r), N{"NMCAID_NORIGDIS_NEF60_64"});  // never ORIGDIS < 65
    EXPECT_EQ(r.raw, m("1.212"));
    EXPECT_EQ(demographic_names(v28(), score_codes(v28(), ne(64, Sex::Female, '2'), {})),
              N{"NMCAID_NORIGDIS_NEF60_64"});
}

TEST(NewEnrollee, Age64WithBlankOrecIsNotOrec0) {
    ScoreResult r = score_codes(v28(), ne(64, Sex::Male, ' '), {});
    EXPECT_EQ(demographic_names(v28(), r), N{"NMCAID_NORIGDIS_NEM60_64"});
    EXPECT_EQ(r.raw, m("1.057"));  // golden H27
}

TEST(NewEnrollee, MedicaidIsFullOrPartialDual) {
    EXPECT_EQ(demographic_names(v28(), score_codes(v28(), ne(64, Sex::Male, '0', Dual::Partial), {})),
              N{"MCAID_NORIGDIS_NEM65"});
    EXPECT_EQ(demographic_names(v28(), score_codes(v28(), ne(66, Sex::Female, '1', Dual::Full), {})),
              N{"MCAID_ORIGDIS_NEF66"});
}

TEST(NewEnrollee, DiagnosesDoNotEnterTheScore) {
    ScoreResult r = score_codes(v28(), ne(68, Sex::Male, '2'), {"N18.6"});
    EXPECT_EQ(hcc_numbers(v28(), r.hccs), std::set<int>{326});  // processed, for information
    EXPECT_EQ(r.disease, 0);
    EXPECT_EQ(r.interactions, 0u);
    EXPECT_EQ(r.count_variable, 0);
    EXPECT_EQ(r.raw, m("0.678"));  // NE_NMCAID_NORIGDIS_NEM68 only (golden H29)
}

TEST(NewEnrollee, SnpUsesTheSameCellWithItsOwnFactors) {
    ScoreResult r = score_codes(v28(), ne(50, Sex::Female, '1', Dual::Full, true), {});
    EXPECT_EQ(r.segment, Segment::SNPNE);
    EXPECT_EQ(demographic_names(v28(), r), N{"MCAID_NORIGDIS_NEF45_54"});
    EXPECT_EQ(r.raw, m("1.965"));  // golden H69
}

// OREC 3 (DIB + ESRD) is never "originally disabled" (A2 72: ORIGDS needs OREC = '1').
TEST(Orec, Orec3IsNeverOriginallyDisabled) {
    ScoreResult r = score_codes(v28(), person(72, Sex::Female, '3'), {"I50.22"});
    EXPECT_EQ(demographic_names(v28(), r), N{"F70_74"});
    EXPECT_EQ(r.raw, m("0.755"));
    EXPECT_EQ(demographic_names(v28(), score_codes(v28(), ne(66, Sex::Female, '3', Dual::Full), {})),
              N{"MCAID_NORIGDIS_NEF66"});
}

TEST(Orec, Orec1Aged65PlusIsOriginallyDisabled) {
    ScoreResult r = score_codes(v28(), person(72, Sex::Female, '1'), {"I50.22"});
    EXPECT_EQ(demographic_names(v28(), r), (N{"F70_74", "OriginallyDisabled_Female"}));
    EXPECT_EQ(r.raw, m("0.983"));  // 0.755 + CNA_OriginallyDisabled_Female 0.228
}

TEST(Orec, BlankOrecAgedHasNoOriginallyDisabledTerm) {
    ScoreResult r = score_codes(v28(), person(70, Sex::Male, ' ', Dual::Partial), {"E11.9"});
    EXPECT_EQ(r.segment, Segment::CPA);
    EXPECT_EQ(demographic_names(v28(), r), N{"M70_74"});
}

// DISABL = age < 65 and OREC != '0': a blank OREC under 65 is disabled.
TEST(Orec, BlankOrecUnder65IsDisabled) {
    Patient p = person(50, Sex::Female, ' ');
    p.institutional = true;
    ScoreResult r = score_codes(v28(), p, {"I50.22", "G35"});
    EXPECT_EQ(interaction_names(v28(), r), (N{"D2", "DISABLED_HF_V28", "DISABLED_NEURO_V28"}));
    EXPECT_EQ(r.raw, m("2.116"));  // golden H34
}

TEST(Orec, Orec0Under65IsNotDisabled) {
    Patient p = person(60, Sex::Male, '0', Dual::Full);
    p.institutional = true;
    ScoreResult r = score_codes(v28(), p, {"I50.22", "G35"});
    EXPECT_EQ(interaction_names(v28(), r), N{"D2"});
    EXPECT_EQ(demographic_names(v28(), r), (N{"M60_64", "LTIMCAID"}));
    EXPECT_EQ(r.raw, m("1.490"));  // golden H35
}

TEST(Institutional, LtimcaidAndOrigdsAreListed) {
    Patient p = person(70, Sex::Female, '1', Dual::Partial);
    p.institutional = true;
    ScoreResult r = score_codes(v28(), p, {});
    EXPECT_EQ(demographic_names(v28(), r), (N{"F70_74", "LTIMCAID", "ORIGDS"}));
    // INS_ORIGDS is 0.000: the score is INS_F70_74 + INS_LTIMCAID.
    Patient q = p;
    q.orec = '0';
    EXPECT_EQ(score_codes(v28(), q, {}).raw, r.raw);
}

TEST(AgeSexCell, AgeZeroAndCentenarians) {
    ScoreResult baby = score_codes(v28(), person(0, Sex::Male, '2'), {});
    EXPECT_EQ(baby.segment, Segment::CND);
    EXPECT_EQ(demographic_names(v28(), baby), N{"M0_34"});
    EXPECT_EQ(demographic_names(v28(), score_codes(v28(), person(97, Sex::Female), {})), N{"F95_GT"});
    EXPECT_EQ(demographic_names(v28(), score_codes(v28(), person(95, Sex::Female), {})), N{"F95_GT"});
    EXPECT_EQ(demographic_names(v28(), score_codes(v28(), person(94, Sex::Female), {})), N{"F90_94"});
    EXPECT_EQ(demographic_names(v28(), score_codes(v28(), person(65, Sex::Male), {})), N{"M65_69"});
    EXPECT_EQ(demographic_names(v28(), score_codes(v28(), person(64, Sex::Male, '0'), {})), N{"M60_64"});
}

// V28 has no "age 64 with OREC 0 becomes 65" recode outside the NE cell (v28_rules.md §4).
TEST(AgeSexCell, NoAge64RecodeForContinuingEnrollees) {
    ScoreResult r = score_codes(v28(), person(64, Sex::Female, '0'), {});
    EXPECT_EQ(r.segment, Segment::CND);
    EXPECT_EQ(demographic_names(v28(), r), N{"F60_64"});
}
