// What hcc_gaps, hcc_gap_summary and hcc_specificity share: per-call-site state, decoding of the
// two code lists, the person (a row or the documented default patient), the base rate (argument
// or hccraf.base_rate), the one-model check and the revenue Datum.
//
// Everything runs inside the caller's guard (HCCRAF_FUNCTION). The decoders are plain PostgreSQL
// code: call them while no C++ object with a destructor is alive (they may ereport). The
// functions marked "C++" may throw; their PostgreSQL calls go through pg_call.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "../core/gaps.hpp"
#include "score_call.hpp"
#include "sql_values.hpp"

namespace hccraf::pg {

struct GapCallState {
    ScoreCallState* score = nullptr;  // its own palloc'd chunk in fn_mcxt (decode_codes needs one)
    IcdKey* prior = nullptr;          // copy of the decoded prior codes, in fn_mcxt
    int prior_capacity = 0;
};

// The call site's state (created on first use in fn_mcxt).
GapCallState& gap_call_state(FunctionCallInfo fcinfo);

// The default patient when the patient argument is NULL: community, non-dual, aged, female,
// age 72, OREC '0', not institutional, not a new enrollee (segment CNA).
inline constexpr const char* kDefaultPatientText =
    "default patient: female, age 72, community, non-dual, OREC 0 (segment CNA)";
inline constexpr const char* kGivenPatientText = "patient row";
Patient default_patient();

// The person of argument argno (a row of any type), or default_patient() when it is NULL.
// Sets is_default accordingly.
void read_gap_patient(FunctionCallInfo fcinfo, int argno, int payment_year, GapCallState& st, Patient& out,
                      bool& is_default);

struct GapCodes {
    const IcdKey* prior = nullptr;
    int n_prior = 0;
    const IcdKey* current = nullptr;
    int n_current = 0;
};

// Decodes argument prior_argno into st.prior and current_argno into st.score->codes (either may
// be -1 = none, or NULL = no codes). Malformed codes are skipped and reported as
// hccraf.unknown_code_action says (as raf_score does).
GapCodes decode_gap_codes(FunctionCallInfo fcinfo, int prior_argno, int current_argno, GapCallState& st,
                          int payment_year);

// Argument positions of a gap function (-1 = the function has no such argument).
struct GapArgs {
    int prior, current, patient, model, year, base_rate;
};

// Everything a gap function decodes before its C++ part: the person, both code lists, the base
// rate, the model name and the year. Plain PostgreSQL (may ereport); model and year must not
// be NULL (the caller returns its empty result first).
struct GapRequest {
    GapCallState* st;
    Patient patient;
    bool is_default;
    GapCodes codes;
    std::int64_t base_cents;
    std::string_view model;
    int32 year;
};
GapRequest decode_gap_request(FunctionCallInfo fcinfo, const GapArgs& args);

// Base rate in cents per 1.0 RAF: argument argno (numeric dollars and cents, exact: more
// decimals or a negative value are an error) when not NULL, else hccraf.base_rate when set
// (> 0), else -1 (no base rate: revenue is NULL).
std::int64_t resolve_base_rate(FunctionCallInfo fcinfo, int argno);

// Resolves the model (ensure_models) and returns its one image. C++: throws InputError for a
// blend (model 'CMS-HCC' in a blend year): gap values are per model.
const ModelImage& single_model(GapCallState& st, std::string_view model, int payment_year,
                               const char* function);

// Finds (for report_unknown_codes) the first code of either list that is in none of the ICD-10-CM code sets
// in force, as hccraf.unknown_code_action says. C++: returns a palloc'd dotted code or nullptr.
const char* first_gap_code_not_in_force(const GapCodes& codes, int payment_year);

// Cents -> numeric dollars with two decimals (-12345 -> -123.45). Plain PostgreSQL.
inline Datum cents_to_numeric(std::int64_t cents) {
    return NumericGetDatum(int64_div_fast_to_numeric(cents, 2));
}

// The five columns every gap-valuing function returns in this order from position `at`:
// raf_delta, revenue_delta (NULL without a base rate), score_kind, segment, patient_basis.
// Plain PostgreSQL (for emit_rows' fill).
inline void put_delta_columns(Datum* v, bool* n, int at, Milli delta, bool has_base_rate, std::int64_t cents,
                              const char* kind, const char* segment, const char* basis) noexcept {
    v[at] = milli_to_numeric(delta);
    if (has_base_rate)
        v[at + 1] = cents_to_numeric(cents);
    else
        n[at + 1] = true;
    v[at + 2] = CStringGetTextDatum(kind);
    v[at + 3] = CStringGetTextDatum(segment);
    v[at + 4] = CStringGetTextDatum(basis);
}

// Dotted codes ("E11.9") and HCC names ("HCC38") for result columns. C++.
std::vector<std::string> dotted(const CodeList& keys);
std::vector<std::string> hcc_names(const ModelImage& image, const HccSet& set);

// A text[] of the given strings (pointer array palloc'd here; nothing in C++ allocates, so it
// may run inside pg_call). Plain PostgreSQL.
ArrayType* string_array(const std::vector<std::string>& items);

}  // namespace hccraf::pg
