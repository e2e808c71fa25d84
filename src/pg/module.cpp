// hccraf's entry point: _PG_init reads like a table of contents. Nothing here throws (every
// function called is noexcept): a C++ exception in _PG_init would abort the backend.
#include "guard.hpp"
#include "invalidation.hpp"
#include "pg_includes.hpp"
#include "settings.hpp"
#include "shared_images.hpp"

extern "C" {
PG_MODULE_MAGIC;

void _PG_init(void) {
    // Without shared_preload_libraries every backend compiles and caches its own images.
    if (process_shared_preload_libraries_in_progress) hccraf::pg::install_shared_image_hooks();
    hccraf::pg::register_settings();
    hccraf::pg::register_invalidation_callbacks();
    hccraf::pg::install_interrupt_hook();
}
}
