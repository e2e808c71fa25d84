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

TupleDesc composite_result_desc(FunctionCallInfo fcinfo) {
    TupleDesc desc;
    if (get_call_result_type(fcinfo, nullptr, &desc) != TYPEFUNC_COMPOSITE)
        elog(ERROR, "hccraf: function must return a composite type");
    MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
    TupleDesc blessed = BlessTupleDesc(CreateTupleDescCopy(desc));
    MemoryContextSwitchTo(old);
    return blessed;
}

}  // namespace hccraf::pg
