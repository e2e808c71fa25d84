#include "code_set.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstdint>
#include <cstring>
#include <string>

#include "errors.hpp"
#include "interrupts.hpp"

namespace hccraf {

namespace {

constexpr std::uint32_t kMagic = 0x48434353;  // "HCCS"
constexpr std::uint32_t kVersion = 1;
constexpr int kMaxYears = 16;

struct Header {
    std::uint32_t magic;
    std::uint32_t version;
    std::uint64_t total_size;
    std::uint64_t count;
    std::int32_t year_count;
    std::int32_t years[kMaxYears];  // ascending
    std::int32_t padding;
};
static_assert(sizeof(Header) % alignof(CodeSetEntry) == 0);

const Header& header(const std::byte* base) {
    return *reinterpret_cast<const Header*>(base);
}
const CodeSetEntry* entries(const std::byte* base) {
    return reinterpret_cast<const CodeSetEntry*>(base + sizeof(Header));
}

}  // namespace

void check_code_set_years(const std::vector<int>& loaded_years) {
    std::vector<int> years(loaded_years);
    std::sort(years.begin(), years.end());
    years.erase(std::unique(years.begin(), years.end()), years.end());
    if ((int)years.size() > kMaxYears) throw DataError("too many ICD-10-CM fiscal years loaded");
    for (int y : years)
        if (y < kFirstCodeSetYear || y >= kFirstCodeSetYear + 64)
            throw DataError("ICD-10-CM fiscal year " + std::to_string(y) + " is outside 2000..2063");
}

std::vector<std::byte> compile_code_set(std::vector<CodeSetEntry> in, const std::vector<int>& loaded_years) {
    check_code_set_years(loaded_years);
    std::vector<int> years(loaded_years);
    std::sort(years.begin(), years.end());
    years.erase(std::unique(years.begin(), years.end()), years.end());
    std::sort(in.begin(), in.end(),
              [](const CodeSetEntry& a, const CodeSetEntry& b) { return a.key < b.key; });
    std::vector<CodeSetEntry> merged;
    for (std::size_t i = 0; i < in.size(); ++i) {
        interrupts::poll_every(i);
        const CodeSetEntry& e = in[i];
        if (!merged.empty() && merged.back().key == e.key)
            merged.back().fiscal_years |= e.fiscal_years;
        else
            merged.push_back(e);
    }
    Header h{};
    h.magic = kMagic;
    h.version = kVersion;
    h.count = merged.size();
    h.year_count = (int)years.size();
    for (std::size_t i = 0; i < years.size(); ++i) h.years[i] = years[i];
    h.total_size = sizeof(Header) + merged.size() * sizeof(CodeSetEntry);
    std::vector<std::byte> out(h.total_size);
    std::memcpy(out.data(), &h, sizeof h);
    if (!merged.empty())
        std::memcpy(out.data() + sizeof h, merged.data(), merged.size() * sizeof(CodeSetEntry));
    return out;
}

CodeSetImage::CodeSetImage(const void* bytes, std::size_t size)
    : base_(static_cast<const std::byte*>(bytes)) {
    // Every field is checked before it is used to size or index anything: a damaged block is
    // rejected, never read out of bounds (fuzzed: test/fuzz/fuzz_images.cpp).
    if (bytes == nullptr || reinterpret_cast<std::uintptr_t>(bytes) % alignof(CodeSetEntry) != 0)
        throw DataError("code set image is null or misaligned");
    if (size < sizeof(Header)) throw DataError("code set image too small");
    const Header& h = header(base_);
    if (h.magic != kMagic || h.version != kVersion)
        throw DataError("not a code set image (or another version)");
    const std::uint64_t max_count = (size - sizeof(Header)) / sizeof(CodeSetEntry);
    if (h.total_size != size || h.count > max_count ||
        h.total_size != sizeof(Header) + h.count * sizeof(CodeSetEntry) || h.year_count < 0 ||
        h.year_count > kMaxYears)
        throw DataError("code set image is damaged");
    for (int i = 0; i < h.year_count; ++i)
        if (h.years[i] < kFirstCodeSetYear || h.years[i] >= kFirstCodeSetYear + 64 ||
            (i > 0 && h.years[i] <= h.years[i - 1]))
            throw DataError("code set image is damaged (fiscal years)");
    const CodeSetEntry* e = entries(base_);
    for (std::uint64_t i = 1; i < h.count; ++i)
        if (e[i].key <= e[i - 1].key) throw DataError("code set image is damaged (keys not sorted)");
}

std::size_t CodeSetImage::byte_size() const {
    return header(base_).total_size;
}
std::size_t CodeSetImage::code_count() const {
    return header(base_).count;
}

std::uint64_t CodeSetImage::years_mask(int payment_year) const {
    const Header& h = header(base_);
    if (h.year_count == 0) return 0;
    // 64-bit year arithmetic: payment_year is any int a caller passes.
    const std::int64_t py = payment_year;
    std::uint64_t mask = 0;
    for (int i = 0; i < h.year_count; ++i)
        if (h.years[i] == py - 1 || h.years[i] == py)
            mask |= std::uint64_t{1} << (h.years[i] - kFirstCodeSetYear);
    if (mask == 0) {  // no code set of the data-collection year: the nearest loaded one stands in
        int best = h.years[0];
        for (int i = 1; i < h.year_count; ++i)
            if (std::llabs(h.years[i] - py) < std::llabs(best - py)) best = h.years[i];
        mask = std::uint64_t{1} << (best - kFirstCodeSetYear);
    }
    return mask;
}

std::vector<int> CodeSetImage::fiscal_years_in_force(int payment_year) const {
    std::vector<int> years;
    const std::uint64_t mask = years_mask(payment_year);
    for (int bit = 0; bit < 64; ++bit)
        if ((mask >> bit) & 1) years.push_back(kFirstCodeSetYear + bit);
    return years;
}

bool CodeSetImage::in_force(IcdKey key, int payment_year) const {
    const Header& h = header(base_);
    if (h.year_count == 0) return true;
    const std::uint64_t mask = years_mask(payment_year);
    const CodeSetEntry* first = entries(base_);
    const CodeSetEntry* last = first + h.count;
    const CodeSetEntry* it =
        std::lower_bound(first, last, key, [](const CodeSetEntry& e, IcdKey k) { return e.key < k; });
    return it != last && it->key == key && (it->fiscal_years & mask) != 0;
}

}  // namespace hccraf
