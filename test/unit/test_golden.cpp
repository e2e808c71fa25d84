// Every row of the three golden files (test/fixtures) must match exactly: segment,
// demographic variables, HCCs, interactions (with the count variable), raw, normalized and
// payment scores; for the blend file both models and the blend. Every mismatch is printed.
#include <gtest/gtest.h>

#include <iostream>

#include "golden_rows.hpp"
#include "support.hpp"

using namespace hccraf;
using namespace hccraf::test;

namespace {

std::string join(const std::set<std::string>& s) {
    std::string out;
    for (const auto& x : s) out += (out.empty() ? "" : "|") + x;
    return out;
}

std::set<std::string> hcc_set(const ModelImage& img, const ScoreResult& r) {
    std::set<std::string> out;
    for (int n : hcc_numbers(img, r.hccs)) out.insert(hcc_name(img.family(), n));
    return out;
}

// ESRD: the golden file lists person-level variables and graft add-ons in two columns.
std::set<std::string> person_names(const ModelImage& img, const ScoreResult& r, bool graft) {
    std::set<std::string> out;
    for (int id : r.demographic_vars)
        if (id >= 0 && is_graft_variable(id) == graft) out.insert(demographic_name(img, id));
    if (graft && r.divisor >= 0) out.insert(divisor_name(r.divisor));
    return out;
}

// Collects "row: field expected X got Y" lines.
struct Mismatches {
    std::vector<std::string> lines;
    std::size_t rows_with_mismatch = 0;
    bool row_bad = false;
    std::string row_id;
    void start(const GoldenRow& g) {
        row_id = g.id + " (line " + std::to_string(g.line) + ")";
        row_bad = false;
    }
    void check(const std::string& field, const std::string& expected, const std::string& got) {
        if (expected == got) return;
        lines.push_back(row_id + ": " + field + " expected \"" + expected + "\" got \"" + got + "\"");
        if (!row_bad) ++rows_with_mismatch;
        row_bad = true;
    }
    void check_set(const std::string& field, const std::string& expected,
                   const std::set<std::string>& got) {
        check(field, join(split_set(expected)), join(got));
    }
    void report(const char* file, std::size_t rows) {
        for (const auto& l : lines) std::cout << "[ mismatch ] " << file << " " << l << "\n";
        std::cout << "[ golden   ] " << file << ": " << rows << " rows, " << rows_with_mismatch
                  << " rows with mismatches (" << lines.size() << " fields)\n";
    }
};

void check_model(Mismatches& mm, const ModelImage& img, const GoldenRow& g, const ScoreResult& r,
                 const std::string& suffix) {
    mm.check_set("hccs_after_hierarchy" + suffix, g[("hccs_after_hierarchy" + suffix).c_str()],
                 hcc_set(img, r));
    mm.check_set("interactions" + suffix, g[("interactions" + suffix).c_str()],
                 interaction_names(img, r));
}

void check_single(const char* file, const char* model, int py) {
    const ModelImage& img = release_image(model, py);
    csv::Table t = read_fixture(file);
    auto rows = golden_rows(t, py);
    ASSERT_GT(rows.size(), 600u);
    Mismatches mm;
    for (const auto& g : rows) {
        mm.start(g);
        ScoreResult r;
        score(img, g.patient, g.keys.data(), g.keys.size(), r);
        mm.check("age", g.expected_age, std::to_string(g.patient.age));
        mm.check("segment", g["segment"], segment_name(r.segment));
        mm.check_set("demographic_vars", g["demographic_vars"], demographic_names(img, r));
        check_model(mm, img, g, r, "");
        mm.check("raw_score", g["raw_score"], format_milli(r.raw));
        mm.check("normalized_score", g["normalized_score"], r.has_payment ? format_milli(r.normalized) : "");
        mm.check("payment_score", g["payment_score"], r.has_payment ? format_milli(r.payment) : "");
    }
    mm.report(file, rows.size());
    EXPECT_EQ(mm.lines.size(), 0u) << file;
}

}  // namespace

TEST(Golden, V28Py2026EveryRowMatches) { check_single("golden_v28_2026.csv", "V28", 2026); }

TEST(Golden, V24Py2026EveryRowMatches) { check_single("golden_v24_2026.csv", "V24", 2026); }

