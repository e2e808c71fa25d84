// See invalidation.cpp for how a reference change reaches the compiled images.
#pragma once

namespace hccraf::pg {

// Called once from _PG_init.
void register_invalidation_callbacks() noexcept;

}  // namespace hccraf::pg
