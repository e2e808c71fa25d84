#include "sql_values.hpp"

namespace hccraf::pg {

ArrayType* text_array(const char* const* items, int n) {
    Datum* elems = (Datum*)palloc(sizeof(Datum) * (n + 1));
    for (int i = 0; i < n; ++i) elems[i] = CStringGetTextDatum(items[i]);
    return construct_array(elems, n, TEXTOID, -1, false, TYPALIGN_INT);
}

ArrayType* hcc_number_array(Family family, const int* numbers, int n) {
    const char* names[2 * kMaxHccSlots];
    char buffer[2 * kMaxHccSlots][16];
    if (n > (int)(sizeof(names) / sizeof(names[0]))) elog(ERROR, "hccraf: too many HCCs (%d)", n);
    for (int i = 0; i < n; ++i) {
        format_hcc_name(family, numbers[i], buffer[i]);
        names[i] = buffer[i];
    }
    return text_array(names, n);
}

}  // namespace hccraf::pg
