// The CMS-HCC scoring steps (v28_rules.md §3 order of operations), shared by the hot path
// score() and the slow path explain() through one template: score() instantiates it with a
// tracer whose hooks are empty, so the hot path does no bookkeeping, no allocation and never
// throws; explain() records every decision and turns it into rows afterwards.
#include "scorer.hpp"

#include <bit>

#include "demographics.hpp"
#include "errors.hpp"
#include "image_layout.hpp"

namespace hccraf {

using namespace layout;

namespace {

// The result of the edits and the crosswalk for one code.
struct CodeDecision {
    std::uint8_t slot[2] = {kNoSlot, kNoSlot};
    int mandatory = -1;  // index (kSecEdits) of the mandatory edit that fired, or -1
    int mce = -1;        // index of the last MCE edit that fired, or -1
};

// An edit fires when its sex matches (or is empty) and the age is outside the valid range
// [age_min, age_max] (-1 = unbounded); a rule with no bounds at all always fires (data/FORMAT.md).
inline bool fires(const EditRecord& r, int age, char sex) {
    if (r.sex != 0 && r.sex != static_cast<std::uint8_t>(sex)) return false;
    if (r.age_min < 0 && r.age_max < 0) return true;
    return (r.age_min >= 0 && age < r.age_min) || (r.age_max >= 0 && age > r.age_max);
}

// v28_rules.md §8-§9. Edits of a code are sorted mandatory (by chain order) before MCE:
//  * mandatory: one IF/ELSE chain, the first rule that fires decides;
//  * MCE age: applied after and may overwrite the mandatory result (with a drop);
//  * an edit that names a CC sets only that CC (the crosswalk's second CC is not set);
//  * edits act on the code whether or not the crosswalk lists it.
inline void decide(const ImageAccess& a, int ci, int age, char sex, CodeDecision& d) {
    const CodeInfo& info = a.section<CodeInfo>(kSecCodeInfo)[ci];
    d.slot[0] = info.slot[0];
    d.slot[1] = info.slot[1];
    const EditRecord* edits = a.section<EditRecord>(kSecEdits);
    for (std::uint32_t e = info.edit_first; e < info.edit_first + info.edit_count; ++e) {
        const EditRecord& r = edits[e];
        if ((r.kind == kMandatory && d.mandatory >= 0) || !fires(r, age, sex)) continue;
        if (r.kind == kMandatory) d.mandatory = static_cast<int>(e);
        else d.mce = static_cast<int>(e);
        d.slot[0] = r.action == kSetCc ? r.slot : kNoSlot;
        d.slot[1] = kNoSlot;
    }
}

template <class F>
inline void for_each_slot(const HccSet& s, F&& f) {
    for (int w = 0; w < 2; ++w)
        for (std::uint64_t bits = s.w[w]; bits; bits &= bits - 1) f(w * 64 + std::countr_zero(bits));
}

inline bool demographic_present(const SegmentRecord& s, int id) {
    return (s.demographic_present[id / 64] >> (id % 64)) & 1;
}

struct NoTrace {
    static constexpr bool enabled = false;
    void code(std::size_t, int, const CodeDecision&) {}
    void cc223() {}
    void dropped(std::uint32_t, int) {}
};

template <class Trace>
void run(const ImageAccess& a, const Patient& p, const IcdKey* codes, std::size_t n,
         ScoreResult& out, Trace& trace) {
    const Header& h = a.header();
    out = ScoreResult{};
    out.segment = choose_segment(p);
    const SegmentRecord& seg = a.segment(out.segment);
    const bool male = p.sex == Sex::Male;
    const int age = p.age < 0 ? 0 : p.age;

    // Diagnoses -> CC flags (edits, then crosswalk).
    HccSet cc;
    for (std::size_t i = 0; i < n; ++i) {
        CodeDecision d;
        int ci = a.find_code(codes[i]);
        if (ci >= 0) {
            decide(a, ci, age, male ? 'M' : 'F', d);
            if (d.slot[0] != kNoSlot) cc.set(d.slot[0]);
            if (d.slot[1] != kNoSlot) cc.set(d.slot[1]);
        }
        trace.code(i, ci, d);
    }

    // Only for persons with diagnosis rows (M28 443): the CC223 patch, then the hierarchy.
    // Without diagnoses every HCC, interaction and count is 0 (M28 486-493).
    if (n > 0) {
        if ((h.flags & kFlagCc223Patch) && cc.test(h.cc223_slot) && !cc.intersects(h.cc223_keep)) {
            cc.reset(h.cc223_slot);
            trace.cc223();
        }
        // Trap (§11): each rule tests the CURRENT parent flag, in CMS file order, so a parent
        // zeroed by an earlier rule no longer zeroes its own children (62+63+202 keeps 202).
        if (cc.intersects(h.rule_parents)) {
            const RuleRecord* rules = a.section<RuleRecord>(kSecRules);
            for (std::uint32_t r = 0, nr = a.count(kSecRules); r < nr; ++r) {
                if (!cc.test(rules[r].parent_slot)) continue;
                if constexpr (Trace::enabled) {
                    HccSet gone;
                    gone.w[0] = cc.w[0] & rules[r].children.w[0];
                    gone.w[1] = cc.w[1] & rules[r].children.w[1];
                    for_each_slot(gone, [&](int s) { trace.dropped(r, s); });
                }
                cc.w[0] &= ~rules[r].children.w[0];
                cc.w[1] &= ~rules[r].children.w[1];
            }
        }
    }
    out.hccs = cc;
    out.payment_hcc_count = cc.count();

    // Demographic variables (AGESEXV2; v28_rules.md §6, §15). A blank OREC is "not '0', not '1'".
    const bool disabl = age < 65 && p.orec != '0';
    const bool origds = p.orec == '1' && !disabl;
    const bool medicaid = p.dual != Dual::Non;  // LTIMCAID and NEMCAID: full or partial dual
    int ones[5];
    int n_ones = 0;
    ones[n_ones++] = demo::age_sex_cell(male, age);
    if (origds) ones[n_ones++] = male ? demo::kOrigDisMale : demo::kOrigDisFemale;
    if (medicaid) ones[n_ones++] = demo::kLtimcaid;
    if (origds) ones[n_ones++] = demo::kOrigds;
    ones[n_ones++] = demo::new_enrollee_var(male, age, p.orec, medicaid, origds);
    int k = 0;
    for (int i = 0; i < n_ones; ++i) {
        // compile_image guarantees at most three of these are in one segment's list.
        if (!demographic_present(seg, ones[i]) || k == 3) continue;
        out.demographic_vars[k++] = ones[i];
        out.demographic += seg.demographic_factor[ones[i]];
    }

    // HCC factors (the NE and SNPNE lists have none).
    HccSet scored;
    scored.w[0] = cc.w[0] & seg.hcc_present.w[0];
    scored.w[1] = cc.w[1] & seg.hcc_present.w[1];
    for_each_slot(scored, [&](int s) { out.disease += seg.hcc_factor[s]; });

    // Interactions in the segment's list: every term 1; a term is 1 when any member HCC is 1
    // after the hierarchy, or, for DISABL, when the person is disabled.
    if (n > 0 && seg.interaction_present) {
        const InteractionRecord* inter = a.section<InteractionRecord>(kSecInteractions);
        const TermRecord* terms = a.section<TermRecord>(kSecTerms);
        for (std::uint32_t bits = seg.interaction_present; bits; bits &= bits - 1) {
            int id = std::countr_zero(bits);
            bool on = true;
            for (int t = inter[id].first_term, e = t + inter[id].term_count; on && t < e; ++t)
                on = (terms[t].flags & kTermDisabl) ? disabl : cc.intersects(terms[t].members);
            if (on) {
                out.interactions |= 1u << id;
                out.interaction += seg.interaction_factor[id];
            }
        }
    }

    // Count of payment HCCs after the hierarchy: D1..D9, D10P, when the segment lists it.
    int count = out.payment_hcc_count > 10 ? 10 : out.payment_hcc_count;
    if (count > 0 && ((seg.count_present >> count) & 1)) {
        out.count_variable = count;
        out.interaction += seg.count_factor[count];
    }

    out.raw = out.demographic + out.disease + out.interaction;
    if (h.normalization_factor > 0) {
        out.has_payment = true;
        out.normalized = normalize_score(out.raw, h.normalization_factor);
        out.payment = apply_ma_adjustment(out.normalized, h.ma_coding_adjustment);
    }
}

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

}  // namespace

int age_on_feb1(int birth_year, int birth_month, int birth_day, int payment_year) {
    static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (birth_year < 1800 || birth_year > 9999 || birth_month < 1 || birth_month > 12 ||
        birth_day < 1 ||
        birth_day > days[birth_month - 1] + (birth_month == 2 && leap(birth_year) ? 1 : 0))
        throw InputError("invalid date of birth " + std::to_string(birth_year) + "-" +
                         std::to_string(birth_month) + "-" + std::to_string(birth_day));
    if (birth_year > payment_year)
        throw InputError("date of birth after the end of payment year " + std::to_string(payment_year),
                         "the person must be born by 31 December of the payment year");
    int age = payment_year - birth_year;
    if (birth_month > 2 || (birth_month == 2 && birth_day > 1)) --age;
    return age < 0 ? 0 : age;  // born after 1 Feb of the payment year: the SAS clamps to 0
}

Segment choose_segment(const Patient& p) {
    if (p.snp_new_enrollee) return Segment::SNPNE;
    if (p.new_enrollee) return Segment::NE;  // also when institutional: NE has no INS variant
    if (p.institutional) return Segment::INS;
    const bool aged = p.age >= 65;
    switch (p.dual) {
        case Dual::Full: return aged ? Segment::CFA : Segment::CFD;
        case Dual::Partial: return aged ? Segment::CPA : Segment::CPD;
        case Dual::Non: break;
    }
    return aged ? Segment::CNA : Segment::CND;
}

const char* count_variable_name(int k) {
    static constexpr const char* names[] = {"",   "D1", "D2", "D3", "D4", "D5",
                                            "D6", "D7", "D8", "D9", "D10P"};
    return (k >= 1 && k <= 10) ? names[k] : "";
}

std::string demographic_name(const ModelImage&, int id) { return demo::name(id); }

void score(const ModelImage& image, const Patient& p, const IcdKey* codes, std::size_t n,
           ScoreResult& out) {
    NoTrace trace;
    run(ImageAccess(image), p, codes, n, out, trace);
}

Milli normalize_score(Milli raw, Milli normalization_factor) {
    if (normalization_factor <= 0) throw InputError("normalization factor must be positive");
    return divide_round_half_up(raw, normalization_factor);
}

Milli apply_ma_adjustment(Milli normalized, Milli adjustment) {
    return multiply_round_half_up(normalized, 1000 - adjustment);
}

Milli blend_scores(Milli normalized_a, Milli weight_a, Milli normalized_b, Milli weight_b) {
    // Σ weight × normalized is in millionths; one half-up rounding back to thousandths (§17).
    Milli micro = normalized_a * weight_a + normalized_b * weight_b;
    return micro >= 0 ? (micro + 500) / 1000 : -((-micro + 500) / 1000);
}

// ---------------------------------------------------------------------------------------------
// explain()

namespace {

struct RecordingTrace {
    static constexpr bool enabled = true;
    std::vector<std::pair<int, CodeDecision>> codes;   // (code index or -1, decision) per key
    bool cc223_dropped = false;
    std::vector<std::pair<std::uint32_t, int>> drops;  // (rule index, child slot)
    void code(std::size_t, int ci, const CodeDecision& d) { codes.emplace_back(ci, d); }
    void cc223() { cc223_dropped = true; }
    void dropped(std::uint32_t rule, int slot) { drops.emplace_back(rule, slot); }
};

std::string hcc_item(const ModelImage& image, int slot) {
    return "HCC" + std::to_string(image.hcc_number(slot));
}

std::string valid_ages(const EditRecord& r) {
    std::string s;
    if (r.sex) s += std::string("sex ") + static_cast<char>(r.sex);
    if (r.age_min >= 0 || r.age_max >= 0) {
        if (!s.empty()) s += ", ";
        s += "valid ages ";
        if (r.age_min >= 0 && r.age_max >= 0)
            s += std::to_string(r.age_min) + "-" + std::to_string(r.age_max);
        else if (r.age_min >= 0) s += std::to_string(r.age_min) + "+";
        else s += "up to " + std::to_string(r.age_max);
    }
    return s;
}

const char* segment_description(Segment s) {
    switch (s) {
        case Segment::CNA: return "community, non-dual, aged";
        case Segment::CND: return "community, non-dual, disabled";
        case Segment::CFA: return "community, full-benefit dual, aged";
        case Segment::CFD: return "community, full-benefit dual, disabled";
        case Segment::CPA: return "community, partial-benefit dual, aged";
        case Segment::CPD: return "community, partial-benefit dual, disabled";
        case Segment::INS: return "long-term institutional";
        case Segment::NE: return "new enrollee";
        case Segment::SNPNE: return "C-SNP new enrollee";
    }
    return "";
}

}  // namespace

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

