// hccraf.hcc_gaps(prior text[], current text[], patient record DEFAULT NULL,
//                 model text DEFAULT 'V28', payment_year int DEFAULT 2026,
//                 base_rate numeric DEFAULT NULL)
//   RETURNS SETOF (hcc, label, status, prior_codes, current_codes, related_hccs, raf_delta,
//                  revenue_delta, score_kind, segment, patient_basis, detail)
//
// One row per HCC set by either code list, classified and valued by the core (gaps.hpp):
// raf_delta = score(current + the prior codes of the HCC) - score(current), exact.
#include <string>
#include <vector>

#include "../core/errors.hpp"
#include "../core/gaps.hpp"
#include "gap_call.hpp"
#include "guard.hpp"
#include "settings.hpp"
#include "sql_values.hpp"
#include "srf.hpp"

namespace hccraf::pg {

namespace {

// A result row with every value prepared in C++ (so the PostgreSQL part allocates nothing in C++).
struct OutRow {
    std::string hcc, label, status, detail;
    std::vector<std::string> prior, current, related;
    Milli delta;
    std::int64_t cents;  // revenue; valid when the base rate is set
};

std::vector<OutRow> prepare(const ModelImage& image, const GapReport& rep, std::int64_t base_cents) {
    std::vector<OutRow> rows;
    for (const GapRow& r : rep.rows)
        rows.push_back({image.hcc_name(r.slot), std::string(image.hcc_label(r.slot)),
                        gap_status_name(r.status), r.detail, dotted(r.prior_codes), dotted(r.current_codes),
                        hcc_names(image, r.related), r.delta,
                        base_cents >= 0 ? revenue_cents(r.delta, base_cents) : 0});
    return rows;
}

void emit(FunctionCallInfo fcinfo, const std::vector<OutRow>& rows, const GapReport& rep, bool has_base_rate,
          bool default_patient) {
    const char* kind = rep.payment ? "payment" : "raw";
    const char* segment = segment_name(rep.segment);
    const char* basis = default_patient ? kDefaultPatientText : kGivenPatientText;
    emit_rows(fcinfo, rows, [&](const OutRow& r, Datum* v, bool* n) noexcept {
        v[0] = text_datum(r.hcc);
        v[1] = text_datum(r.label);
        v[2] = text_datum(r.status);
        v[3] = PointerGetDatum(string_array(r.prior));
        v[4] = PointerGetDatum(string_array(r.current));
        v[5] = PointerGetDatum(string_array(r.related));
        put_delta_columns(v, n, 6, r.delta, has_base_rate, r.cents, kind, segment, basis);
        v[11] = text_datum(r.detail);
    });
}

}  // namespace

}  // namespace hccraf::pg

using namespace hccraf::pg;

HCCRAF_FUNCTION(hccraf_hcc_gaps) {
    if (PG_ARGISNULL(3) || PG_ARGISNULL(4)) return empty_set(fcinfo);
    // Arguments: prior, current, patient, model, year, base_rate (-1 = none).
    GapRequest req = decode_gap_request(fcinfo, {0, 1, 2, 3, 4, 5});
    const char* unknown = nullptr;
    {
        // C++ objects are alive in this block: PostgreSQL is called only through pg_call.
        const hccraf::ModelImage& image = single_model(*req.st, req.model, req.year, "hcc_gaps");
        hccraf::GapReport rep = hccraf::find_gaps(image, req.patient, req.codes.prior, req.codes.n_prior,
                                                  req.codes.current, req.codes.n_current);
        emit(fcinfo, prepare(image, rep, req.base_cents), rep, req.base_cents >= 0, req.is_default);
        if (unknown_code_action != UNKNOWN_CODE_IGNORE)
            unknown = first_gap_code_not_in_force(req.codes, req.year);
    }
    report_unknown_codes(unknown, req.year);
    return (Datum)0;
}
