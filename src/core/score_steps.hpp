// The scoring steps (v28_rules.md §3 order of operations), private to src/core and shared by the
// hot path score(), the slow path explain() and the gap finder through templates: score()
// instantiates run() with a tracer whose hooks are empty, so the hot path does no bookkeeping
// and no allocation; explain() records every decision and builds rows afterwards.
//
// One engine for every model family. The steps, and where a family's own rules go:
//   1. conditions()  codes -> CC flags: edits (mandatory chain, MCE age), the crosswalk with up
//                    to two CCs per code, then the family's pre-hierarchy rules (V28: CC223;
//                    ESRD: renal CCs 134-138 set to 0). Shared; a family's edits and crosswalk
//                    are DATA (image sections); a pre-hierarchy rule is a flag + masks in the
//                    image header, compiled by image_compiler.cpp and applied here.
//   2. hierarchy     ordered rules on the current flags (CMS file order). Shared; the rules
//                    are data (kSecRules).
//   3. person cell   the segment and the person-level variables: the family's own rules
//                    (family_rules.hpp; ids in demographics.hpp), chosen by the image's family.
//   4. variables     HCC factors per segment, interactions as term masks (DISABL, NONAGED
//                    terms), count variables. Shared; a family's extra person-level variables
//                    (ESRD graft add-ons) are more ids in the same per-segment vector.
//   5. arithmetic    raw sum, the segment's divisor (ESRD GRAFT_NE ActAdj), normalization by the
//                    segment's factor and the alternative basis (RxHCC PDP), MA adjustment,
//                    rounding (fixed_point.hpp). Shared; the factors are data.
// The gap finder and the specificity rules score through score(); they never re-implement a
// step. HHS-HCC (hhs_model.cpp) runs steps 1 and 2 and interactions_on() with its own rules
// around them; run() refuses an HHS-HCC image.
#pragma once
#include <bit>
#include <cstdint>

#include "demographics.hpp"
#include "family_rules.hpp"
#include "image_layout.hpp"
#include "interrupts.hpp"
#include "scorer.hpp"

