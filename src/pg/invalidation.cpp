// How a change of the reference data reaches the compiled images.
//
// Every reference table has a statement-level trigger (install script) that calls
// hccraf._reference_changed(), which increments hccraf.reference_version in the changing
// transaction (reference_version.hpp). Nothing else is needed for correctness: every statement
// reads the version its snapshot sees and uses the images of that version (reference_cache.cpp),
// so a change is seen exactly when the changed rows are — after commit by other sessions (at
// their next statement, or at their next snapshot under REPEATABLE READ), at once by the
// changing transaction itself (on private images that are never shared), never after rollback.
// The transaction callback here only releases this backend's pin on shared images.
#include "invalidation.hpp"

#include "extension_objects.hpp"
#include "guard.hpp"
#include "pg_includes.hpp"
#include "reference_cache.hpp"
#include "reference_version.hpp"

extern "C" {
#include "access/xact.h"
#include "utils/rel.h"
}

namespace {

void xact_callback(XactEvent event, void*) noexcept {
    switch (event) {
        case XACT_EVENT_COMMIT:
        case XACT_EVENT_ABORT:
        case XACT_EVENT_PREPARE:
        case XACT_EVENT_PARALLEL_COMMIT:
        case XACT_EVENT_PARALLEL_ABORT:
            hccraf::pg::forget_shared_pin();
            break;
        default:
            break;
    }
}

}  // namespace

namespace hccraf::pg {

void register_invalidation_callbacks() noexcept {
    RegisterXactCallback(xact_callback, nullptr);
}

}  // namespace hccraf::pg

// The reference tables' statement trigger. EXECUTE is revoked from PUBLIC (install script),
// and the function refuses to run for any table outside hccraf's schema: another role's trigger
// on its own table must not be able to change the reference version.
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
    hccraf::pg::bump_reference_version();
    return PointerGetDatum(nullptr);
}
