// Transactional invalidation of compiled reference data.
//
// Every reference table has a statement-level trigger (install script) that calls
// hccraf._reference_changed(). The trigger
//   * queues a relcache invalidation of hccraf.model_release: PostgreSQL sends queued
//     invalidations to other backends only when the transaction commits, discards them on
//     rollback, and applies them to the changing backend itself at the next command boundary
//     (and again at abort). Every backend's relcache callback marks its reference cache stale,
//     and the cache is dropped at the start of the next hccraf call;
//   * notes that this transaction changed reference data: until it ends, its images are built
//     locally from its own view (never shared), and at COMMIT the xact callback bumps the shared
//     generation (shared_images.cpp), which retires every shared image of the old generation.
// So a backend sees a new release after the change commits and never before, and a rolled-back
// change is never seen.
#include "invalidation.hpp"

#include "pg_includes.hpp"
#include "reference_cache.hpp"
#include "shared_images.hpp"

extern "C" {
#include "access/xact.h"
PG_FUNCTION_INFO_V1(hccraf_reference_changed);
}

namespace {

// Oid of hccraf.model_release, resolved lazily (the extension may be created after the library
// is loaded, and dropped and re-created with new oids).
Oid marker_relid = InvalidOid;
bool changed_in_transaction = false;

Oid lookup_marker_relid() {
    Oid nsp = get_namespace_oid("hccraf", true);
    return OidIsValid(nsp) ? get_relname_relid("model_release", nsp) : InvalidOid;
}

void relcache_callback(Datum, Oid relid) {
    if (relid == InvalidOid || relid == marker_relid || !OidIsValid(marker_relid))
        hccraf::pg::mark_reference_cache_stale();
}

void xact_callback(XactEvent event, void*) {
    switch (event) {
        case XACT_EVENT_PRE_PREPARE:
            // The generation bump would happen in whichever backend runs COMMIT PREPARED,
            // which knows nothing of this transaction: refuse rather than serve stale images.
            if (changed_in_transaction && hccraf::pg::shared_images_enabled())
                ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                                errmsg("cannot PREPARE a transaction that changed hccraf reference data")));
            break;
        case XACT_EVENT_COMMIT:
            if (changed_in_transaction) hccraf::pg::bump_shared_generation();
            changed_in_transaction = false;
            hccraf::pg::forget_shared_pin();
            break;
        case XACT_EVENT_ABORT:
            if (changed_in_transaction) hccraf::pg::mark_reference_cache_stale();
            changed_in_transaction = false;
            hccraf::pg::forget_shared_pin();
            break;
        case XACT_EVENT_PARALLEL_COMMIT:
        case XACT_EVENT_PARALLEL_ABORT:
        case XACT_EVENT_PREPARE:
            changed_in_transaction = false;
            hccraf::pg::forget_shared_pin();
            break;
        default:
            break;
    }
}

}  // namespace

namespace hccraf::pg {

void register_invalidation_callbacks() {
    CacheRegisterRelcacheCallback(relcache_callback, (Datum)0);
    RegisterXactCallback(xact_callback, nullptr);
}

void remember_marker_relation() {
    marker_relid = lookup_marker_relid();
}

bool reference_changed_in_transaction() {
    return changed_in_transaction;
}

}  // namespace hccraf::pg

// Plain C (no C++ object is alive here), so no guard is needed.
extern "C" Datum hccraf_reference_changed(PG_FUNCTION_ARGS) {
    if (!CALLED_AS_TRIGGER(fcinfo))
        ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                        errmsg("hccraf._reference_changed() must be called as a trigger")));
    changed_in_transaction = true;
    Oid relid = lookup_marker_relid();
    if (OidIsValid(relid)) CacheInvalidateRelcacheByRelid(relid);
    return PointerGetDatum(nullptr);
}
