// hccraf.raf_explain(patient record, diagnoses text[], model text, payment_year int)
//   RETURNS SETOF (model_version, step, item, detail, coefficient)
//
// The slow, talkative twin of raf_score: the core's explain() rows for each model of the
// request, then, for a blend, the blend and MA-adjustment steps. The coefficients of one
// model's rows add up to that model's raw score.
#include <string>
#include <vector>

#include "../core/errors.hpp"
#include "../core/interrupts.hpp"
#include "guard.hpp"
#include "score_call.hpp"
#include "sql_values.hpp"
#include "srf.hpp"

namespace hccraf::pg {

namespace {

struct OutRow {
    std::string model, step, item, detail;
    std::optional<Milli> coefficient;
};

// The core knows the crosswalk; the code sets live here. Say whether a skipped, well-formed
// code is a valid ICD-10-CM code (just no payment HCC) or no code at all.
std::string classify_skipped_code(const std::string& item, const std::string& detail, int payment_year) {
    auto key = parse_icd(item);
    if (!key) return detail;
    if (icd_code_in_force(*key, payment_year)) return detail + " (a valid ICD-10-CM code)";
    return "not in the ICD-10-CM code sets in force for payment year " + std::to_string(payment_year) + " (" +
           code_sets_in_force(payment_year) + "): ignored";
}

std::vector<OutRow> explain_request(const ScoreCallState& st, const Patient& patient,
                                    const std::vector<std::string>& codes) {
    std::vector<OutRow> out;
    ScoreResult results[2];
    for (int i = 0; i < st.nparts; ++i) {
        const ModelImage& img = *st.parts[i].image;
        std::string model(img.model_version());
        for (auto& r : explain(img, patient, codes, results[i])) {
            interrupts::poll_every(out.size());
            // In a blend the MA coding adjustment applies once, to the blended score.
            if (st.nparts == 2 && r.step == "ma_adjustment") continue;
            if (r.step == "input") r.detail = classify_skipped_code(r.item, r.detail, st.payment_year);
            out.push_back({model, std::move(r.step), std::move(r.item), std::move(r.detail), r.coefficient});
        }
    }
    for (int i = 0; i < st.nparts; ++i)
        if (!results[i].has_payment) return out;
    if (st.nparts == 2) {
        Milli normalized = 0, payment = 0;
        payment_scores(st, results, normalized, payment);
        std::string formula;
        for (int i = 0; i < 2; ++i)
            formula += (i ? " + " : "") + format_milli(st.parts[i].weight).substr(0, 4) + " x " +
                       format_milli(results[i].normalized) + " (" +
                       std::string(st.parts[i].image->model_version()) + ")";
        out.push_back({"CMS-HCC", "blend", "normalized_score",
                       formula + ", rounded half-up to 3 decimals = " + format_milli(normalized),
                       std::nullopt});
        Milli ma = st.parts[0].image->ma_coding_adjustment();
        out.push_back({"CMS-HCC", "ma_adjustment", "payment_score",
                       format_milli(normalized) + " x (1 - " + format_milli(ma) +
                           "), rounded half-up to 3 decimals = " + format_milli(payment),
                       std::nullopt});
    }
    return out;
}

void emit(FunctionCallInfo fcinfo, const std::vector<OutRow>& rows) {
    emit_rows(fcinfo, rows,
              [](const OutRow& r, Datum* v, bool* n) noexcept { put_explain_row(v, n, r.model, r); });
}

}  // namespace

}  // namespace hccraf::pg

using namespace hccraf::pg;

HCCRAF_FUNCTION(hccraf_raf_explain) {
    if (PG_ARGISNULL(0) || PG_ARGISNULL(2) || PG_ARGISNULL(3)) return empty_set(fcinfo);
    ScoreCallState& st = score_call_state(fcinfo);
    text* model_text = PG_GETARG_TEXT_PP(2);
    int32 year = PG_GETARG_INT32(3);
    hccraf::Patient patient;
    read_patient_argument(fcinfo, st, 0, 3, patient);

    // The user's strings, as given (the explanation names malformed ones too).
    char** codes;
    const int ncodes = code_strings(fcinfo, 1, &codes);
    std::string_view model(VARDATA_ANY(model_text), VARSIZE_ANY_EXHDR(model_text));
    ensure_models(st, model, year);
    {
        // C++ objects are alive from here on: PostgreSQL is called only through pg_call.
        std::vector<std::string> code_list(codes, codes + ncodes);
        emit(fcinfo, explain_request(st, patient, code_list));
    }
    return (Datum)0;
}
