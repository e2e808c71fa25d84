// hccraf.raf_score(patient record, diagnoses text[], model text, payment_year int)
//   RETURNS hccraf.raf_result
//
// Per row: decode the person (cached column positions), pack the codes into a reused buffer,
// score with the compiled image(s), build the composite. The whole body runs inside guard()
// (HCCRAF_FUNCTION); every object alive on this path is trivially destructible, so the
// PostgreSQL calls in it may ereport directly.
#include <bit>
#include <cstring>
#include <string_view>
#include <type_traits>

#include "../core/errors.hpp"
#include "guard.hpp"
#include "score_call.hpp"
#include "settings.hpp"
#include "sql_values.hpp"

namespace hccraf::pg {

namespace {

struct Scored {
    ScoreResult result[2];
    const char* unknown_code = nullptr;  // first code not in the code sets in force (if checked)
};
static_assert(std::is_trivially_destructible_v<Scored>, "alive while PostgreSQL code may ereport");

// Thousandths x weight (thousandths) summed over parts: exact, in millionths; shown with 5
// decimals when exact (weights have 2 decimals), else 6.
Datum weighted_numeric(ScoreCallState& st, MemoryContext keep_in, const Scored& s,
                       Milli ScoreResult::*field) {
    if (st.nparts == 1) return cached_numeric(st, keep_in, s.result[0].*field);
    int64 micro = 0;
    for (int i = 0; i < st.nparts; ++i) micro += (s.result[i].*field) * st.parts[i].weight;
    return micro % 10 == 0 ? NumericGetDatum(int64_div_fast_to_numeric(micro / 10, 5))
                           : NumericGetDatum(int64_div_fast_to_numeric(micro, 6));
}

// The HCCs after the hierarchy, in slot (= HCC number) order, from the precomputed names.
ArrayType* hcc_list(const ScoreCallState& st, const Scored& s) {
    Datum items[2 * kMaxHccSlots];
    int n = 0;
    for (int i = 0; i < st.nparts; ++i)
        s.result[i].hccs.for_each([&](int slot) { items[n++] = st.names[i].hcc[slot]; });
    return construct_array(items, n, TEXTOID, -1, false, TYPALIGN_INT);
}

// The interactions that are 1 and in the segment's list, then the count variable.
ArrayType* interaction_list(const ScoreCallState& st, const Scored& s) {
    Datum items[2 * 33];
    int n = 0;
    for (int i = 0; i < st.nparts; ++i) {
        const ScoreResult& r = s.result[i];
        for (std::uint32_t bits = r.interactions; bits; bits &= bits - 1)
            items[n++] = st.names[i].interaction[std::countr_zero(bits)];
        if (r.count_variable > 0) items[n++] = st.names[i].count[r.count_variable];
    }
    return construct_array(items, n, TEXTOID, -1, false, TYPALIGN_INT);
}

}  // namespace

}  // namespace hccraf::pg

using namespace hccraf::pg;

namespace {

// Scores a decoded person with the diagnoses, model and year found at the given argument
// positions: the per-row path shared by every raf_score variant.
void score_patient(FunctionCallInfo fcinfo, const hccraf::Patient& patient, int dx_arg, int model_arg,
                   int year_arg, Scored& s, hccraf::Milli& normalized, hccraf::Milli& payment,
                   bool& has_payment) {
    ScoreCallState& st = score_call_state(fcinfo);
    text* model_text = PG_GETARG_TEXT_PP(model_arg);
    int32 year = PG_GETARG_INT32(year_arg);
    DecodedCodes codes = decode_codes(PG_ARGISNULL(dx_arg) ? nullptr : PG_GETARG_ARRAYTYPE_P(dx_arg), st);
    if (codes.malformed) report_unknown_codes(codes.first_malformed, year);

    std::string_view model(VARDATA_ANY(model_text), VARSIZE_ANY_EXHDR(model_text));
    ensure_models(st, model, year);
    for (int i = 0; i < st.nparts; ++i)
        hccraf::score(*st.parts[i].image, patient, st.codes, codes.count, s.result[i]);
    has_payment = payment_scores(st, s.result, normalized, payment);
    if (unknown_code_action != UNKNOWN_CODE_IGNORE) s.unknown_code = first_code_not_in_force(st, codes.count);
    report_unknown_codes(s.unknown_code, year);
}

// raf_score(patient record, diagnoses, model, year) and its lean twin. Returns false when the
// result is NULL (NULL patient, model or year).
bool score_row(FunctionCallInfo fcinfo, Scored& s, hccraf::Milli& normalized, hccraf::Milli& payment,
               bool& has_payment) {
    if (PG_ARGISNULL(0) || PG_ARGISNULL(2) || PG_ARGISNULL(3)) return false;
    hccraf::Patient patient;
    read_patient_argument(fcinfo, score_call_state(fcinfo), 0, 3, patient);
    score_patient(fcinfo, patient, 1, 2, 3, s, normalized, payment, has_payment);
    return true;
}

}  // namespace

