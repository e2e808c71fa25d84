// Age/sex edits before the crosswalk (v28_rules.md §8, v24_rules.md §5, golden README "Edits").
#include <gtest/gtest.h>

#include "support.hpp"

using namespace hccraf;
using namespace hccraf::test;
using S = std::set<int>;

namespace {
const ModelImage& v28() { return release_image("V28", 2026); }
const ModelImage& v24() { return release_image("V24", 2026); }
S hccs(const ModelImage& img, const Patient& p, std::initializer_list<const char*> codes) {
    return hcc_numbers(img, score_codes(img, p, codes).hccs);
}
}  // namespace

// Mandatory rule 1: female D66/D67 -> CC112 (V28) / CC48 (V24) instead of the male hemophilia CC.
TEST(MandatoryEdit, Rule1FemaleHemophiliaCodes) {
    EXPECT_EQ(hccs(v28(), person(70, Sex::Female), {"D66"}), S{112});
    EXPECT_EQ(hccs(v28(), person(45, Sex::Female), {"D67"}), S{112});
    EXPECT_EQ(hccs(v28(), person(30, Sex::Male), {"D66"}), S{111});
    EXPECT_EQ(hccs(v24(), person(70, Sex::Female), {"D66"}), S{48});
    EXPECT_EQ(hccs(v24(), person(30, Sex::Male), {"D66"}), S{46});
}

// Rule 2: COPD codes under 18 dropped (V28) / CC112 (V24); at 18 the crosswalk applies.
TEST(MandatoryEdit, Rule2CopdUnder18) {
    EXPECT_EQ(hccs(v28(), person(15, Sex::Male, '2'), {"J44.9"}), S{});
    EXPECT_EQ(hccs(v28(), person(17, Sex::Female, '1'), {"J44.81"}), S{});
    EXPECT_EQ(hccs(v28(), person(18, Sex::Male, '1'), {"J44.9"}), S{280});
    EXPECT_EQ(hccs(v24(), person(15, Sex::Male, '2'), {"J44.9"}), S{112});
    EXPECT_EQ(hccs(v24(), person(18, Sex::Male, '1'), {"J44.9"}), S{111});
}

// Rule 3 (V28): breast cancer under 50 -> CC22 instead of CC23.
TEST(MandatoryEdit, Rule3BreastCancerUnder50) {
    EXPECT_EQ(hccs(v28(), person(49, Sex::Female, '1'), {"C50.412"}), S{22});
    EXPECT_EQ(hccs(v28(), person(50, Sex::Female, '1'), {"C50.912"}), S{23});
}

// An edit acts on the code even when the year's crosswalk does not list it (golden H44).
TEST(MandatoryEdit, ActsOnCodesMissingFromTheCrosswalk) {
    int cc[2];
    EXPECT_EQ(release_image("V28", 2025).map_code(*parse_icd("C50.A0"), cc), 0);
    EXPECT_EQ(hccs(release_image("V28", 2025), person(45, Sex::Female, '1'), {"C50.A0"}), S{22});
    EXPECT_EQ(hccs(release_image("V28", 2025), person(55, Sex::Female, '1'), {"C50.A0"}), S{});
    EXPECT_EQ(hccs(v28(), person(45, Sex::Female, '1'), {"C50.A0"}), S{22});
}

// Rule 4 (V28): newborn P-codes dropped from age 2.
TEST(MandatoryEdit, Rule4NewbornCodesFromAge2) {
    EXPECT_EQ(hccs(v28(), person(1, Sex::Female, '2'), {"P04.0"}), S{137});
    EXPECT_EQ(hccs(v28(), person(5, Sex::Male, '2'), {"P04.0"}), S{});
}

