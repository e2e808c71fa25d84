// diagnosis_outcomes(): what each code did (the rows of patient_diagnosis_hcc). Expected values
// from the specs: the 62/63/202 chain (v28_rules.md §11, worked example 3), ESRD's renal CCs set
// to 0 (esrd_v24_rules.md §6), a code without a payment HCC, an edit that drops a code.
#include <gtest/gtest.h>

#include "diagnosis_outcomes.hpp"
#include "support.hpp"

using namespace hccraf;
using namespace hccraf::test;

namespace {

std::vector<IcdKey> keys(std::initializer_list<const char*> codes) {
    std::vector<IcdKey> out;
    for (const char* c : codes) out.push_back(*parse_icd(c));
    return out;
}

}  // namespace

TEST(DiagnosisOutcomes, HierarchyChainNamesTheDroppingHcc) {
    const ModelImage& img = release_image("V28", 2026);
    auto k = keys({"Z94.4", "K72.11", "R40.20", "I10"});
    ScoreResult r, plain;
    auto rows = diagnosis_outcomes(img, person(72, Sex::Female), k.data(), k.size(), r);
    score(img, person(72, Sex::Female), k.data(), k.size(), plain);
    EXPECT_EQ(r.raw, plain.raw);
    ASSERT_EQ(rows.size(), 4u);
    EXPECT_EQ(img.hcc_number(rows[0].slot), 62);  // Z94.4: liver transplant status -> CC62, kept
    EXPECT_TRUE(rows[0].included);
    EXPECT_EQ(img.hcc_number(rows[1].slot), 63);  // K72.11 -> CC63, dropped by HCC62's rule
    EXPECT_FALSE(rows[1].included);
    EXPECT_EQ(img.hcc_number(rows[1].superseded_by), 62);
    EXPECT_EQ(img.hcc_number(rows[2].slot), 202);  // R40.20: 63 was zeroed first, so 202 stays
    EXPECT_TRUE(rows[2].included);
    EXPECT_EQ(rows[2].superseded_by, -1);
    EXPECT_EQ(rows[3].slot, -1);  // I10: no payment HCC
    EXPECT_FALSE(rows[3].included);
    // The coefficients are the CNA factors of the HCCs the segment lists.
    EXPECT_TRUE(rows[0].has_coefficient);
    EXPECT_EQ(rows[0].coefficient, m("0.376"));
}

TEST(DiagnosisOutcomes, EsrdRenalCcIsSetToZeroNotSuperseded) {
    const ModelImage& img = release_image("ESRD_V24", 2026);
    Patient p = person(70, Sex::Female, '2', Dual::Full);
    p.esrd_status = EsrdStatus::Dialysis;
    auto k = keys({"N18.6", "E11.22"});
    ScoreResult r;
    auto rows = diagnosis_outcomes(img, p, k.data(), k.size(), r);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(img.hcc_number(rows[0].slot), 136);
    EXPECT_FALSE(rows[0].included);
    EXPECT_EQ(rows[0].superseded_by, -1);
    EXPECT_EQ(img.hcc_number(rows[1].slot), 18);
    EXPECT_TRUE(rows[1].included);
}

TEST(DiagnosisOutcomes, CodeDroppedByAnEditSetsNothing) {
    // C93.30 is pediatric (MCE 0-17): at 45 it sets no HCC (worked example 2).
    const ModelImage& img = release_image("V28", 2026);
    auto k = keys({"C93.30"});
    ScoreResult r;
    auto rows = diagnosis_outcomes(img, person(45, Sex::Female, '1', Dual::Full), k.data(), k.size(), r);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].slot, -1);
}
