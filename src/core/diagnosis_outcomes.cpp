// diagnosis_outcomes(): score_steps::run with a tracer that keeps each code's HCCs and the
// hierarchy drops (diagnosis_outcomes.hpp).
#include "diagnosis_outcomes.hpp"

#include "interrupts.hpp"
#include "score_steps.hpp"

namespace hccraf {

using namespace layout;

namespace {

struct OutcomeTrace {
    static constexpr bool enabled = true;
    std::vector<steps::CodeDecision> decisions;  // per code, in order
    int dropped_by[kMaxHccSlots];                // slot -> parent slot of the rule that dropped it
    OutcomeTrace() {
        for (int& d : dropped_by) d = -1;
    }
    const RuleRecord* rules = nullptr;
    void code(std::size_t, int, const steps::CodeDecision& d) { decisions.push_back(d); }
    void cc223() {}
    void zeroed(const HccSet&) {}
    void dropped(std::uint32_t rule, int slot) { dropped_by[slot] = rules[rule].parent_slot; }
};

}  // namespace

std::vector<DiagnosisOutcome> diagnosis_outcomes(const ModelImage& image, const Patient& p,
                                                 const IcdKey* codes, std::size_t n, ScoreResult& out) {
    ImageAccess a(image);
    OutcomeTrace trace;
    trace.rules = a.section<RuleRecord>(kSecRules);
    trace.decisions.reserve(n);
    steps::run(a, p, codes, n, out, trace);
    const SegmentRecord& seg = a.segment(out.segment);
    std::vector<DiagnosisOutcome> rows;
    rows.reserve(n + n / 8);
    for (std::size_t i = 0; i < n; ++i) {
        interrupts::poll_every(i);
        bool any = false;
        for (std::uint8_t s : trace.decisions[i].slot) {
            if (s == kNoSlot) continue;
            any = true;
            const bool listed = seg.hcc_present.test(s);
            rows.push_back({i, s, out.hccs.test(s), out.hccs.test(s) ? -1 : trace.dropped_by[s], listed,
                            listed ? seg.hcc_factor[s] : 0});
        }
        if (!any) rows.push_back({i, -1, false, -1, false, 0});
    }
    return rows;
}

}  // namespace hccraf
