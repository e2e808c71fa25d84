// Age on 1 February (v28_rules.md §4) and the segment choice (golden README "Segment").
#include <gtest/gtest.h>

#include "errors.hpp"
#include "scorer.hpp"

using namespace hccraf;

TEST(AgeOnFeb1, CompletedYearsOnFirstFebruary) {
    EXPECT_EQ(age_on_feb1(1957, 6, 15, 2026), 68);  // worked example 1
    EXPECT_EQ(age_on_feb1(1961, 2, 1, 2026), 65);   // birthday on 1 Feb counts as reached
    EXPECT_EQ(age_on_feb1(1961, 2, 2, 2026), 64);
    EXPECT_EQ(age_on_feb1(1961, 1, 31, 2026), 65);
    EXPECT_EQ(age_on_feb1(1959, 9, 10, 2026), 66);  // worked example 4
}

TEST(AgeOnFeb1, TwentyNinthOfFebruaryCountsAsAfterFirstFebruary) {
    EXPECT_EQ(age_on_feb1(1960, 2, 29, 2026), 65);  // golden H62
    EXPECT_EQ(age_on_feb1(1960, 2, 29, 2025), 64);
    EXPECT_EQ(age_on_feb1(1960, 2, 29, 2024), 63);  // even in a leap payment year
}

TEST(AgeOnFeb1, BornAfterFirstFebruaryClampsToZero) {
    EXPECT_EQ(age_on_feb1(2026, 1, 2, 2026), 0);    // golden R0564: born before 1 Feb
    EXPECT_EQ(age_on_feb1(2025, 9, 10, 2026), 0);   // golden H22
    EXPECT_EQ(age_on_feb1(2026, 6, 1, 2026), 0);    // -1 in the formula, SAS clamps to 0
    EXPECT_EQ(age_on_feb1(2026, 12, 31, 2026), 0);
}

TEST(AgeOnFeb1, RejectsImpossibleInput) {
    EXPECT_THROW(age_on_feb1(2027, 1, 1, 2026), InputError);  // after the payment year
    EXPECT_THROW(age_on_feb1(2023, 2, 29, 2026), InputError);
    EXPECT_THROW(age_on_feb1(2000, 13, 1, 2026), InputError);
    EXPECT_THROW(age_on_feb1(2000, 4, 31, 2026), InputError);
    EXPECT_NO_THROW(age_on_feb1(2000, 2, 29, 2026));
}

namespace {
Segment seg(int age, Dual dual, bool ins = false, bool ne = false, bool snp = false) {
    Patient p;
    p.age = age;
    p.dual = dual;
    p.institutional = ins;
    p.new_enrollee = ne;
    p.snp_new_enrollee = snp;
    return choose_segment(p);
}
}  // namespace

TEST(ChooseSegment, CommunityByDualStatusAndAge) {
    EXPECT_EQ(seg(65, Dual::Non), Segment::CNA);
    EXPECT_EQ(seg(64, Dual::Non), Segment::CND);
    EXPECT_EQ(seg(80, Dual::Full), Segment::CFA);
    EXPECT_EQ(seg(45, Dual::Full), Segment::CFD);
    EXPECT_EQ(seg(77, Dual::Partial), Segment::CPA);
    EXPECT_EQ(seg(0, Dual::Partial), Segment::CPD);
}

TEST(ChooseSegment, NewEnrolleeBeforeInstitutionalBeforeCommunity) {
    EXPECT_EQ(seg(60, Dual::Full, true), Segment::INS);
    EXPECT_EQ(seg(80, Dual::Full, true, true), Segment::NE);   // golden H63
    EXPECT_EQ(seg(70, Dual::Non, false, true, true), Segment::SNPNE);
    EXPECT_EQ(seg(70, Dual::Non, true, true, true), Segment::SNPNE);
}

TEST(ChooseSegment, Names) {
    EXPECT_STREQ(segment_name(Segment::CFD), "CFD");
    EXPECT_STREQ(segment_name(Segment::SNPNE), "SNPNE");
    EXPECT_EQ(parse_segment("INS"), Segment::INS);
    EXPECT_FALSE(parse_segment("ins").has_value());
}
