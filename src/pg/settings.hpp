// hccraf's GUCs (documented in README.md, "Settings").
#pragma once
#include <cstdint>

namespace hccraf::pg {

enum UnknownCodeAction { UNKNOWN_CODE_IGNORE, UNKNOWN_CODE_WARNING, UNKNOWN_CODE_ERROR };

// hccraf.base_rate: annual dollars per 1.0 RAF for the revenue columns of the gap functions,
// exact dollars and cents (a text setting: never through binary floating point). In cents;
// 0 (the default) = not set: revenue is NULL unless a base_rate argument is given.
extern std::int64_t base_rate_cents;

// hccraf.unknown_code_action: what raf_score and the gap functions do with a malformed code or a
// code that is in none of the ICD-10-CM code sets in force, and what hcc_map does with a
// well-formed code that is in none of them (default: ignore = skip it / return NULL). A string
// that cannot be a code at all is always an error for hcc_map (one code in, one answer out).
extern int unknown_code_action;

// The error message for a base rate that is not dollars and cents in range, or nullptr when
// `text` is one; *cents receives the value. (Shared by the setting and the argument.)
const char* parse_base_rate(const char* text, std::int64_t* cents) noexcept;

void register_settings() noexcept;

}  // namespace hccraf::pg
