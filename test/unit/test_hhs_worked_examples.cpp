// The worked examples of ../shared/cms/spec/hhs_hcc_v08_rules.md §11 and the rules stated in its
// text (§2 age and model, §3 enrollment duration, §4 crosswalk examples, §5 hierarchy / count,
// §8 CSR), scored on the shipped HHS_V08 releases. Every expected number is the spec's own or a
// hand sum of the factors in data/HHS_V08/<year>/factors.csv, written next to it; on every case
// the explanation's coefficients must add up to the raw score.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <string>
#include <vector>

#include "errors.hpp"
#include "hhs_model.hpp"
#include "support.hpp"

using namespace hccraf;
using namespace hccraf::test;
using N = std::set<std::string>;

namespace {

const ModelImage& by2026() {
    return release_image("HHS_V08", 2026);
}
const ModelImage& by2025() {
    return release_image("HHS_V08", 2025);
}

std::string upper(std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

struct Case {
    int age = 40;
    Sex sex = Sex::Female;
    Metal metal = Metal::Silver;
    int csr = 1;
    int days = 365;
    std::vector<std::string> dx, ndc, hcpcs;
};

Enrollee enrollee(const Case& c) {
    Enrollee e;
    e.age_last = c.age;
    e.sex = c.sex;
    e.metal = c.metal;
    e.csr_indicator = c.csr;
    e.enrollment_days = c.days;
    return e;
}

// Scores a case; also runs the explanation and checks that it gives the same raw score and that
// its coefficients add up to it (the last rule item of the brief, on every case).
HhsResult run(const ModelImage& img, const Case& c) {
    std::vector<IcdKey> codes;
    std::vector<std::uint64_t> drugs;
    for (const auto& d : c.dx) {
        IcdKey k = icd_key(d);
        EXPECT_TRUE(k) << d;
        if (k) codes.push_back(k);
    }
    for (const auto& d : c.ndc) {
        auto k = ndc_key(d);
        EXPECT_TRUE(k.has_value()) << d;
        if (k) drugs.push_back(*k);
    }
    for (const auto& d : c.hcpcs) {
        auto k = hcpcs_key(d);
        EXPECT_TRUE(k.has_value()) << d;
        if (k) drugs.push_back(*k);
    }
    const Enrollee e = enrollee(c);
    HhsResult r;
    hhs_score(img, e, codes.data(), codes.size(), drugs.data(), drugs.size(), r);

    HhsResult again;
    Milli sum = 0;
    for (const auto& row : hhs_explain(img, e, c.dx, c.ndc, c.hcpcs, again))
        if (row.coefficient) sum += *row.coefficient;
    EXPECT_EQ(format_milli(again.raw), format_milli(r.raw)) << "explain raw";
    EXPECT_EQ(format_milli(sum), format_milli(r.raw)) << "explain coefficients sum";
    return r;
}

// Names compare case-insensitively (T9 vs PF spellings, §0.1).
N vars(const ModelImage& img, const HhsResult& r) {
    N out;
    for (const auto& n : hhs_variable_names(img, r)) out.insert(upper(n));
    return out;
}

N slots(const ModelImage& img, const HccSet& set) {
    N out;
    set.for_each([&](int s) { out.insert(upper(img.hcc_name(s))); });
    return out;
}

// HCCs after the crosswalk and hierarchy, before grouping (HhsResult::hccs).
N hccs_of(const Case& c) {
    return slots(by2026(), run(by2026(), c).hccs);
}

Case adult(int age, Sex sex, std::vector<std::string> dx) {
    Case c;
    c.age = age;
    c.sex = sex;
    c.dx = std::move(dx);
    return c;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// §11 worked examples

// §11.1 (golden H01): M, DOB 1971-06-10, last day 2026-04-10 -> 54; silver, CSR 3, 100 days.
TEST(WorkedExampleHhs, Example1AdultSilverCsr3PartialYear) {
    Case c;
    c.age = age_on(1971, 6, 10, 2026, 4, 10);
    ASSERT_EQ(c.age, 54);
    c.sex = Sex::Male;
    c.metal = Metal::Silver;
    c.csr = 3;
    c.days = 100;
    c.dx = {"E11.65", "I50.22"};
    c.ndc = {"00002021301"};

    HhsResult r = run(by2026(), c);
    EXPECT_EQ(r.model, HhsModel::Adult);
    EXPECT_EQ(r.enrollment_months, 4);                                    // 100 days -> 4 (§3)
    EXPECT_EQ(slots(by2026(), r.hccs), (N{"HHS_HCC021", "HHS_HCC130"}));  // before grouping
    EXPECT_EQ(slots(by2026(), r.rxcs), N{"RXC_06"});
    EXPECT_EQ(slots(by2026(), r.groups), N{"G01"});
    EXPECT_EQ(slots(by2026(), r.scored), (N{"HHS_HCC130", "G01", "RXC_06"}));  // HCC021 := 0
    EXPECT_EQ(r.hcc_cnt, 2);                                                   // HCC130 + G01
    EXPECT_EQ(vars(by2026(), r), (N{"MAGE_LAST_50_54", "RXC_06_X_HCC018_019_020_021", "HCC_ED4"}));
    // 0.218 + 1.647 + 0.142 + 1.022 + 0.499 + 1.538 = 5.066
    EXPECT_EQ(r.raw, m("5.066"));
    EXPECT_EQ(r.score[static_cast<int>(Metal::Silver)], m("5.066"));
    EXPECT_EQ(r.csr_factor, 112);
    EXPECT_EQ(r.csr_adjusted_exact, 567392);  // 5.066 x 1.12 = 5.67392
    EXPECT_EQ(format_hundred_thousandths(r.csr_adjusted_exact), "5.67392");
    EXPECT_EQ(r.csr_adjusted, m("5.674"));

    // BY2025 factors (T9): 0.218 + 1.773 + 0.172 + 1.018 + 0.532 + 1.545 = 5.258; x 1.12 = 5.88896
    HhsResult r25 = run(by2025(), c);
    EXPECT_EQ(vars(by2025(), r25), (N{"MAGE_LAST_50_54", "RXC_06_X_HCC018_019_020_021", "HCC_ED4"}));
    EXPECT_EQ(r25.raw, m("5.258"));
    EXPECT_EQ(r25.csr_adjusted_exact, 588896);
    EXPECT_EQ(r25.csr_adjusted, m("5.889"));  // 5.88896 -> 5.889
}

// §11.2 (golden H02): F 41, gold, full year; E11.9 + insulin (RXC_06) + RXC_07 drug.
TEST(WorkedExampleHhs, Example2RxcHierarchy) {
    Case c = adult(41, Sex::Female, {"E11.9"});
    c.metal = Metal::Gold;
    c.ndc = {"00002021301", "00002115201"};
    HhsResult r = run(by2026(), c);
    EXPECT_EQ(slots(by2026(), r.rxcs), N{"RXC_06"});  // RXC_07 := 0 (§5.3)
    EXPECT_EQ(slots(by2026(), r.groups), N{"G01"});
    EXPECT_EQ(r.hcc_cnt, 1);
    const N v = vars(by2026(), r);
    EXPECT_EQ(v, (N{"FAGE_LAST_40_44", "RXC_06_X_HCC018_019_020_021"}));
    EXPECT_EQ(v.count("RXC_07_X_HCC018_019_020_021"), 0u);
    // 0.372 + 0.183 + 1.183 + 0.428 = 2.166
    EXPECT_EQ(r.raw, m("2.166"));
    EXPECT_EQ(r.csr_factor, 100);
    EXPECT_EQ(r.csr_adjusted, m("2.166"));

    // Without the insulin, RXC_07 survives with its (negative) interaction (gold BY2026):
    // 0.372 + 0.183 + RXC_07 0.760 + RXC_07_X_HCC018_019_020_021 (-0.182) = 1.133
    c.ndc = {"00002115201"};
    HhsResult r7 = run(by2026(), c);
    EXPECT_EQ(slots(by2026(), r7.rxcs), N{"RXC_07"});
    EXPECT_EQ(vars(by2026(), r7), (N{"FAGE_LAST_40_44", "RXC_07_X_HCC018_019_020_021"}));
    EXPECT_EQ(r7.raw, m("1.133"));
}

// §11.3 (golden H03): F, DOB 2017-11-20, last day 2026-09-30 -> 8; platinum.
TEST(WorkedExampleHhs, Example3ChildTransplantSevere) {
    Case c;
    c.age = age_on(2017, 11, 20, 2026, 9, 30);
    ASSERT_EQ(c.age, 8);
    c.sex = Sex::Female;
    c.metal = Metal::Platinum;
    c.dx = {"Z94.4", "N18.6", "G40.909", "E84.0"};
    HhsResult r = run(by2026(), c);
    EXPECT_EQ(r.model, HhsModel::Child);
    EXPECT_EQ(slots(by2026(), r.hccs), (N{"HHS_HCC034", "HHS_HCC184", "HHS_HCC120", "HHS_HCC159"}));
    EXPECT_TRUE(slots(by2026(), r.groups).empty());
    EXPECT_EQ(r.hcc_cnt, 4);
    EXPECT_EQ(vars(by2026(), r), (N{"FAGE_LAST_5_9", "SEVERE_HCC_COUNT4", "TRANSPLANT_HCC_COUNT4PLUS"}));
    // 0.153 + 12.113 + 25.623 + 1.475 + 51.368 - 9.240 + 13.213 = 94.705
    EXPECT_EQ(r.raw, m("94.705"));
    EXPECT_EQ(r.csr_adjusted, m("94.705"));

    // Platinum CSR 6 (1.31): 94.705 x 1.31 = 94.705 + 29.35855 = 124.06355 -> 124.064 (half up).
    c.csr = 6;
    HhsResult r6 = run(by2026(), c);
    EXPECT_EQ(r6.csr_factor, 131);
    EXPECT_EQ(r6.csr_adjusted_exact, 12406355);
    EXPECT_EQ(r6.csr_adjusted, m("124.064"));

    // The child model ignores the enrollment duration (§3): 100 days, no HCC_ED, same score.
    c.csr = 1;
    c.days = 100;
    HhsResult rd = run(by2026(), c);
    EXPECT_EQ(vars(by2026(), rd), (N{"FAGE_LAST_5_9", "SEVERE_HCC_COUNT4", "TRANSPLANT_HCC_COUNT4PLUS"}));
    EXPECT_EQ(rd.raw, m("94.705"));
}

// §11.4 (golden H04): M born 2026-02-14, last day 2026-12-31 -> 0; bronze CSR 4.
TEST(WorkedExampleHhs, Example4InfantExtremelyImmature) {
    Case c;
    c.age = age_on(2026, 2, 14, 2026, 12, 31);
    ASSERT_EQ(c.age, 0);
    c.sex = Sex::Male;
    c.metal = Metal::Bronze;
    c.csr = 4;
    c.dx = {"P07.02", "Z38.00", "Q79.0", "Q23.4"};
    HhsResult r = run(by2026(), c);
    EXPECT_EQ(r.model, HhsModel::Infant);
    // 243 (age = 0), 249 zeroed by 243, 64 (age < 2), 137; infants keep all HCCs.
    EXPECT_EQ(slots(by2026(), r.hccs), (N{"HHS_HCC243", "HHS_HCC064", "HHS_HCC137"}));
    EXPECT_EQ(r.severity, 5);  // 137
    EXPECT_EQ(r.maturity, 1);  // EXTREMELY_IMMATURE
    EXPECT_EQ(vars(by2026(), r), (N{"AGE0_MALE", "EXTREMELY_IMMATURE_X_SEVERITY5"}));
    // 0.484 + 199.930 = 200.414
    EXPECT_EQ(r.raw, m("200.414"));
    EXPECT_EQ(r.csr_factor, 151);
    EXPECT_EQ(r.csr_adjusted_exact, 30262514);  // 200.414 x 1.51 = 302.62514
    EXPECT_EQ(format_hundred_thousandths(r.csr_adjusted_exact), "302.62514");
    EXPECT_EQ(r.csr_adjusted, m("302.625"));
}

// §11.5 (golden H05): M born 2026-03-01 (age 0), silver, Q21.0 only.
TEST(WorkedExampleHhs, Example5Age0MaleWithoutNewbornHcc) {
    Case c;
    c.age = age_on(2026, 3, 1, 2026, 12, 31);
    ASSERT_EQ(c.age, 0);
    c.sex = Sex::Male;
    c.dx = {"Q21.0"};
    HhsResult r = run(by2026(), c);
    EXPECT_EQ(r.model, HhsModel::Infant);
    EXPECT_EQ(slots(by2026(), r.hccs), N{"HHS_HCC139"});
    EXPECT_EQ(r.severity, 3);
    EXPECT_EQ(r.maturity, 5);  // AGE1: no 242-249
    const N v = vars(by2026(), r);
    EXPECT_EQ(v, (N{"AGE1_MALE", "AGE1_X_SEVERITY3"}));
    EXPECT_EQ(v.count("AGE0_MALE"), 0u);
    // 0.044 + 2.325 = 2.369
    EXPECT_EQ(r.raw, m("2.369"));
}

// §11.6 (golden H29): F 33, gold, CSR 8 (1.39); M05.79 -> 56, K50.90 -> 48, NDC -> RXC_09.
TEST(WorkedExampleHhs, Example6Rxc09TripleInteractionExactHalf) {
    Case c = adult(33, Sex::Female, {"M05.79", "K50.90"});
    c.metal = Metal::Gold;
    c.csr = 8;
    c.ndc = {"00002144201"};
    HhsResult r = run(by2026(), c);
    EXPECT_EQ(slots(by2026(), r.hccs), (N{"HHS_HCC056", "HHS_HCC048"}));
    EXPECT_EQ(slots(by2026(), r.rxcs), N{"RXC_09"});
    EXPECT_EQ(r.hcc_cnt, 2);
    EXPECT_EQ(vars(by2026(), r), (N{"FAGE_LAST_30_34", "RXC_09_X_HCC056", "RXC_09_X_HCC048_041",
                                    "RXC_09_X_HCC056_057_AND_048_041"}));
    // 0.277 + 1.889 + 1.126 + 11.393 - 1.126 - 0.013 + 0.504 = 14.050
    EXPECT_EQ(r.raw, m("14.050"));
    EXPECT_EQ(r.score[static_cast<int>(Metal::Gold)], m("14.050"));
    EXPECT_EQ(r.csr_factor, 139);
    EXPECT_EQ(r.csr_adjusted_exact, 1952950);  // 14.050 x 1.39 = 19.5295 exactly
    EXPECT_EQ(format_hundred_thousandths(r.csr_adjusted_exact), "19.52950");
    EXPECT_EQ(r.csr_adjusted, m("19.530"));  // half up (binary float gives 19.529)
}

// §11.7 (golden H42-H46) and §5.8: the BY2026 PrEP affiliated cost factor.
TEST(WorkedExampleHhs, Example7PrepAcf) {
    // Adult M 27 silver, PrEP NDC only: 0.087 + ACF_PrEP 3.609 = 3.696.
    Case a = adult(27, Sex::Male, {});
    a.ndc = {"00247210401"};
    HhsResult r = run(by2026(), a);
    EXPECT_EQ(vars(by2026(), r), (N{"MAGE_LAST_25_29", "ACF_PREP"}));
    EXPECT_TRUE(slots(by2026(), r.rxcs).empty());
    EXPECT_EQ(r.hcc_cnt, 0);  // an ACF is not an HCC
    EXPECT_EQ(r.raw, m("3.696"));

    // An ACF alone does not trigger HCC_ED (§5.7, §5.8): 100 days, same variables and score.
    Case a_short = a;
    a_short.days = 100;
    HhsResult rs = run(by2026(), a_short);
    EXPECT_EQ(vars(by2026(), rs), (N{"MAGE_LAST_25_29", "ACF_PREP"}));
    EXPECT_EQ(rs.raw, m("3.696"));

    // + anti-HIV NDC 00003196401 (RXC_01): no ACF; 0.087 + RXC_01 4.309 = 4.396.
    Case a1 = a;
    a1.ndc = {"00247210401", "00003196401"};
    HhsResult r1 = run(by2026(), a1);
    EXPECT_EQ(slots(by2026(), r1.rxcs), N{"RXC_01"});
    EXPECT_EQ(vars(by2026(), r1), N{"MAGE_LAST_25_29"});
    EXPECT_EQ(r1.raw, m("4.396"));

    // Child 12 (M, silver) with PrEP HCPCS J0738: 0.113 + ACF_PrEP_Child 2.016 = 2.129.
    Case k = adult(12, Sex::Male, {});
    k.hcpcs = {"J0738"};
    HhsResult rk = run(by2026(), k);
    EXPECT_EQ(rk.model, HhsModel::Child);
    EXPECT_EQ(vars(by2026(), rk), (N{"MAGE_LAST_10_14", "ACF_PREP_CHILD"}));
    EXPECT_EQ(rk.raw, m("2.129"));

    // Child 11: nothing but the demographic cell, 0.113.
    Case k11 = k;
    k11.age = 11;
    HhsResult r11 = run(by2026(), k11);
    EXPECT_EQ(vars(by2026(), r11), N{"MAGE_LAST_10_14"});
    EXPECT_EQ(r11.raw, m("0.113"));

    // Child 18 with B20 (HCC001): no ACF; 0.135 + HHS_HCC001 3.934 = 4.069.
    Case k18 = k;
    k18.age = 18;
    k18.dx = {"B20"};
    HhsResult r18 = run(by2026(), k18);
    EXPECT_EQ(slots(by2026(), r18.hccs), N{"HHS_HCC001"});
    EXPECT_EQ(vars(by2026(), r18), N{"MAGE_LAST_15_20"});
    EXPECT_EQ(r18.raw, m("4.069"));

    // Infant (age 1, M) with the PrEP code: none (§5.8).
    Case inf = k;
    inf.age = 1;
    HhsResult ri = run(by2026(), inf);
    EXPECT_EQ(ri.model, HhsModel::Infant);
    EXPECT_EQ(vars(by2026(), ri), (N{"AGE1_MALE", "AGE1_X_SEVERITY1"}));

    // BY2025 has no ACF at all.
    // Adult PrEP NDC: in no BY2025 list -> MAGE_LAST_25_29 0.088 only.
    HhsResult p25 = run(by2025(), a);
    EXPECT_EQ(vars(by2025(), p25), N{"MAGE_LAST_25_29"});
    EXPECT_TRUE(slots(by2025(), p25.rxcs).empty());
    EXPECT_EQ(p25.raw, m("0.088"));
    // J0738 was an RXC_01 HCPCS in BY2025 (§5.8): 0.088 + RXC_01 4.345 = 4.433.
    Case a25 = a;
    a25.ndc = {};
    a25.hcpcs = {"J0738"};
    HhsResult j25 = run(by2025(), a25);
    EXPECT_EQ(slots(by2025(), j25.rxcs), N{"RXC_01"});
    EXPECT_EQ(vars(by2025(), j25), N{"MAGE_LAST_25_29"});
    EXPECT_EQ(j25.raw, m("4.433"));
    // Child 12 with J0738 in BY2025: drug codes ignored, MAGE_LAST_10_14 0.115 only.
    HhsResult k25 = run(by2025(), k);
    EXPECT_EQ(vars(by2025(), k25), N{"MAGE_LAST_10_14"});
    EXPECT_EQ(k25.raw, m("0.115"));
}

// §11.8 (golden H28, H23, H24): F born 2004-02-29, last day 2026-02-28 -> 21; silver.
TEST(WorkedExampleHhs, Example8EnrollmentDuration) {
    Case c;
    c.age = age_on(2004, 2, 29, 2026, 2, 28);
    ASSERT_EQ(c.age, 21);
    c.sex = Sex::Female;
    c.days = 59;
    c.dx = {"K50.90"};
    HhsResult r = run(by2026(), c);
    EXPECT_EQ(r.model, HhsModel::Adult);
    EXPECT_EQ(r.enrollment_months, 2);
    EXPECT_EQ(r.hcc_cnt, 1);
    EXPECT_EQ(vars(by2026(), r), (N{"FAGE_LAST_21_24", "HCC_ED2"}));
    // 0.131 + 1.810 + 4.057 = 5.998
    EXPECT_EQ(r.raw, m("5.998"));

    // 184 days -> 6 months -> HCC_ED6: 0.131 + 1.810 + 0.689 = 2.630
    c.days = 184;
    HhsResult r184 = run(by2026(), c);
    EXPECT_EQ(r184.enrollment_months, 6);
    EXPECT_EQ(vars(by2026(), r184), (N{"FAGE_LAST_21_24", "HCC_ED6"}));
    EXPECT_EQ(r184.raw, m("2.630"));

    // 185 days -> 7 months: no HCC_ED; 0.131 + 1.810 = 1.941
    c.days = 185;
    HhsResult r185 = run(by2026(), c);
    EXPECT_EQ(r185.enrollment_months, 7);
    EXPECT_EQ(vars(by2026(), r185), N{"FAGE_LAST_21_24"});
    EXPECT_EQ(r185.raw, m("1.941"));

    // No HCC, 59 days: no HCC_ED; 0.131
    c.days = 59;
    c.dx = {};
    HhsResult r0 = run(by2026(), c);
    EXPECT_EQ(r0.hcc_cnt, 0);
    EXPECT_EQ(vars(by2026(), r0), N{"FAGE_LAST_21_24"});
    EXPECT_EQ(r0.raw, m("0.131"));
}

// ---------------------------------------------------------------------------------------------
// Rules from the spec text

// §2: completed years on the last enrollment day; 29 February birthdays.
TEST(HhsRules, AgeOnLastEnrollmentDay) {
    EXPECT_EQ(age_on(2004, 2, 29, 2026, 2, 28), 21);  // 2026 - 2004 - 1
    EXPECT_EQ(age_on(2004, 2, 29, 2026, 3, 1), 22);
    EXPECT_EQ(age_on(2004, 2, 29, 2028, 2, 28), 23);  // leap year: not yet 29 Feb
    EXPECT_EQ(age_on(2004, 2, 29, 2028, 2, 29), 24);
    EXPECT_EQ(age_on(2005, 12, 31, 2026, 12, 30), 20);
    EXPECT_EQ(age_on(2005, 12, 31, 2026, 12, 31), 21);
    EXPECT_EQ(age_on(2026, 2, 14, 2026, 2, 14), 0);
    EXPECT_THROW(age_on(2005, 2, 29, 2026, 12, 31), InputError);  // impossible date
    EXPECT_THROW(age_on(2004, 13, 1, 2026, 12, 31), InputError);
    EXPECT_THROW(age_on(2004, 1, 1, 2026, 4, 31), InputError);
    EXPECT_THROW(age_on(2026, 6, 1, 2026, 5, 31), InputError);  // last day before the birth
}

// §2: Adult >= 21; Child 2..20; Infant 0, 1.
TEST(HhsRules, ModelCutOffs) {
    auto model_at = [](int age) {
        Case c;
        c.age = age;
        return run(by2026(), c).model;
    };
    EXPECT_EQ(model_at(0), HhsModel::Infant);
    EXPECT_EQ(model_at(1), HhsModel::Infant);
    EXPECT_EQ(model_at(2), HhsModel::Child);
    EXPECT_EQ(model_at(20), HhsModel::Child);
    EXPECT_EQ(model_at(21), HhsModel::Adult);
    EXPECT_EQ(model_at(90), HhsModel::Adult);
    // The §2 example: DOB 2005-12-31 -> child on 2026-12-30, adult on 2026-12-31.
    EXPECT_EQ(model_at(age_on(2005, 12, 31, 2026, 12, 30)), HhsModel::Child);
    EXPECT_EQ(model_at(age_on(2005, 12, 31, 2026, 12, 31)), HhsModel::Adult);
    Case neg;
    neg.age = -1;
    HhsResult r;
    Enrollee e = enrollee(neg);
    EXPECT_THROW(hhs_score(by2026(), e, nullptr, 0, nullptr, 0, r), InputError);
}

// §3: ENROLDURATION bands.
TEST(HhsRules, EnrollmentMonths) {
    EXPECT_EQ(enrollment_months(1), 1);
    EXPECT_EQ(enrollment_months(31), 1);
    EXPECT_EQ(enrollment_months(32), 2);
    EXPECT_EQ(enrollment_months(62), 2);
    EXPECT_EQ(enrollment_months(63), 3);
    EXPECT_EQ(enrollment_months(92), 3);
    EXPECT_EQ(enrollment_months(93), 4);
    EXPECT_EQ(enrollment_months(100), 4);
    EXPECT_EQ(enrollment_months(123), 4);
    EXPECT_EQ(enrollment_months(124), 5);
    EXPECT_EQ(enrollment_months(153), 5);
    EXPECT_EQ(enrollment_months(154), 6);
    EXPECT_EQ(enrollment_months(184), 6);
    EXPECT_EQ(enrollment_months(185), 7);
    EXPECT_EQ(enrollment_months(214), 7);
    EXPECT_EQ(enrollment_months(215), 8);
    EXPECT_EQ(enrollment_months(245), 8);
    EXPECT_EQ(enrollment_months(246), 9);
    EXPECT_EQ(enrollment_months(275), 9);
    EXPECT_EQ(enrollment_months(276), 10);
    EXPECT_EQ(enrollment_months(306), 10);
    EXPECT_EQ(enrollment_months(307), 11);
    EXPECT_EQ(enrollment_months(335), 11);
    EXPECT_EQ(enrollment_months(336), 12);
    EXPECT_EQ(enrollment_months(365), 12);
    EXPECT_EQ(enrollment_months(366), 12);
    EXPECT_THROW(enrollment_months(0), InputError);
    EXPECT_THROW(enrollment_months(367), InputError);
    EXPECT_THROW(enrollment_months(-5), InputError);
}

// §4 examples, through hhs_score (HhsResult::hccs, before grouping).
TEST(HhsRules, CrosswalkExamples) {
    EXPECT_EQ(hccs_of(adult(49, Sex::Female, {"C50.911"})), N{"HHS_HCC011"});
    EXPECT_EQ(hccs_of(adult(50, Sex::Female, {"C50.911"})), N{"HHS_HCC012"});
    EXPECT_EQ(hccs_of(adult(20, Sex::Male, {"E10.9"})), N{"HHS_HCC021"});
    EXPECT_EQ(hccs_of(adult(21, Sex::Male, {"E10.9"})), (N{"HHS_HCC021", "HHS_HCC022"}));
    EXPECT_EQ(hccs_of(adult(15, Sex::Male, {"E10.52"})), (N{"HHS_HCC020", "HHS_HCC153"}));
    EXPECT_EQ(hccs_of(adult(40, Sex::Male, {"E10.52"})), (N{"HHS_HCC020", "HHS_HCC022", "HHS_HCC153"}));
    EXPECT_EQ(hccs_of(adult(30, Sex::Male, {"D66"})), N{"HHS_HCC066"});
    EXPECT_EQ(hccs_of(adult(30, Sex::Female, {"D66"})), N{"HHS_HCC075"});
    EXPECT_EQ(hccs_of(adult(0, Sex::Male, {"P07.02"})), N{"HHS_HCC243"});
    EXPECT_EQ(hccs_of(adult(1, Sex::Male, {"P07.02"})), N{});
    EXPECT_EQ(hccs_of(adult(8, Sex::Female, {"O00.00"})), N{});  // maternity MCE edit
    EXPECT_EQ(hccs_of(adult(30, Sex::Female, {"O00.00"})), N{"HHS_HCC203"});
    EXPECT_EQ(hccs_of(adult(14, Sex::Male, {"C91.50"})), N{});  // adult MCE edit
    EXPECT_EQ(hccs_of(adult(15, Sex::Male, {"C91.50"})), N{"HHS_HCC010"});
    EXPECT_EQ(hccs_of(adult(16, Sex::Male, {"H35.3210"})), N{});  // MCE passes, split age >= 21 fails
    // Repeated codes count once (§1).
    EXPECT_EQ(hccs_of(adult(30, Sex::Male, {"D66", "D66", "d66"})), N{"HHS_HCC066"});
}

// §5.1 examples.
TEST(HhsRules, HierarchyExamples) {
    EXPECT_EQ(hccs_of(adult(40, Sex::Female, {"C77.0", "C15.3", "C38.0"})), N{"HHS_HCC008"});  // 8 > 9, 10
    EXPECT_EQ(hccs_of(adult(40, Sex::Female, {"Z94.83", "E11.65"})), N{"HHS_HCC018"});         // 18 > 21
    EXPECT_EQ(hccs_of(adult(40, Sex::Female, {"Z94.4", "B17.11"})), N{"HHS_HCC034"});          // 34 > 35_1
    EXPECT_EQ(hccs_of(adult(40, Sex::Female, {"G80.1", "G82.50"})), N{"HHS_HCC113"});          // 113 > 107
    EXPECT_EQ(hccs_of(adult(40, Sex::Female, {"S06.1X3A", "G93.5"})), N{"HHS_HCC223"});        // 223 > 122
    EXPECT_EQ(hccs_of(adult(0, Sex::Female, {"P07.01", "P07.02", "Z38.00"})),
              N{"HHS_HCC242"});  // 242 > 243, 249

    // §5.9: the infant severity is taken after the hierarchy: CP + quadriplegia is level 3 (113),
    // not 4 (107).
    HhsResult r = run(by2026(), adult(1, Sex::Male, {"G80.1", "G82.50"}));
    EXPECT_EQ(r.severity, 3);
    EXPECT_EQ(vars(by2026(), r), (N{"AGE1_MALE", "AGE1_X_SEVERITY3"}));
}

// §5.6: HCC_CNT counts groups once and excludes HHS_HCC022.
TEST(HhsRules, HccCountExcludesHcc022) {
    // M 40 silver, E10.9 -> CC21 + CC22; 21 -> G01. HCC_CNT = G01 = 1 (HCC022 not counted).
    HhsResult r = run(by2026(), adult(40, Sex::Male, {"E10.9"}));
    EXPECT_EQ(slots(by2026(), r.hccs), (N{"HHS_HCC021", "HHS_HCC022"}));
    EXPECT_EQ(slots(by2026(), r.groups), N{"G01"});
    EXPECT_EQ(slots(by2026(), r.scored), (N{"G01", "HHS_HCC022"}));
    EXPECT_EQ(r.hcc_cnt, 1);
    EXPECT_EQ(vars(by2026(), r), N{"MAGE_LAST_40_44"});
    // 0.142 + G01 0.142 + HHS_HCC022 0.163 = 0.447
    EXPECT_EQ(r.raw, m("0.447"));

    // E10.52 at 40 -> 20 + 22 + 153: G01 + 153 = 2.
    HhsResult r2 = run(by2026(), adult(40, Sex::Male, {"E10.52"}));
    EXPECT_EQ(r2.hcc_cnt, 2);

    // A partial year with only HCC022 besides the group still has HCC_CNT 1 -> HCC_ED (§5.7).
    Case c = adult(40, Sex::Male, {"E10.9"});
    c.days = 20;
    HhsResult r3 = run(by2026(), c);
    EXPECT_EQ(r3.hcc_cnt, 1);
    EXPECT_EQ(vars(by2026(), r3), (N{"MAGE_LAST_40_44", "HCC_ED1"}));
    // 0.447 + HCC_ED1 9.204 = 9.651
    EXPECT_EQ(r3.raw, m("9.651"));
}

// §8: the CSR factor belongs to one metal.
TEST(HhsRules, CsrFactorsAndErrors) {
    struct Row {
        int indicator;
        Metal metal;
        int factor;
    };
    const Row table[] = {
        {1, Metal::Platinum, 100}, {1, Metal::Gold, 100},         {1, Metal::Silver, 100},
        {1, Metal::Bronze, 100},   {1, Metal::Catastrophic, 100}, {2, Metal::Gold, 107},
        {3, Metal::Silver, 112},   {4, Metal::Bronze, 151},       {5, Metal::Bronze, 119},
        {6, Metal::Platinum, 131}, {7, Metal::Platinum, 104},     {8, Metal::Gold, 139},
        {9, Metal::Gold, 110},     {10, Metal::Silver, 146},      {11, Metal::Silver, 115},
    };
    for (const Row& t : table) {
        Case c = adult(40, Sex::Female, {});
        c.metal = t.metal;
        c.csr = t.indicator;
        HhsResult r = run(by2026(), c);
        EXPECT_EQ(r.csr_factor, t.factor) << "indicator " << t.indicator << " " << metal_name(t.metal);
        EXPECT_EQ(r.csr_adjusted_exact, std::int64_t{r.raw} * t.factor) << "indicator " << t.indicator;
    }

    auto throws = [](Metal metal, int indicator) {
        Case c = adult(40, Sex::Female, {"E11.9"});
        c.metal = metal;
        c.csr = indicator;
        const Enrollee e = enrollee(c);
        HhsResult r;
        IcdKey k = icd_key("E11.9");
        EXPECT_THROW(hhs_score(by2026(), e, &k, 1, nullptr, 0, r), InputError)
            << "indicator " << indicator << " " << metal_name(metal);
        EXPECT_THROW(hhs_score(by2025(), e, &k, 1, nullptr, 0, r), InputError)
            << "BY2025 indicator " << indicator << " " << metal_name(metal);
    };
    throws(Metal::Silver, 4);        // bronze indicator on a silver plan
    throws(Metal::Catastrophic, 3);  // catastrophic takes indicator 1 only
    throws(Metal::Silver, 12);       // no such indicator
    throws(Metal::Silver, 0);
    throws(Metal::Gold, 3);
    throws(Metal::Bronze, 2);
    throws(Metal::Platinum, 8);
}

// §1 / header: drug code keys.
TEST(HhsRules, DrugCodeKeys) {
    EXPECT_TRUE(ndc_key("00002021301").has_value());
    EXPECT_TRUE(ndc_key("00117A52902").has_value());  // a CMS RXC NDC with a letter
    EXPECT_EQ(ndc_key("00117a52902"), ndc_key("00117A52902"));
    EXPECT_EQ(ndc_key(" 00002021301 "), ndc_key("00002021301"));
    EXPECT_NE(ndc_key("00002021301"), ndc_key("00002115201"));
    EXPECT_FALSE(ndc_key("00002-0213-01").has_value());  // hyphenated
    EXPECT_FALSE(ndc_key("0002-0213-01").has_value());
    EXPECT_FALSE(ndc_key("0002021301").has_value());    // 10 digits
    EXPECT_FALSE(ndc_key("000020213011").has_value());  // 12
    EXPECT_FALSE(ndc_key("").has_value());

    EXPECT_TRUE(hcpcs_key("J0738").has_value());
    EXPECT_EQ(hcpcs_key("j0738"), hcpcs_key("J0738"));  // lower case accepted
    EXPECT_EQ(hcpcs_key(" J0738 "), hcpcs_key("J0738"));
    EXPECT_NE(hcpcs_key("J0738"), hcpcs_key("J0752"));
    EXPECT_FALSE(hcpcs_key("J073").has_value());
    EXPECT_FALSE(hcpcs_key("J07380").has_value());
    EXPECT_FALSE(hcpcs_key("J07-8").has_value());
    EXPECT_FALSE(hcpcs_key("").has_value());

    // The lettered NDC scores: 00117A52902 -> RXC_03 (BY2026 drug list).
    Case c = adult(40, Sex::Female, {});
    c.ndc = {"00117A52902"};
    EXPECT_EQ(slots(by2026(), run(by2026(), c).rxcs), N{"RXC_03"});
    // A lower-case HCPCS scores like the upper-case one (BY2025: J0738 -> RXC_01).
    c.ndc = {};
    c.hcpcs = {"j0738"};
    EXPECT_EQ(slots(by2025(), run(by2025(), c).rxcs), N{"RXC_01"});

    // hhs_explain rejects a malformed NDC / HCPCS.
    HhsResult r;
    EXPECT_THROW(hhs_explain(by2026(), enrollee(c), {}, {"0002-0213-01"}, {}, r), InputError);
    EXPECT_THROW(hhs_explain(by2026(), enrollee(c), {}, {}, {"J07380"}, r), InputError);
}

// hhs_score on an image of another family.
TEST(HhsRules, OtherFamilyImageThrows) {
    const ModelImage& v28 = release_image("V28", 2026);
    Case c = adult(40, Sex::Female, {"E11.9"});
    const Enrollee e = enrollee(c);
    IcdKey k = icd_key("E11.9");
    HhsResult r;
    EXPECT_THROW(hhs_score(v28, e, &k, 1, nullptr, 0, r), InputError);
    EXPECT_THROW(hhs_explain(v28, e, c.dx, {}, {}, r), InputError);
}

TEST(HhsRules, ParseMetal) {
    EXPECT_EQ(parse_metal("silver"), Metal::Silver);
    EXPECT_EQ(parse_metal(" Platinum "), Metal::Platinum);
    EXPECT_EQ(parse_metal("CATASTROPHIC"), Metal::Catastrophic);
    EXPECT_FALSE(parse_metal("tin").has_value());
}
