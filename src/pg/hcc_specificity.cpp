// hccraf.hcc_specificity(current text[], patient record DEFAULT NULL, model text DEFAULT 'V28',
//                        payment_year int DEFAULT 2026, base_rate numeric DEFAULT NULL)
//   RETURNS SETOF (rule_id, evidence_codes, replaced_codes, suggested_codes, hccs_before,
//                  hccs_after, raf_delta, revenue_delta, score_kind, segment, patient_basis,
//                  note, reason, guideline_reference)
//
// The rules of hccraf.specificity_rule (read through SPI at each call: they are user-editable
// data) matched against the current codes by the core (specificity.hpp); each suggestion is
// valued by rescoring the code list with the suggestion applied.
#include <algorithm>
#include <string>
#include <vector>

#include "../core/errors.hpp"
#include "../core/gaps.hpp"
#include "../core/specificity.hpp"
#include "gap_call.hpp"
#include "guard.hpp"
#include "settings.hpp"
#include "spi_rows.hpp"
#include "sql_values.hpp"
#include "srf.hpp"

namespace hccraf::pg {

namespace {

std::vector<SpecificityRule> load_rules() {
    std::vector<SpecificityRule> rules;
    // Every name is schema-qualified; spi_rows also pins search_path (see spi_rows.hpp).
    for (auto& r : spi_rows("SELECT s.rule_id, pg_catalog.array_to_string(s.requires, ' '), "
                            "pg_catalog.array_to_string(s.unless_present, ' '), "
                            "pg_catalog.array_to_string(s.replaces, ' '), "
                            "pg_catalog.array_to_string(s.suggest, ' '), s.reason, s.guideline_reference "
                            "FROM hccraf.specificity_rule s ORDER BY s.rule_id"))
        rules.push_back(make_specificity_rule(r[0], r[1], r[2], r[3], r[4], r[5], r[6]));
    return rules;
}

struct OutRow {
    std::string rule_id, note, reason, reference;
    std::vector<std::string> evidence, replaced, suggested, before, after;
    Milli delta;
    std::int64_t cents;
};

// What the suggestion does to the payment HCCs, and whether it changes the value.
std::string note(const ModelImage& image, const SpecificityHit& h) {
    const std::string release =
        std::string(image.model_version()) + " PY" + std::to_string(image.payment_year());
    const HccSet gone = h.hccs_before - h.hccs_after, added = h.hccs_after - h.hccs_before;
    std::string change;
    if (!gone.empty()) change += "removes " + hcc_list_text(image, gone);
    if (!added.empty()) change += (change.empty() ? "adds " : "; adds ") + hcc_list_text(image, added);
    if (h.delta() != 0)
        return (change.empty() ? std::string("changes the score") : change) + " under " + release;
    if (change.empty())
        return "same payment HCCs under " + release +
               ": raf_delta 0 (documentation accuracy only; other models or years may differ)";
    return change + " under " + release +
           ", which values them the same: raf_delta 0 (other models or years may differ)";
}

}  // namespace

}  // namespace hccraf::pg

using namespace hccraf::pg;

HCCRAF_FUNCTION(hccraf_hcc_specificity) {
    if (PG_ARGISNULL(2) || PG_ARGISNULL(3)) return empty_set(fcinfo);
    // Arguments: prior, current, patient, model, year, base_rate (-1 = none).
    GapRequest req = decode_gap_request(fcinfo, {-1, 0, 1, 2, 3, 4});
    const char* unknown = nullptr;
    {
        // C++ objects are alive in this block: PostgreSQL is called only through pg_call.
        const hccraf::ModelImage& image = single_model(*req.st, req.model, req.year, "hcc_specificity");
        std::vector<hccraf::SpecificityRule> rules = load_rules();
        std::vector<hccraf::SpecificityHit> hits = hccraf::find_specificity_upgrades(
            image, req.patient, req.codes.current, req.codes.n_current, rules);
        std::stable_sort(hits.begin(), hits.end(), [](const auto& a, const auto& b) {
            return a.delta() > b.delta();  // rules are already in rule_id order
        });
        std::vector<OutRow> rows;
        for (const auto& h : hits)
            rows.push_back({h.rule->id, note(image, h), h.rule->reason, h.rule->reference, dotted(h.evidence),
                            dotted(h.removed), dotted(h.added), hcc_names(image, h.hccs_before),
                            hcc_names(image, h.hccs_after), h.delta(),
                            req.base_cents >= 0 ? hccraf::revenue_cents(h.delta(), req.base_cents) : 0});
        const char* kind = hccraf::gap_uses_payment_score(image) ? "payment" : "raw";
        const char* segment = hccraf::segment_name(hccraf::choose_segment(image.family(), req.patient));
        const char* basis = req.is_default ? kDefaultPatientText : kGivenPatientText;
        emit_rows(fcinfo, rows, [&](const OutRow& r, Datum* v, bool* n) noexcept {
            v[0] = text_datum(r.rule_id);
            v[1] = PointerGetDatum(string_array(r.evidence));
            v[2] = PointerGetDatum(string_array(r.replaced));
            v[3] = PointerGetDatum(string_array(r.suggested));
            v[4] = PointerGetDatum(string_array(r.before));
            v[5] = PointerGetDatum(string_array(r.after));
            put_delta_columns(v, n, 6, r.delta, req.base_cents >= 0, r.cents, kind, segment, basis);
            v[11] = text_datum(r.note);
            v[12] = text_datum(r.reason);
            v[13] = text_datum(r.reference);
        });
        if (unknown_code_action != UNKNOWN_CODE_IGNORE)
            unknown = first_gap_code_not_in_force(req.codes, req.year);
    }
    report_unknown_codes(unknown, req.year);
    return (Datum)0;
}
