// find_hhs_gaps (gaps.hpp): the HHS-HCC marginal values. On every golden BY2026 enrollee, with
// last year = all of the row's codes and this year = every other one, each row's delta must be
// hhs_score(current + that HCC's missing prior codes) - hhs_score(current) at the enrollee's
// metal (hhs_score itself matches the golden file on every row), the closed score that of all
// codes, and no row may name an HCC outside the enrollee's model. Plus one case by hand.
#include <gtest/gtest.h>

#include <algorithm>

#include "errors.hpp"
#include "gaps.hpp"
#include "golden_rows.hpp"
#include "hhs_model.hpp"
#include "support.hpp"

using namespace hccraf;
using namespace hccraf::test;

namespace {

std::vector<std::string> split(const std::string& s) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (!s.empty()) {
        std::size_t bar = s.find('|', start);
        out.push_back(s.substr(start, bar == std::string::npos ? std::string::npos : bar - start));
        if (bar == std::string::npos) break;
        start = bar + 1;
    }
    return out;
}

int part(const std::string& iso, int i) {
    return std::stoi(iso.substr(i == 0 ? 0 : i == 1 ? 5 : 8, i == 0 ? 4 : 2));
}

Milli raw(const ModelImage& img, const Enrollee& e, const std::vector<IcdKey>& codes,
          const std::vector<std::uint64_t>& drugs) {
    HhsResult r;
    hhs_score(img, e, codes.data(), codes.size(), drugs.data(), drugs.size(), r);
    return r.raw;
}

}  // namespace

TEST(HhsGaps, EveryGoldenEnrolleeDeltaIsTheScoreChange) {
    const ModelImage& img = release_image("HHS_V08", 2026);
    csv::Table t = read_fixture("golden_hhs_hcc_2026.csv");
    std::size_t rows_checked = 0, gaps = 0;
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        auto col = [&](const char* n) -> const std::string& { return t.rows[r][t.column(n)]; };
        Enrollee e;
        e.age_last = age_on(part(col("dob"), 0), part(col("dob"), 1), part(col("dob"), 2),
                            part(col("last_enrollment_date"), 0), part(col("last_enrollment_date"), 1),
                            part(col("last_enrollment_date"), 2));
        e.sex = col("sex") == "M" ? Sex::Male : Sex::Female;
        e.metal = *parse_metal(col("metal"));
        e.csr_indicator = std::stoi(col("csr_indicator"));
        e.enrollment_days = std::stoi(col("enrollment_days"));
        std::vector<IcdKey> prior, current;
        for (const auto& c : split(col("dx")))
            if (IcdKey k = icd_key(c)) prior.push_back(k);
        for (std::size_t i = 0; i < prior.size(); i += 2) current.push_back(prior[i]);
        std::vector<std::uint64_t> drugs;
        for (const auto& c : split(col("ndc"))) drugs.push_back(*ndc_key(c));
        for (const auto& c : split(col("hcpcs"))) drugs.push_back(*hcpcs_key(c));

        const GapReport rep = find_hhs_gaps(img, e, drugs.data(), drugs.size(), prior.data(), prior.size(),
                                            current.data(), current.size());
        ASSERT_EQ(rep.current_score, raw(img, e, current, drugs)) << col("patient_id");
        std::vector<IcdKey> all(current);
        all.insert(all.end(), prior.begin(), prior.end());
        ASSERT_EQ(rep.closed_score, raw(img, e, all, drugs)) << col("patient_id");
        HhsResult probe;
        hhs_score(img, e, nullptr, 0, drugs.data(), drugs.size(), probe);
        const HccSet excluded = hhs_excluded_hccs(img, probe.model);
        for (const GapRow& row : rep.rows) {
            ASSERT_FALSE(excluded.test(row.slot)) << col("patient_id") << " " << img.hcc_name(row.slot);
            std::vector<IcdKey> closing(current);
            for (IcdKey k : row.prior_codes)
                if (std::find(current.begin(), current.end(), k) == current.end()) closing.push_back(k);
            const Milli want =
                closing.size() == current.size() ? 0 : raw(img, e, closing, drugs) - rep.current_score;
            ASSERT_EQ(row.delta, want) << col("patient_id") << " " << img.hcc_name(row.slot);
            gaps += row.status == GapStatus::Gap;
            ++rows_checked;
        }
        EXPECT_EQ(rep.csr_factor, probe.csr_factor);
    }
    EXPECT_GT(rows_checked, 1000u);
    EXPECT_GT(gaps, 100u);
}

// By hand (BY2026 silver factors, data/HHS_V08/2026/factors.csv): a man of 54, full year, CSR 3,
// insulin; last year E11.65 (HHS_HCC021) and I50.22 (HHS_HCC130), this year I50.22 only.
// Closing HHS_HCC021 adds G01 0.142 + RXC_06_X_HCC018_019_020_021 0.499 (the interaction needs the
// diabetes HCC) = 0.641; x 1.12 = 0.71792.
TEST(HhsGaps, DiabetesGapWithInsulinByHand) {
    const ModelImage& img = release_image("HHS_V08", 2026);
    Enrollee e;
    e.age_last = 54;
    e.sex = Sex::Male;
    e.metal = Metal::Silver;
    e.csr_indicator = 3;
    e.enrollment_days = 365;
    const IcdKey prior[] = {*parse_icd("E11.65"), *parse_icd("I50.22")};
    const IcdKey current[] = {*parse_icd("I50.22")};
    const std::uint64_t drugs[] = {*ndc_key("00002021301")};
    const GapReport rep = find_hhs_gaps(img, e, drugs, 1, prior, 2, current, 1);
    ASSERT_EQ(rep.rows.size(), 2u);
    EXPECT_EQ(img.hcc_name(rep.rows[0].slot), "HHS_HCC021");
    EXPECT_EQ(rep.rows[0].status, GapStatus::Gap);
    EXPECT_EQ(rep.rows[0].delta, m("0.641"));
    EXPECT_EQ(rep.rows[0].delta * rep.csr_factor, 71792);  // 0.71792 in 1e-5
    EXPECT_EQ(img.hcc_name(rep.rows[1].slot), "HHS_HCC130");
    EXPECT_EQ(rep.rows[1].status, GapStatus::Recaptured);
    EXPECT_EQ(rep.rows[1].delta, 0);
    EXPECT_EQ(rep.segment, Segment::Adult_Silver);
    EXPECT_FALSE(rep.payment);
}

TEST(HhsGaps, RefusesWhatHhsScoreRefuses) {
    const ModelImage& img = release_image("HHS_V08", 2026);
    Enrollee e;
    e.age_last = 40;
    e.metal = Metal::Silver;
    e.csr_indicator = 4;  // bronze (spec §8)
    EXPECT_THROW(find_hhs_gaps(img, e, nullptr, 0, nullptr, 0, nullptr, 0), InputError);
}
