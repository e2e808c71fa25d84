// score() is the hot path (called per row from SQL): no allocation, and fast.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <new>

#include "support.hpp"

namespace {
std::atomic<long> g_allocations{0};
}  // namespace

// Count every allocation of the test binary (replaceable global operators).
void* operator new(std::size_t n) {
    ++g_allocations;
    if (void* p = std::malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

using namespace hccraf;
using namespace hccraf::test;

TEST(HotPath, ScoreDoesNotAllocate) {
    const ModelImage& img = release_image("V28", 2026);
    std::vector<IcdKey> keys;
    for (const char* c : {"E11.22", "E66.01", "M06.9", "F03.90", "F10.20", "F20.9", "G35", "J96.11",
                          "I50.22", "I48.91", "I70.261", "J44.9", "N18.4", "Z95.811", "C50.911"})
        keys.push_back(*parse_icd(c));
    Patient p = person(58, Sex::Male, '1');
    ScoreResult r;
    long before = g_allocations.load();
    for (int i = 0; i < 100; ++i) score(img, p, keys.data(), keys.size(), r);
    p.institutional = true;
    score(img, p, keys.data(), keys.size(), r);
    p.new_enrollee = true;
    score(img, p, keys.data(), keys.size(), r);
    EXPECT_EQ(g_allocations.load() - before, 0);
}

// Not a benchmark (the machine is shared): prints the rate and guards against a gross
// regression (a 13-code patient must score in well under 20 microseconds).
TEST(HotPath, ScoresQuickly) {
    const ModelImage& img = release_image("V28", 2026);
    std::vector<IcdKey> keys;
    for (const char* c : {"E11.22", "E66.01", "M06.9", "F03.90", "F10.20", "F20.9", "G35", "J96.11",
                          "I50.22", "I48.91", "I70.261", "J44.9", "N18.4"})
        keys.push_back(*parse_icd(c));
    Patient p = person(58, Sex::Male, '1');
    ScoreResult r;
    const int n = 200000;
    Milli sink = 0;
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < n; ++i) {
        p.age = 40 + i % 50;
        score(img, p, keys.data(), keys.size(), r);
        sink += r.raw;
    }
    double sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("[ rate     ] %.0f scores/s (13 codes each), %.2f us/score (checksum %lld)\n",
                n / sec, sec / n * 1e6, static_cast<long long>(sink));
    EXPECT_LT(sec / n, 20e-6);
}

TEST(HotPath, ValidatingAnImageIsCheap) {
    const ModelImage& img = release_image("V28", 2026);
    const int n = 200;
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < n; ++i) ModelImage check(img.bytes(), img.byte_size());
    double sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("[ validate ] %.1f us per full validation of %zu bytes\n", sec / n * 1e6, img.byte_size());
    ModelImage fast = ModelImage::unchecked(img.bytes(), img.byte_size());
    EXPECT_EQ(fast.payment_year(), 2026);
}
