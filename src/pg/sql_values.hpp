// Small helpers that turn core values into SQL Datums. Plain PostgreSQL calls: use them only
// where no C++ object with a destructor is alive, or inside pg_call.
#pragma once
#include "../core/fixed_point.hpp"
#include "../core/model_image.hpp"
#include "pg_includes.hpp"

#include <string_view>

namespace hccraf::pg {

// Thousandths -> numeric with exactly three decimals (1123 -> 1.123).
inline Datum milli_to_numeric(Milli v) {
    return NumericGetDatum(int64_div_fast_to_numeric(v, 3));
}

// A text[] of "HCC<n>" from HCC numbers.
ArrayType* hcc_number_array(Family family, const int* numbers, int n);

// A text[] from C strings.
ArrayType* text_array(const char* const* items, int n);

// Calls f(i, std::string_view) for every non-NULL element of a one-dimensional text[] (elements
// are not copied: the views are valid while the array is), checking for interrupts. Plain
// PostgreSQL.
template <class F>
void for_each_text(ArrayType* arr, F&& f) {
    const int n = ArrayGetNItems(ARR_NDIM(arr), ARR_DIMS(arr));
    char* p = ARR_DATA_PTR(arr);
    bits8* bitmap = ARR_NULLBITMAP(arr);
    int bitmask = 1;
    for (int i = 0; i < n; ++i) {
        if ((i & 1023) == 0) CHECK_FOR_INTERRUPTS();
        if (!(bitmap && !(*bitmap & bitmask))) {
            f(i, std::string_view(VARDATA_ANY(p), VARSIZE_ANY_EXHDR(p)));
            p = att_addlength_pointer(p, -1, p);
            p = (char*)att_align_nominal(p, TYPALIGN_INT);
        }
        if (bitmap && (bitmask <<= 1) == 0x100) {
            ++bitmap;
            bitmask = 1;
        }
    }
}

// The function's composite result type, blessed, copied into fn_mcxt (for a per-call-site
// cache: build it once). Raises an error when the function does not return a composite.
TupleDesc composite_result_desc(FunctionCallInfo fcinfo);

// One explanation row (model_version, step, item, detail, coefficient), the result shape of
// raf_explain and hhs_explain. Only builds Datums: usable in emit_rows' fill.
template <class Model, class Row>
inline void put_explain_row(Datum* v, bool* n, const Model& model, const Row& row) noexcept {
    v[0] = PointerGetDatum(cstring_to_text_with_len(model.data(), (int)model.size()));
    v[1] = PointerGetDatum(cstring_to_text_with_len(row.step.data(), (int)row.step.size()));
    v[2] = PointerGetDatum(cstring_to_text_with_len(row.item.data(), (int)row.item.size()));
    v[3] = PointerGetDatum(cstring_to_text_with_len(row.detail.data(), (int)row.detail.size()));
    if (row.coefficient)
        v[4] = milli_to_numeric(*row.coefficient);
    else
        n[4] = true;
}

}  // namespace hccraf::pg
