#include "score_call.hpp"

#include <cstring>
#include <new>
#include <string>

#include "../core/errors.hpp"
#include "../core/interrupts.hpp"
#include "guard.hpp"
#include "settings.hpp"
#include "sql_values.hpp"

namespace hccraf::pg {

ScoreCallState& score_call_state(FunctionCallInfo fcinfo) {
    if (!fcinfo->flinfo->fn_extra) {
        void* mem = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(ScoreCallState));
        fcinfo->flinfo->fn_extra = new (mem) ScoreCallState();  // trivially destructible
    }
    return *static_cast<ScoreCallState*>(fcinfo->flinfo->fn_extra);
}

void read_patient_argument(FunctionCallInfo fcinfo, ScoreCallState& st, int row_arg, int year_arg,
                           Patient& out) {
    HeapTupleHeader row = PG_GETARG_HEAPTUPLEHEADER(row_arg);
    resolve_patient_layout(row, st.layout, fcinfo->flinfo->fn_mcxt);
    read_patient(row, st.layout, PG_GETARG_INT32(year_arg), out);
}

void check_code_array(ArrayType* arr) {
    if (ARR_NDIM(arr) > 1)
        ereport(ERROR, (errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
                        errmsg("diagnoses must be a one-dimensional text array"),
                        errhint("Pass the codes as text[], e.g. ARRAY['E11.9', 'I50.22'].")));
}

void reserve_codes(IcdKey*& buffer, int& capacity, int needed, MemoryContext context) {
    if (needed <= capacity) return;
    int grown = needed < 64 ? 64 : needed;
    IcdKey* bigger = (IcdKey*)MemoryContextAllocHuge(context, sizeof(IcdKey) * (Size)grown);
    if (buffer) pfree(buffer);
    buffer = bigger;
    capacity = grown;
}

int code_strings(FunctionCallInfo fcinfo, int arg, char*** out) {
    *out = nullptr;
    if (PG_ARGISNULL(arg)) return 0;
    ArrayType* arr = PG_GETARG_ARRAYTYPE_P(arg);
    check_code_array(arr);
    *out = (char**)palloc(sizeof(char*) * (ArrayGetNItems(ARR_NDIM(arr), ARR_DIMS(arr)) + 1));
    int n = 0;
    for_each_text(arr, [&](int, std::string_view code) { (*out)[n++] = pnstrdup(code.data(), code.size()); });
    return n;
}

DecodedCodes decode_codes(ArrayType* arr, ScoreCallState& st) {
    DecodedCodes out;
    if (!arr) return out;
    check_code_array(arr);
    reserve_codes(st.codes, st.capacity, ArrayGetNItems(ARR_NDIM(arr), ARR_DIMS(arr)),
                  GetMemoryChunkContext(&st));
    for_each_text(arr, [&](int, std::string_view code) {
        IcdKey key = icd_key(code);
        if (key) {
            st.codes[out.count++] = key;
        } else {
            if (!out.malformed) out.first_malformed = pnstrdup(code.data(), code.size());
            ++out.malformed;
        }
    });
    return out;
}

void ensure_models(ScoreCallState& st, std::string_view model, int payment_year) {
    std::uint64_t gen = begin_reference_lookup();
    if (gen == st.generation && payment_year == st.payment_year && model == st.model) return;
    if (model.size() >= sizeof(st.model)) throw InputError("unknown model \"" + std::string(model) + "\"");
    st.generation = ~std::uint64_t{0};        // invalid until fully resolved
    st.names_generation = ~std::uint64_t{0};  // the result names belong to the old parts
    st.nparts = resolve_models(model, payment_year, st.parts);
    // The Medicare functions (raf_score, raf_explain, raf_risk_profiles, hcc_gaps, ...) read a
    // Medicare person; an ACA enrollee has a metal, a CSR indicator and drug codes instead.
    if (st.parts[0].image->family() == Family::Hhs)
        throw InputError(
            "model \"" + std::string(model) +
                "\" is the HHS-HCC (ACA) model: this function scores "
                "the Medicare models only",
            "Score ACA enrollees with hccraf.hhs_score() or hhs_explain(); the value of a code under "
            "the HHS model is the difference of two hhs_score() calls, with and without it.");
    memcpy(st.model, model.data(), model.size());
    st.model[model.size()] = '\0';
    st.payment_year = payment_year;
    st.generation = gen;
}

// Payment-year scores of all parts: (normalized, payment), or false when a part has no
// payment role (e.g. V24 for PY2026).
bool payment_scores(const ScoreCallState& st, const ScoreResult* results, Milli& normalized, Milli& payment) {
    for (int i = 0; i < st.nparts; ++i)
        if (!results[i].has_payment) return false;
    if (st.nparts == 1) {
        if (st.parts[0].alternative) {
            // Every segment of a release with a basis lists its factor; a user's release may not.
            if (!results[0].has_alternative)
                throw DataError(std::string("segment ") + segment_name(results[0].segment) +
                                " has no factor for the normalization basis " +
                                std::string(st.parts[0].image->alternative_basis()));
            normalized = results[0].normalized_alternative;
            payment = results[0].payment_alternative;
            return true;
        }
        normalized = results[0].normalized;
        payment = results[0].payment;
        return true;
    }
    if (st.parts[0].image->ma_coding_adjustment() != st.parts[1].image->ma_coding_adjustment())
        throw DataError("the two models of the payment year have different MA coding adjustments");
    normalized =
        blend_scores(results[0].normalized, st.parts[0].weight, results[1].normalized, st.parts[1].weight);
    payment = apply_ma_adjustment(normalized, st.parts[0].image->ma_coding_adjustment());
    return true;
}