// The lean form for sum()/GROUP BY over millions of rows: only the payment score, no composite.
HCCRAF_FUNCTION(hccraf_raf_payment_score) {
    Scored s;
    hccraf::Milli normalized = 0, payment = 0;
    bool has_payment = false;
    if (!score_row(fcinfo, s, normalized, payment, has_payment) || !has_payment) PG_RETURN_NULL();
    PG_RETURN_DATUM(milli_to_numeric(payment));
}

// raf_payment_score(dob, sex, orec, dual_status, institutional, new_enrollee, snp_new_enrollee,
// diagnoses, model, payment_year): the same from plain columns. No whole-row value has to be
// formed per row, and postgres_fdw can ship the call to a shard (it cannot ship a whole-row
// argument).
HCCRAF_FUNCTION(hccraf_raf_payment_score_fields) {
    if (PG_ARGISNULL(8) || PG_ARGISNULL(9)) PG_RETURN_NULL();
    static const PatientField order[7] = {
        PF_DOB, PF_SEX, PF_OREC, PF_DUAL, PF_INSTITUTIONAL, PF_NEW_ENROLLEE, PF_SNP_NEW_ENROLLEE};
    static const Oid types[7] = {DATEOID, TEXTOID, TEXTOID, TEXTOID, BOOLOID, BOOLOID, BOOLOID};
    PatientFields f;
    f.isnull[PF_AGE] = true;
    for (int i = 0; i < 7; ++i) {
        f.isnull[order[i]] = PG_ARGISNULL(i);
        f.value[order[i]] = PG_ARGISNULL(i) ? (Datum)0 : PG_GETARG_DATUM(i);
        f.type[order[i]] = types[i];
    }
    hccraf::Patient patient;
    decode_patient(f, PG_GETARG_INT32(9), patient);
    Scored s;
    hccraf::Milli normalized = 0, payment = 0;
    bool has_payment = false;
    score_patient(fcinfo, patient, 7, 8, 9, s, normalized, payment, has_payment);
    if (!has_payment) PG_RETURN_NULL();
    PG_RETURN_DATUM(milli_to_numeric(payment));
}

HCCRAF_FUNCTION(hccraf_raf_score) {
    Scored s;
    hccraf::Milli normalized = 0, payment = 0;
    bool has_payment = false;
    if (!score_row(fcinfo, s, normalized, payment, has_payment)) PG_RETURN_NULL();
    ScoreCallState& st = score_call_state(fcinfo);
    int32 year = PG_GETARG_INT32(3);
    ensure_result_names(st, fcinfo->flinfo->fn_mcxt);
    if (!st.result_desc) st.result_desc = composite_result_desc(fcinfo);
    Datum values[11];
    bool nulls[11] = {};
    values[0] = st.names[0].model;
    values[1] = Int32GetDatum(year);
    values[2] = st.names[0].segment[static_cast<int>(s.result[0].segment)];
    values[3] = PointerGetDatum(hcc_list(st, s));
    values[4] = PointerGetDatum(interaction_list(st, s));
    MemoryContext keep_in = fcinfo->flinfo->fn_mcxt;
    begin_numeric_row(st.numerics);
    values[5] = weighted_numeric(st, keep_in, s, &hccraf::ScoreResult::demographic);
    values[6] = weighted_numeric(st, keep_in, s, &hccraf::ScoreResult::disease);
    values[7] = weighted_numeric(st, keep_in, s, &hccraf::ScoreResult::interaction);
    values[8] = weighted_numeric(st, keep_in, s, &hccraf::ScoreResult::raw);
    if (has_payment) {
        values[9] = cached_numeric(st, keep_in, normalized);
        values[10] = cached_numeric(st, keep_in, payment);
    } else {
        nulls[9] = nulls[10] = true;
    }
    PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(st.result_desc, values, nulls)));
}
