// CodeSetImage: which ICD-10-CM codes are valid for a payment year (fiscal years PY-1 and PY).
#include <gtest/gtest.h>

#include "code_set.hpp"
#include "errors.hpp"

using namespace hccraf;

namespace {
std::uint64_t fy(int year) { return std::uint64_t{1} << (year - kFirstCodeSetYear); }

std::vector<std::byte> sample() {
    // E119 valid in FY2025 and FY2026; G35 only in FY2025 (a header from FY2026); G35A only in
    // FY2026; QA00101 only in FY2027. Duplicated keys are merged.
    return compile_code_set({{pack_icd("E119"), fy(2025)},
                             {pack_icd("E119"), fy(2026)},
                             {pack_icd("G35"), fy(2025)},
                             {pack_icd("G35A"), fy(2026)},
                             {pack_icd("QA00101"), fy(2027)}},
                            {2025, 2026, 2027});
}
}  // namespace

TEST(CodeSet, DataCollectionYearIsFiscalYearsPyMinusOneAndPy) {
    auto bytes = sample();
    CodeSetImage cs(bytes.data(), bytes.size());
    EXPECT_EQ(cs.code_count(), 4u);
    EXPECT_TRUE(cs.in_force(pack_icd("E119"), 2026));
    EXPECT_TRUE(cs.in_force(pack_icd("G35"), 2026));   // FY2025 is in force for PY2026
    EXPECT_TRUE(cs.in_force(pack_icd("G35A"), 2026));
    EXPECT_FALSE(cs.in_force(pack_icd("G35"), 2027));  // only FY2026 and FY2027 for PY2027
    EXPECT_TRUE(cs.in_force(pack_icd("QA00101"), 2027));
    EXPECT_FALSE(cs.in_force(pack_icd("QA00101"), 2026));
    EXPECT_FALSE(cs.in_force(pack_icd("Z99999"), 2026));
}

TEST(CodeSet, NearestLoadedYearStandsInWhenNoneOfTheYearIsLoaded) {
    auto bytes = sample();
    CodeSetImage cs(bytes.data(), bytes.size());
    // PY2024 needs FY2023/FY2024: not loaded, so FY2025 (the nearest) decides.
    EXPECT_TRUE(cs.in_force(pack_icd("G35"), 2024));
    EXPECT_FALSE(cs.in_force(pack_icd("G35A"), 2024));
}

TEST(CodeSet, WithoutAnyCodeSetEveryCodePasses) {
    auto bytes = compile_code_set({}, {});
    CodeSetImage cs(bytes.data(), bytes.size());
    EXPECT_TRUE(cs.in_force(pack_icd("Z99999"), 2026));
}

TEST(CodeSet, DamagedBlocksAreRejected) {
    auto bytes = sample();
    EXPECT_THROW(CodeSetImage(bytes.data(), bytes.size() - 1), DataError);
    bytes[0] = std::byte{0};
    EXPECT_THROW(CodeSetImage(bytes.data(), bytes.size()), DataError);
    EXPECT_THROW(compile_code_set({}, {1999}), DataError);
}

TEST(CodeSet, SaysWhichFiscalYearsDecide) {
    auto bytes = sample();  // FY2025, FY2026, FY2027 loaded
    CodeSetImage cs(bytes.data(), bytes.size());
    EXPECT_EQ(cs.fiscal_years_in_force(2026), (std::vector<int>{2025, 2026}));
    EXPECT_EQ(cs.fiscal_years_in_force(2024), (std::vector<int>{2025}));  // FY2023/FY2024 not loaded
    EXPECT_EQ(cs.fiscal_years_in_force(2030), (std::vector<int>{2027}));
    EXPECT_EQ(cs.fiscal_years_in_force(2028), (std::vector<int>{2027}));
}