// Unknown codes are looked up only when the user asked to hear about them (hot path otherwise).
const char* first_code_not_in_force(const ScoreCallState& st, int ncodes) {
    for (int i = 0; i < ncodes; ++i) {
        interrupts::poll_every(i);
        if (!icd_code_in_force(st.codes[i], st.payment_year)) {
            std::string text = format_icd(st.codes[i], true);
            return pg_call([&]() noexcept { return pstrdup(text.c_str()); });
        }
    }
    return nullptr;
}

void report_unknown_codes(const char* code, int payment_year) {
    if (!code || unknown_code_action == UNKNOWN_CODE_IGNORE) return;
    ereport(unknown_code_action == UNKNOWN_CODE_ERROR ? ERROR : WARNING,
            (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
             errmsg("diagnosis \"%s\" is not a valid ICD-10-CM code for payment year %d; it was skipped",
                    code, payment_year),
             errhint("Set hccraf.unknown_code_action to ignore, warning or error.")));
}

void ensure_result_names(ScoreCallState& st, MemoryContext keep_in) {
    if (st.names_generation == st.generation) return;
    MemoryContext old = MemoryContextSwitchTo(keep_in);
    for (int i = 0; i < st.nparts; ++i) {
        const ModelImage& img = *st.parts[i].image;
        // In a blend every name carries its model ("V28:HCC38").
        std::string_view m = img.model_version();
        char prefix[24] = "";
        if (st.nparts > 1) snprintf(prefix, sizeof prefix, "%.*s:", (int)m.size(), m.data());
        PartNames& pn = st.names[i];
        pn.hcc = (Datum*)palloc(sizeof(Datum) * (img.hcc_slot_count() + 1));
        for (int slot = 0; slot < img.hcc_slot_count(); ++slot) {
            char name[16];
            format_hcc_name(img.family(), img.hcc_number(slot), name);
            pn.hcc[slot] = CStringGetTextDatum(psprintf("%s%s", prefix, name));
        }
        pn.interaction = (Datum*)palloc(sizeof(Datum) * (img.interaction_count() + 1));
        for (int k = 0; k < img.interaction_count(); ++k) {
            std::string_view name = img.interaction_name(k);
            pn.interaction[k] =
                CStringGetTextDatum(psprintf("%s%.*s", prefix, (int)name.size(), name.data()));
        }
        for (int c = 1; c <= 10; ++c)
            pn.count[c] =
                CStringGetTextDatum(c == 10 ? psprintf("%sD10P", prefix) : psprintf("%sD%d", prefix, c));
        // The model as computed: "CMS-HCC" for a blend, else the release ("RxHCC_V08:PDP" with
        // the alternative basis).
        if (st.nparts > 1)
            pn.model = CStringGetTextDatum("CMS-HCC");
        else if (st.parts[i].alternative)
            pn.model = CStringGetTextDatum(psprintf("%.*s:%.*s", (int)m.size(), m.data(),
                                                    (int)img.alternative_basis().size(),
                                                    img.alternative_basis().data()));
        else
            pn.model = PointerGetDatum(cstring_to_text_with_len(m.data(), (int)m.size()));
        for (int g = 0; g < kSegmentCount; ++g)
            pn.segment[g] = CStringGetTextDatum(segment_name(static_cast<Segment>(g)));
    }
    MemoryContextSwitchTo(old);
    st.names_generation = st.generation;
}

Datum cached_numeric(ScoreCallState& st, MemoryContext keep_in, Milli v) {
    return cached_numeric(st.numerics, keep_in, v);
}

Datum cached_numeric(NumericCache*& cache, MemoryContext keep_in, Milli v) {
    if (!cache) cache = (NumericCache*)MemoryContextAllocZero(keep_in, sizeof(NumericCache));
    NumericCache& c = *cache;
    int slot = (int)((std::uint64_t)v & (NumericCache::kSlots - 1));
    if (c.used[slot] && c.key[slot] == v) {
        c.written[slot] = c.row;
        return PointerGetDatum(c.bytes[slot]);
    }
    Numeric n = int64_div_fast_to_numeric(v, 3);
    // Another value of this row holds the slot (see NumericCache): keep the fresh copy.
    if (VARSIZE(n) > NumericCache::kBytes || (c.used[slot] && c.written[slot] == c.row))
        return NumericGetDatum(n);
    memcpy(c.bytes[slot], n, VARSIZE(n));
    pfree(n);
    c.key[slot] = v;
    c.used[slot] = true;
    c.written[slot] = c.row;
    return PointerGetDatum(c.bytes[slot]);
}

}  // namespace hccraf::pg
