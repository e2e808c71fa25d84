#include "settings.hpp"

#include "pg_includes.hpp"

namespace hccraf::pg {

double base_rate = 0.0;
int unknown_code_action = UNKNOWN_CODE_IGNORE;

namespace {
const struct config_enum_entry unknown_code_options[] = {
    {"ignore", UNKNOWN_CODE_IGNORE, false},
    {"warning", UNKNOWN_CODE_WARNING, false},
    {"error", UNKNOWN_CODE_ERROR, false},
    {nullptr, 0, false},
};
}  // namespace

// One registration function, GUCs in alphabetical order.
void register_settings() noexcept {
    DefineCustomRealVariable(
        "hccraf.base_rate",
        "Annual dollars per 1.0 RAF used by hcc_gaps, hcc_gap_summary, hcc_specificity and "
        "suspect_list to turn a RAF change into revenue.",
        "0 (the default) means not set: revenue columns are NULL unless the function's base_rate "
        "argument is given. hccraf ships no CMS figure; use your plan's own rate. Taken to the cent.",
        &base_rate, 0.0, 0.0, 1e9, PGC_USERSET, 0, nullptr, nullptr, nullptr);
    DefineCustomEnumVariable(
        "hccraf.unknown_code_action",
        "What to do with a malformed ICD-10-CM code or one that is in none of the code sets in force.",
        "ignore: raf_score skips it (raf_explain lists it) and hcc_map returns NULL; warning: the "
        "same plus a WARNING; error: raise an error.",
        &unknown_code_action, UNKNOWN_CODE_IGNORE, unknown_code_options, PGC_USERSET, 0, nullptr, nullptr,
        nullptr);
    MarkGUCPrefixReserved("hccraf");
}

}  // namespace hccraf::pg
