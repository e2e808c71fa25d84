// Small helpers that turn core values into SQL Datums. Plain PostgreSQL calls: use them only
// where no C++ object with a destructor is alive, or inside pg_call.
#pragma once
#include "../core/fixed_point.hpp"
#include "../core/model_image.hpp"
#include "pg_includes.hpp"

namespace hccraf::pg {

// Thousandths -> numeric with exactly three decimals (1123 -> 1.123).
inline Datum milli_to_numeric(Milli v) {
    return NumericGetDatum(int64_div_fast_to_numeric(v, 3));
}

// A text[] of "HCC<n>" from HCC numbers.
ArrayType* hcc_number_array(Family family, const int* numbers, int n);

// A text[] from C strings.
ArrayType* text_array(const char* const* items, int n);

}  // namespace hccraf::pg
