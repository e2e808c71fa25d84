// The version of the reference data a snapshot sees: table hccraf.reference_version (one row),
// incremented by the statement trigger of every reference table (install script), in the
// changing transaction itself. So the version is as transactional as the rows: a snapshot that
// sees version v sees exactly the reference rows of v, in every session and parallel worker.
// Compiled images are keyed by it (reference_cache.cpp, shared_images.cpp). Plain PostgreSQL.
#pragma once
#include <cstdint>

#include "pg_includes.hpp"

namespace hccraf::pg {

struct ReferenceVersion {
    // hccraf.reference_version (a new oid after DROP/CREATE EXTENSION); InvalidOid when the
    // installed SQL objects predate it (0.1.0, before ALTER EXTENSION hccraf UPDATE): the
    // version is then unknown, and the caller recompiles at every statement.
    Oid relation = InvalidOid;
    std::uint64_t version = 0;
    TransactionId writer = InvalidTransactionId;  // raw xmin of the row seen
    bool dirty = false;  // written by the current transaction: uncommitted, never to be shared
    bool operator==(const ReferenceVersion&) const = default;
};

// The oid of hccraf.reference_version; InvalidOid for 0.1.0 objects (see ReferenceVersion).
// Errors when the extension is not installed.
Oid reference_version_relid();

// The row as `snapshot` sees it. Errors when the extension is not installed in this database.
ReferenceVersion read_reference_version(Snapshot snapshot);

// Increments the version (the statement trigger); runs as the extension's owner. Nothing to do
// for 0.1.0 objects.
void bump_reference_version();

}  // namespace hccraf::pg
