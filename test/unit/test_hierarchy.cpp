// CC223 patch (v28_rules.md §10) and hierarchies in CMS file order on current values (§11).
#include <gtest/gtest.h>

#include "support.hpp"

using namespace hccraf;
using namespace hccraf::test;
using S = std::set<int>;

namespace {
const ModelImage& v28() { return release_image("V28", 2026); }
S hccs(const ModelImage& img, const Patient& p, std::initializer_list<const char*> codes) {
    return hcc_numbers(img, score_codes(img, p, codes).hccs);
}
const Patient kMan74 = person(74, Sex::Male);
}  // namespace

// Z95.811 -> CC223; I50.22 -> 226; I42.0 -> 227; Z94.1 -> 221; I50.84 -> 222, I50.21 -> 225.
TEST(Cc223Patch, AloneItIsDropped) {
    EXPECT_EQ(hccs(v28(), kMan74, {"Z95.811"}), S{});
    ScoreResult r = score_codes(v28(), kMan74, {"Z95.811"});
    EXPECT_EQ(r.raw, m("0.396"));  // only CNA_M70_74 (golden H13)
    EXPECT_EQ(r.count_variable, 0);
}

TEST(Cc223Patch, Cc227DoesNotKeepIt) {
    EXPECT_EQ(hccs(v28(), kMan74, {"Z95.811", "I42.0"}), S{227});
}

TEST(Cc223Patch, Cc226KeepsItAndTheHierarchyThenApplies) {
    // 223 survives the patch, then rule 38 (223 -> 224..227) removes 226.
    EXPECT_EQ(hccs(v28(), kMan74, {"Z95.811", "I50.22"}), S{223});
}

TEST(Cc223Patch, OtherKeepersAndTheirHierarchy) {
    EXPECT_EQ(hccs(v28(), person(58, Sex::Female, '1', Dual::Partial), {"Z95.811", "Z94.1"}), S{221});
    EXPECT_EQ(hccs(v28(), person(83, Sex::Female), {"Z95.811", "I50.84", "I50.21"}), S{222});
    EXPECT_EQ(hccs(v28(), person(69, Sex::Male), {"Z95.811", "I50.23"}), S{223});  // 224 keeps it
}

TEST(Cc223Patch, OnlyInV28) {
    EXPECT_TRUE(v28().has_cc223_patch());
    EXPECT_FALSE(release_image("V24", 2026).has_cc223_patch());
    ReleaseData d = synthetic_release();
    d.model_version = "V99";
    OwnedImage other(d);
    EXPECT_FALSE(other.view.has_cc223_patch());
    EXPECT_EQ(hccs(other.view, kMan74, {"Z95.811"}), S{223});
}

// Z94.4 -> 62, K72.11 -> 63, R40.20 -> 202, K74.60 -> 64, S06.1X5A -> 397.
TEST(Hierarchy, Chain62_63_202KeepsHcc202) {
    // Rule 10 (62) zeroes 63; rule 11 then tests the CURRENT HCC63 = 0 and does nothing.
    EXPECT_EQ(hccs(v28(), person(72, Sex::Female), {"Z94.4", "K72.11", "R40.20"}), (S{62, 202}));
}

TEST(Hierarchy, Contrast63_202DropsHcc202) {
    EXPECT_EQ(hccs(v28(), person(72, Sex::Female), {"K72.11", "R40.20"}), S{63});
}

TEST(Hierarchy, ParentListsItsGrandchildDirectly) {
    EXPECT_EQ(hccs(v28(), person(71, Sex::Male), {"Z94.4", "K72.11", "K74.60"}), S{62});
    EXPECT_EQ(hccs(v28(), person(80, Sex::Female, '0', Dual::Full), {"S06.1X5A", "R40.20", "K72.11"}),
              (S{63, 397}));
}

TEST(Hierarchy, CerebralPalsyRulesRunAfterSpinalRules) {
    EXPECT_EQ(hccs(v28(), person(40, Sex::Female, '1'), {"G80.0", "G82.50", "G81.91"}), S{191});
    EXPECT_EQ(hccs(v28(), person(33, Sex::Male, '1', Dual::Full), {"G80.1", "G82.50"}), S{192});
}

// The engine follows rule_order, not the parent's number: with the 62 and 63 rules swapped,
// 63 fires first (dropping 202), then 62 drops 63.
TEST(Hierarchy, AppliedInRuleOrderNotHccNumberOrder) {
    OwnedImage normal(synthetic_release());
    EXPECT_EQ(hccs(normal.view, person(72, Sex::Female), {"Z94.4", "K72.11", "R40.20"}), (S{62, 202}));
    ReleaseData d = synthetic_release();
    for (auto& r : d.hierarchy) {
        if (r.superior_hcc == 62) r.rule_order = 4;
        else if (r.superior_hcc == 63) r.rule_order = 3;
    }
    OwnedImage swapped(d);
    EXPECT_EQ(hccs(swapped.view, person(72, Sex::Female), {"Z94.4", "K72.11", "R40.20"}), S{62});
}

TEST(Hierarchy, NoCodesNoHccs) {
    ScoreResult r = score_codes(v28(), person(78, Sex::Female), {});
    EXPECT_TRUE(r.hccs.empty());
    EXPECT_EQ(r.payment_hcc_count, 0);
    EXPECT_EQ(r.interactions, 0u);
    EXPECT_EQ(r.count_variable, 0);
    EXPECT_EQ(r.raw, m("0.465"));  // CNA_F75_79 (golden H54)
}
