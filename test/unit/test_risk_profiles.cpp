// Risk profiles (risk_profiles.hpp): the chosen segment is exactly score() for every golden
// CMS-HCC V28 patient; every row's coefficients add up to its raw score; and for five patients
// every segment's raw score is checked against sums of the shipped factors done by hand (the
// factor values are quoted from data/<release>/<py>/factors.csv in the comments).
#include <gtest/gtest.h>

#include <map>

#include "golden_rows.hpp"
#include "risk_profiles.hpp"
#include "support.hpp"

using namespace hccraf;
using namespace hccraf::test;

namespace {

Milli sum(const std::vector<ProfileItem>& items) {
    Milli s = 0;
    for (const auto& i : items) s += i.coefficient;
    return s;
}

// segment name -> raw score, and the checks every profile must pass.
std::map<std::string, std::string> raw_by_segment(const ModelImage& img, const Patient& p,
                                                  std::initializer_list<const char*> codes) {
    std::vector<IcdKey> keys;
    for (const char* c : codes) keys.push_back(*parse_icd(c));
    ScoreResult own;
    score(img, p, keys.data(), keys.size(), own);
    std::map<std::string, std::string> out;
    int chosen = 0;
    for (const RiskProfile& prof : risk_profiles(img, p, keys.data(), keys.size())) {
        EXPECT_EQ(sum(prof.person) + sum(prof.hccs) + sum(prof.interactions), prof.result.raw)
            << segment_name(prof.segment);
        if (prof.chosen) {
            ++chosen;
            EXPECT_EQ(prof.segment, own.segment);
            EXPECT_EQ(prof.result.raw, own.raw);
        }
        out[segment_name(prof.segment)] = format_milli(prof.result.raw);
    }
    EXPECT_EQ(chosen, 1);
    return out;
}

}  // namespace

TEST(RiskProfiles, ChosenSegmentEqualsScoreOnEveryGoldenV28Row) {
    const ModelImage& img = release_image("V28", 2026);
    csv::Table t = read_fixture("golden_v28_2026.csv");
    auto rows = golden_rows(t, 2026);
    ASSERT_GT(rows.size(), 600u);
    std::size_t checked = 0;
    for (const auto& g : rows) {
        ScoreResult own;
        score(img, g.patient, g.keys.data(), g.keys.size(), own);
        auto profiles = risk_profiles(img, g.patient, g.keys.data(), g.keys.size());
        ASSERT_EQ(profiles.size(), 9u);
        int chosen = 0;
        for (const auto& prof : profiles) {
            EXPECT_EQ(sum(prof.person) + sum(prof.hccs) + sum(prof.interactions), prof.result.raw) << g.id;
            if (!prof.chosen) continue;
            ++chosen;
            EXPECT_EQ(segment_name(prof.segment), g["segment"]) << g.id;
            EXPECT_EQ(format_milli(prof.result.raw), g["raw_score"]) << g.id;
            EXPECT_EQ(format_milli(prof.result.normalized), g["normalized_score"]) << g.id;
            EXPECT_EQ(format_milli(prof.result.payment), g["payment_score"]) << g.id;
            EXPECT_EQ(prof.result.payment, own.payment) << g.id;
            ++checked;
        }
        EXPECT_EQ(chosen, 1) << g.id;
    }
    EXPECT_EQ(checked, rows.size());
}

