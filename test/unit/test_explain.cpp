// explain(): the same result as score(), every decision as a row, coefficients summing to raw.
#include <gtest/gtest.h>

#include "golden_rows.hpp"
#include "support.hpp"

using namespace hccraf;
using namespace hccraf::test;

namespace {

Milli coefficient_sum(const std::vector<ExplainRow>& rows) {
    Milli sum = 0;
    for (const auto& r : rows) sum += r.coefficient.value_or(0);
    return sum;
}

bool has_row(const std::vector<ExplainRow>& rows, const std::string& step, const std::string& item) {
    for (const auto& r : rows)
        if (r.step == step && r.item == item) return true;
    return false;
}

}  // namespace

TEST(Explain, WorkedExample2RecordsTheEdits) {
    const ModelImage& img = release_image("V28", 2026);
    ScoreResult out;
    auto rows = explain(img, person(45, Sex::Female, '1', Dual::Full),
                        {"C50.911", "D66", "E11.9", "C93.30", "E11#", "e11.9", "I10"}, out);
    EXPECT_EQ(out.raw, m("1.662"));
    EXPECT_EQ(coefficient_sum(rows), out.raw);
    EXPECT_TRUE(has_row(rows, "edit", "C50.911"));
    EXPECT_TRUE(has_row(rows, "edit", "D66"));
    EXPECT_TRUE(has_row(rows, "edit", "C93.30"));
    EXPECT_TRUE(has_row(rows, "diagnosis", "E11.9"));
    EXPECT_TRUE(has_row(rows, "input", "E11#"));    // malformed
    EXPECT_TRUE(has_row(rows, "input", "E11.9"));   // repeated
    EXPECT_TRUE(has_row(rows, "input", "I10"));     // no payment HCC
    EXPECT_TRUE(has_row(rows, "hcc", "HCC112"));
    EXPECT_TRUE(has_row(rows, "count", "D3"));
    EXPECT_TRUE(has_row(rows, "normalization", "normalized"));
}

TEST(Explain, RecordsCc223AndHierarchyDrops) {
    const ModelImage& img = release_image("V28", 2026);
    ScoreResult out;
    auto rows = explain(img, person(74, Sex::Male), {"Z95.811", "I42.0"}, out);
    EXPECT_TRUE(has_row(rows, "cc223", "HCC223"));
    rows = explain(img, person(72, Sex::Female), {"Z94.4", "K72.11", "R40.20"}, out);
    EXPECT_TRUE(has_row(rows, "hierarchy", "HCC63"));
    EXPECT_FALSE(has_row(rows, "hierarchy", "HCC202"));
    EXPECT_EQ(coefficient_sum(rows), m("1.314"));
}

// On every golden patient, explain() agrees with score() and its coefficients sum to raw.
TEST(Explain, AgreesWithScoreOnEveryGoldenPatient) {
    for (auto [file, model, py] : {std::tuple{"golden_v28_2026.csv", "V28", 2026},
                                   {"golden_v24_2026.csv", "V24", 2026}}) {
        const ModelImage& img = release_image(model, py);
        csv::Table t = read_fixture(file);
        std::size_t bad = 0;
        for (const auto& g : golden_rows(t, py)) {
            ScoreResult fast, slow;
            score(img, g.patient, g.keys.data(), g.keys.size(), fast);
            auto rows = explain(img, g.patient, g.dx, slow);
            bool same = fast.raw == slow.raw && fast.hccs == slow.hccs &&
                        fast.interactions == slow.interactions &&
                        fast.count_variable == slow.count_variable &&
                        fast.payment == slow.payment && coefficient_sum(rows) == slow.raw;
            if (!same) {
                ++bad;
                ADD_FAILURE() << file << " " << g.id << ": explain disagrees with score";
            }
        }
        EXPECT_EQ(bad, 0u) << file;
    }
}
