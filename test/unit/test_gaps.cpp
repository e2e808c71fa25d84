// Recapture gaps (gaps.hpp) and specificity upgrades (specificity.hpp) on the shipped V28 PY2026
// release. Expected values are computed by hand in the comments (CNA factors of
// data/V28/2026/factors.csv; payment(raw) = round3(round3(raw / 1.067) x 0.941)); the SQL
// tests (sql/hcc_gaps.sql) check the same cases through PostgreSQL.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "errors.hpp"
#include "gaps.hpp"
#include "golden_rows.hpp"
#include "specificity.hpp"
#include "support.hpp"

using namespace hccraf;
using namespace hccraf::test;

namespace {

const ModelImage& v28() {
    return release_image("V28", 2026);
}

// The SQL layer's default patient: female, 72, community, non-dual, OREC 0 (CNA, F70_74 0.395).
Patient cna72() {
    return person(72, Sex::Female);
}

std::vector<IcdKey> keys(std::initializer_list<const char*> codes) {
    std::vector<IcdKey> out;
    for (const char* c : codes) out.push_back(*parse_icd(c));
    return out;
}

std::vector<IcdKey> keys(const CodeList& list) {
    return std::vector<IcdKey>(list.begin(), list.end());
}

GapReport gaps(std::initializer_list<const char*> prior, std::initializer_list<const char*> current,
               const Patient& p = cna72(), const ModelImage& image = v28()) {
    std::vector<IcdKey> a = keys(prior), b = keys(current);
    return find_gaps(image, p, a.data(), a.size(), b.data(), b.size());
}

const GapRow& row(const GapReport& r, int hcc) {
    auto it = std::find_if(r.rows.begin(), r.rows.end(), [&](const GapRow& g) { return g.hcc == hcc; });
    if (it == r.rows.end()) throw std::runtime_error("no row for HCC" + std::to_string(hcc));
    return *it;
}

}  // namespace

// 0.561 -> 0.495; + J44.9 0.319 = 0.880 -> 0.825 x 0.941 = 0.776325 -> 0.776; delta 0.281.
TEST(Gaps, SimpleGap) {
    GapReport r = gaps({"E11.9", "J44.9"}, {"E11.9"});
    EXPECT_TRUE(r.payment);
    EXPECT_EQ(r.segment, Segment::CNA);
    EXPECT_EQ(r.current_score, m("0.495"));
    EXPECT_EQ(row(r, 280).status, GapStatus::Gap);
    EXPECT_EQ(row(r, 280).delta, m("0.281"));
    EXPECT_EQ(row(r, 38).status, GapStatus::Recaptured);
    EXPECT_EQ(row(r, 38).delta, 0);
    EXPECT_EQ(r.rows.front().hcc, 280);  // sorted by value
}

// Current N18.30 (0.522 -> 0.460); adding N18.4: HCC327 drops HCC329 (0.909 -> 0.802): 0.342.
TEST(Gaps, GapInsideHierarchyIsWorthTheDifference) {
    GapReport r = gaps({"N18.4"}, {"N18.30"});
    const GapRow& g = row(r, 327);
    EXPECT_EQ(g.status, GapStatus::Downgraded);
    EXPECT_EQ(hcc_numbers(v28(), g.related), (std::set<int>{329}));
    EXPECT_EQ(g.delta, m("0.342"));
    EXPECT_EQ(row(r, 329).status, GapStatus::New);
    GapReport up = gaps({"N18.30"}, {"N18.4"});
    EXPECT_EQ(row(up, 327).status, GapStatus::Upgraded);
    EXPECT_EQ(row(up, 329).status, GapStatus::Superseded);
    EXPECT_EQ(row(up, 329).delta, 0);
}

// E11.9 current (0.495); + I50.22 0.360 + DIABETES_HF 0.112 = 1.033 -> 0.911: 0.416.
TEST(Gaps, GapCompletingAnInteraction) {
    EXPECT_EQ(row(gaps({"E11.9", "I50.22"}, {"E11.9"}), 226).delta, m("0.416"));
}

