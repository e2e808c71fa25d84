// hccraf's entry point: _PG_init reads like a table of contents.
#include "invalidation.hpp"
#include "pg_includes.hpp"
#include "settings.hpp"

extern "C" {
PG_MODULE_MAGIC;

void _PG_init(void) {
    hccraf::pg::register_settings();
    hccraf::pg::register_invalidation_callback();
}
}
