// The core's side of the safety guarantees: cancellation of long loops through the host's
// interrupt hook, O(n log n) handling of any number of codes, validation of every value before
// anything is sized by it, and damaged code-set images rejected (never read out of bounds).
#include <gtest/gtest.h>

#include <sys/resource.h>
#include <unistd.h>

#include <climits>
#include <cstring>
#include <string>
#include <vector>

#include "code_set.hpp"
#include "csv.hpp"
#include "errors.hpp"
#include "gaps.hpp"
#include "image_layout.hpp"
#include "interrupts.hpp"
#include "specificity.hpp"
#include "support.hpp"

using namespace hccraf;
using namespace hccraf::test;

namespace {

// What a host's interrupt service does on a cancel: throw, so that the core frames unwind.
struct Cancelled {};

// Makes every poll() see a pending interrupt until destroyed; counts the service calls.
class PendingInterrupt {
public:
    PendingInterrupt() {
        calls_ = 0;
        interrupts::pending = &flag_;
        interrupts::service = [] {
            ++calls_;
            throw Cancelled{};
        };
    }
    ~PendingInterrupt() {
        interrupts::pending = &idle_;
        interrupts::service = nullptr;
    }
    static int calls() { return calls_; }

private:
    static inline volatile std::sig_atomic_t flag_ = 1;
    static inline volatile std::sig_atomic_t idle_ = 0;
    static inline int calls_ = 0;
};

// "Z123456" (appended, not concatenated: g++ 12 warns falsely on "Z" + std::string).
std::string z_code(std::size_t number) {
    std::string code(1, 'Z');
    code.append(std::to_string(number));
    return code;
}

std::vector<IcdKey> many_codes(std::size_t n) {
    std::vector<IcdKey> out;
    for (std::size_t i = 0; i < n; ++i) out.push_back(*parse_icd(z_code(100000 + i % 900000)));
    return out;
}

}  // namespace

TEST(Interrupts, EveryLoopOverTheCallersCodesCanBeCancelled) {
    const ModelImage& img = release_image("V28", 2026);
    const Patient p = person(70, Sex::Female);
    std::vector<IcdKey> codes = many_codes(5000);
    std::vector<std::string> texts(5000, "E11.9");
    ScoreResult r;
    PendingInterrupt pending;
    EXPECT_THROW(score(img, p, codes.data(), codes.size(), r), Cancelled);
    EXPECT_THROW(conditions_before_hierarchy(img, p, codes.data(), codes.size()), Cancelled);
    EXPECT_THROW(explain(img, p, texts, r), Cancelled);
    EXPECT_THROW(find_gaps(img, p, codes.data(), codes.size(), codes.data(), codes.size()), Cancelled);
    EXPECT_THROW(find_specificity_upgrades(img, p, codes.data(), codes.size(), {}), Cancelled);
    EXPECT_THROW(distinct_codes(codes.data(), codes.size()), Cancelled);
    EXPECT_THROW(csv::parse("a,b\n1,2\n", "t.csv"), Cancelled);
    EXPECT_EQ(PendingInterrupt::calls(), 7);
}

TEST(Interrupts, NothingPendingMeansNoServiceCall) {
    const ModelImage& img = release_image("V28", 2026);
    std::vector<IcdKey> codes = many_codes(5000);
    ScoreResult r;
    score(img, person(70, Sex::Female), codes.data(), codes.size(), r);  // default hook: never pending
    EXPECT_EQ(r.raw, m("0.395"));  // F70_74 only: none of the Z codes has an HCC
}

TEST(DistinctCodes, FirstSeenOrderEachKeyOnce) {
    std::vector<IcdKey> in;
    for (const char* c : {"I50.22", "E11.9", "I50.22", "N18.30", "E11.9", "E11.9", "A00.0"})
        in.push_back(*parse_icd(c));
    std::vector<IcdKey> out = distinct_codes(in.data(), in.size());
    ASSERT_EQ(out.size(), 4u);
    EXPECT_EQ(format_icd(out[0], true), "I50.22");
    EXPECT_EQ(format_icd(out[1], true), "E11.9");
    EXPECT_EQ(format_icd(out[2], true), "N18.30");
    EXPECT_EQ(format_icd(out[3], true), "A00.0");
    EXPECT_TRUE(distinct_codes(nullptr, 0).empty());
}

TEST(Explain, RepeatedCodesAmongManyAreFoundInInputOrder) {
    // 200,000 distinct codes and their repeats: the old scan of the codes seen so far was
    // quadratic (400,000 codes took 27 s); a sort makes this instant.
    std::vector<std::string> raw;
    for (int i = 0; i < 200000; ++i) raw.push_back(z_code(100000 + i));
    raw.push_back("Z100000");
    raw.push_back("e11.9");
    raw.push_back("E119");
    ScoreResult r;
    auto rows = explain(release_image("V28", 2026), person(70, Sex::Female), raw, r);
    std::vector<std::string> repeated_items;
    for (const auto& row : rows)
        if (row.step == "input" && row.detail == "repeated code: counted once")
            repeated_items.push_back(row.item);
    ASSERT_EQ(repeated_items.size(), 2u);
    EXPECT_EQ(repeated_items[0], "Z10.0000");  // formatted with the dot after the category
    EXPECT_EQ(repeated_items[1], "E11.9");
    EXPECT_EQ(r.raw, m("0.395") + m("0.166"));  // F70_74 + HCC38, counted once
}