    std::vector<IcdKey> keys;
    for (const std::string& raw : raw_codes) {
        auto key = parse_icd(raw);
        if (!key) {
            add("input", raw, "malformed ICD-10-CM code: ignored");
            continue;
        }
        bool repeated = false;
        for (IcdKey k : keys) repeated = repeated || k == *key;
        if (repeated) {
            add("input", format_icd(*key, true), "repeated code: counted once");
            continue;
        }
        keys.push_back(*key);
    }

    RecordingTrace trace;
    run(a, p, keys.data(), keys.size(), out, trace);
    const SegmentRecord& seg = a.segment(out.segment);
    const EditRecord* edits = a.section<EditRecord>(kSecEdits);

    add("demographic", segment_name(out.segment),
        std::string(segment_description(out.segment)) + "; age " + std::to_string(p.age) + ", " +
            (p.sex == Sex::Male ? "male" : "female") + ", OREC '" + p.orec + "'");

    for (std::size_t i = 0; i < keys.size(); ++i) {
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
        std::string why;
        if (id < 24) why = "age/sex cell";
        else if (id == demo::kOrigDisFemale || id == demo::kOrigDisMale || id == demo::kOrigds)
            why = "originally disabled: OREC '1', age 65 or over";
        else if (id == demo::kLtimcaid) why = "Medicaid (full or partial dual)";
        else why = "new-enrollee cell (age, sex, Medicaid, originally disabled)";
        add("demographic", demo::name(id), why, seg.demographic_factor[id]);
    }
    for_each_slot(out.hccs, [&](int s) {
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
        std::string why;
        for (int t = inter[id].first_term; t < inter[id].first_term + inter[id].term_count; ++t)
            why += (why.empty() ? "" : " x ") + std::string(a.str(terms[t].name));
        add("interaction", std::string(a.str(inter[id].name)), why, seg.interaction_factor[id]);
    }
    if (out.count_variable)
        add("count", count_variable_name(out.count_variable),
            std::to_string(out.payment_hcc_count) + " payment HCCs after the hierarchy",
            seg.count_factor[out.count_variable]);
    add("raw", "raw", "sum of the coefficients = " + format_milli(out.raw));
    if (out.has_payment) {
        add("normalization", "normalized",
            "round3(" + format_milli(out.raw) + " / " + format_milli(image.normalization_factor()) +
                ") = " + format_milli(out.normalized));
        add("ma_adjustment", "payment",
            "round3(" + format_milli(out.normalized) + " x (1 - " +
                format_milli(image.ma_coding_adjustment()) + ")) = " + format_milli(out.payment));
    } else {
        add("normalization", "normalized", release + " has no normalization factor (no payment role)");
    }
    return rows;
}

}  // namespace hccraf
