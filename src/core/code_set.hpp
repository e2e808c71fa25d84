// CodeSetImage: the ICD-10-CM code sets (which codes are valid, billable codes in which fiscal
// years) compiled into one flat, pointer-free, read-only block, like ModelImage: a header, the
// loaded fiscal years, then (IcdKey, fiscal-year mask) records sorted by key.
#pragma once
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "icd_code.hpp"

namespace hccraf {

inline constexpr int kFirstCodeSetYear = 2000;  // bit 0 of a mask = FY2000

struct CodeSetEntry {
    IcdKey key;
    std::uint64_t fiscal_years;  // bit (fy - kFirstCodeSetYear) set when billable in that FY
};

// Throws DataError for a fiscal year outside 2000..2063 or more than 16 distinct years.
void check_code_set_years(const std::vector<int>& years);

// entries need not be sorted or unique (masks of equal keys are merged). Throws DataError for a
// fiscal year outside 2000..2063.
std::vector<std::byte> compile_code_set(std::vector<CodeSetEntry> entries,
                                        const std::vector<int>& loaded_years);

class CodeSetImage {
public:
    // Validates the block; throws DataError.
    CodeSetImage(const void* bytes, std::size_t size);

    std::size_t byte_size() const;
    std::size_t code_count() const;

    // True when the code is billable in a code set in force during the data-collection year of
    // payment_year, i.e. fiscal year payment_year - 1 or payment_year. When neither is loaded, the
    // nearest loaded fiscal year stands in; when no code set is loaded at all, every code passes.
    bool in_force(IcdKey key, int payment_year) const;

    // The fiscal years in_force() consults for payment_year, ascending (empty: none loaded).
    std::vector<int> fiscal_years_in_force(int payment_year) const;

private:
    std::uint64_t years_mask(int payment_year) const;  // bit (fy - kFirstCodeSetYear) per year in force
    const std::byte* base_;
};

}  // namespace hccraf
