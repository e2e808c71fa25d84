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
#include <type_traits>
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

// Numeric with `scale` decimals from an integer count of 10^-scale.
Datum scaled(int64 v, int scale) {
    return NumericGetDatum(int64_div_fast_to_numeric(v, scale));
}

// The result names of one release as text Datums (and C strings, to sort by), built once per
// call site and release in fn_mcxt: the per-row path copies ready values instead of formatting
// "HHS_HCC035_1" or building a std::string per variable per row. Numerics repeat a lot across a
// population too: they come from a cache (score_call.hpp).
struct HhsNames {
    const ModelImage* image = nullptr;  // with the cache generation: the release they name
    std::uint64_t generation = 0;
    Datum model_version = 0;
    Datum model[3] = {};
    Datum slot[kMaxHccSlots] = {};
    Datum var[demo::kCount] = {};
    const char* var_str[demo::kCount] = {};
    Datum inter[32] = {};
    const char* inter_str[32] = {};
    NumericCache* numerics = nullptr;
};
static_assert(std::is_trivially_destructible_v<HhsNames>);

Datum text_in(const std::string_view s, const char** c_string) {
    char* copy = pnstrdup(s.data(), s.size());
    if (c_string) *c_string = copy;
    return PointerGetDatum(cstring_to_text_with_len(s.data(), (int)s.size()));
}

// C++ (the names come from std::string): its PostgreSQL calls run in pg_call.
HhsNames& result_names(FunctionCallInfo fcinfo, HhsCallState& st) {
    HhsNames* n = static_cast<HhsNames*>(st.names);
    if (n && n->image == st.image && n->generation == st.generation) return *n;
    const ModelImage& image = *st.image;
    std::vector<std::string> vars(demo::kCount);
    for (int id = 0; id < demo::kCount; ++id) vars[id] = demo::name(Family::Hhs, id);
    pg_call([&]() noexcept {
        MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
        if (!n) {
            n = (HhsNames*)palloc0(sizeof(HhsNames));
            st.names = n;
        }
        n->model_version = text_in(image.model_version(), nullptr);
        for (int m = 0; m < 3; ++m) n->model[m] = text_in(hhs_model_name(static_cast<HhsModel>(m)), nullptr);
        char buf[16];
        for (int slot = 0; slot < image.hcc_slot_count(); ++slot) {
            format_hcc_name(Family::Hhs, image.hcc_number(slot), buf);
            n->slot[slot] = text_in(buf, nullptr);
        }
        for (int id = 0; id < demo::kCount; ++id)
            if (!vars[id].empty()) n->var[id] = text_in(vars[id], &n->var_str[id]);
        for (int i = 0; i < image.interaction_count() && i < 32; ++i)
            n->inter[i] = text_in(image.interaction_name(i), &n->inter_str[i]);
        MemoryContextSwitchTo(old);
    });
    n->image = st.image;
    n->generation = st.generation;
    return *n;
}

ArrayType* slot_array(const HhsNames& names, const HccSet& set) {
    Datum items[kMaxHccSlots];
    int n = 0;
    set.for_each([&](int s) { items[n++] = names.slot[s]; });
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

    if (!st.result_desc) st.result_desc = composite_result_desc(fcinfo);
    HhsNames& names = result_names(fcinfo, st);
    // Person-level names: demographic cells in one list, the other variables (counts, HCC_ED,
    // ACF, maturity x severity) with the interactions in another, sorted by name.
    Datum demo_items[hccraf::kMaxHhsVariables];
    int ndemo = 0, nother = 0;
    struct Named {
        const char* name;
        Datum value;
    } other[hccraf::kMaxHhsVariables + 32];
    for (int id : r.variables) {
        if (id < 0) continue;
        if (hccraf::demo::kind(id) == Kind::Demographic)
            demo_items[ndemo++] = names.var[id];
        else
            other[nother++] = {names.var_str[id], names.var[id]};
    }
    for (std::uint32_t bits = r.interactions; bits; bits &= bits - 1) {
        const int i = std::countr_zero(bits);
        other[nother++] = {names.inter_str[i], names.inter[i]};
    }
    std::sort(other, other + nother,
              [](const Named& a, const Named& b) { return std::strcmp(a.name, b.name) < 0; });
    Datum other_items[hccraf::kMaxHhsVariables + 32];
    for (int i = 0; i < nother; ++i) other_items[i] = other[i].value;

    MemoryContext keep_in = fcinfo->flinfo->fn_mcxt;
    begin_numeric_row(names.numerics);
    auto numeric = [&](hccraf::Milli v) { return cached_numeric(names.numerics, keep_in, v); };
    Datum values[19];
    bool nulls[19] = {};
    values[0] = names.model_version;
    values[1] = Int32GetDatum(st.year);
    values[2] = names.model[static_cast<int>(r.model)];
    values[3] = Int32GetDatum(r.enrollment_months);
    values[4] = PointerGetDatum(construct_array(demo_items, ndemo, TEXTOID, -1, false, TYPALIGN_INT));
    values[5] = PointerGetDatum(slot_array(names, r.hccs));
    values[6] = PointerGetDatum(slot_array(names, r.rxcs));
    values[7] = PointerGetDatum(slot_array(names, r.groups));
    values[8] = Int32GetDatum(r.hcc_cnt);
    nulls[8] = r.model == hccraf::HhsModel::Infant;
    values[9] = PointerGetDatum(construct_array(other_items, nother, TEXTOID, -1, false, TYPALIGN_INT));
    for (int m = 0; m < hccraf::kMetalCount; ++m) values[10 + m] = numeric(r.score[m]);
    values[15] = numeric(r.raw);
    values[16] = scaled(r.csr_factor, 2);
    values[17] = scaled(r.csr_adjusted_exact, 5);
    values[18] = numeric(r.csr_adjusted);
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
    const int ndx = code_strings(fcinfo, 1, &dx), nndc = code_strings(fcinfo, 2, &ndc),
              nhcpcs = code_strings(fcinfo, 3, &hcpcs);
    {
        // C++ objects are alive from here on: PostgreSQL is called only through pg_call.
        std::vector<std::string> dx_list(dx, dx + ndx), ndc_list(ndc, ndc + nndc),
            hcpcs_list(hcpcs, hcpcs + nhcpcs);
        hccraf::HhsResult r;
        std::vector<hccraf::ExplainRow> rows =
            hccraf::hhs_explain(*st.image, e, dx_list, ndc_list, hcpcs_list, r);
        const std::string model(st.image->model_version());
        emit_rows(fcinfo, rows, [&model](const hccraf::ExplainRow& row, Datum* v, bool* n) noexcept {
            put_explain_row(v, n, model, row);
        });
    }
    return (Datum)0;
}