TEST(Gaps, DuplicatesChangeNothing) {
    const ModelImage& img = release_image("V28", 2026);
    const Patient p = person(72, Sex::Female);
    std::vector<IcdKey> prior, current, prior_dup, current_dup;
    for (const char* c : {"E11.22", "N18.4", "I50.22", "J44.9"}) prior.push_back(*parse_icd(c));
    for (const char* c : {"E11.9", "N18.30"}) current.push_back(*parse_icd(c));
    for (int k = 0; k < 1000; ++k) {
        prior_dup.insert(prior_dup.end(), prior.begin(), prior.end());
        current_dup.insert(current_dup.end(), current.begin(), current.end());
    }
    GapReport a = find_gaps(img, p, prior.data(), prior.size(), current.data(), current.size());
    GapReport b =
        find_gaps(img, p, prior_dup.data(), prior_dup.size(), current_dup.data(), current_dup.size());
    ASSERT_EQ(a.rows.size(), b.rows.size());
    for (std::size_t i = 0; i < a.rows.size(); ++i) {
        EXPECT_EQ(a.rows[i].hcc, b.rows[i].hcc);
        EXPECT_EQ(a.rows[i].delta, b.rows[i].delta);
        EXPECT_EQ(a.rows[i].prior_codes, b.rows[i].prior_codes);
        EXPECT_EQ(a.rows[i].current_codes, b.rows[i].current_codes);
    }
    EXPECT_EQ(a.closed_score, b.closed_score);
}

TEST(Compiler, HccNumbersAreCheckedBeforeAnythingIsSizedByThem) {
    ReleaseData d = synthetic_release();
    d.labels.push_back({2147483647, "no such HCC"});
    try {
        compile_image(d);
        FAIL() << "compiled a label HCC2147483647";
    } catch (const DataError& e) {
        EXPECT_NE(std::string(e.what()).find("HCC numbers are 1 to 9999"), std::string::npos) << e.what();
    }
    d.labels.back().hcc = -5;
    EXPECT_THROW(compile_image(d), DataError);
}

#if defined(__SANITIZE_ADDRESS__)
#define HCCRAF_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HCCRAF_ASAN 1
#endif
#endif

#ifndef HCCRAF_ASAN
// The same in a child process whose address space is capped at 512 MB: a compiler that sized a
// table by the label before checking it would die of bad_alloc (2 GB) instead of a DataError.
// (Not under AddressSanitizer, which reserves terabytes of address space.)
namespace {
// Exits 0 when compile_image rejects the release with a DataError inside 512 MB of address space.
[[noreturn]] void compile_in_512_mb(const ReleaseData& d) {
    rlimit cap{};
    cap.rlim_cur = cap.rlim_max = 512u << 20;
    setrlimit(RLIMIT_AS, &cap);
    try {
        compile_image(d);
    } catch (const DataError&) {
        _exit(0);
    } catch (...) {
        _exit(2);  // e.g. std::bad_alloc: something was sized by the label
    }
    _exit(1);
}
}  // namespace

TEST(CompilerDeathTest, HugeLabelAllocatesNothingLarge) {
    ReleaseData d = synthetic_release();
    d.labels.push_back({2147483647, "no such HCC"});
    EXPECT_EXIT(compile_in_512_mb(d), ::testing::ExitedWithCode(0), "");
}
#endif

namespace {
std::vector<std::byte> small_code_set() {
    return compile_code_set(
        {{pack_icd("E119"), std::uint64_t{1} << 25}, {pack_icd("I10"), std::uint64_t{1} << 26}},
        {2025, 2026});
}
// Header fields of the code-set image (code_set.cpp): magic, version, total_size, count,
// year_count, years[16].
constexpr std::size_t kCountOffset = 16, kYearCountOffset = 24, kYearsOffset = 28;
}  // namespace

