// HHS-HCC V08: every row and column of the golden files (test/fixtures/golden_hhs_hcc_2026.csv,
// golden_hhs_hcc_2025.csv; ../shared/golden/README.md) must match exactly, and on every row the
// explanation's coefficients must add up to the raw score. Every mismatch is printed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <iostream>
#include <set>

#include "demographics.hpp"
#include "golden_rows.hpp"
#include "hhs_model.hpp"
#include "support.hpp"

using namespace hccraf;
using namespace hccraf::test;

namespace {

std::string upper(std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

std::vector<std::string> split(const std::string& s) {
    std::vector<std::string> out;
    std::size_t start = 0;
    if (s.empty()) return out;
    while (true) {
        std::size_t bar = s.find('|', start);
        out.push_back(s.substr(start, bar == std::string::npos ? std::string::npos : bar - start));
        if (bar == std::string::npos) return out;
        start = bar + 1;
    }
}

// Variable lists compare as sets, case-insensitively (golden README).
std::string norm_set(const std::vector<std::string>& items) {
    std::set<std::string> s;
    for (const auto& i : items) s.insert(upper(i));
    std::string out;
    for (const auto& i : s) out += (out.empty() ? "" : "|") + i;
    return out;
}

std::vector<std::string> slot_names(const ModelImage& img, const HccSet& set) {
    std::vector<std::string> out;
    set.for_each([&](int s) { out.push_back(img.hcc_name(s)); });
    return out;
}

std::string hundredths(int v) {
    std::string frac = std::to_string(v % 100);
    return std::to_string(v / 100) + "." + (frac.size() < 2 ? "0" : "") + frac;
}

int date_part(const std::string& iso, int part) {
    return std::stoi(iso.substr(part == 0 ? 0 : part == 1 ? 5 : 8, part == 0 ? 4 : 2));
}

struct Row {
    Enrollee e;
    std::vector<IcdKey> codes;
    std::vector<std::uint64_t> drugs;
    std::vector<std::string> dx, ndc, hcpcs;
};

Row decode(const csv::Table& t, std::size_t r) {
    auto col = [&](const char* name) -> const std::string& { return t.rows[r][t.column(name)]; };
    Row row;
    const std::string &dob = col("dob"), &last = col("last_enrollment_date");
    row.e.age_last = age_on(date_part(dob, 0), date_part(dob, 1), date_part(dob, 2), date_part(last, 0),
                            date_part(last, 1), date_part(last, 2));
    row.e.sex = col("sex") == "M" ? Sex::Male : Sex::Female;
    row.e.metal = *parse_metal(col("metal"));
    row.e.csr_indicator = std::stoi(col("csr_indicator"));
    row.e.enrollment_days = std::stoi(col("enrollment_days"));
    row.dx = split(col("dx"));
    row.ndc = split(col("ndc"));
    row.hcpcs = split(col("hcpcs"));
    for (const auto& c : row.dx)
        if (IcdKey k = icd_key(c)) row.codes.push_back(k);
    for (const auto& c : row.ndc) row.drugs.push_back(*ndc_key(c));
    for (const auto& c : row.hcpcs) row.drugs.push_back(*hcpcs_key(c));
    return row;
}

void check_year(const char* file, int year, std::size_t expected_rows) {
    const ModelImage& img = release_image("HHS_V08", year);
    csv::Table t = read_fixture(file);
    ASSERT_EQ(t.rows.size(), expected_rows);
    std::vector<std::string> lines;
    std::size_t bad_rows = 0, ties = 0;
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        auto col = [&](const char* name) -> const std::string& { return t.rows[r][t.column(name)]; };
        const std::string id = col("patient_id");
        bool bad = false;
        auto check = [&](const char* field, const std::string& want, const std::string& got) {
            if (want == got) return;
            lines.push_back(id + ": " + field + " expected \"" + want + "\" got \"" + got + "\"");
            bad = true;
        };
        Row row = decode(t, r);
        check("age_last", col("age_last"), std::to_string(row.e.age_last));
        HhsResult res;
        hhs_score(img, row.e, row.codes.data(), row.codes.size(), row.drugs.data(), row.drugs.size(), res);

        check("model", upper(col("model")), upper(hhs_model_name(res.model)));
        check("enrollment_months", col("enrollment_months"), std::to_string(res.enrollment_months));
        std::vector<std::string> demo_names, other;
        for (int id_ : res.variables)
            if (id_ >= 0)
                (demo::kind(id_) == demo::Kind::Demographic ? demo_names : other)
                    .push_back(demo::name(Family::Hhs, id_));
        for (const auto& n : hhs_variable_names(img, res))
            if (std::find(demo_names.begin(), demo_names.end(), n) == demo_names.end() &&
                std::find(other.begin(), other.end(), n) == other.end())
                other.push_back(n);
        check("demographic_vars", norm_set(split(col("demographic_vars"))), norm_set(demo_names));
        check("hccs_after_hierarchy", norm_set(split(col("hccs_after_hierarchy"))),
              norm_set(slot_names(img, res.hccs)));
        check("rxcs", norm_set(split(col("rxcs"))), norm_set(slot_names(img, res.rxcs)));
        check("groups", norm_set(split(col("groups"))), norm_set(slot_names(img, res.groups)));
        check("hcc_cnt", col("hcc_cnt"), res.model == HhsModel::Infant ? "" : std::to_string(res.hcc_cnt));
        check("interactions", norm_set(split(col("interactions"))), norm_set(other));
        static constexpr const char* kScores[] = {"score_platinum", "score_gold", "score_silver",
                                                  "score_bronze", "score_catastrophic"};
        for (int m = 0; m < kMetalCount; ++m) check(kScores[m], col(kScores[m]), format_milli(res.score[m]));
        check("raw_score", col("raw_score"), format_milli(res.raw));
        check("csr_factor", col("csr_factor"), hundredths(res.csr_factor));
        check("csr_adjusted_score_exact", col("csr_adjusted_score_exact"),
              format_hundred_thousandths(res.csr_adjusted_exact));
        check("csr_adjusted_score", col("csr_adjusted_score"), format_milli(res.csr_adjusted));
        ties += col("csr_tie") == "1";

        // The explanation: same score, coefficients add up to it.
        HhsResult again;
        Milli sum = 0;
        for (const auto& e : hhs_explain(img, row.e, row.dx, row.ndc, row.hcpcs, again))
            if (e.coefficient) sum += *e.coefficient;
        check("explain raw", format_milli(res.raw), format_milli(again.raw));
        check("explain coefficients sum", format_milli(res.raw), format_milli(sum));
        bad_rows += bad;
    }
    for (const auto& l : lines) std::cout << "[ mismatch ] " << file << " " << l << "\n";
    std::cout << "[ golden   ] " << file << ": " << t.rows.size() << " rows (" << ties << " CSR ties), "
              << bad_rows << " rows with mismatches (" << lines.size() << " fields)\n";
    EXPECT_EQ(bad_rows, 0u);
}

}  // namespace

TEST(Golden, HhsHccV08By2026EveryRowMatches) {
    check_year("golden_hhs_hcc_2026.csv", 2026, 647);
}

TEST(Golden, HhsHccV08By2025EveryRowMatches) {
    check_year("golden_hhs_hcc_2025.csv", 2025, 441);
}
