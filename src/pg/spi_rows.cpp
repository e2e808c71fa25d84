#include "spi_rows.hpp"

#include <string>
#include <vector>

#include "../core/interrupts.hpp"
#include "extension_objects.hpp"
#include "guard.hpp"

extern "C" {
#include "access/xact.h"
#include "utils/guc.h"
#include "utils/snapmgr.h"
}

namespace hccraf::pg {

namespace {

struct RawResult {
    int nrows = 0;
    int ncols = 0;
    char** cells = nullptr;  // nrows * ncols, palloc'd in the caller's context
};

// Internal SQL runs as the extension's owner, restricted, with search_path pinned (header).
// Restored on the normal path; on an error, the (sub)transaction abort that the re-raised error
// causes restores both, as for a SECURITY DEFINER function with a SET clause
// (fmgr_security_definer).
struct OwnerScope {
    Oid save_userid;
    int save_sec_context;
    int save_nestlevel;
};

OwnerScope enter_owner_scope() {
    OwnerScope scope;
    Oid owner = extension_owner();
    GetUserIdAndSecContext(&scope.save_userid, &scope.save_sec_context);
    scope.save_nestlevel = NewGUCNestLevel();
    SetUserIdAndSecContext(
        owner, scope.save_sec_context | SECURITY_LOCAL_USERID_CHANGE | SECURITY_RESTRICTED_OPERATION);
    // GUC_ACTION_SAVE is allowed in parallel workers (the change is popped below).
    (void)set_config_option("search_path", "pg_catalog, pg_temp", PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE,
                            true, 0, false);
    return scope;
}

void leave_owner_scope(const OwnerScope& scope) {
    AtEOXact_GUC(false, scope.save_nestlevel);
    SetUserIdAndSecContext(scope.save_userid, scope.save_sec_context);
}

// Pure PostgreSQL: no C++ object is created here (see the header's trap). Read-only, on the
// statement's snapshot (reference_snapshot()): every query compiling one image sees the same
// rows, and the same rows as the reference version it is keyed by (reference_version.hpp).
RawResult run_query(const char* sql, const char* text_arg, int int_arg, int nargs) noexcept {
    RawResult out;
    MemoryContext caller = CurrentMemoryContext;
    OwnerScope scope = enter_owner_scope();
    if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "hccraf: SPI_connect failed");
    Oid types[2] = {TEXTOID, INT4OID};
    Datum values[2] = {text_arg ? CStringGetTextDatum(text_arg) : (Datum)0, Int32GetDatum(int_arg)};
    SPIPlanPtr plan = SPI_prepare(sql, nargs, types);
    if (!plan) elog(ERROR, "hccraf: cannot prepare reference query: %s", sql);
    int rc =
        SPI_execute_snapshot(plan, values, nullptr, reference_snapshot(), InvalidSnapshot, true, false, 0);
    if (rc != SPI_OK_SELECT) elog(ERROR, "hccraf: reference query failed (%d): %s", rc, sql);
    out.nrows = (int)SPI_processed;
    out.ncols = SPI_tuptable->tupdesc->natts;
    out.cells = (char**)MemoryContextAllocExtended(
        caller, sizeof(char*) * ((size_t)out.nrows * out.ncols + 1), MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
    for (int r = 0; r < out.nrows; ++r) {
        if ((r & 1023) == 0) CHECK_FOR_INTERRUPTS();
        for (int c = 0; c < out.ncols; ++c) {
            char* v = SPI_getvalue(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, c + 1);
            out.cells[(size_t)r * out.ncols + c] = v ? MemoryContextStrdup(caller, v) : nullptr;
        }
    }
    SPI_finish();
    leave_owner_scope(scope);
    return out;
}

}  // namespace

std::vector<SpiRow> spi_rows(const char* sql, const char* text_arg, int int_arg, int nargs) {
    RawResult raw = pg_call([&]() noexcept { return run_query(sql, text_arg, int_arg, nargs); });
    std::vector<SpiRow> rows;
    rows.reserve(raw.nrows);
    for (int r = 0; r < raw.nrows; ++r) {
        interrupts::poll_every(r);
        SpiRow row;
        row.reserve(raw.ncols);
        for (int c = 0; c < raw.ncols; ++c) {
            const char* v = raw.cells[(size_t)r * raw.ncols + c];
            row.emplace_back(v ? v : "");
        }
        rows.push_back(std::move(row));
    }
    for (size_t i = 0; i < (size_t)raw.nrows * raw.ncols; ++i)
        if (raw.cells[i]) pfree(raw.cells[i]);
    pfree(raw.cells);
    return rows;
}

Snapshot reference_snapshot() {
    return ActiveSnapshotSet() ? GetActiveSnapshot() : GetTransactionSnapshot();
}

void spi_exec_as_owner(const char* sql) {
    OwnerScope scope = enter_owner_scope();
    if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "hccraf: SPI_connect failed");
    int rc = SPI_execute(sql, false, 0);
    if (rc < 0) elog(ERROR, "hccraf: internal statement failed (%d): %s", rc, sql);
    SPI_finish();
    leave_owner_scope(scope);
}

}  // namespace hccraf::pg