TEST(CodeSetImage, DamagedHeadersAreRejected) {
    auto good = small_code_set();
    EXPECT_NO_THROW(CodeSetImage(good.data(), good.size()));

    auto bad_year = good;
    std::int32_t year = 1936;  // bit -64 of the fiscal-year mask: once a UBSan shift error
    std::memcpy(bad_year.data() + kYearsOffset, &year, sizeof year);
    EXPECT_THROW(CodeSetImage(bad_year.data(), bad_year.size()), DataError);

    auto unsorted_years = good;
    std::int32_t years[2] = {2026, 2025};
    std::memcpy(unsorted_years.data() + kYearsOffset, years, sizeof years);
    EXPECT_THROW(CodeSetImage(unsorted_years.data(), unsorted_years.size()), DataError);

    auto huge_count = good;
    std::uint64_t count = (std::uint64_t{1} << 60) + 2;  // count * 16 wraps around to the real size
    std::memcpy(huge_count.data() + kCountOffset, &count, sizeof count);
    EXPECT_THROW(CodeSetImage(huge_count.data(), huge_count.size()), DataError);

    auto negative_years = good;
    std::int32_t minus_one = -1;
    std::memcpy(negative_years.data() + kYearCountOffset, &minus_one, sizeof minus_one);
    EXPECT_THROW(CodeSetImage(negative_years.data(), negative_years.size()), DataError);

    auto unsorted_keys = small_code_set();
    std::memcpy(unsorted_keys.data() + unsorted_keys.size() - 16, good.data() + good.size() - 32, 16);
    EXPECT_THROW(CodeSetImage(unsorted_keys.data(), unsorted_keys.size()), DataError);

    EXPECT_THROW(CodeSetImage(good.data(), good.size() - 1), DataError);
    EXPECT_THROW(compile_code_set({}, {1999}), DataError);
    EXPECT_THROW(compile_code_set({}, {2064}), DataError);
}

TEST(CodeSetImage, AnyPaymentYearIsSafe) {
    auto bytes = small_code_set();
    CodeSetImage cs(bytes.data(), bytes.size());
    // No code set of the data-collection year: the nearest loaded one stands in.
    EXPECT_TRUE(cs.in_force(pack_icd("I10"), INT_MAX));
    EXPECT_TRUE(cs.in_force(pack_icd("E119"), INT_MIN));
    EXPECT_FALSE(cs.in_force(pack_icd("E119"), INT_MAX));
    EXPECT_TRUE(cs.in_force(pack_icd("E119"), 2026));
}

// The findings of the fuzzers (test/fuzz/README.md), each with its reproducer in the corpus.
TEST(FuzzFindings, ModelVersionWithNulIsRejected) {
    ReleaseData d = synthetic_release();
    d.model_version = std::string("V2\08", 4);
    EXPECT_THROW(compile_image(d), DataError);
}

TEST(FuzzFindings, NormalizationFactorIsBounded) {
    ReleaseData d = synthetic_release();
    d.normalization_factor = kMaxNormalizationFactor;  // 999.999, numeric(6,3)'s largest
    EXPECT_NO_THROW(compile_image(d));
    d.normalization_factor = kMaxNormalizationFactor + 1;
    EXPECT_THROW(compile_image(d), DataError);
    // The validator refuses it too (an image written by anything else than this compiler).
    d.normalization_factor = 1067;
    std::vector<std::byte> bytes = compile_image(d);
    layout::Header h;
    std::memcpy(&h, bytes.data(), sizeof h);
    h.normalization_factor = std::int64_t{1} << 62;  // once overflowed normalize_score's 2 * den
    std::memcpy(bytes.data(), &h, sizeof h);
    EXPECT_THROW(ModelImage(bytes.data(), bytes.size()), DataError);
}

TEST(FuzzFindings, RuleIndexMustNameEveryParentsRule) {
    std::vector<std::byte> bytes = compile_image(synthetic_release());
    layout::Header h;
    std::memcpy(&h, bytes.data(), sizeof h);
    ASSERT_GT(h.sections[layout::kSecRules].count, 0u);
    auto* rules = reinterpret_cast<layout::RuleRecord*>(bytes.data() + h.sections[layout::kSecRules].offset);
    auto* rule_of = reinterpret_cast<std::uint8_t*>(bytes.data() + h.sections[layout::kSecRuleOfSlot].offset);
    rule_of[rules[0].parent_slot] = layout::kNoSlot;  // the scorer would read rules[255]
    EXPECT_THROW(ModelImage(bytes.data(), bytes.size()), DataError);
}

TEST(FuzzFindings, RevenueNeverOverflows) {
    // A delta of 999,999.000 at 1e9 dollars: the intermediate cents x 1000 (about 1e20) once
    // overflowed int64; the answer, 99,999,900,000,000,000 cents, is exact.
    EXPECT_EQ(revenue_cents(999'999'000, kMaxBaseRateCents), 99'999'900'000'000'000);
    // A revenue that cannot be represented in cents at all is refused, never wrapped.
    EXPECT_THROW(revenue_cents(std::int64_t{1} << 61, kMaxBaseRateCents), InputError);
    // Half away from zero, symmetric: 0.281 x 2.50 = 0.7025 -> 0.70; -0.281 -> -0.70.
    EXPECT_EQ(revenue_cents(281, 250), 70);
    EXPECT_EQ(revenue_cents(-281, 250), -70);
    EXPECT_EQ(revenue_cents(1005, 100), 101);  // 1.005 x 1.00 = 1.005 -> 1.01
    EXPECT_EQ(revenue_cents(-1005, 100), -101);
}
