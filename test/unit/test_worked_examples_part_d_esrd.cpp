// The worked examples of ../shared/cms/spec/rxhcc_v08_rules.md §16 and esrd_v24_rules.md §15,
// with the numbers computed by hand there, scored on the shipped PY2026 releases.
#include <gtest/gtest.h>

#include "errors.hpp"
#include "support.hpp"

using namespace hccraf;
using namespace hccraf::test;
using S = std::set<int>;
using N = std::set<std::string>;

namespace {

const ModelImage& rx_x() { return release_image("RxHCC_V08", 2026); }
const ModelImage& rx_t() { return release_image("RxHCC_V08T", 2026); }
const ModelImage& esrd() { return release_image("ESRD_V24", 2026); }

}  // namespace

// RxHCC example 1 (golden PH01): man born 1957-06-15, OREC 0, community, not LIS.
TEST(WorkedExampleRxHcc, Example1CeNonLowAged) {
    Patient p = person(age_on_feb1(1957, 6, 15, 2026), Sex::Male, '0');
    ScoreResult x = score_codes(rx_x(), p, {"E11.9", "F32.9", "I48.91"});
    EXPECT_EQ(x.segment, Segment::CE_NonLow_Aged);
    EXPECT_EQ(demographic_names(rx_x(), x), N{"M65_69"});
    EXPECT_EQ(hcc_numbers(rx_x(), x.hccs), (S{31, 132, 193}));
    EXPECT_EQ(x.raw, m("0.677"));                     // 0.175 + 0.248 + 0.040 + 0.214
    EXPECT_EQ(x.normalized, m("0.567"));              // 0.677 / 1.194 = 0.567002
    EXPECT_EQ(x.payment, m("0.567"));                 // no MA coding adjustment in Part D
    EXPECT_EQ(x.normalized_alternative, m("0.763"));  // PDP: 0.677 / 0.887 = 0.763247
    ScoreResult t = score_codes(rx_t(), p, {"E11.9", "F32.9", "I48.91"});
    EXPECT_EQ(t.raw, m("0.624"));         // 0.168 + 0.171 + 0.070 + 0.215
    EXPECT_EQ(t.normalized, m("0.519"));  // 0.624 / 1.202 = 0.519135
}

// RxHCC example 2 (golden PH02): the 81 + 84 + 317 chain in CMS file order keeps RXHCC317.
TEST(WorkedExampleRxHcc, Example2HierarchyFileOrderKeeps317) {
    Patient p = person(age_on_feb1(1950, 3, 10, 2026), Sex::Female, '0');
    p.low_income = true;
    ScoreResult x = score_codes(rx_x(), p, {"L40.50", "M32.9", "L93.0"});
    EXPECT_EQ(x.segment, Segment::CE_Low_Aged);
    EXPECT_EQ(hcc_numbers(rx_x(), x.hccs), (S{81, 317}));
    EXPECT_EQ(x.raw, m("6.544"));         // 0.108 + 6.280 + 0.156
    EXPECT_EQ(x.normalized, m("5.481"));  // 6.544 / 1.194 = 5.480737
    EXPECT_EQ(score_codes(rx_t(), p, {"L40.50", "M32.9", "L93.0"}).raw, m("4.702"));  // 0.045 + 4.614 + 0.043
}

// RxHCC example 3 (golden PH08/PH09): new enrollee aged 64; OREC 0 takes the 65 cell.
TEST(WorkedExampleRxHcc, Example3NewEnrolleeAge64) {
    Patient p = person(age_on_feb1(1961, 8, 20, 2026), Sex::Male, '0');
    p.new_enrollee = true;
    ASSERT_EQ(p.age, 64);
    ScoreResult x = score_codes(rx_x(), p, {});
    EXPECT_EQ(x.segment, Segment::NE_NonLow_Community);
    EXPECT_EQ(demographic_names(rx_x(), x), N{"NESRD_NORIGDIS_X_M65"});
    EXPECT_EQ(x.raw, m("0.478"));
    EXPECT_EQ(x.normalized, m("0.400"));  // 0.478 / 1.194 = 0.400335
    p.orec = '1';
    ScoreResult x1 = score_codes(rx_x(), p, {});
    EXPECT_EQ(demographic_names(rx_x(), x1), N{"NESRD_NORIGDIS_X_M60_64"});
    EXPECT_EQ(x1.raw, m("1.251"));
    EXPECT_EQ(x1.normalized, m("1.048"));  // 1.251 / 1.194 = 1.047739
}

// ESRD example 1 (golden EH01): dialysis, full dual, OREC 2 (the negative factor).
TEST(WorkedExampleEsrd, Example1DialysisFullDual) {
    Patient p = person(age_on_feb1(1955, 9, 30, 2026), Sex::Female, '2', Dual::Full);
    p.esrd_status = EsrdStatus::Dialysis;
    ScoreResult r = score_codes(esrd(), p, {"E11.22", "I50.22", "N18.6"});
    EXPECT_EQ(r.segment, Segment::DIAL);
    EXPECT_EQ(demographic_names(esrd(), r), (N{"F70_74", "Originally_ESRD_Female", "FBDual_Female_Aged"}));
    EXPECT_EQ(hcc_numbers(esrd(), r.hccs), (S{18, 85}));  // CC136 (N18.6) set to 0
    EXPECT_EQ(interaction_names(esrd(), r), N{"DIABETES_CHF"});
    // 0.624 - 0.024 + 0.060 + 0.084 + 0.063 + 0.000
    EXPECT_EQ(r.raw, m("0.807"));
    EXPECT_EQ(r.normalization_factor, m("1.062"));
    EXPECT_EQ(r.normalized, m("0.760"));  // 0.807 / 1.062 = 0.759887
    EXPECT_EQ(r.payment, m("0.715"));     // 0.760 x 0.941 = 0.71516
}

