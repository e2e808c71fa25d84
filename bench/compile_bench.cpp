// The core alone (no SQL): the median time to compile each shipped release from data/, the
// gap finder (find_gaps) over a made-up panel, score() per person and image validation. Built and run by
// bench/compile_bench.sh; used to measure container choices in the compiler and the gap paths.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "gaps.hpp"
#include "icd_code.hpp"
#include "scorer.hpp"
#include "model_image.hpp"
#include "release_data.hpp"

using namespace hccraf;
using Clock = std::chrono::steady_clock;

namespace {

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

// FNV-1a of the image bytes: two builds of the core that compile the same image print the same.
std::uint64_t checksum(const std::vector<std::byte>& bytes) {
    std::uint64_t h = 1469598103934665603ull;
    for (std::byte b : bytes) h = (h ^ static_cast<std::uint64_t>(b)) * 1099511628211ull;
    return h;
}

double micros_since(Clock::time_point t0) {
    return std::chrono::duration<double, std::micro>(Clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
    const std::string data = argc > 1 ? argv[1] : "data";
    const int runs = argc > 2 ? std::stoi(argv[2]) : 200;
    std::printf("%-10s %12s %12s %18s\n", "release", "median_us", "image_bytes", "fnv1a");
    std::vector<double> all;
    for (auto [model, py] : {std::pair{"V24", 2024}, {"V24", 2025}, {"V24", 2026}, {"V28", 2024},
                             {"V28", 2025}, {"V28", 2026}, {"V28", 2027}}) {
        ReleaseData d = load_release_dir(data, model, py);
        std::vector<double> t;
        std::vector<std::byte> image;
        for (int i = 0; i < runs; ++i) {
            auto t0 = Clock::now();
            image = compile_image(d);
            t.push_back(micros_since(t0));
        }
        all.push_back(median(t));
        std::printf("%-4s %5d %12.0f %12zu %18llx\n", model, py, median(t), image.size(),
                    static_cast<unsigned long long>(checksum(image)));
    }
    double sum = 0;
    for (double x : all) sum += x;
    std::printf("%-10s %12.0f\n", "sum", sum);

    // find_gaps over 20,000 made-up persons with 6 prior and 6 current codes of the V28 PY2026
    // crosswalk (the keys are spread over the crosswalk by fixed strides).
    ReleaseData d = load_release_dir(data, "V28", 2026);
    std::vector<std::byte> bytes = compile_image(d);
    ModelImage image(bytes.data(), bytes.size());
    std::vector<IcdKey> keys;
    for (const auto& row : d.crosswalk) keys.push_back(pack_icd(row.icd10_code));
    std::vector<double> t;
    std::size_t rows = 0;
    for (int rep = 0; rep < 5; ++rep) {
        auto t0 = Clock::now();
        rows = 0;
        for (std::size_t p = 1; p <= 20000; ++p) {
            IcdKey prior[6], current[6];
            for (std::size_t k = 0; k < 6; ++k) {
                prior[k] = keys[(p * 7919 + k * 15485863) % keys.size()];
                current[k] = keys[(p * 7919 + 104729 + k * 15485863) % keys.size()];
            }
            Patient person;
            person.age = 65 + static_cast<int>(p % 30);
            person.sex = p % 2 ? Sex::Male : Sex::Female;
            rows += find_gaps(image, person, prior, 6, current, 6).rows.size();
        }
        t.push_back(micros_since(t0) / 1000.0);
    }
    std::printf("find_gaps, 20,000 persons: median %.1f ms (%zu rows)\n", median(t), rows);

    // score() of a 13-code person, and the validation of a whole image (what every backend does
    // when it attaches a shared image).
    std::vector<IcdKey> thirteen;
    for (const char* c : {"E11.22", "E66.01", "M06.9", "F03.90", "F10.20", "F20.9", "G35", "J96.11",
                          "I50.22", "I48.91", "I70.261", "J44.9", "N18.4"})
        thirteen.push_back(*parse_icd(c));
    Patient p;
    p.sex = Sex::Male;
    p.orec = '1';
    ScoreResult r;
    Milli sink = 0;
    const int n = 1000000;
    auto t0 = Clock::now();
    for (int i = 0; i < n; ++i) {
        p.age = 40 + i % 50;
        score(image, p, thirteen.data(), thirteen.size(), r);
        sink += r.raw;
    }
    std::printf("score(), 13 codes: %.3f us per person (checksum %lld)\n", micros_since(t0) / n,
                static_cast<long long>(sink));
    t0 = Clock::now();
    for (int i = 0; i < 1000; ++i) ModelImage check(bytes.data(), bytes.size());
    std::printf("ModelImage validation of %zu bytes: %.1f us\n", bytes.size(), micros_since(t0) / 1000);
    return 0;
}
