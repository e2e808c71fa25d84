// The per-person pieces of hccraf.score_population (the procedure itself is SQL, in the install
// script):
//   hccraf.diagnosis_hccs(patient record, diagnoses text[], model text, payment_year int)
//     RETURNS SETOF (ordinality, icd10_code, hcc_code, hcc_description, coefficient,
//                    included_in_raf, superseded_by_hcc)
//     one row per (diagnosis, HCC it set), in input order: the guide's patient_diagnosis_hcc;
//   hccraf.patient_facts(patient record, payment_year int)
//     RETURNS (age, sex, orec, dual_status, institutional, new_enrollee)
//     the person as the scorer reads it (the guide's patient_hcc_score columns come from here,
//     never from a second reading of the row).
#include <string>
#include <vector>

#include "../core/diagnosis_outcomes.hpp"
#include "../core/errors.hpp"
#include "../core/interrupts.hpp"
#include "guard.hpp"
#include "score_call.hpp"
#include "sql_values.hpp"
#include "srf.hpp"

namespace hccraf::pg {

namespace {

struct OutcomeRow {
    int ordinality;  // 1-based position in the array (NULL elements keep their position)
    std::string code;
    const DiagnosisOutcome* o;  // nullptr: malformed code
};

const char* dual_text(Dual d) {
    return d == Dual::Full ? "full" : d == Dual::Partial ? "partial" : "non";
}

}  // namespace

}  // namespace hccraf::pg

using namespace hccraf::pg;

HCCRAF_FUNCTION(hccraf_diagnosis_hccs) {
    if (PG_ARGISNULL(0) || PG_ARGISNULL(2) || PG_ARGISNULL(3)) return empty_set(fcinfo);
    ScoreCallState& st = score_call_state(fcinfo);
    text* model_text = PG_GETARG_TEXT_PP(2);
    int32 year = PG_GETARG_INT32(3);
    hccraf::Patient patient;
    read_patient_argument(fcinfo, st, 0, 3, patient);

    // The elements as given, with their positions; well-formed codes packed for the scorer.
    int nelems = 0;
    Datum* elems = nullptr;
    bool* elem_nulls = nullptr;
    if (!PG_ARGISNULL(1)) {
        ArrayType* arr = PG_GETARG_ARRAYTYPE_P(1);
        check_code_array(arr);
        deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &elems, &elem_nulls, &nelems);
    }
    reserve_codes(st.codes, st.capacity, nelems, fcinfo->flinfo->fn_mcxt);
    int* position = (int*)palloc(sizeof(int) * (nelems + 1));  // packed index -> 1-based position
    char** given = (char**)palloc(sizeof(char*) * (nelems + 1));
    int npacked = 0;
    for (int i = 0; i < nelems; ++i) {
        if ((i & 1023) == 0) CHECK_FOR_INTERRUPTS();
        given[i] = elem_nulls[i] ? nullptr : TextDatumGetCString(elems[i]);
        if (!given[i]) continue;
        hccraf::IcdKey key = hccraf::icd_key(given[i]);
        if (key) {
            st.codes[npacked] = key;
            position[npacked++] = i + 1;
        }
    }
    std::string_view model(VARDATA_ANY(model_text), VARSIZE_ANY_EXHDR(model_text));
    ensure_models(st, model, year);
    if (st.nparts != 1)
        throw hccraf::InputError("model \"" + std::string(model) +
                                     "\" is a blend of two models in payment year " + std::to_string(year),
                                 "Ask for one model at a time, e.g. 'V24' or 'V28'.");
    {
        // C++ objects are alive from here on: PostgreSQL is called only through pg_call.
        const hccraf::ModelImage& image = *st.parts[0].image;
        hccraf::ScoreResult result;
        const std::vector<hccraf::DiagnosisOutcome> outcomes =
            hccraf::diagnosis_outcomes(image, patient, st.codes, (std::size_t)npacked, result);
        std::vector<OutcomeRow> rows;
        rows.reserve(outcomes.size() + (std::size_t)nelems);
        std::size_t next = 0;  // outcomes are in packed order; malformed elements slot in between
        for (int i = 0; i < nelems; ++i) {
            hccraf::interrupts::poll_every((std::size_t)i);
            if (!given[i]) continue;
            if (next < outcomes.size() && position[outcomes[next].code] == i + 1) {
                for (; next < outcomes.size() && position[outcomes[next].code] == i + 1; ++next)
                    rows.push_back({i + 1, given[i], &outcomes[next]});
            } else {
                rows.push_back({i + 1, given[i], nullptr});
            }
        }
        emit_rows(fcinfo, rows, [&image](const OutcomeRow& r, Datum* v, bool* n) noexcept {
            v[0] = Int32GetDatum(r.ordinality);
            v[1] = text_datum(r.code);
            const hccraf::DiagnosisOutcome* o = r.o;
            if (!o || o->slot < 0) {
                n[2] = n[3] = n[4] = n[6] = true;
                v[5] = BoolGetDatum(false);
                return;
            }
            char name[16];
            hccraf::format_hcc_name(image.family(), image.hcc_number(o->slot), name);
            v[2] = CStringGetTextDatum(name);
            v[3] = text_datum(image.hcc_label(o->slot));
            if (o->has_coefficient)
                v[4] = milli_to_numeric(o->coefficient);
            else
                n[4] = true;
            v[5] = BoolGetDatum(o->included);
            if (o->superseded_by >= 0) {
                hccraf::format_hcc_name(image.family(), image.hcc_number(o->superseded_by), name);
                v[6] = CStringGetTextDatum(name);
            } else {
                n[6] = true;
            }
        });
    }
    return (Datum)0;
}

HCCRAF_FUNCTION(hccraf_patient_facts) {
    if (PG_ARGISNULL(0) || PG_ARGISNULL(1)) PG_RETURN_NULL();
    ScoreCallState& st = score_call_state(fcinfo);
    hccraf::Patient p;
    read_patient_argument(fcinfo, st, 0, 1, p);
    TupleDesc desc;
    if (get_call_result_type(fcinfo, nullptr, &desc) != TYPEFUNC_COMPOSITE)
        elog(ERROR, "hccraf: patient_facts must return a composite");
    Datum values[6];
    bool nulls[6] = {};
    char orec[2] = {p.orec, '\0'};
    values[0] = Int32GetDatum(p.age);
    values[1] = CStringGetTextDatum(p.sex == hccraf::Sex::Male ? "M" : "F");
    if (p.orec == ' ')
        nulls[2] = true;
    else
        values[2] = CStringGetTextDatum(orec);
    values[3] = CStringGetTextDatum(dual_text(p.dual));
    values[4] = BoolGetDatum(p.institutional);
    values[5] = BoolGetDatum(p.new_enrollee);
    PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(desc), values, nulls)));
}
