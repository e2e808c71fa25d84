#include "settings.hpp"

#include <optional>
#include <string_view>

#include "../core/fixed_point.hpp"
#include "../core/gaps.hpp"
#include "pg_includes.hpp"

namespace hccraf::pg {

std::int64_t base_rate_cents = 0;
int unknown_code_action = UNKNOWN_CODE_IGNORE;

namespace {

char* base_rate_text = nullptr;  // the setting as the user wrote it

const struct config_enum_entry unknown_code_options[] = {
    {"ignore", UNKNOWN_CODE_IGNORE, false},
    {"warning", UNKNOWN_CODE_WARNING, false},
    {"error", UNKNOWN_CODE_ERROR, false},
    {nullptr, 0, false},
};

bool check_base_rate(char** newval, void** extra, GucSource) {
    std::int64_t cents = 0;
    if (const char* problem = parse_base_rate(*newval ? *newval : "0", &cents)) {
        GUC_check_errdetail("%s", problem);
        return false;
    }
    // The parsed value travels to the assign hook (malloc'd: GUC frees it with free()).
    auto* parsed = static_cast<std::int64_t*>(malloc(sizeof(std::int64_t)));
    if (!parsed) return false;
    *parsed = cents;
    *extra = parsed;
    return true;
}

void assign_base_rate(const char*, void* extra) {
    base_rate_cents = extra ? *static_cast<std::int64_t*>(extra) : 0;
}

}  // namespace

const char* parse_base_rate(const char* text, std::int64_t* cents) noexcept {
    std::optional<std::int64_t> c = parse_cents(text);
    if (!c)
        return "A base rate is dollars and cents: digits with at most two decimals, not negative (e.g. 11500 "
               "or 11500.25).";
    if (*c > kMaxBaseRateCents) return "A base rate is at most 1000000000 dollars per 1.0 RAF.";
    *cents = *c;
    return nullptr;
}

// The settings every backend has, in alphabetical order. (hccraf.shared_memory_size is defined
// with the shared-memory hooks, shared_images.cpp: it exists only when the library is preloaded.)
void register_settings() noexcept {
    DefineCustomStringVariable(
        "hccraf.base_rate",
        "Annual dollars per 1.0 RAF used by hcc_gaps, hcc_gap_summary, hcc_specificity and "
        "suspect_list to turn a RAF change into revenue.",
        "Dollars and cents (at most two decimals), exact. 0 (the default) means not set: revenue "
        "columns are NULL unless the function's base_rate argument is given. hccraf ships no CMS "
        "figure; use your plan's own rate.",
        &base_rate_text, "0", PGC_USERSET, 0, check_base_rate, assign_base_rate, nullptr);
    DefineCustomEnumVariable(
        "hccraf.unknown_code_action",
        "What to do with a malformed ICD-10-CM code or one that is in none of the code sets in force.",
        "ignore: raf_score and the gap functions skip it (raf_explain lists it) and hcc_map returns "
        "NULL for a well-formed code outside the code sets; warning: the same plus a WARNING; error: "
        "raise an error. hcc_map always rejects a string that cannot be a code.",
        &unknown_code_action, UNKNOWN_CODE_IGNORE, unknown_code_options, PGC_USERSET, 0, nullptr, nullptr,
        nullptr);
    MarkGUCPrefixReserved("hccraf");
}

}  // namespace hccraf::pg
