// score() is the hot path (called per row from SQL): it allocates nothing. (Its speed is
// measured by the benchmarks, bench/compile_bench.sh and bench/run.sh, not by unit tests.)
#include <gtest/gtest.h>

#include <atomic>
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
// The nothrow forms too (std::stable_sort's buffer): otherwise, under AddressSanitizer, the
// sanitizer's own nothrow new is paired with the free() above (alloc-dealloc-mismatch).
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
    ++g_allocations;
    return std::malloc(n ? n : 1);
}
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }

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
