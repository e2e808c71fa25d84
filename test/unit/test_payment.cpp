// Normalization, MA coding adjustment and the V24/V28 blend on the shipped releases
// (v28_rules.md §16-§17; worked_examples.md 1b and 1c).
#include <gtest/gtest.h>

#include "support.hpp"

using namespace hccraf;
using namespace hccraf::test;

namespace {
// Worked example 1 person: man, DOB 1957-06-15, OREC 0, non-dual, E11.9 N18.30 I50.22.
ScoreResult example1(const char* model, int py) {
    return score_codes(release_image(model, py),
                       person(age_on_feb1(1957, 6, 15, py), Sex::Male),
                       {"E11.9", "N18.30", "I50.22"});
}
}  // namespace

TEST(Payment, ReleaseParameters) {
    EXPECT_EQ(release_image("V28", 2026).normalization_factor(), m("1.067"));
    EXPECT_EQ(release_image("V28", 2025).normalization_factor(), m("1.045"));
    EXPECT_EQ(release_image("V28", 2024).normalization_factor(), m("1.015"));
    EXPECT_EQ(release_image("V24", 2025).normalization_factor(), m("1.153"));
    EXPECT_EQ(release_image("V24", 2024).normalization_factor(), m("1.146"));
    EXPECT_EQ(release_image("V28", 2025).blend_weight(), m("0.67"));
    EXPECT_EQ(release_image("V24", 2025).blend_weight(), m("0.33"));
    EXPECT_EQ(release_image("V28", 2026).ma_coding_adjustment(), m("0.059"));
}

TEST(Payment, V24Py2026HasNoPaymentRole) {
    ScoreResult r = example1("V24", 2026);
    EXPECT_EQ(r.raw, m("1.090"));
    EXPECT_FALSE(r.has_payment);
    EXPECT_EQ(r.normalized, 0);
}

// Worked example 1b (PY2025, 33 % V24 + 67 % V28): 1.128 / 1.061.
TEST(Payment, BlendPy2025WorkedExample1b) {
    ScoreResult r24 = example1("V24", 2025), r28 = example1("V28", 2025);
    EXPECT_EQ(r24.raw, m("1.090"));
    EXPECT_EQ(r28.raw, m("1.273"));
    EXPECT_EQ(r24.normalized, m("0.945"));  // 1.090 / 1.153 = 0.945360
    EXPECT_EQ(r28.normalized, m("1.218"));  // 1.273 / 1.045 = 1.218182
    const ModelImage& i24 = release_image("V24", 2025);
    const ModelImage& i28 = release_image("V28", 2025);
    Milli blend = blend_scores(r24.normalized, i24.blend_weight(), r28.normalized, i28.blend_weight());
    EXPECT_EQ(blend, m("1.128"));
    EXPECT_EQ(apply_ma_adjustment(blend, i28.ma_coding_adjustment()), m("1.061"));
}

// Worked example 1c (PY2024, 67 % V24 + 33 % V28): 1.051 / 0.989.
TEST(Payment, BlendPy2024WorkedExample1c) {
    ScoreResult r24 = example1("V24", 2024), r28 = example1("V28", 2024);
    EXPECT_EQ(r24.raw, m("1.090"));
    EXPECT_EQ(r28.raw, m("1.273"));
    EXPECT_EQ(r24.normalized, m("0.951"));  // 1.090 / 1.146 = 0.951134
    EXPECT_EQ(r28.normalized, m("1.254"));  // 1.273 / 1.015 = 1.254187
    Milli blend = blend_scores(r24.normalized, release_image("V24", 2024).blend_weight(),
                               r28.normalized, release_image("V28", 2024).blend_weight());
    EXPECT_EQ(blend, m("1.051"));
    EXPECT_EQ(apply_ma_adjustment(blend, m("0.059")), m("0.989"));
}

// A normalized score of exactly 1.500 must pay 1.412 (1.4115 half-up), the double trap.
TEST(Payment, HalfTieAfterMaAdjustment) {
    OwnedImage img(synthetic_release());  // NF 1.067, MA 0.059
    // INS man 70, OREC 0, non-dual: INS cell 1.000 + HCC62 0.062 + HCC111 0.111 + HCC202 0.202
    // + HCC226 0.226 = 1.601 (no hierarchy or interaction among them, no INS count).
    Patient p = person(70, Sex::Male);
    p.institutional = true;
    ScoreResult r = score_codes(img.view, p, {"Z94.4", "D66", "R40.20", "I50.22"});
    ASSERT_EQ(r.raw, m("1.601"));
    EXPECT_EQ(r.normalized, m("1.500"));  // 1.601 / 1.067 = 1.500469
    EXPECT_EQ(r.payment, m("1.412"));     // 1.500 x 0.941 = 1.4115
}
