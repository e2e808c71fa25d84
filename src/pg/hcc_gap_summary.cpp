// hccraf.hcc_gap_summary(prior text[], current text[], patient record DEFAULT NULL,
//                        model text DEFAULT 'V28', payment_year int DEFAULT 2026,
//                        base_rate numeric DEFAULT NULL)
//   RETURNS (model_version, segment, patient_basis, score_kind, current_score, closed_score,
//            joint_delta, sum_of_single_deltas, open_gaps, current_hccs, closed_hccs,
//            annual_base_rate, current_revenue, closed_revenue, revenue_delta)
//
// The companion of hcc_gaps: the totals of one person. closed_score is the score with every
// prior code added to the current ones, joint_delta = closed_score - current_score (which is
// not the sum of the single deltas when gaps interact through hierarchies, interactions or the
// count variables; both are returned).
#include <string>
#include <vector>

#include "../core/errors.hpp"
#include "../core/gaps.hpp"
#include "gap_call.hpp"
#include "guard.hpp"
#include "settings.hpp"
#include "sql_values.hpp"

namespace hccraf::pg {

namespace {

struct Summary {
    std::string model;
    std::vector<std::string> current_hccs, closed_hccs;
    GapReport rep;
    int open_gaps = 0;
    std::int64_t current_cents = 0, closed_cents = 0, delta_cents = 0;
};

Datum build(FunctionCallInfo fcinfo, const Summary& s, std::int64_t base_cents, bool default_patient) {
    return pg_call([&]() noexcept -> Datum {
        TupleDesc desc;
        if (get_call_result_type(fcinfo, nullptr, &desc) != TYPEFUNC_COMPOSITE)
            elog(ERROR, "hccraf: hcc_gap_summary must return a composite type");
        desc = BlessTupleDesc(desc);
        Datum v[15];
        bool n[15] = {};
        v[0] = CStringGetTextDatum(s.model.c_str());
        v[1] = CStringGetTextDatum(segment_name(s.rep.segment));
        v[2] = CStringGetTextDatum(default_patient ? kDefaultPatientText : kGivenPatientText);
        v[3] = CStringGetTextDatum(s.rep.payment ? "payment" : "raw");
        v[4] = milli_to_numeric(s.rep.current_score);
        v[5] = milli_to_numeric(s.rep.closed_score);
        v[6] = milli_to_numeric(s.rep.joint_delta());
        v[7] = milli_to_numeric(s.rep.sum_of_single_deltas());
        v[8] = Int32GetDatum(s.open_gaps);
        v[9] = PointerGetDatum(string_array(s.current_hccs));
        v[10] = PointerGetDatum(string_array(s.closed_hccs));
        if (base_cents >= 0) {
            v[11] = cents_to_numeric(base_cents);
            v[12] = cents_to_numeric(s.current_cents);
            v[13] = cents_to_numeric(s.closed_cents);
            v[14] = cents_to_numeric(s.delta_cents);
        } else {
            n[11] = n[12] = n[13] = n[14] = true;
        }
        return HeapTupleGetDatum(heap_form_tuple(desc, v, n));
    });
}

}  // namespace

}  // namespace hccraf::pg

using namespace hccraf::pg;

HCCRAF_FUNCTION(hccraf_hcc_gap_summary) {
    if (PG_ARGISNULL(3) || PG_ARGISNULL(4)) PG_RETURN_NULL();
    // Arguments: prior, current, patient, model, year, base_rate (-1 = none).
    GapRequest req = decode_gap_request(fcinfo, {0, 1, 2, 3, 4, 5});
    const char* unknown = nullptr;
    Datum result;
    {
        // C++ objects are alive in this block: PostgreSQL is called only through pg_call.
        const hccraf::ModelImage& image = single_model(*req.st, req.model, req.year, "hcc_gap_summary");
        Summary s;
        s.model = std::string(image.model_version());
        s.rep = hccraf::find_gaps(image, req.patient, req.codes.prior, req.codes.n_prior, req.codes.current,
                                  req.codes.n_current);
        for (const auto& r : s.rep.rows)
            if (r.status == hccraf::GapStatus::Gap || r.status == hccraf::GapStatus::Downgraded)
                ++s.open_gaps;
        s.current_hccs = hcc_names(image, s.rep.current_hccs);
        s.closed_hccs = hcc_names(image, s.rep.closed_hccs);
        if (req.base_cents >= 0) {
            s.current_cents = hccraf::revenue_cents(s.rep.current_score, req.base_cents);
            s.closed_cents = hccraf::revenue_cents(s.rep.closed_score, req.base_cents);
            s.delta_cents = hccraf::revenue_cents(s.rep.joint_delta(), req.base_cents);
        }
        if (unknown_code_action != UNKNOWN_CODE_IGNORE)
            unknown = first_gap_code_not_in_force(req.codes, req.year);
        result = build(fcinfo, s, req.base_cents, req.is_default);
    }
    report_unknown_codes(unknown, req.year);
    return result;
}