// V24 rule 3: F34.81 valid only at ages 6-18.
TEST(MandatoryEdit, V24Rule3F3481Outside6To18) {
    EXPECT_EQ(hccs(v24(), person(5, Sex::Male, '2'), {"F34.81"}), S{});
    EXPECT_EQ(hccs(v24(), person(10, Sex::Female, '2'), {"F34.81"}), S{59});
    EXPECT_EQ(hccs(v24(), person(18, Sex::Female, '2'), {"F34.81"}), S{59});
    EXPECT_EQ(hccs(v24(), person(30, Sex::Female, '1'), {"F34.81"}), S{});
}

// The mandatory edits are one IF/ELSE chain: the first rule that fires decides.
TEST(MandatoryEdit, FirstMatchWins) {
    OwnedImage img(synthetic_release());
    // X9999: rule 5 (valid 40+) -> CC226 only; rule 6 (valid 50+) -> drop.
    EXPECT_EQ(hccs(img.view, person(30, Sex::Male), {"X9999"}), S{226});  // both fire: rule 5
    EXPECT_EQ(hccs(img.view, person(45, Sex::Male), {"X9999"}), S{});     // only rule 6 fires
    EXPECT_EQ(hccs(img.view, person(55, Sex::Male), {"X9999"}), (S{17, 38}));  // none: crosswalk
}

// An edit that names a CC sets only that CC: the code's second crosswalk CC is not set.
TEST(MandatoryEdit, NamedCcReplacesTheWholeCrosswalkResult) {
    OwnedImage img(synthetic_release());
    EXPECT_EQ(hccs(img.view, person(30, Sex::Male), {"X9999"}), S{226});  // not 17 nor 38
}

// MCE age edits: a code used outside its category's ages is dropped (V28 only).
TEST(MceEdit, PediatricCodeDroppedFrom18) {
    EXPECT_EQ(hccs(v28(), person(45, Sex::Female, '1', Dual::Full), {"C93.30"}), S{});
    EXPECT_EQ(hccs(v28(), person(10, Sex::Male, '2'), {"C93.30", "G93.7"}), (S{20, 127}));
}

TEST(MceEdit, NewbornCodeValidAtAgeZeroOnly) {
    EXPECT_EQ(hccs(v28(), person(0, Sex::Male, '2'), {"E84.11"}), S{277});
    EXPECT_EQ(hccs(v28(), person(1, Sex::Female, '2'), {"E84.11"}), S{});
}

TEST(MceEdit, MaternityCodesValid9To64) {
    EXPECT_EQ(hccs(v28(), person(70, Sex::Female), {"F53.1", "C58"}), S{});
    EXPECT_EQ(hccs(v28(), person(40, Sex::Female, '1', Dual::Full), {"F53.1", "C58"}), (S{22, 152}));
    EXPECT_EQ(hccs(v24(), person(70, Sex::Female), {"F53.1", "C58"}).size(), 2u);  // no V24 MCE
}

TEST(MceEdit, DropsBothCcsOfATwoCcCode) {
    EXPECT_EQ(hccs(v28(), person(12, Sex::Female, '2', Dual::Full), {"I70.25"}), S{});
    EXPECT_EQ(hccs(v28(), person(77, Sex::Male), {"I70.25"}), (S{263}));  // 263 drops 383
    OwnedImage img(synthetic_release());
    EXPECT_EQ(hccs(img.view, person(14, Sex::Male), {"E11.52"}), S{});
    EXPECT_EQ(hccs(img.view, person(15, Sex::Male), {"E11.52"}), (S{38, 226}));
}

// MCE runs after the mandatory chain and can overwrite its CC with a drop (§8.2).
TEST(MceEdit, OverwritesAMandatoryCc) {
    OwnedImage img(synthetic_release());
    EXPECT_EQ(hccs(img.view, person(40, Sex::Female), {"C50.911"}), S{22});  // mandatory only
    EXPECT_EQ(hccs(img.view, person(5, Sex::Female), {"C50.911"}), S{});     // + MCE (9-64)
    EXPECT_EQ(hccs(img.view, person(70, Sex::Female), {"C50.911"}), S{});    // MCE only
    EXPECT_EQ(hccs(img.view, person(60, Sex::Female), {"C50.911"}), S{23});  // neither
}