// 1. V28 PY2026, golden H01: man 68, OREC 0, non-dual; E11.9 N18.30 I50.22 -> HCC38, 226, 329,
// DIABETES_HF_V28, HF_KIDNEY_V28, D3 (0.000 everywhere). The M65_69 cell exists only in the aged
// and INS lists; the NE cell is NMCAID_NORIGDIS_NEM68.
TEST(RiskProfiles, HandCheckedV28) {
    auto raw = raw_by_segment(release_image("V28", 2026), person(68, Sex::Male), {"E11.9", "N18.30", "I50.22"});
    EXPECT_EQ(raw["CNA"], "1.273");    // 0.332 + 0.166 + 0.360 + 0.127 + 0.112 + 0.176
    EXPECT_EQ(raw["CND"], "1.149");    // 0.191 + 0.442 + 0.179 + 0.023 + 0.314
    EXPECT_EQ(raw["CFA"], "1.616");    // 0.531 + 0.186 + 0.406 + 0.116 + 0.183 + 0.194
    EXPECT_EQ(raw["CFD"], "1.414");    // 0.235 + 0.537 + 0.181 + 0.041 + 0.420
    EXPECT_EQ(raw["CPA"], "1.296");    // 0.375 + 0.166 + 0.311 + 0.140 + 0.164 + 0.140
    EXPECT_EQ(raw["CPD"], "1.180");    // 0.210 + 0.411 + 0.178 + 0.053 + 0.328
    EXPECT_EQ(raw["INS"], "2.126");    // 1.275 + 0.280 + 0.217 + 0.145 + 0.209 + 0.000
    EXPECT_EQ(raw["NE"], "0.678");     // NMCAID_NORIGDIS_NEM68
    EXPECT_EQ(raw["SNPNE"], "1.005");  // SNPNE_NMCAID_NORIGDIS_NEM68
}

// 2. RxHCC V08 (X) PY2026, golden PH01: man 68, OREC 0; E11.9 F32.9 I48.91 -> RXHCC31, 132, 193.
TEST(RiskProfiles, HandCheckedRxHccPh01) {
    auto raw = raw_by_segment(release_image("RxHCC_V08", 2026), person(68, Sex::Male), {"E11.9", "F32.9", "I48.91"});
    EXPECT_EQ(raw["CE_NonLow_Aged"], "0.677");     // M65_69 0.175 + 0.248 + 0.040 + 0.214
    EXPECT_EQ(raw["CE_NonLow_NonAged"], "0.357");  // 0.281 + 0.018 + 0.058 (no aged cell)
    EXPECT_EQ(raw["CE_Low_Aged"], "1.014");        // 0.329 + 0.429 + 0.102 + 0.154
    EXPECT_EQ(raw["CE_Low_NonAged"], "0.940");     // 0.695 + 0.225 + 0.020
    EXPECT_EQ(raw["CE_LTI"], "1.511");             // 0.896 + 0.326 + 0.114 + 0.175
    EXPECT_EQ(raw["NE_NonLow_Community"], "0.541");  // NESRD_NORIGDIS_X_M68
    EXPECT_EQ(raw["NE_Low_Community"], "0.775");
    EXPECT_EQ(raw["NE_LTI"], "1.759");
}

// 3. RxHCC V08 (X), golden PH02: woman 75, LIS; RXHCC81 + RXHCC317 (84 zeroed by 81 first).
TEST(RiskProfiles, HandCheckedRxHccPh02) {
    Patient p = person(75, Sex::Female);
    p.low_income = true;
    auto raw = raw_by_segment(release_image("RxHCC_V08", 2026), p, {"L40.50", "M32.9", "L93.0"});
    EXPECT_EQ(raw["CE_NonLow_Aged"], "0.866");     // F75_79 0.035 + 0.755 + 0.076
    EXPECT_EQ(raw["CE_NonLow_NonAged"], "0.520");  // 0.494 + 0.026
    EXPECT_EQ(raw["CE_Low_Aged"], "6.544");        // 0.108 + 6.280 + 0.156 (chosen)
    EXPECT_EQ(raw["CE_Low_NonAged"], "9.094");     // 9.094 + 0.000 (RXHCC317 blank)
    EXPECT_EQ(raw["CE_LTI"], "4.046");             // 0.628 + 3.418 + 0.000
    EXPECT_EQ(raw["NE_NonLow_Community"], "0.515");  // NESRD_NORIGDIS_X_F75_79
    EXPECT_EQ(raw["NE_Low_Community"], "0.720");
    EXPECT_EQ(raw["NE_LTI"], "1.451");
}

