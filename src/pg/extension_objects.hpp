// Where the installed extension's objects are: its owner and the marker relation whose relcache
// invalidation announces a reference-data change (invalidation.cpp). Plain PostgreSQL.
#pragma once
#include "pg_includes.hpp"

namespace hccraf::pg {

// Oid of hccraf.model_release, or InvalidOid when the extension is not installed in this
// database (the library may be loaded without it; its oid changes on DROP/CREATE EXTENSION).
Oid reference_marker_relid();

// The owner of extension hccraf (the superuser who created it). Raises an error naming the
// missing extension when it is not installed in this database.
Oid extension_owner();

}  // namespace hccraf::pg
