// hccraf.raf_risk_profiles(patient record, diagnoses text[], model text, payment_year int)
//   RETURNS SETOF (segment, description, chosen, demographic_variables, demographic_coefficients,
//                  hccs, hcc_coefficients, interactions, interaction_coefficients, raw_score,
//                  normalized_score, payment_score)
//
// The core's risk_profiles() for one model (a blend year's "CMS-HCC" is refused: one model at a
// time); with "RxHCC:PDP" the normalized and payment scores use the PDP basis.
#include <string>
#include <vector>

#include "../core/errors.hpp"
#include "../core/risk_profiles.hpp"
#include "guard.hpp"
#include "score_call.hpp"
#include "sql_values.hpp"
#include "srf.hpp"

namespace hccraf::pg {

namespace {

Datum names_array(const std::vector<ProfileItem>& items) noexcept {
    Datum* d = (Datum*)palloc(sizeof(Datum) * (items.size() + 1));
    for (std::size_t i = 0; i < items.size(); ++i) d[i] = text_datum(items[i].name);
    return PointerGetDatum(construct_array(d, (int)items.size(), TEXTOID, -1, false, TYPALIGN_INT));
}

Datum coefficients_array(const std::vector<ProfileItem>& items) noexcept {
    Datum* d = (Datum*)palloc(sizeof(Datum) * (items.size() + 1));
    for (std::size_t i = 0; i < items.size(); ++i) d[i] = milli_to_numeric(items[i].coefficient);
    return PointerGetDatum(construct_array(d, (int)items.size(), NUMERICOID, -1, false, TYPALIGN_INT));
}

void emit(FunctionCallInfo fcinfo, const std::vector<RiskProfile>& rows, bool alternative) {
    emit_rows(fcinfo, rows, [alternative](const RiskProfile& p, Datum* v, bool* n) noexcept {
        v[0] = CStringGetTextDatum(segment_name(p.segment));
        v[1] = CStringGetTextDatum(segment_description(p.segment));
        v[2] = BoolGetDatum(p.chosen);
        v[3] = names_array(p.person);
        v[4] = coefficients_array(p.person);
        v[5] = names_array(p.hccs);
        v[6] = coefficients_array(p.hccs);
        v[7] = names_array(p.interactions);
        v[8] = coefficients_array(p.interactions);
        v[9] = milli_to_numeric(p.result.raw);
        const bool has = alternative ? p.result.has_alternative : p.result.has_payment;
        if (has) {
            v[10] = milli_to_numeric(alternative ? p.result.normalized_alternative : p.result.normalized);
            v[11] = milli_to_numeric(alternative ? p.result.payment_alternative : p.result.payment);
        } else {
            n[10] = n[11] = true;
        }
    });
}

}  // namespace

}  // namespace hccraf::pg

using namespace hccraf::pg;

HCCRAF_FUNCTION(hccraf_raf_risk_profiles) {
    if (PG_ARGISNULL(0) || PG_ARGISNULL(2) || PG_ARGISNULL(3)) return empty_set(fcinfo);
    ScoreCallState& st = score_call_state(fcinfo);
    text* model_text = PG_GETARG_TEXT_PP(2);
    int32 year = PG_GETARG_INT32(3);
    hccraf::Patient patient;
    read_patient_argument(fcinfo, st, 0, 3, patient);
    DecodedCodes codes = decode_codes(PG_ARGISNULL(1) ? nullptr : PG_GETARG_ARRAYTYPE_P(1), st);
    if (codes.malformed) report_unknown_codes(codes.first_malformed, year);
    std::string_view model(VARDATA_ANY(model_text), VARSIZE_ANY_EXHDR(model_text));
    ensure_models(st, model, year);
    if (st.nparts != 1)
        throw hccraf::InputError("model \"" + std::string(model) +
                                     "\" is a blend of two models in payment year " + std::to_string(year),
                                 "Ask for one model at a time, e.g. 'V24' or 'V28'.");
    emit(fcinfo, hccraf::risk_profiles(*st.parts[0].image, patient, st.codes, codes.count),
         st.parts[0].alternative);
    return (Datum)0;
}