// Four HCCs (1.683 -> 1.484); + HCC155 0.299 + D5 0.050 = 2.032 -> 1.792: 0.308.
TEST(Gaps, GapMovingTheCountVariable) {
    GapReport r = gaps({"E11.9", "E66.01", "M06.9", "J44.9", "F33.1"}, {"E11.9", "E66.01", "M06.9", "J44.9"});
    EXPECT_EQ(r.current_score, m("1.484"));
    EXPECT_EQ(row(r, 155).delta, m("0.308"));
}

// E11.9 + I50.22 against nothing: singles 0.147 and 0.318 (0.465), joint 0.911 - 0.348 = 0.563.
TEST(Gaps, JointDeltaIsNotTheSumOfSingles) {
    GapReport r = gaps({"E11.9", "I50.22"}, {});
    EXPECT_EQ(row(r, 38).delta, m("0.147"));
    EXPECT_EQ(row(r, 226).delta, m("0.318"));
    EXPECT_EQ(r.sum_of_single_deltas(), m("0.465"));
    EXPECT_EQ(r.current_score, m("0.348"));
    EXPECT_EQ(r.closed_score, m("0.911"));
    EXPECT_EQ(r.joint_delta(), m("0.563"));
}

TEST(Gaps, EveryStatus) {
    GapReport r = gaps({"E11.22", "N18.4", "J44.9", "I50.22"}, {"E11.9", "N18.5", "J44.9", "F33.1"});
    EXPECT_EQ(row(r, 37).status, GapStatus::Downgraded);
    EXPECT_EQ(row(r, 37).delta, 0);  // HCC37 and HCC38 are both 0.166 in V28
    EXPECT_EQ(row(r, 38).status, GapStatus::New);
    EXPECT_EQ(hcc_numbers(v28(), row(r, 38).related), (std::set<int>{37}));
    EXPECT_EQ(row(r, 326).status, GapStatus::Upgraded);
    EXPECT_EQ(row(r, 327).status, GapStatus::Superseded);
    EXPECT_EQ(row(r, 280).status, GapStatus::Recaptured);
    EXPECT_EQ(row(r, 155).status, GapStatus::New);
    EXPECT_EQ(row(r, 226).status, GapStatus::Gap);
    EXPECT_EQ(row(r, 226).delta, m("0.684"));  // 1.994 -> 1.759; 2.770 -> 2.443
    GapReport own = gaps({"E11.22", "E11.9"}, {});
    EXPECT_EQ(row(own, 37).status, GapStatus::Gap);
    EXPECT_EQ(row(own, 38).status, GapStatus::Superseded);  // dropped by the prior's HCC37
    EXPECT_EQ(gap_status_name(GapStatus::Downgraded), std::string("downgraded"));
}

// The codes of an HCC are the codes that set it after the person's edits: D66 (crosswalk:
// HCC111, hemophilia) sets CC112 instead for a woman (mandatory edit 1).
TEST(Gaps, CodesFollowTheEdits) {
    GapReport woman = gaps({"D66"}, {});
    ASSERT_EQ(woman.rows.size(), 1u);
    EXPECT_EQ(woman.rows[0].hcc, 112);
    EXPECT_EQ(keys(woman.rows[0].prior_codes), keys({"D66"}));
    GapReport man = gaps({"D66"}, {}, person(72, Sex::Male));
    ASSERT_EQ(man.rows.size(), 1u);
    EXPECT_EQ(man.rows[0].hcc, 111);
}

// A release without payment role is valued on the raw score: V24 HCC19 0.105 alone.
TEST(Gaps, RawScoreWithoutPaymentRole) {
    GapReport r = gaps({"E11.9"}, {}, cna72(), release_image("V24", 2026));
    EXPECT_FALSE(r.payment);
    EXPECT_EQ(row(r, 19).delta, m("0.105"));
}

