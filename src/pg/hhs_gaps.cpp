// hccraf.hhs_gaps(prior text[], current text[], enrollee record, ndc text[] DEFAULT NULL,
//                 hcpcs text[] DEFAULT NULL, benefit_year int DEFAULT 2026)
//   RETURNS SETOF (hcc, label, status, prior_codes, current_codes, related_hccs, raf_delta,
//                  csr_adjusted_delta, model, metal, detail)
//
// hcc_gaps for an ACA enrollee under the HHS-HCC model (gaps.hpp find_hhs_gaps): one row per HCC
// set by either code list (HCCs outside the enrollee's model set none), classified as hcc_gaps
// does, raf_delta = raw score at the enrollee's metal with the HCC's prior codes added minus
// without, exact; csr_adjusted_delta = raf_delta x the enrollee's CSR factor, exact.
#include <string>
#include <vector>

#include "../core/gaps.hpp"
#include "enrollee_row.hpp"
#include "gap_call.hpp"
#include "guard.hpp"
#include "sql_values.hpp"
#include "srf.hpp"

namespace hccraf::pg {

namespace {

// prior, current, enrollee, ndc, hcpcs, benefit_year; current is decoded as the "diagnoses".
constexpr HhsArgs kArgs = {2, 1, 3, 4, 5};

struct OutRow {
    std::string hcc, label, status, detail;
    std::vector<std::string> prior, current, related;
    Milli delta;
};

}  // namespace

}  // namespace hccraf::pg

using namespace hccraf::pg;

HCCRAF_FUNCTION(hccraf_hhs_gaps) {
    HhsCallState& st = hhs_call_state(fcinfo);
    hccraf::Enrollee e;
    HhsInputs in;
    if (!prepare_hhs_call(fcinfo, st, kArgs, e, in)) return empty_set(fcinfo);
    const int nprior = decode_diagnoses(fcinfo, 0, st.year, st.prior, st.prior_capacity);
    const hccraf::IcdKey* prior = st.prior;
    {
        // C++ objects are alive in this block: PostgreSQL is called only through pg_call.
        const hccraf::ModelImage& image = *st.image;
        const hccraf::GapReport rep = hccraf::find_hhs_gaps(
            image, e, in.drugs, static_cast<std::size_t>(in.ndrugs), prior, static_cast<std::size_t>(nprior),
            in.codes, static_cast<std::size_t>(in.ncodes));
        std::vector<OutRow> rows;
        for (const hccraf::GapRow& r : rep.rows)
            rows.push_back({image.hcc_name(r.slot), std::string(image.hcc_label(r.slot)),
                            hccraf::gap_status_name(r.status), r.detail, dotted(r.prior_codes),
                            dotted(r.current_codes), hcc_names(image, r.related), r.delta});
        const std::string model = hccraf::segment_name(rep.segment);
        const int csr = rep.csr_factor;
        emit_rows(fcinfo, rows, [&](const OutRow& r, Datum* v, bool*) noexcept {
            v[0] = text_datum(r.hcc);
            v[1] = text_datum(r.label);
            v[2] = text_datum(r.status);
            v[3] = PointerGetDatum(string_array(r.prior));
            v[4] = PointerGetDatum(string_array(r.current));
            v[5] = PointerGetDatum(string_array(r.related));
            v[6] = milli_to_numeric(r.delta);
            // thousandths x hundredths: exact with five decimals.
            v[7] = NumericGetDatum(int64_div_fast_to_numeric(r.delta * csr, 5));
            v[8] = text_datum(model);
            v[9] = text_datum(r.detail);
        });
    }
    return (Datum)0;
}