// 4. ESRD V24 PY2026, golden EH01: woman 70, OREC 2, full dual, dialysis; HCC18 + HCC85 (CC136
// zeroed), DIABETES_CHF. No graft month, so the graft segments get no duration add-on.
TEST(RiskProfiles, HandCheckedEsrdDialysis) {
    Patient p = person(70, Sex::Female, '2', Dual::Full);
    p.esrd_status = EsrdStatus::Dialysis;
    auto raw = raw_by_segment(release_image("ESRD_V24", 2026), p, {"E11.22", "I50.22", "N18.6"});
    EXPECT_EQ(raw["DIAL"], "0.807");  // 0.624 - 0.024 + 0.060 + 0.084 + 0.063 + 0.000 (chosen)
    EXPECT_EQ(raw["DIAL_NE"], "1.102");  // FBD_NORIGDIS_NEF70_74
    EXPECT_EQ(raw["TRANSPLANT_1M"], "5.985");
    EXPECT_EQ(raw["TRANSPLANT_2M"], "0.941");
    EXPECT_EQ(raw["TRANSPLANT_3M"], "0.941");
    EXPECT_EQ(raw["G_COMM_ND_PBD_GE65"], "0.961");  // F70_74 0.359 + 0.219 + 0.251 + 0.132
    EXPECT_EQ(raw["G_COMM_ND_PBD_LT65"], "0.626");  // 0.241 + 0.273 + 0.112
    EXPECT_EQ(raw["G_COMM_FBD_GE65"], "1.177");     // 0.464 + 0.233 + 0.257 + 0.223
    EXPECT_EQ(raw["G_COMM_FBD_LT65"], "0.757");     // 0.296 + 0.302 + 0.159
    EXPECT_EQ(raw["GRAFT_INST"], "1.935");          // 1.202 + 0.359 + 0.169 + 0.205
    EXPECT_EQ(raw["GRAFT_NE"], "1.034");            // FBD_NORIGDIS_G_NEF70_74, no add-on, no ActAdj
}

// 5. ESRD V24, golden EH06: woman 72, OREC 1 (originally disabled), partial dual, graft month 9
// (DUR4_9); HCC18 + HCC85, DIABETES_CHF.
TEST(RiskProfiles, HandCheckedEsrdGraft) {
    Patient p = person(72, Sex::Female, '1', Dual::Partial);
    p.esrd_status = EsrdStatus::Graft;
    p.months_since_transplant = 9;
    auto raw = raw_by_segment(release_image("ESRD_V24", 2026), p, {"E11.22", "I50.22"});
    EXPECT_EQ(raw["DIAL"], "0.795");     // 0.624 + OD 0.024 + PBDual_Female_Aged 0.000 + 0.084 + 0.063
    EXPECT_EQ(raw["DIAL_NE"], "1.036");  // ND_PBD_ORIGDIS_NEF70_74 (OREC 1 at any age)
    EXPECT_EQ(raw["TRANSPLANT_1M"], "5.985");
    EXPECT_EQ(raw["G_COMM_ND_PBD_GE65"], "3.871");  // 0.359 + 0.219 + 0.219 + 0.251 + 0.132 + 2.529 + 0.162
    EXPECT_EQ(raw["G_COMM_ND_PBD_LT65"], "0.626");  // 0.241 + 0.273 + 0.112 (no GE65 add-on there)
    EXPECT_EQ(raw["G_COMM_FBD_GE65"], "1.320");     // 0.464 + 0.143 + 0.233 + 0.257 + 0.223
    EXPECT_EQ(raw["G_COMM_FBD_LT65"], "0.757");
    EXPECT_EQ(raw["GRAFT_INST"], "4.626");  // 1.202 + ORIGDIS 0 + 0.359 + 0.169 + 0.205 + 2.529 + 0.162
    EXPECT_EQ(raw["GRAFT_NE"], "4.192");    // round3((1.265 + 2.529) / 0.905) = round3(4.192265)
}

// A person the ESRD model cannot place (no status) still gets every row, none chosen.
TEST(RiskProfiles, UnplacedPersonHasNoChosenRow) {
    const ModelImage& img = release_image("ESRD_V24", 2026);
    auto profiles = risk_profiles(img, person(70, Sex::Male), nullptr, 0);
    ASSERT_EQ(profiles.size(), 11u);
    for (const auto& prof : profiles) EXPECT_FALSE(prof.chosen);
}
