#include "reference_version.hpp"

#include "extension_objects.hpp"
#include "spi_rows.hpp"

extern "C" {
#include "access/heapam.h"
#include "access/table.h"
#include "access/tableam.h"
#include "commands/dbcommands.h"
#include "access/xact.h"
#include "utils/rel.h"
}

namespace hccraf::pg {

Oid reference_version_relid() {
    Oid nsp = get_namespace_oid("hccraf", true);
    Oid relid = OidIsValid(nsp) ? get_relname_relid("reference_version", nsp) : InvalidOid;
    if (OidIsValid(relid)) return relid;
    if (!OidIsValid(nsp) || !OidIsValid(get_relname_relid("model_release", nsp)))
        ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                        errmsg("extension \"hccraf\" is not installed in database \"%s\"",
                               get_database_name(MyDatabaseId)),
                        errhint("Run CREATE EXTENSION hccraf.")));
    // The 0.1.0 objects with this library: it works, slower, until the update.
    static bool told = false;
    if (!told)
        ereport(NOTICE, (errmsg("hccraf's SQL objects are older than its library"),
                         errhint("Run ALTER EXTENSION hccraf UPDATE; until then every statement compiles its "
                                 "images anew and none is shared.")));
    told = true;
    return InvalidOid;
}

// A direct heap read (a few microseconds; it runs once per statement): no SQL, no permission
// check (the version is no secret and every role's images must agree).
ReferenceVersion read_reference_version(Snapshot snapshot) {
    ReferenceVersion out;
    out.relation = reference_version_relid();
    if (!OidIsValid(out.relation)) {
        out.dirty = true;  // unknown: never shared, never reused by a later statement
        return out;
    }
    Relation rel = table_open(out.relation, AccessShareLock);
    TableScanDesc scan = table_beginscan(rel, snapshot, 0, nullptr);
    HeapTuple tuple = heap_getnext(scan, ForwardScanDirection);
    if (!HeapTupleIsValid(tuple))
        ereport(ERROR, (errcode(ERRCODE_DATA_CORRUPTED), errmsg("hccraf.reference_version has no row"),
                        errhint("Recreate the extension: DROP EXTENSION hccraf; CREATE EXTENSION hccraf.")));
    bool isnull;
    Datum version = heap_getattr(tuple, 2, RelationGetDescr(rel), &isnull);
    out.version = isnull ? 0 : (std::uint64_t)DatumGetInt64(version);
    out.writer = HeapTupleHeaderGetRawXmin(tuple->t_data);
    out.dirty = TransactionIdIsCurrentTransactionId(out.writer);
    table_endscan(scan);
    // The lock is kept to the end of the transaction (as for every table a query reads): the
    // extension cannot be dropped under a statement that uses its images.
    table_close(rel, NoLock);
    return out;
}

void bump_reference_version() {
    if (!OidIsValid(reference_version_relid())) return;
    spi_exec_as_owner("UPDATE hccraf.reference_version SET version = version OPERATOR(pg_catalog.+) 1");
}

}  // namespace hccraf::pg