TEST(Gaps, RevenueIsExactCentsHalfAwayFromZero) {
    EXPECT_EQ(revenue_cents(m("0.563"), 1'100'000), 619'300);  // 0.563 x 11000.00
    EXPECT_EQ(revenue_cents(m("0.281"), 123'456), 34'691);     // 346.91136 -> 346.91
    EXPECT_EQ(revenue_cents(m("0.342"), 250), 86);             // 0.855 -> 0.86
    EXPECT_EQ(revenue_cents(-m("0.342"), 250), -86);           // symmetric
    EXPECT_EQ(revenue_cents(0, 1'100'000), 0);
    EXPECT_THROW(revenue_cents(1, -1), InputError);
    EXPECT_THROW(revenue_cents(1, kMaxBaseRateCents + 1), InputError);
}

TEST(Specificity, PatternsAndRuleParsing) {
    CodePattern p = parse_code_pattern("n18*");
    EXPECT_TRUE(p.prefix);
    EXPECT_TRUE(p.matches(*parse_icd("N18.30")));
    EXPECT_FALSE(p.matches(*parse_icd("N17.9")));
    EXPECT_TRUE(parse_code_pattern("E11.9").matches(*parse_icd("E119")));
    EXPECT_FALSE(parse_code_pattern("E119").matches(*parse_icd("E1190")));
    EXPECT_THROW(parse_code_pattern("N1*"), DataError);
    EXPECT_THROW(parse_code_pattern("*"), DataError);
    EXPECT_THROW(make_specificity_rule("X", "E119", "", "", "N18*", "r", "ref"), DataError);
    EXPECT_THROW(make_specificity_rule("X", "", "", "", "E1122", "r", "ref"), DataError);
    EXPECT_THROW(make_specificity_rule("X", "E119 N18?", "", "", "E1122", "r", "ref"), DataError);
    SpecificityRule r = make_specificity_rule("HTN_HF_CKD", "I10 I50* N181|N182|N183*|N184|N189", "N185 N186",
                                              "I10", "I130", "r", "ref");
    EXPECT_EQ(r.required.size(), 3u);
    EXPECT_EQ(r.required[2].size(), 5u);
}

TEST(Specificity, MatchesAndValuesWithTheScorer) {
    std::vector<SpecificityRule> rules = {
        make_specificity_rule("DM2_CKD", "E119 N18*", "", "E119", "E1122", "r", "ref"),
        make_specificity_rule("HTN_CKD", "I10 N181|N182|N183*|N184|N189", "I50*", "I10", "I129", "r", "ref"),
        make_specificity_rule("HTN_HF", "I10 I50*", "N18*", "I10", "I110", "r", "ref"),
    };
    std::vector<IcdKey> cur = keys({"E11.9", "N18.30", "I10"});
    auto hits = find_specificity_upgrades(v28(), cna72(), cur.data(), cur.size(), rules);
    ASSERT_EQ(hits.size(), 2u);
    EXPECT_EQ(hits[0].rule->id, "DM2_CKD");
    EXPECT_EQ(keys(hits[0].removed), keys({"E11.9"}));
    EXPECT_EQ(keys(hits[0].added), keys({"E11.22"}));
    EXPECT_EQ(hcc_numbers(v28(), hits[0].hccs_after), (std::set<int>{37, 329}));
    EXPECT_EQ(hits[0].delta(), 0);  // 0.688 before and after: HCC37 = HCC38 = 0.166
    EXPECT_EQ(hits[1].rule->id, "HTN_CKD");
    // An I50 code makes HTN_CKD yield (unless) and HTN_HF stays out (N18 present).
    cur = keys({"I10", "I50.22", "N18.30"});
    EXPECT_TRUE(find_specificity_upgrades(v28(), cna72(), cur.data(), cur.size(), rules).empty());
    // Nothing to suggest when the combination code is already present.
    cur = keys({"E11.9", "E11.22", "N18.30"});
    EXPECT_TRUE(find_specificity_upgrades(v28(), cna72(), cur.data(), cur.size(), rules).empty());
    // Under V24 PY2026 (raw) the same upgrade is worth HCC18 0.302 - HCC19 0.105 = 0.197.
    cur = keys({"E11.9", "N18.30"});
    auto v24 = find_specificity_upgrades(release_image("V24", 2026), cna72(), cur.data(), cur.size(), rules);
    ASSERT_EQ(v24.size(), 1u);
    EXPECT_EQ(v24[0].delta(), m("0.197"));
}

// The acceptance property on every golden V28 PY2026 patient: for each HCC its codes set,
// removing those codes and asking find_gaps(all, without) gives score(all) - score(without).
TEST(Gaps, GoldenPropertyMarginalEqualsScoreDifference) {
    csv::Table t = read_fixture("golden_v28_2026.csv");
    std::size_t checked = 0, nonzero = 0;
    for (const GoldenRow& g : golden_rows(t, 2026)) {
        const std::vector<IcdKey>& all = g.keys;
        GapReport base = find_gaps(v28(), g.patient, all.data(), all.size(), nullptr, 0);
        EXPECT_EQ(base.closed_score, parse_milli(g["payment_score"])) << g.id;
        for (const GapRow& h : base.rows) {
            std::vector<IcdKey> without;
            for (IcdKey k : all)
                if (std::find(h.prior_codes.begin(), h.prior_codes.end(), k) == h.prior_codes.end())
                    without.push_back(k);
            GapReport r = find_gaps(v28(), g.patient, all.data(), all.size(), without.data(), without.size());
            Milli expected = gap_score(v28(), g.patient, all.data(), all.size()) -
                             gap_score(v28(), g.patient, without.data(), without.size());
            EXPECT_EQ(row(r, h.hcc).delta, expected) << g.id << " HCC" << h.hcc;
            ++checked;
            nonzero += expected != 0;
        }
    }
    EXPECT_EQ(checked, 2813u);  // the same count as sql/hcc_gaps_property.sql
    EXPECT_GT(nonzero, 2000u);
}

// The shipped rule file parses with the core's rule builder (as hcc_specificity will read it
// from hccraf.specificity_rule), and each rule fires on its own minimal example.
TEST(Specificity, ShippedRulesParseAndFire) {
    csv::Table t = csv::read_file(std::string(HCCRAF_DATA_DIR) + "/specificity_rules.csv");
    std::vector<SpecificityRule> rules;
    for (const auto& r : t.rows)
        rules.push_back(make_specificity_rule(
            r[t.column("rule_id")], r[t.column("requires")], r[t.column("unless")], r[t.column("replaces")],
            r[t.column("suggest")], r[t.column("reason")], r[t.column("guideline_reference")]));
    ASSERT_EQ(rules.size(), 11u);
    struct Case {
        std::vector<IcdKey> codes;
        const char* rule;
    };
    const Case cases[] = {
        {keys({"E10.9", "N18.4"}), "DM1_CKD"},
        {keys({"E10.9", "I73.9"}), "DM1_PERIPHERAL_ANGIOPATHY"},
        {keys({"E10.9", "G62.9"}), "DM1_POLYNEUROPATHY"},
        {keys({"E11.9", "N18.1"}), "DM2_CKD"},
        {keys({"E11.9", "I73.9"}), "DM2_PERIPHERAL_ANGIOPATHY"},
        {keys({"E11.9", "G62.9"}), "DM2_POLYNEUROPATHY"},
        {keys({"I10", "N18.32"}), "HTN_CKD"},
        {keys({"I10", "N18.6"}), "HTN_CKD_STAGE5"},
        {keys({"I10", "I50.9"}), "HTN_HF"},
        {keys({"I10", "I50.9", "N18.9"}), "HTN_HF_CKD"},
        {keys({"I10", "I50.9", "N18.5"}), "HTN_HF_CKD_STAGE5"},
    };
    for (const Case& c : cases) {
        auto hits = find_specificity_upgrades(v28(), cna72(), c.codes.data(), c.codes.size(), rules);
        ASSERT_EQ(hits.size(), 1u) << c.rule;
        EXPECT_EQ(hits[0].rule->id, c.rule);
    }
}
