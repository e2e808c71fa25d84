// State shared by raf_score and raf_explain: per-call-site cache (fn_extra) of the patient row
// layout, the resolved models and a reusable buffer of packed codes, plus the decoding of the
// diagnoses array. Nothing here allocates per diagnosis.
#pragma once
#include "../core/scorer.hpp"
#include "patient_row.hpp"
#include "reference_cache.hpp"

namespace hccraf::pg {

// Result names of one model, built once per call site and cache generation (fn_mcxt): the
// per-row path copies ready text values instead of formatting "HCC38" every time.
struct PartNames {
    Datum* hcc = nullptr;               // per slot: "HCC38" (or "V28:HCC38" in a blend)
    Datum* interaction = nullptr;       // per interaction id
    Datum count[11] = {};               // D1 .. D9, D10P at 1..10
    Datum model = 0;                    // "V28" (or "CMS-HCC" for a blend, in names[0])
    Datum segment[kSegmentCount] = {};  // "CNA" .. "SNPNE" (names[0] only)
};

// A direct-mapped cache of numeric values by thousandths: scores repeat a lot across a
// population, and building a numeric (palloc + digit conversion) per field per row cost as much
// as scoring. Each slot owns its bytes (a 3-decimal numeric below 10^9 fits in 16), so nothing
// leaks however many values pass through.
// Trap: the Datums of one result row point into the slots, so two values of ONE row that map to
// the same slot (0.800 and 4.896: 800 + 4096) must not share it, or the first reads the second
// (raf_score returned demographic_score 4.896 for 0.800 before this was fixed). Each slot
// remembers the row that last wrote it (begin_numeric_row); a slot already taken by this row
// gives a fresh numeric instead.
struct NumericCache {
    static constexpr int kSlots = 4096;
    static constexpr int kBytes = 16;
    Milli key[kSlots];
    bool used[kSlots];
    std::uint64_t row;              // the current result row
    std::uint64_t written[kSlots];  // the row that last used each slot
    alignas(8) char bytes[kSlots][kBytes];
};

// Starts a result row: cached_numeric Datums of earlier rows may be overwritten from now on.
inline void begin_numeric_row(NumericCache* cache) {
    if (cache) ++cache->row;
}

struct ScoreCallState {
    PatientLayout layout;
    std::uint64_t generation = ~std::uint64_t{0};  // of the resolved parts
    char model[64] = {};
    int payment_year = 0;
    int nparts = 0;
    ModelPart parts[2] = {};
    IcdKey* codes = nullptr;  // capacity entries, in fn_mcxt
    int capacity = 0;
    TupleDesc result_desc = nullptr;
    PartNames names[2];
    NumericCache* numerics = nullptr;  // created on first use
    std::uint64_t names_generation = ~std::uint64_t{0};
};

// The numeric Datum of v (3 decimals), from the call site's cache when possible. The Datum
// stays valid until begin_numeric_row is called for the next row: copy it (as heap_form_tuple
// and aggregates do) before then.
Datum cached_numeric(ScoreCallState& st, MemoryContext keep_in, Milli v);
// The same with a cache of one's own (created in keep_in on first use).
Datum cached_numeric(NumericCache*& cache, MemoryContext keep_in, Milli v);

// Builds st.names for the resolved parts unless current (ensure_models invalidates them whenever
// it resolves other parts). Plain PostgreSQL (allocates in fn_mcxt).
void ensure_result_names(ScoreCallState& st, MemoryContext keep_in);

// The call site's state (created on first use in fn_mcxt).
ScoreCallState& score_call_state(FunctionCallInfo fcinfo);

struct DecodedCodes {
    int count = 0;                          // packed keys in state.codes
    int malformed = 0;                      // elements that are not well-formed codes
    const char* first_malformed = nullptr;  // palloc'd copy, for messages
};

// The person of the row argument `row_arg` for the payment year of argument `year_arg` (both not
// NULL), with the row layout cached in the call site's state. Plain PostgreSQL (ereports).
void read_patient_argument(FunctionCallInfo fcinfo, ScoreCallState& st, int row_arg, int year_arg,
                           Patient& out);

// Makes buffer (in context, contents not kept) hold at least `needed` codes. Plain PostgreSQL.
void reserve_codes(IcdKey*& buffer, int& capacity, int needed, MemoryContext context);

// Raises an error for a code array of more than one dimension. Plain PostgreSQL.
void check_code_array(ArrayType* arr);

// The non-NULL elements of the code-array argument `arg` (NULL array = none) as palloc'd C
// strings, in order, for the explanations (they name malformed codes too). Plain PostgreSQL
// (checks the array's dimensions and for interrupts).
int code_strings(FunctionCallInfo fcinfo, int arg, char*** out);

// Normalises and packs every non-NULL element of a text[] (NULL array = no codes). Plain
// PostgreSQL (checks for interrupts).
DecodedCodes decode_codes(ArrayType* diagnoses, ScoreCallState& st);

// Resolves `model` for `payment_year` unless the state already holds them for the current
// cache generation. C++: call inside guard().
void ensure_models(ScoreCallState& st, std::string_view model, int payment_year);

// Payment-year scores of all parts (normalized, payment; a blend for two parts), or false when
// a part has no payment role (e.g. V24 for PY2026). C++: call inside guard().
bool payment_scores(const ScoreCallState& st, const ScoreResult* results, Milli& normalized, Milli& payment);

// The first code (dotted, palloc'd) that is in none of the ICD-10-CM code sets in force, or
// nullptr. C++: call inside guard().
const char* first_code_not_in_force(const ScoreCallState& st, int ncodes);

// WARNING or ERROR for a skipped code, as hccraf.unknown_code_action says. Plain PostgreSQL.
void report_unknown_codes(const char* code, int payment_year);

}  // namespace hccraf::pg
