// One way to return a set of rows: materialize prepared C++ rows into the function's tuplestore.
//
// emit_rows(fcinfo, rows, fill) sets up materialize mode and calls fill(row, values, nulls) for
// every row, then stores the tuple; all of it runs inside pg_call (C++ objects, the rows, are
// alive), checking for interrupts between rows. fill must be noexcept and only build Datums
// (palloc, text and numeric constructors): it runs inside PG_TRY. The column count comes from
// the function's declared result type; values and nulls are cleared before each row.
// Trap: the Datums fill makes are freed after each row; never keep one across rows.
#pragma once
#include <utility>

#include "guard.hpp"
#include "pg_includes.hpp"

namespace hccraf::pg {

// An empty result (e.g. for NULL arguments). Plain PostgreSQL.
inline Datum empty_set(FunctionCallInfo fcinfo) {
    InitMaterializedSRF(fcinfo, 0);
    return (Datum)0;
}

template <typename Rows, typename Fill>
void emit_rows(FunctionCallInfo fcinfo, const Rows& rows, Fill&& fill, bits32 srf_flags = 0) {
    static_assert(
        noexcept(fill(std::declval<const typename Rows::value_type&>(), (Datum*)nullptr, (bool*)nullptr)),
        "emit_rows' fill runs inside PG_TRY: it must be noexcept");
    pg_call([&]() noexcept {
        InitMaterializedSRF(fcinfo, srf_flags);
        ReturnSetInfo* rsinfo = (ReturnSetInfo*)fcinfo->resultinfo;
        const int natts = rsinfo->setDesc->natts;
        Datum* values = (Datum*)palloc(sizeof(Datum) * natts);
        bool* nulls = (bool*)palloc(sizeof(bool) * natts);
        // The Datums of one row live in a context reset after the row is stored (the tuplestore
        // copies it): memory stays flat however many rows there are.
        MemoryContext row_context =
            AllocSetContextCreate(CurrentMemoryContext, "hccraf result row", ALLOCSET_DEFAULT_SIZES);
        for (const auto& row : rows) {
            CHECK_FOR_INTERRUPTS();
            for (int i = 0; i < natts; ++i) {
                values[i] = (Datum)0;
                nulls[i] = false;
            }
            MemoryContext outer = MemoryContextSwitchTo(row_context);
            fill(row, values, nulls);
            tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
            MemoryContextSwitchTo(outer);
            MemoryContextReset(row_context);
        }
        MemoryContextDelete(row_context);
    });
}

// A text Datum of a std::string-like value (data() + size(); no terminator needed).
template <typename S>
inline Datum text_datum(const S& s) noexcept {
    return PointerGetDatum(cstring_to_text_with_len(s.data(), (int)s.size()));
}

}  // namespace hccraf::pg
