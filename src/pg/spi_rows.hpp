// Runs one of hccraf's own read-only queries through SPI and returns its rows as strings,
// safely from C++.
//
// Security: the query text is hccraf's, never a user's, and it runs
//   * with search_path pinned to "pg_catalog, pg_temp" (a role that can create objects in a
//     schema of the caller's search_path cannot substitute its own substr(), and a pg_temp type
//     cannot shadow a pg_catalog one), on top of every name in it being schema-qualified;
//   * as the extension's owner, with SECURITY_RESTRICTED_OPERATION: a compiled image is the
//     same whoever triggers the compilation (it may be published to shared memory for every
//     session), and scoring needs no SELECT grant on the reference tables;
//   * on the statement's snapshot (reference_snapshot()), so every query that compiles one image
//     sees one committed state (reference_version.hpp).
// Trap: a C++ exception must never be thrown between PG_TRY and PG_END_TRY (it would leave
// PG_exception_stack pointing at a dead frame). So the PostgreSQL part (SPI_connect, execute,
// SPI_getvalue into palloc'd cells, SPI_finish) runs inside pg_call() without any C++ allocation,
// and the cells are copied into std::strings only afterwards.
#pragma once
#include <string>
#include <vector>

#include "pg_includes.hpp"

namespace hccraf::pg {

using SpiRow = std::vector<std::string>;  // NULL becomes ""

// $1 = text, $2 = int4 (both optional: pass nullptr / 0 args), read-only, on
// reference_snapshot(). Throws PgError on SQL errors.
std::vector<SpiRow> spi_rows(const char* sql, const char* text_arg = nullptr, int int_arg = 0, int nargs = 0);

// The snapshot every read of reference data in the current call uses: the statement's active
// snapshot (in parallel workers, the leader's), else the transaction's. Plain PostgreSQL.
Snapshot reference_snapshot();

// Runs one of hccraf's own data-changing statements (same owner and search_path rules). Plain
// PostgreSQL: may ereport.
void spi_exec_as_owner(const char* sql);

// The model family of the hccraf.model_release row `r`, as SQL text. Trap: the SQL objects of
// 0.1.0 and 0.2.0 (before ALTER EXTENSION hccraf UPDATE) have no model_family column, and this
// library must keep serving them (their releases are all CMS-HCC): naming the column would fail
// to parse, reading it through the row's jsonb does not.
#define FAMILY_OF_RELEASE_ROW \
    "COALESCE(pg_catalog.to_jsonb(r) OPERATOR(pg_catalog.->>) 'model_family', 'CMS-HCC')"

}  // namespace hccraf::pg
