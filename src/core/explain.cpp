// explain(): the same steps as score() (score_steps.hpp) with a recording tracer, turned into
// rows. Slow path: allocates freely. The coefficients of the rows sum to ScoreResult::raw.
#include <string>
#include <vector>

#include "demographics.hpp"
#include "interrupts.hpp"
#include "score_steps.hpp"
#include "scorer.hpp"

namespace hccraf {

using namespace layout;
using steps::CodeDecision;

namespace {

struct RecordingTrace {
    static constexpr bool enabled = true;
    std::vector<std::pair<int, CodeDecision>> codes;  // (code index or -1, decision) per key
    bool cc223_dropped = false;
    HccSet zeroed_set;
    std::vector<std::pair<std::uint32_t, int>> drops;  // (rule index, child slot)
    void code(std::size_t, int ci, const CodeDecision& d) { codes.emplace_back(ci, d); }
    void cc223() { cc223_dropped = true; }
    void zeroed(const HccSet& s) { zeroed_set = s; }
    void dropped(std::uint32_t rule, int slot) { drops.emplace_back(rule, slot); }
};

std::string hcc_item(const ModelImage& image, int slot) {
    return image.hcc_name(slot);
}

std::string valid_ages(const EditRecord& r) {
    std::string s;
    if (r.sex) s += std::string("sex ") + static_cast<char>(r.sex);
    if (r.age_min >= 0 || r.age_max >= 0) {
        if (!s.empty()) s += ", ";
        s += "valid ages ";
        if (r.age_min >= 0 && r.age_max >= 0)
            s += std::to_string(r.age_min) + "-" + std::to_string(r.age_max);
        else if (r.age_min >= 0)
            s += std::to_string(r.age_min) + "+";
        else
            s += "up to " + std::to_string(r.age_max);
    }
    return s;
}

// Why a person-level variable is 1 (demographics.hpp ids).
std::string person_variable_reason(int id) {
    if (id < 24) return "age/sex cell";
    if (id == demo::kOrigDisFemale || id == demo::kOrigDisMale || id == demo::kOrigds)
        return "originally disabled: OREC '1', age 65 or over";
    if (id == demo::kLtimcaid) return "Medicaid (full or partial dual)";
    if (id == demo::kOrigEsrdFemale || id == demo::kOrigEsrdMale)
        return "originally ESRD: OREC '2' or '3', aged";
    if (id == demo::kLtiAged || id == demo::kLtiNonAged) return "long-term institutional";
    if (id >= demo::kFirstDual && id < demo::kOrigEsrdFemale) return "dual status (full / partial benefit)";
    if (id >= demo::kTransplant) return "kidney transplant month: flat score";
    if (id >= demo::kFirstGraft) return "functioning-graft add-on (age, months since transplant, dual, LTI)";
    return "new-enrollee cell (age, sex, and the cell's status groups)";
}

}  // namespace

std::vector<IcdKey> explain_inputs(const std::vector<std::string>& raw_codes, std::vector<ExplainRow>& rows) {
    // Input rows in the user's order; a code seen before is "repeated" (found by sorting, not by
    // scanning the codes seen so far: that was quadratic, 400,000 distinct codes took 27 s).
    std::vector<IcdKey> parsed(raw_codes.size(), 0);  // 0 = malformed
    for (std::size_t i = 0; i < raw_codes.size(); ++i) {
        interrupts::poll_every(i);
        parsed[i] = icd_key(raw_codes[i]);
    }
    const std::vector<bool> first = first_occurrences(parsed.data(), parsed.size());
    std::vector<IcdKey> keys;
    for (std::size_t i = 0; i < raw_codes.size(); ++i) {
        interrupts::poll_every(i);
        if (!parsed[i])
            rows.push_back({"input", raw_codes[i], "malformed ICD-10-CM code: ignored", std::nullopt});
        else if (!first[i])
            rows.push_back(
                {"input", format_icd(parsed[i], true), "repeated code: counted once", std::nullopt});
        else
            keys.push_back(parsed[i]);
    }
    return keys;
}

std::vector<ExplainRow> explain(const ModelImage& image, const Patient& p,
                                const std::vector<std::string>& raw_codes, ScoreResult& out) {
    ImageAccess a(image);
    const std::string release =
        std::string(image.model_version()) + " PY" + std::to_string(image.payment_year());
    std::vector<ExplainRow> rows;
    auto add = [&](std::string step, std::string item, std::string detail,
                   std::optional<Milli> coef = std::nullopt) {
        rows.push_back({std::move(step), std::move(item), std::move(detail), coef});
    };

    std::vector<IcdKey> keys = explain_inputs(raw_codes, rows);

    RecordingTrace trace;
    steps::run(a, p, keys.data(), keys.size(), out, trace);
    const SegmentRecord& seg = a.segment(out.segment);
    const EditRecord* edits = a.section<EditRecord>(kSecEdits);

    add("demographic", segment_name(out.segment),
        std::string(segment_description(out.segment)) + "; age " + std::to_string(p.age) + ", " +
            (p.sex == Sex::Male ? "male" : "female") + ", OREC '" + p.orec + "'");

    for (std::size_t i = 0; i < keys.size(); ++i) {
        interrupts::poll_every(i);
        const std::string code = format_icd(keys[i], true);
        const auto& [ci, d] = trace.codes[i];
        if (d.mandatory >= 0) {
            const EditRecord& r = edits[d.mandatory];
            add("edit", code,
                "mandatory edit " + std::to_string(r.edit_order) + " (" + valid_ages(r) + "; age " +
                    std::to_string(p.age) + "): " +
                    (r.action == kSetCc ? "CC" + std::to_string(r.cc) + " only, crosswalk not used"
                                        : std::string("dropped")));
        }
        if (d.mce >= 0) {
            const EditRecord& r = edits[d.mce];
            add("edit", code,
                "MCE age edit (" + valid_ages(r) + "; age " + std::to_string(p.age) + "): " +
                    (r.action == kSetCc ? "CC" + std::to_string(r.cc) + " only" : std::string("dropped")));
        }
        bool any = false;
        for (std::uint8_t s : d.slot) {
            if (s == kNoSlot) continue;
            any = true;
            add("diagnosis", code,
                "CC" + std::to_string(image.hcc_number(s)) + " " + std::string(image.hcc_label(s)));
        }
        if (!any && d.mandatory < 0 && d.mce < 0)
            add("input", code, "not in the " + release + " crosswalk: contributes nothing");
    }

    trace.zeroed_set.for_each([&](int s) {
        add("renal", hcc_item(image, s), "renal CC set to 0 before the hierarchy (ESRD model, E24 538-548)");
    });
    if (trace.cc223_dropped)
        add("cc223", hcc_item(image, a.header().cc223_slot),
            "CC223 removed before the hierarchy: no CC221, CC222, CC224, CC225 or CC226 (V28 rule)");
    const RuleRecord* rules = a.section<RuleRecord>(kSecRules);
    for (const auto& [r, s] : trace.drops)
        add("hierarchy", hcc_item(image, s),
            "dropped by " + hcc_item(image, rules[r].parent_slot) + " (hierarchy rule " +
                std::to_string(rules[r].rule_order) + ")");

    for (int id : out.demographic_vars) {
        if (id < 0) continue;
        add(is_graft_variable(id) ? "graft" : "demographic", demographic_name(image, id),
            person_variable_reason(id), seg.demographic_factor[id]);
    }
    out.hccs.for_each([&](int s) {
        if (seg.hcc_present.test(s))
            add("hcc", hcc_item(image, s), std::string(image.hcc_label(s)), seg.hcc_factor[s]);
        else
            add("hcc", hcc_item(image, s),
                std::string(image.hcc_label(s)) + " (not in the " + segment_name(out.segment) +
                    " variable list)");
    });
    const InteractionRecord* inter = a.section<InteractionRecord>(kSecInteractions);
    const TermRecord* terms = a.section<TermRecord>(kSecTerms);
    for (std::uint32_t bits = out.interactions; bits; bits &= bits - 1) {
        int id = std::countr_zero(bits);
        // Each term with what made it 1: its member HCCs present, or the DISABL condition.
        std::string why;
        for (int t = inter[id].first_term; t < inter[id].first_term + inter[id].term_count; ++t) {
            std::string members;
            if (terms[t].flags & kTermDisabl) {
                members = "age " + std::to_string(p.age) + " < 65, OREC not 0";
            } else if (terms[t].flags & kTermNonAged) {
                members = "age " + std::to_string(p.age) + " < 65";
            } else {
                (terms[t].members & out.hccs).for_each([&](int s) {
                    members += (members.empty() ? "" : ", ") + hcc_item(image, s);
                });
            }
            why += (why.empty() ? "" : " x ") + std::string(a.str(terms[t].name)) + " (" + members + ")";
        }
        add("interaction", std::string(a.str(inter[id].name)), why, seg.interaction_factor[id]);
    }
    if (out.count_variable)
        add("count", count_variable_name(out.count_variable),
            std::to_string(out.payment_hcc_count) + " payment HCCs after the hierarchy",
            seg.count_factor[out.count_variable]);
    if (out.divisor >= 0) {
        // The row's coefficient is what the division changes, so the coefficients still add up
        // to the raw score.
        const Milli before = out.demographic + out.disease + out.interaction;
        add("divisor", divisor_name(out.divisor),
            "round3(" + format_milli(before) + " / " + format_milli(seg.divisor[out.divisor]) +
                ") = " + format_milli(out.raw) + " (ESRD new-enrollee graft actuarial adjustment)",
            out.raw - before);
    }
    add("raw", "raw", "sum of the coefficients = " + format_milli(out.raw));
    if (out.has_payment) {
        add("normalization", "normalized",
            "round3(" + format_milli(out.raw) + " / " + format_milli(out.normalization_factor) +
                ") = " + format_milli(out.normalized));
        add("ma_adjustment", "payment",
            "round3(" + format_milli(out.normalized) + " x (1 - " +
                format_milli(image.ma_coding_adjustment()) + ")) = " + format_milli(out.payment));
    } else {
        add("normalization", "normalized", release + " has no normalization factor (no payment role)");
    }
    if (out.has_alternative)
        add("normalization", std::string("normalized_") + std::string(image.alternative_basis()),
            "round3(" + format_milli(out.raw) + " / " + format_milli(seg.normalization[1]) +
                ") = " + format_milli(out.normalized_alternative) + " (" +
                std::string(image.alternative_basis()) + " basis)");
    return rows;
}

}  // namespace hccraf
