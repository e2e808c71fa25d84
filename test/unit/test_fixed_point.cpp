// Exact thousandths and the half-up roundings of v28_rules.md §16-§17.
#include <gtest/gtest.h>

#include "errors.hpp"
#include "fixed_point.hpp"
#include "scorer.hpp"

using namespace hccraf;

TEST(FixedPoint, ParsesDecimalsAsThousandths) {
    EXPECT_EQ(parse_milli("0.166"), 166);
    EXPECT_EQ(parse_milli("31.424"), 31424);
    EXPECT_EQ(parse_milli("1"), 1000);
    EXPECT_EQ(parse_milli("0.05"), 50);
    EXPECT_EQ(parse_milli("0.000"), 0);
}

TEST(FixedPoint, RejectsAnythingElse) {
    for (const char* bad : {"", "-0.1", "+1", "1.", ".5", "0.1234", "1,5", "1e3", " 1", "1 ", "abc"})
        EXPECT_THROW(parse_milli(bad), DataError) << bad;
}

TEST(FixedPoint, FormatsWithThreeDecimals) {
    EXPECT_EQ(format_milli(1123), "1.123");
    EXPECT_EQ(format_milli(50), "0.050");
    EXPECT_EQ(format_milli(0), "0.000");
    EXPECT_EQ(format_milli(31424), "31.424");
}

TEST(FixedPoint, DivisionRoundsHalfUp) {
    EXPECT_EQ(divide_round_half_up(1273, 1067), 1193);  // 1.193065
    EXPECT_EQ(divide_round_half_up(1599, 1067), 1499);  // 1.498594
    EXPECT_EQ(divide_round_half_up(1, 2000), 1);        // 0.0005 exactly -> 0.001
    EXPECT_EQ(divide_round_half_up(1, 2001), 0);        // just under the half
}

// The trap of §16: 1.500 x 0.941 = 1.4115 exactly; half-up gives 1.412, a double gives 1.411.
TEST(FixedPoint, MultiplicationTiesRoundUp) {
    EXPECT_EQ(multiply_round_half_up(1500, 941), 1412);
    EXPECT_EQ(multiply_round_half_up(500, 941), 471);    // 0.4705
    EXPECT_EQ(multiply_round_half_up(2500, 941), 2353);  // 2.3525
    EXPECT_EQ(multiply_round_half_up(1193, 941), 1123);  // 1.122613
}

TEST(FixedPoint, PaymentSteps) {
    EXPECT_EQ(normalize_score(1273, 1067), 1193);
    EXPECT_EQ(apply_ma_adjustment(1193, 59), 1123);
    EXPECT_EQ(apply_ma_adjustment(1500, 59), 1412);
    EXPECT_THROW(normalize_score(1273, 0), InputError);
}

// worked_examples.md 1b: 0.33 x 0.945 + 0.67 x 1.218 = 1.12791 -> 1.128; x 0.941 -> 1.061.
TEST(FixedPoint, BlendWorkedExample1b) {
    Milli b = blend_scores(945, 330, 1218, 670);
    EXPECT_EQ(b, 1128);
    EXPECT_EQ(apply_ma_adjustment(b, 59), 1061);
}

// worked_examples.md 1c: 0.67 x 0.951 + 0.33 x 1.254 = 1.05099 -> 1.051; x 0.941 -> 0.989.
TEST(FixedPoint, BlendWorkedExample1c) {
    Milli b = blend_scores(951, 670, 1254, 330);
    EXPECT_EQ(b, 1051);
    EXPECT_EQ(apply_ma_adjustment(b, 59), 989);
}

TEST(FixedPoint, BlendTieRoundsUp) {
    // 0.5 x 1.001 + 0.5 x 1.000 = 1.0005 exactly -> 1.001
    EXPECT_EQ(blend_scores(1001, 500, 1000, 500), 1001);
}

TEST(FixedPoint, BaseRatesAreExactDollarsAndCents) {
    EXPECT_EQ(parse_cents("11500"), 1150000);
    EXPECT_EQ(parse_cents("1.5"), 150);
    EXPECT_EQ(parse_cents(" 0.05 "), 5);
    EXPECT_EQ(parse_cents("2.500"), 250);   // trailing zeros are still whole cents
    EXPECT_EQ(parse_cents(".25"), 25);
    EXPECT_EQ(parse_cents("0"), 0);
    EXPECT_FALSE(parse_cents("1.005"));      // a fraction of a cent is refused, not rounded
    EXPECT_FALSE(parse_cents("-1"));
    EXPECT_FALSE(parse_cents("1e3"));
    EXPECT_FALSE(parse_cents(""));
    EXPECT_FALSE(parse_cents("."));
    EXPECT_FALSE(parse_cents("NaN"));
    EXPECT_FALSE(parse_cents("1000000000001"));
    EXPECT_EQ(parse_cents("1000000000000"), 100000000000000);
}
