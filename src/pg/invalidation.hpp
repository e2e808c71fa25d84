// See invalidation.cpp for the protocol.
#pragma once

namespace hccraf::pg {

// Called once from _PG_init.
void register_invalidation_callbacks() noexcept;

// Called whenever the cache is rebuilt, so that the callback recognises hccraf.model_release
// (its oid changes when the extension is dropped and created again).
void remember_marker_relation();

// True when the current transaction changed a reference table (its images are then built
// locally from its own view, and never shared).
bool reference_changed_in_transaction();

}  // namespace hccraf::pg
