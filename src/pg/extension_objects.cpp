#include "extension_objects.hpp"

extern "C" {
#include "access/genam.h"
#include "access/table.h"
#include "catalog/indexing.h"
#include "commands/dbcommands.h"
#include "catalog/pg_extension.h"
#include "utils/fmgroids.h"
#include "utils/rel.h"
}

namespace hccraf::pg {

Oid reference_marker_relid() {
    Oid nsp = get_namespace_oid("hccraf", true);
    return OidIsValid(nsp) ? get_relname_relid("model_release", nsp) : InvalidOid;
}

Oid extension_owner() {
    Relation rel = table_open(ExtensionRelationId, AccessShareLock);
    ScanKeyData key;
    ScanKeyInit(&key, Anum_pg_extension_extname, BTEqualStrategyNumber, F_NAMEEQ, CStringGetDatum("hccraf"));
    SysScanDesc scan = systable_beginscan(rel, ExtensionNameIndexId, true, nullptr, 1, &key);
    HeapTuple tuple = systable_getnext(scan);
    Oid owner = HeapTupleIsValid(tuple) ? ((Form_pg_extension)GETSTRUCT(tuple))->extowner : InvalidOid;
    systable_endscan(scan);
    table_close(rel, AccessShareLock);
    if (!OidIsValid(owner))
        ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                        errmsg("extension \"hccraf\" is not installed in database \"%s\"",
                               get_database_name(MyDatabaseId)),
                        errhint("Run CREATE EXTENSION hccraf.")));
    return owner;
}

}  // namespace hccraf::pg
