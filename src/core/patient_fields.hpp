// Decoding of the patient fields a user's row carries (README "The patient row"), free of
// PostgreSQL: the SQL layer (src/pg/patient_row.cpp) extracts text or integers from the row's
// columns and asks these functions what they mean. Each returns std::nullopt for a value that
// is not one of the accepted spellings; the caller reports an error naming the field and
// showing field_hint(). None of them throws or allocates; they are fuzzed
// (test/fuzz/fuzz_patient.cpp).
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

#include "scorer.hpp"

namespace hccraf::fields {

// Text values: surrounding blanks and ASCII case are ignored; more than 15 characters is never
// valid. An empty text means "not given" where the field allows it (OREC, dual status, flags).
std::optional<Sex> sex_from_text(std::string_view text);    // M F 1 2 MALE FEMALE
std::optional<Sex> sex_from_int(std::int64_t value);        // 1 male, 2 female
std::optional<char> orec_from_text(std::string_view text);  // 0-3; empty -> ' ' (blank)
std::optional<char> orec_from_int(std::int64_t value);      // 0-3
std::optional<Dual> dual_from_text(std::string_view text);  // NON NONE N NO FULL FBD PARTIAL PBD,
                                                            // CMS MMR codes 00-99; empty -> Non
std::optional<Dual> dual_from_int(std::int64_t value);      // CMS MMR codes
std::optional<bool> flag_from_text(std::string_view text);  // 1 T TRUE Y YES / 0 F FALSE N NO, empty
std::optional<bool> flag_from_int(std::int64_t value);      // 0 or 1
// ESRD model status: DIALYSIS; GRAFT or TRANSPLANT (a kidney transplant); empty
// -> None (not given).
std::optional<EsrdStatus> esrd_status_from_text(std::string_view text);
// Months since the kidney transplant, the transplant month being 1: 1 to kMaxMonths.
std::optional<int> months_from_int(std::int64_t value);
inline constexpr int kMaxMonths = 1200;

// The oldest age accepted, from an age column or computed from a date of birth.
inline constexpr int kMaxAge = 130;

// Completed years on 1 February of the payment year from a stored age: 0 to kMaxAge.
std::optional<int> age_from_int(std::int64_t value);

// The sentence that tells a user what a field accepts (the HINT of the error).
enum class Field { Dob, Age, Sex, Orec, Dual, Flag, EsrdStatus, Months };
const char* field_hint(Field f);

}  // namespace hccraf::fields
