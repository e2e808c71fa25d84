// hccraf.hhs_score(enrollee record, diagnoses text[], ndc text[], hcpcs text[], benefit_year int)
//   RETURNS hccraf.hhs_result
// hccraf.hhs_explain(same arguments) RETURNS SETOF (model_version, step, item, detail, coefficient)
//
// The HHS-HCC (ACA) enrollee score (src/core/hhs_model.hpp). The enrollee's fields are found by
// name in any row (README "ACA enrollees"); the release is the HHS-HCC release of the benefit
// year. Both bodies run inside guard() (HCCRAF_FUNCTION). Decoding and result building call
// PostgreSQL directly, so only trivially destructible objects are alive there; the explanation
// keeps its C++ rows inside one block and emits them through emit_rows (pg_call).
#include <algorithm>
#include <bit>
#include <cstring>
#include <string>
#include <vector>

#include "../core/demographics.hpp"
#include "../core/errors.hpp"
#include "../core/hhs_model.hpp"
#include "enrollee_row.hpp"
#include "guard.hpp"
#include "reference_cache.hpp"
#include "score_call.hpp"
#include "sql_values.hpp"
#include "srf.hpp"

namespace hccraf::pg {

namespace {

// enrollee, diagnoses, ndc, hcpcs, benefit_year
constexpr HhsArgs kArgs = {0, 1, 2, 3, 4};

Datum text_of(const char* s) {
    return CStringGetTextDatum(s);
}

// Numeric with `scale` decimals from an integer count of 10^-scale.
Datum scaled(int64 v, int scale) {
    return NumericGetDatum(int64_div_fast_to_numeric(v, scale));
}

ArrayType* slot_names(const ModelImage& image, const HccSet& set) {
    Datum items[kMaxHccSlots];
    int n = 0;
    set.for_each([&](int s) {
        char buf[16];
        format_hcc_name(Family::Hhs, image.hcc_number(s), buf);
        items[n++] = text_of(buf);
    });
    return construct_array(items, n, TEXTOID, -1, false, TYPALIGN_INT);
}

}  // namespace

}  // namespace hccraf::pg

using namespace hccraf::pg;
using hccraf::demo::Kind;

HCCRAF_FUNCTION(hccraf_hhs_score) {
    HhsCallState& st = hhs_call_state(fcinfo);
    hccraf::Enrollee e;
    HhsInputs in;
    if (!prepare_hhs_call(fcinfo, st, kArgs, e, in)) PG_RETURN_NULL();
    hccraf::HhsResult r;
    hccraf::hhs_score(*st.image, e, in.codes, (std::size_t)in.ncodes, in.drugs, (std::size_t)in.ndrugs, r);

    if (!st.result_desc) {
        TupleDesc desc;
        if (get_call_result_type(fcinfo, nullptr, &desc) != TYPEFUNC_COMPOSITE)
            elog(ERROR, "hccraf: hhs_score must return a composite type");
        MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
        st.result_desc = BlessTupleDesc(CreateTupleDescCopy(desc));
        MemoryContextSwitchTo(old);
    }
    const hccraf::ModelImage& image = *st.image;
    // Person-level names: demographic cells in one list, the other variables (counts, HCC_ED,
    // ACF, maturity x severity) with the interactions in another, sorted by name.
    char names[hccraf::kMaxHhsVariables + 32][64];
    const char* demo_names[hccraf::kMaxHhsVariables];
    const char* other_names[hccraf::kMaxHhsVariables + 32];
    int ndemo = 0, nother = 0, used = 0;
    for (int id : r.variables) {
        if (id < 0) continue;
        {
            std::string s = hccraf::demo::name(hccraf::Family::Hhs, id);
            strlcpy(names[used], s.c_str(), sizeof names[0]);
        }
        if (hccraf::demo::kind(id) == Kind::Demographic)
            demo_names[ndemo++] = names[used++];
        else
            other_names[nother++] = names[used++];
    }
    for (std::uint32_t bits = r.interactions; bits; bits &= bits - 1) {
        std::string_view n = image.interaction_name(std::countr_zero(bits));
        strlcpy(names[used], n.data(), std::min(sizeof names[0], n.size() + 1));
        other_names[nother++] = names[used++];
    }
    std::sort(other_names, other_names + nother,
              [](const char* a, const char* b) { return std::strcmp(a, b) < 0; });
    Datum demo_items[hccraf::kMaxHhsVariables], other_items[hccraf::kMaxHhsVariables + 32];
    for (int i = 0; i < ndemo; ++i) demo_items[i] = text_of(demo_names[i]);
    for (int i = 0; i < nother; ++i) other_items[i] = text_of(other_names[i]);

    Datum values[19];
    bool nulls[19] = {};
    const std::string_view version = image.model_version();
    values[0] = PointerGetDatum(cstring_to_text_with_len(version.data(), (int)version.size()));
    values[1] = Int32GetDatum(st.year);
    values[2] = text_of(hccraf::hhs_model_name(r.model));
    values[3] = Int32GetDatum(r.enrollment_months);
    values[4] = PointerGetDatum(construct_array(demo_items, ndemo, TEXTOID, -1, false, TYPALIGN_INT));
    values[5] = PointerGetDatum(slot_names(image, r.hccs));
    values[6] = PointerGetDatum(slot_names(image, r.rxcs));
    values[7] = PointerGetDatum(slot_names(image, r.groups));
    values[8] = Int32GetDatum(r.hcc_cnt);
    nulls[8] = r.model == hccraf::HhsModel::Infant;
    values[9] = PointerGetDatum(construct_array(other_items, nother, TEXTOID, -1, false, TYPALIGN_INT));
    for (int m = 0; m < hccraf::kMetalCount; ++m) values[10 + m] = milli_to_numeric(r.score[m]);
    values[15] = milli_to_numeric(r.raw);
    values[16] = scaled(r.csr_factor, 2);
    values[17] = scaled(r.csr_adjusted_exact, 5);
    values[18] = milli_to_numeric(r.csr_adjusted);
    PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(st.result_desc, values, nulls)));
}

HCCRAF_FUNCTION(hccraf_hhs_explain) {
    HhsCallState& st = hhs_call_state(fcinfo);
    hccraf::Enrollee e;
    HhsInputs in;
    // Drug codes are checked here; the explanation re-reads the user's strings.
    if (!prepare_hhs_call(fcinfo, st, kArgs, e, in)) return empty_set(fcinfo);
    char** dx;
    char** ndc;
    char** hcpcs;
    const int ndx = text_elements(fcinfo, 1, &dx), nndc = text_elements(fcinfo, 2, &ndc),
              nhcpcs = text_elements(fcinfo, 3, &hcpcs);
    {
        // C++ objects are alive from here on: PostgreSQL is called only through pg_call.
        std::vector<std::string> dx_list(dx, dx + ndx), ndc_list(ndc, ndc + nndc),
            hcpcs_list(hcpcs, hcpcs + nhcpcs);
        hccraf::HhsResult r;
        std::vector<hccraf::ExplainRow> rows =
            hccraf::hhs_explain(*st.image, e, dx_list, ndc_list, hcpcs_list, r);
        const std::string model(st.image->model_version());
        emit_rows(fcinfo, rows, [&model](const hccraf::ExplainRow& row, Datum* v, bool* n) noexcept {
            v[0] = text_datum(model);
            v[1] = text_datum(row.step);
            v[2] = text_datum(row.item);
            v[3] = text_datum(row.detail);
            if (row.coefficient)
                v[4] = milli_to_numeric(*row.coefficient);
            else
                n[4] = true;
        });
    }
    return (Datum)0;
}
