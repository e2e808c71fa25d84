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

#include "extension_objects.hpp"
#include "pg_includes.hpp"
#include "reference_cache.hpp"
#include "shared_images.hpp"

#include "guard.hpp"

extern "C" {
#include "access/xact.h"
#include "utils/rel.h"
}

namespace {

// Oid of hccraf.model_release, resolved lazily (the extension may be created after the library
// is loaded, and dropped and re-created with new oids).
Oid marker_relid = InvalidOid;
bool changed_in_transaction = false;

void relcache_callback(Datum, Oid relid) noexcept {
    if (relid == InvalidOid || relid == marker_relid || !OidIsValid(marker_relid))
        hccraf::pg::mark_reference_cache_stale();
}

void xact_callback(XactEvent event, void*) noexcept {
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

void register_invalidation_callbacks() noexcept {
    CacheRegisterRelcacheCallback(relcache_callback, (Datum)0);
    RegisterXactCallback(xact_callback, nullptr);
}

void remember_marker_relation() {
    marker_relid = hccraf::pg::reference_marker_relid();
}

bool reference_changed_in_transaction() {
    return changed_in_transaction;
}

}  // namespace hccraf::pg

// The reference tables' statement trigger. EXECUTE is revoked from PUBLIC (install script),
// and the function refuses to run for any table outside hccraf's schema: another role's trigger
// on its own (temporary) table could otherwise retire every shared image at will.
HCCRAF_FUNCTION(hccraf_reference_changed) {
    if (!CALLED_AS_TRIGGER(fcinfo))
        ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                        errmsg("hccraf._reference_changed() must be called as a trigger")));
    TriggerData* trigger = (TriggerData*)fcinfo->context;
    Oid relid = hccraf::pg::reference_marker_relid();
    if (!OidIsValid(relid) || RelationGetNamespace(trigger->tg_relation) != get_rel_namespace(relid))
        ereport(ERROR,
                (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
                 errmsg("hccraf._reference_changed() may only be attached to hccraf's reference tables"),
                 errdetail("It was fired by a trigger on \"%s\".",
                           RelationGetRelationName(trigger->tg_relation))));
    changed_in_transaction = true;
    CacheInvalidateRelcacheByRelid(relid);
    return PointerGetDatum(nullptr);
}
