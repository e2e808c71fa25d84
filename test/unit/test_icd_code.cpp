// ICD-10-CM normalisation (v28_rules.md §1) and order-preserving base-37 packing.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "icd_code.hpp"

using namespace hccraf;

namespace {
std::string norm(const char* raw) {
    char out[8];
    std::size_t n = normalize_icd(raw, out);
    return std::string(out, n);
}
}  // namespace

TEST(IcdCode, NormalisesUserSpellings) {
    EXPECT_EQ(norm("E11.9"), "E119");
    EXPECT_EQ(norm("e11.9"), "E119");
    EXPECT_EQ(norm(" E11.9 "), "E119");
    EXPECT_EQ(norm("E119"), "E119");
    EXPECT_EQ(norm("\tz95.811\n"), "Z95811");
    EXPECT_EQ(norm("S06.1X5A"), "S061X5A");
    EXPECT_EQ(norm("c50.a0"), "C50A0");
    EXPECT_EQ(norm("C34"), "C34");          // a 3-character code is well-formed
    EXPECT_EQ(norm("E11.999"), "E11999");   // well-formed, unknown: the image decides
    EXPECT_EQ(norm("QA0.0101"), "QA00101");  // FY2026 category QA0: a letter in 2nd place
    EXPECT_EQ(norm("XYZ123"), "XYZ123");     // well-formed by shape, unknown to any code set
}

TEST(IcdCode, RejectsMalformedCodes) {
    for (const char* bad : {"", "   ", "E1", "E1.19", "E11..9", "E11.9.1", "1E11", "E11 9",
                            "NOTACODE", "E1100000", "E11-9", ".E119", "E11#", "\u00e911"})
        EXPECT_EQ(norm(bad), "") << bad;
    EXPECT_FALSE(parse_icd("NOTACODE").has_value());
}

TEST(IcdCode, PackedOrderIsStringOrderShorterFirst) {
    std::vector<std::string> codes = {"A000", "C50A0", "C509", "C50911", "E11", "E110", "E1100",
                                      "E111", "E119", "I10", "S061X5A", "Z9989", "Z95811", "A00"};
    std::vector<std::string> sorted = codes;
    std::sort(sorted.begin(), sorted.end());  // ASCII: digits < letters, prefix first
    std::vector<std::string> by_key = codes;
    std::sort(by_key.begin(), by_key.end(),
              [](const std::string& a, const std::string& b) { return pack_icd(a) < pack_icd(b); });
    EXPECT_EQ(by_key, sorted);
    EXPECT_LT(pack_icd("E11"), pack_icd("E110"));
    EXPECT_LT(pack_icd("C509"), pack_icd("C50A0"));
    EXPECT_LT(pack_icd("Q999"), pack_icd("QA00101"));
}

TEST(IcdCode, FormatsBackWithOrWithoutDot) {
    EXPECT_EQ(format_icd(pack_icd("E119")), "E119");
    EXPECT_EQ(format_icd(pack_icd("E119"), true), "E11.9");
    EXPECT_EQ(format_icd(pack_icd("S061X5A"), true), "S06.1X5A");
    EXPECT_EQ(format_icd(pack_icd("C34"), true), "C34");
    EXPECT_EQ(format_icd(*parse_icd(" z95.811 "), true), "Z95.811");
}

TEST(IcdCode, PackRejectsUnnormalisedText) {
    EXPECT_EQ(pack_icd("e119"), 0u);
    EXPECT_EQ(pack_icd("E11.9"), 0u);
    EXPECT_NE(pack_icd("E119"), 0u);
}

// icd_key is the one-pass twin of normalize_icd + pack_icd used by the hot path: it must agree
// with them on every spelling, valid or not.
TEST(IcdKeyFastPath, AgreesWithNormalizeAndPack) {
    const char* inputs[] = {"E11.9", "e119", " E11.9 ", "E119", "I50.22", "QA0.0101", "qa00101", "E11",
                            "E1", "11.9", "E11..9", "E1.19", "E11.9X", "A0000000", "", "   ", "E11.9 x",
                            "Z99.999", "C50.A0", "c50a0", "E11\t", "E.119", "EE119", "E11-9", "T36.0X1A"};
    for (const char* in : inputs) {
        char buf[8];
        std::size_t n = hccraf::normalize_icd(in, buf);
        hccraf::IcdKey expected = n ? hccraf::pack_icd(std::string_view(buf, n)) : 0;
        EXPECT_EQ(hccraf::icd_key(in), expected) << in;
    }
}