// ESRD example 2 (golden EH02): new-enrollee graft, 64 with OREC 0: the 65 cell, aged add-on.
TEST(WorkedExampleEsrd, Example2GraftNewEnrolleeActAdj) {
    Patient p = person(age_on_feb1(1962, 1, 20, 2026), Sex::Male, '0');
    p.esrd_status = EsrdStatus::Graft;
    p.months_since_transplant = 6;
    p.new_enrollee = true;
    ASSERT_EQ(p.age, 64);
    ScoreResult r = score_codes(esrd(), p, {});
    EXPECT_EQ(r.segment, Segment::GRAFT_NE);
    EXPECT_EQ(demographic_names(esrd(), r), (N{"ND_PBD_NORIGDIS_G_NEM65", "FGC_GE65_DUR4_9_ND_PBD"}));
    EXPECT_EQ(r.divisor, 0);              // ActAdj_DUR4_9
    EXPECT_EQ(r.raw, m("3.415"));         // round3((0.562 + 2.529) / 0.905) = round3(3.415470)
    EXPECT_EQ(r.normalization_factor, m("1.104"));
    EXPECT_EQ(r.normalized, m("3.093"));  // 3.415 / 1.104 = 3.093297
    EXPECT_EQ(r.payment, m("2.911"));     // 3.093 x 0.941 = 2.910513
}

// ESRD example 3 (golden EH06): graft community, partial dual: duration add-on + PBD flag.
TEST(WorkedExampleEsrd, Example3GraftCommunityPartialDual) {
    Patient p = person(age_on_feb1(1953, 3, 3, 2026), Sex::Female, '1', Dual::Partial);
    p.esrd_status = EsrdStatus::Graft;
    p.months_since_transplant = 9;
    ScoreResult r = score_codes(esrd(), p, {"E11.22", "I50.22"});
    EXPECT_EQ(r.segment, Segment::G_COMM_ND_PBD_GE65);
    // F70_74 0.359 + OriginallyDisabled_Female 0.219 + HCC18 0.219 + HCC85 0.251
    // + DIABETES_CHF 0.132 + GE65_DUR4_9_ND_PBD 2.529 + PBD_GE65_flag 0.162
    EXPECT_EQ(r.raw, m("3.871"));
    EXPECT_EQ(r.normalized, m("3.506"));  // 3.871 / 1.104 = 3.506341
    EXPECT_EQ(r.payment, m("3.299"));     // 3.506 x 0.941 = 3.299146
}

// ESRD example 4 (golden EH03): transplant month 1, flat score whatever the diagnoses.
TEST(WorkedExampleEsrd, Example4TransplantMonth1) {
    Patient p = person(age_on_feb1(1970, 5, 5, 2026), Sex::Female, '2');
    p.esrd_status = EsrdStatus::Graft;
    p.months_since_transplant = 1;
    ScoreResult r = score_codes(esrd(), p, {"I50.22"});
    EXPECT_EQ(r.segment, Segment::TRANSPLANT_1M);
    EXPECT_EQ(r.raw, m("5.985"));
    EXPECT_EQ(r.normalized, m("5.636"));  // 5.985 / 1.062 = 5.635593
    EXPECT_EQ(r.payment, m("5.303"));     // 5.636 x 0.941 = 5.303476
}

// The rounding trap of esrd_v24_rules.md §11: 1.104 = 16 x 69, so 0.069 / 1.104 = 0.0625 exactly
// and must round half up to 0.063.
TEST(WorkedExampleEsrd, GraftNormalizationTieRoundsHalfUp) {
    EXPECT_EQ(normalize_score(m("0.069"), m("1.104")), m("0.063"));
    EXPECT_EQ(normalize_score(m("0.207"), m("1.104")), m("0.188"));  // 0.1875 -> 0.188
}

// Segment choice needs the ESRD status; a graft needs the months since the transplant.
TEST(EsrdSegment, MissingStatusOrMonthsIsAnInputError) {
    Patient p = person(70, Sex::Male);
    EXPECT_THROW(choose_segment(Family::Esrd, p), InputError);
    p.esrd_status = EsrdStatus::Graft;
    EXPECT_THROW(choose_segment(Family::Esrd, p), InputError);
    p.months_since_transplant = 12;
    EXPECT_EQ(choose_segment(Family::Esrd, p), Segment::G_COMM_ND_PBD_GE65);
    p.esrd_status = EsrdStatus::Dialysis;
    EXPECT_THROW(choose_segment(Family::Esrd, p), InputError);  // months given for dialysis
}
