#include "gap_call.hpp"

#include <cstring>
#include <new>
#include <string>

#include "../core/errors.hpp"
#include "../core/interrupts.hpp"
#include "guard.hpp"
#include "patient_row.hpp"
#include "reference_cache.hpp"
#include "settings.hpp"
#include "sql_values.hpp"

namespace hccraf::pg {

GapCallState& gap_call_state(FunctionCallInfo fcinfo) {
    if (!fcinfo->flinfo->fn_extra) {
        MemoryContext mcxt = fcinfo->flinfo->fn_mcxt;
        void* mem = MemoryContextAllocZero(mcxt, sizeof(GapCallState));
        auto* st = new (mem) GapCallState();  // trivially destructible, like ScoreCallState
        void* score_mem = MemoryContextAllocZero(mcxt, sizeof(ScoreCallState));
        st->score = new (score_mem) ScoreCallState();
        fcinfo->flinfo->fn_extra = st;
    }
    return *static_cast<GapCallState*>(fcinfo->flinfo->fn_extra);
}

Patient default_patient() {
    Patient p;
    p.age = 72;
    p.sex = Sex::Female;
    p.orec = '0';
    p.dual = Dual::Non;
    return p;
}

void read_gap_patient(FunctionCallInfo fcinfo, int argno, int payment_year, GapCallState& st, Patient& out,
                      bool& is_default) {
    is_default = PG_ARGISNULL(argno);
    if (is_default) {
        out = default_patient();
        return;
    }
    HeapTupleHeader row = PG_GETARG_HEAPTUPLEHEADER(argno);
    resolve_patient_layout(row, st.score->layout, fcinfo->flinfo->fn_mcxt);
    read_patient(row, st.score->layout, payment_year, out);
}

GapCodes decode_gap_codes(FunctionCallInfo fcinfo, int prior_argno, int current_argno, GapCallState& st,
                          int payment_year) {
    GapCodes out;
    ScoreCallState& sc = *st.score;
    if (prior_argno >= 0 && !PG_ARGISNULL(prior_argno)) {
        DecodedCodes d = decode_codes(PG_GETARG_ARRAYTYPE_P(prior_argno), sc);
        if (d.malformed) report_unknown_codes(d.first_malformed, payment_year);
        reserve_codes(st.prior, st.prior_capacity, d.count, fcinfo->flinfo->fn_mcxt);
        if (d.count) memcpy(st.prior, sc.codes, sizeof(IcdKey) * d.count);
        out.prior = st.prior;
        out.n_prior = d.count;
    }
    if (current_argno >= 0 && !PG_ARGISNULL(current_argno)) {
        DecodedCodes d = decode_codes(PG_GETARG_ARRAYTYPE_P(current_argno), sc);
        if (d.malformed) report_unknown_codes(d.first_malformed, payment_year);
        out.current = sc.codes;
        out.n_current = d.count;
    }
    return out;
}

std::int64_t resolve_base_rate(FunctionCallInfo fcinfo, int argno) {
    if (argno >= 0 && !PG_ARGISNULL(argno)) {
        // The numeric as written (exact), through the same parser as the setting.
        char* text = DatumGetCString(DirectFunctionCall1(numeric_out, PG_GETARG_DATUM(argno)));
        std::int64_t cents = 0;
        if (const char* problem = parse_base_rate(text, &cents))
            ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("invalid base_rate %s", text),
                            errhint("%s", problem)));
        return cents;
    }
    return base_rate_cents > 0 ? base_rate_cents : -1;
}

GapRequest decode_gap_request(FunctionCallInfo fcinfo, const GapArgs& args) {
    GapRequest r;
    r.st = &gap_call_state(fcinfo);
    text* model_text = PG_GETARG_TEXT_PP(args.model);
    r.model = std::string_view(VARDATA_ANY(model_text), VARSIZE_ANY_EXHDR(model_text));
    r.year = PG_GETARG_INT32(args.year);
    read_gap_patient(fcinfo, args.patient, r.year, *r.st, r.patient, r.is_default);
    r.codes = decode_gap_codes(fcinfo, args.prior, args.current, *r.st, r.year);
    r.base_cents = resolve_base_rate(fcinfo, args.base_rate);
    return r;
}

const ModelImage& single_model(GapCallState& st, std::string_view model, int payment_year,
                               const char* function) {
    ensure_models(*st.score, model, payment_year);
    if (st.score->nparts != 1) {
        std::string parts;
        for (int i = 0; i < st.score->nparts; ++i)
            parts += (i ? " and " : "") + std::string(st.score->parts[i].image->model_version()) + " (" +
                     std::to_string(st.score->parts[i].weight / 10) + " %)";
        throw InputError(std::string(function) + " values gaps under one model; \"" + std::string(model) +
                             "\" for payment year " + std::to_string(payment_year) + " blends " + parts,
                         "Ask for one model, e.g. model => 'V28' (each model's own payment score); "
                         "blended payment deltas are not supported.");
    }
    // The gap arithmetic (src/core/gaps.cpp) values deltas on the release's own payment score;
    // refuse the alternative basis rather than silently value under the MA-PD one.
    if (st.score->parts[0].alternative)
        throw InputError(std::string(function) + " values gaps on the release's own payment score; \"" +
                             std::string(model) + "\" asks for another normalization basis",
                         "Ask for the model without the basis (model => 'RxHCC' values gaps on the MA-PD "
                         "score); PDP-normalized gap values are not supported.");
    return *st.score->parts[0].image;
}

const char* first_gap_code_not_in_force(const GapCodes& codes, int payment_year) {
    const IcdKey* lists[2] = {codes.prior, codes.current};
    const int counts[2] = {codes.n_prior, codes.n_current};
    for (int l = 0; l < 2; ++l)
        for (int i = 0; i < counts[l]; ++i) {
            interrupts::poll_every(i);
            if (!icd_code_in_force(lists[l][i], payment_year)) {
                std::string text = format_icd(lists[l][i], true);
                return pg_call([&]() noexcept { return pstrdup(text.c_str()); });
            }
        }
    return nullptr;
}

std::vector<std::string> dotted(const CodeList& keys) {
    std::vector<std::string> out;
    for (IcdKey k : keys) out.push_back(format_icd(k, true));
    return out;
}

std::vector<std::string> hcc_names(const ModelImage& image, const HccSet& set) {
    std::vector<std::string> out;
    set.for_each([&](int s) { out.push_back(image.hcc_name(s)); });
    return out;
}

ArrayType* string_array(const std::vector<std::string>& items) {
    const char** ptrs = (const char**)palloc(sizeof(char*) * (items.size() + 1));
    for (std::size_t i = 0; i < items.size(); ++i) ptrs[i] = items[i].c_str();
    return text_array(ptrs, (int)items.size());
}

}  // namespace hccraf::pg
