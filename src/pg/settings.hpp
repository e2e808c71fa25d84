// hccraf's GUCs (documented in README.md, "Settings").
#pragma once

namespace hccraf::pg {

enum UnknownCodeAction { UNKNOWN_CODE_IGNORE, UNKNOWN_CODE_WARNING, UNKNOWN_CODE_ERROR };

// hccraf.base_rate: annual dollars per 1.0 RAF for the revenue columns of the gap functions
// (default 0 = not set: revenue is NULL unless a base_rate argument is given).
extern double base_rate;

// hccraf.unknown_code_action: what raf_score/hcc_map do with a malformed code or a code that is
// in none of the ICD-10-CM code sets in force (default: ignore = skip it / return NULL).
extern int unknown_code_action;

void register_settings() noexcept;

}  // namespace hccraf::pg