TEST(Golden, Blend2025EveryRowMatches) {
    const ModelImage& v24 = release_image("V24", 2025);
    const ModelImage& v28 = release_image("V28", 2025);
    csv::Table t = read_fixture("golden_blend_2025.csv");
    auto rows = golden_rows(t, 2025);
    ASSERT_GT(rows.size(), 600u);
    Mismatches mm;
    for (const auto& g : rows) {
        mm.start(g);
        ScoreResult r24, r28;
        score(v24, g.patient, g.keys.data(), g.keys.size(), r24);
        score(v28, g.patient, g.keys.data(), g.keys.size(), r28);
        mm.check("age", g.expected_age, std::to_string(g.patient.age));
        mm.check("segment", g["segment"], segment_name(r28.segment));
        mm.check("segment_v24", g["segment"], segment_name(r24.segment));
        mm.check_set("demographic_vars", g["demographic_vars"], demographic_names(v28, r28));
        mm.check_set("demographic_vars_v24", g["demographic_vars"], demographic_names(v24, r24));
        check_model(mm, v24, g, r24, "_v24");
        check_model(mm, v28, g, r28, "_v28");
        mm.check("raw_score_v24", g["raw_score_v24"], format_milli(r24.raw));
        mm.check("raw_score_v28", g["raw_score_v28"], format_milli(r28.raw));
        mm.check("normalized_score_v24", g["normalized_score_v24"], format_milli(r24.normalized));
        mm.check("normalized_score_v28", g["normalized_score_v28"], format_milli(r28.normalized));
        Milli blend = blend_scores(r24.normalized, v24.blend_weight(), r28.normalized, v28.blend_weight());
        mm.check("normalized_score", g["normalized_score"], format_milli(blend));
        mm.check("payment_score", g["payment_score"],
                 format_milli(apply_ma_adjustment(blend, v28.ma_coding_adjustment())));
    }
    mm.report("golden_blend_2025.csv", rows.size());
    EXPECT_EQ(mm.lines.size(), 0u);
}

// RxHCC V08 PY2026 (rxhcc_v08_rules.md): X factors with the MA-PD and PDP normalizations, and
// the same variables with the T factors (PACE legacy set, its own release).
TEST(Golden, RxHccV08Py2026EveryRowMatches) {
    const ModelImage& x = release_image("RxHCC_V08", 2026);
    const ModelImage& t = release_image("RxHCC_V08T", 2026);
    csv::Table table = read_fixture("golden_rxhcc_v08_2026.csv");
    auto rows = golden_rows(table, 2026);
    ASSERT_EQ(rows.size(), 626u);
    Mismatches mm;
    for (const auto& g : rows) {
        mm.start(g);
        ScoreResult rx, rt;
        score(x, g.patient, g.keys.data(), g.keys.size(), rx);
        score(t, g.patient, g.keys.data(), g.keys.size(), rt);
        mm.check("age", g.expected_age, std::to_string(g.patient.age));
        mm.check("segment", g["segment"], segment_name(rx.segment));
        mm.check("segment_t", g["segment"], segment_name(rt.segment));
        mm.check_set("demographic_vars", g["demographic_vars"], demographic_names(x, rx));
        check_model(mm, x, g, rx, "");
        mm.check("raw_score", g["raw_score"], format_milli(rx.raw));
        mm.check("normalized_score", g["normalized_score"], format_milli(rx.normalized));
        mm.check("payment_score", g["payment_score"], format_milli(rx.payment));
        mm.check("normalized_score_pdp", g["normalized_score_pdp"],
                 rx.has_alternative ? format_milli(rx.normalized_alternative) : "");
        mm.check("raw_score_t", g["raw_score_t"], format_milli(rt.raw));
        mm.check("normalized_score_t", g["normalized_score_t"], format_milli(rt.normalized));
    }
    mm.report("golden_rxhcc_v08_2026.csv", rows.size());
    EXPECT_EQ(mm.lines.size(), 0u);
}

// ESRD V24 PY2026 (esrd_v24_rules.md): segment, graft duration, person variables, add-ons and
// the ActAdj divisor, HCCs, interactions, raw, the segment's normalization factor, payment.
TEST(Golden, EsrdV24Py2026EveryRowMatches) {
    const ModelImage& img = release_image("ESRD_V24", 2026);
    csv::Table table = read_fixture("golden_esrd_v24_2026.csv");
    auto rows = golden_rows(table, 2026);
    ASSERT_EQ(rows.size(), 626u);
    Mismatches mm;
    for (const auto& g : rows) {
        mm.start(g);
        ScoreResult r;
        score(img, g.patient, g.keys.data(), g.keys.size(), r);
        const int d = g.patient.esrd_status == EsrdStatus::Graft && g.patient.months_since_transplant >= 4
                          ? (g.patient.months_since_transplant >= 10 ? 1 : 0)
                          : -1;
        mm.check("age", g.expected_age, std::to_string(g.patient.age));
        mm.check("segment", g["segment"], segment_name(r.segment));
        mm.check("graft_duration", g["graft_duration"], d < 0 ? "" : d == 0 ? "DUR4_9" : "DUR10PL");
        mm.check_set("demographic_vars", g["demographic_vars"], person_names(img, r, false));
        mm.check_set("graft_vars", g["graft_vars"], person_names(img, r, true));
        check_model(mm, img, g, r, "");
        mm.check("raw_score", g["raw_score"], format_milli(r.raw));
        mm.check("normalization_factor", g["normalization_factor"], format_milli(r.normalization_factor));
        mm.check("normalized_score", g["normalized_score"], format_milli(r.normalized));
        mm.check("payment_score", g["payment_score"], format_milli(r.payment));
    }
    mm.report("golden_esrd_v24_2026.csv", rows.size());
    EXPECT_EQ(mm.lines.size(), 0u);
}
