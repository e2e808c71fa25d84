// Transactional invalidation of compiled reference data.
//
// Every reference table has a statement-level trigger (install script) that calls
// hccraf._reference_changed(). The trigger queues a relcache invalidation of
// hccraf.model_release: PostgreSQL sends queued invalidations to other backends only when the
// transaction commits and discards them on rollback, and applies them to the changing backend
// itself at the next command boundary. Every backend registers a relcache callback that marks
// its reference cache stale when that relation (or "all relations") is invalidated; the cache is
// then dropped at the start of the next hccraf call. So a backend sees a new release after the
// change commits and never before, and a rolled-back change is never seen.
#include "invalidation.hpp"

#include "pg_includes.hpp"
#include "reference_cache.hpp"

extern "C" {
PG_FUNCTION_INFO_V1(hccraf_reference_changed);
}

namespace {

// Oid of hccraf.model_release, resolved lazily (the extension may be created after the library
// is loaded, and dropped and re-created with new oids).
Oid marker_relid = InvalidOid;

Oid lookup_marker_relid() {
    Oid nsp = get_namespace_oid("hccraf", true);
    return OidIsValid(nsp) ? get_relname_relid("model_release", nsp) : InvalidOid;
}

void relcache_callback(Datum, Oid relid) {
    if (relid == InvalidOid || relid == marker_relid || !OidIsValid(marker_relid))
        hccraf::pg::mark_reference_cache_stale();
}

}  // namespace

namespace hccraf::pg {

void register_invalidation_callback() { CacheRegisterRelcacheCallback(relcache_callback, (Datum)0); }

void remember_marker_relation() { marker_relid = lookup_marker_relid(); }

}  // namespace hccraf::pg

// Plain C (no C++ object is alive here), so no guard is needed.
extern "C" Datum hccraf_reference_changed(PG_FUNCTION_ARGS) {
    if (!CALLED_AS_TRIGGER(fcinfo))
        ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                        errmsg("hccraf._reference_changed() must be called as a trigger")));
    Oid relid = lookup_marker_relid();
    if (OidIsValid(relid)) CacheInvalidateRelcacheByRelid(relid);
    return PointerGetDatum(nullptr);
}