namespace hccraf::steps {

using namespace layout;

// The result of the edits and the crosswalk for one code.
struct CodeDecision {
    std::uint8_t slot[2] = {kNoSlot, kNoSlot};
    int mandatory = -1;  // index (kSecEdits) of the mandatory edit that fired, or -1
    int mce = -1;        // index of the last MCE edit that fired, or -1
    HccSet split;        // HHS-HCC: CCs of the conditional rows whose condition holds
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
// HHS-HCC split rows (sorted after MCE) add their CC when the condition holds, unless an MCE
// edit dropped the code (hhs_hcc_v08_rules.md §4: the MCE edit drops the code before any CC).
inline bool holds(const EditRecord& r, int age, char sex) {
    if (r.sex != 0 && r.sex != static_cast<std::uint8_t>(sex)) return false;
    return (r.age_min < 0 || age >= r.age_min) && (r.age_max < 0 || age <= r.age_max);
}

inline void decide(const ImageAccess& a, int ci, int age, char sex, CodeDecision& d) {
    const CodeInfo& info = a.section<CodeInfo>(kSecCodeInfo)[ci];
    d.slot[0] = info.slot[0];
    d.slot[1] = info.slot[1];
    const EditRecord* edits = a.section<EditRecord>(kSecEdits);
    for (std::uint32_t e = info.edit_first; e < info.edit_first + info.edit_count; ++e) {
        const EditRecord& r = edits[e];
        if (r.kind == kSplit) {
            if (d.mce < 0 && holds(r, age, sex)) d.split.set(r.slot);
            continue;
        }
        if ((r.kind == kMandatory && d.mandatory >= 0) || !fires(r, age, sex)) continue;
        if (r.kind == kMandatory)
            d.mandatory = static_cast<int>(e);
        else
            d.mce = static_cast<int>(e);
        d.slot[0] = r.action == kSetCc ? r.slot : kNoSlot;
        d.slot[1] = kNoSlot;
    }
}

inline bool demographic_present(const SegmentRecord& s, int id) {
    return (s.demographic_present[id / 64] >> (id % 64)) & 1;
}

struct NoTrace {
    static constexpr bool enabled = false;
    void code(std::size_t, int, const CodeDecision&) {}
    void cc223() {}
    void zeroed(const HccSet&) {}
    void dropped(std::uint32_t, int) {}
};

// Step 1: the CC flags the hierarchy starts from: edits and crosswalk per code, then the V28
// CC223 rule (M28 448-450). Both apply only to persons with diagnosis rows (n > 0, M28 443).
// per_code, when not null, receives each code's own flags after the edits (before CC223).
template <class Trace>
inline HccSet conditions(const ImageAccess& a, const Patient& p, const IcdKey* codes, std::size_t n,
                         HccSet* per_code, Trace& trace) {
    const Header& h = a.header();
    const int age = p.age < 0 ? 0 : p.age;
    const char sex = p.sex == Sex::Male ? 'M' : 'F';
    HccSet cc;
    const CodeInfo* infos = a.section<CodeInfo>(kSecCodeInfo);
    for (std::size_t i = 0; i < n; ++i) {
        interrupts::poll_every(i);
        int ci = a.find_code(codes[i]);
        // Hot path (most codes): no edits, nothing recorded. Setting the crosswalk slots directly
        // keeps the 192-bit sets out of the loop (the generic path below cost score() 25 %).
        if constexpr (!Trace::enabled) {
            if (!per_code && (ci < 0 || infos[ci].edit_count == 0)) {
                if (ci >= 0)
                    for (std::uint8_t s : infos[ci].slot)
                        if (s != kNoSlot) cc.set(s);
                continue;
            }
        }
        CodeDecision d;
        HccSet own;
        if (ci >= 0) {
            decide(a, ci, age, sex, d);
            for (std::uint8_t s : d.slot)
                if (s != kNoSlot) own.set(s);
            own |= d.split;
        }
        cc |= own;
        if (per_code) per_code[i] = own;
        trace.code(i, ci, d);
    }
    if (n > 0 && (h.flags & kFlagCc223Patch) && cc.test(h.cc223_slot) && !cc.intersects(h.cc223_keep)) {
        cc.reset(h.cc223_slot);
        trace.cc223();
    }
    // ESRD: "set all Renal CCs to 0" (E24 538-548), also only with diagnosis rows.
    if (n > 0 && (h.flags & kFlagZeroBeforeHierarchy) && cc.intersects(h.zero_before_hierarchy)) {
        trace.zeroed(cc & h.zero_before_hierarchy);
        cc -= h.zero_before_hierarchy;
    }
    return cc;
}

// Step 2: the hierarchy. Trap (§11): each rule tests the CURRENT parent flag, in CMS file
// order, so a parent zeroed by an earlier rule no longer zeroes its own children (62+63+202
// keeps 202).
template <class Trace>
inline void apply_hierarchy(const ImageAccess& a, HccSet& cc, Trace& trace) {
    const Header& h = a.header();
    if (!cc.intersects(h.rule_parents)) return;
    const RuleRecord* rules = a.section<RuleRecord>(kSecRules);
    auto apply = [&](std::uint32_t r) {
        if constexpr (Trace::enabled) (cc & rules[r].children).for_each([&](int s) { trace.dropped(r, s); });
        cc -= rules[r].children;
    };
    if (h.flags & kFlagRulesAscending) {
        // Present parents in slot order = file order; re-test each against the current flags,
        // since an earlier rule may have zeroed it.
        const std::uint8_t* rule_of = a.section<std::uint8_t>(kSecRuleOfSlot);
        (cc & h.rule_parents).for_each([&](int s) {
            if (cc.test(s)) apply(rule_of[s]);
        });
    } else {
        for (std::uint32_t r = 0, nr = a.count(kSecRules); r < nr; ++r)
            if (cc.test(rules[r].parent_slot)) apply(r);
    }
}

// The interactions of `listed` that are 1: every term 1; a term is 1 when any member flag is 1
// (HCCs after the hierarchy; HHS-HCC: also RXCs, before grouping), or, for DISABL / NONAGED,
// when the person is disabled / under 65.
inline std::uint32_t interactions_on(const ImageAccess& a, std::uint32_t listed, const HccSet& cc,
                                     bool disabl, bool nonaged) {
    const InteractionRecord* inter = a.section<InteractionRecord>(kSecInteractions);
    const TermRecord* terms = a.section<TermRecord>(kSecTerms);
    std::uint32_t on_bits = 0;
    for (std::uint32_t bits = listed; bits; bits &= bits - 1) {
        int id = std::countr_zero(bits);
        bool on = true;
        for (int t = inter[id].first_term, e = t + inter[id].term_count; on && t < e; ++t)
            on = (terms[t].flags & kTermDisabl)    ? disabl
                 : (terms[t].flags & kTermNonAged) ? nonaged
                                                   : cc.intersects(terms[t].members);
        if (on) on_bits |= 1u << id;
    }
    return on_bits;
}

// segment: the person's own (choose_segment) when < 0, else that segment of the image's family.
template <class Trace>
inline void run(const ImageAccess& a, const Patient& p, const IcdKey* codes, std::size_t n, ScoreResult& out,
                Trace& trace, int segment = -1) {
    const Header& h = a.header();
    const Family family = a.family();
    if (family == Family::Hhs) rules::refuse_hhs(h.model_version);
    out = ScoreResult{};
    out.segment = segment < 0 ? rules::choose(family, p) : static_cast<Segment>(segment);
    const SegmentRecord& seg = a.segment(out.segment);
    const int age = p.age < 0 ? 0 : p.age;

    // Without diagnoses every HCC, interaction and count is 0 (M28 486-493).
    HccSet cc = conditions(a, p, codes, n, nullptr, trace);
    if (n > 0) apply_hierarchy(a, cc, trace);
    out.hccs = cc;
    out.payment_hcc_count = cc.count();

    // Person-level variables: the family's candidates, counted when the segment lists them.
    int ones[kMaxPersonVariables];
    const int n_ones = rules::person_variables(family, out.segment, p, age, ones);
    for (int i = 0, k = 0; i < n_ones; ++i) {
        if (!demographic_present(seg, ones[i])) continue;
        out.demographic_vars[k++] = ones[i];
        out.demographic += seg.demographic_factor[ones[i]];
    }

    // HCC factors (the NE and SNPNE lists have none).
    (cc & seg.hcc_present).for_each([&](int s) { out.disease += seg.hcc_factor[s]; });

    if (n > 0 && seg.interaction_present) {
        out.interactions =
            interactions_on(a, seg.interaction_present, cc, age < 65 && p.orec != '0', age < 65);
        for (std::uint32_t bits = out.interactions; bits; bits &= bits - 1)
            out.interaction += seg.interaction_factor[std::countr_zero(bits)];
    }

    // Count of payment HCCs after the hierarchy: D1..D9, D10P, when the segment lists it.
    int count = out.payment_hcc_count > 10 ? 10 : out.payment_hcc_count;
    if (count > 0 && ((seg.count_present >> count) & 1)) {
        out.count_variable = count;
        out.interaction += seg.count_factor[count];
    }

    out.raw = out.demographic + out.disease + out.interaction;
    // ESRD GRAFT_NE: round3((cell + add-on) / ActAdj) inside the software (E24 768-798).
    const int d = rules::graft_duration(p);
    if (d >= 0 && seg.divisor[d] > 0) {
        out.divisor = d;
        out.raw = divide_round_half_up(out.raw, seg.divisor[d]);
    }
    const Milli nf = seg.normalization[0] > 0 ? seg.normalization[0] : h.normalization_factor;
    if (nf > 0) {
        out.has_payment = true;
        out.normalization_factor = nf;
        out.normalized = normalize_score(out.raw, nf);
        out.payment = apply_ma_adjustment(out.normalized, h.ma_coding_adjustment);
    }
    if (seg.normalization[1] > 0) {
        out.has_alternative = true;
        out.normalized_alternative = normalize_score(out.raw, seg.normalization[1]);
        out.payment_alternative = apply_ma_adjustment(out.normalized_alternative, h.ma_coding_adjustment);
    }
}

}  // namespace hccraf::steps
