// Recapture gaps: one person's diagnoses of last year ("prior") against this year's so far
// ("current") under one release, with the exact marginal value of closing each gap.
//
// A gap's value is never "HCC weight x base rate": it is the change of the whole score,
//     delta(h) = score(current + the prior codes of h) - score(current),
// computed by the scorer itself, so hierarchies (closing a gap below a current superior is worth
// nothing, above a current subordinate only the difference), interactions (DIABETES_HF_V28, ...),
// the payment-HCC count variables (D1..D10P), normalization and the MA coding adjustment (each
// rounded as CMS rounds) are all in it. The score is the payment score when the release has a
// payment role, else the raw score (e.g. V24 PY2026). Everything is exact integer thousandths.
//
// Classification (hierarchy "family" = HCCs linked by a rule of the release's hierarchy;
// "superior of x" = a rule of that HCC drops x). Per HCC h set by the prior or current codes
// (CC flags after edits and the V28 CC223 rule, before the hierarchy), in this order:
//   in current, dropped by the current hierarchy ........... superseded
//   in prior and current ...................................... recaptured
//   in current only, superior of a prior HCC .................. upgraded
//   in current only ........................................... new
//   in prior only, a current HCC is its superior .............. superseded (worth ~0)
//   in prior only, superior of a current HCC .................. downgraded (a gap: the current
//                                                               codes show a milder form)
//   in prior only, dropped by the prior hierarchy ............. superseded (its prior superior
//                                                               is the gap to close)
//   in prior only ............................................. gap
// delta is computed the same way for every row (0 when the prior has no code for h).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "fixed_point.hpp"
#include "hhs_model.hpp"
#include "icd_code.hpp"
#include "model_image.hpp"
#include "scorer.hpp"

namespace hccraf {

enum class GapStatus : std::uint8_t { Recaptured, Gap, New, Upgraded, Downgraded, Superseded };

// "recaptured", "gap", "new", "upgraded", "downgraded", "superseded".
const char* gap_status_name(GapStatus s);

// True when deltas are payment-score deltas (the release has a normalization factor), false
// when they are raw-score deltas.
bool gap_uses_payment_score(const ModelImage& image);

// The score gaps are measured on: payment score when the release has one, else raw.
Milli gap_score(const ModelImage& image, const Patient& p, const IcdKey* codes, std::size_t n);

struct GapRow {
    int hcc = 0;  // HCC number (38)
    int slot = -1;
    GapStatus status = GapStatus::Gap;
    CodeList prior_codes;    // distinct prior codes that set this CC, input order
    CodeList current_codes;  // same for the current codes
    HccSet related;          // the hierarchy relatives that decided the status
    Milli delta = 0;         // score(current + prior_codes) - score(current)
    std::string detail;      // one sentence for people
};

struct GapReport {
    Segment segment = Segment::CNA;
    bool payment = false;     // see gap_uses_payment_score
    Milli current_score = 0;  // score(current)
    Milli closed_score = 0;   // score(current + every prior code): all gaps closed
    HccSet current_hccs;      // payment HCCs after the hierarchy
    HccSet closed_hccs;
    std::vector<GapRow> rows;  // by delta descending, then HCC number
    int csr_factor = 0;        // HHS-HCC: the enrollee's CSR factor in hundredths (0 otherwise)
    Milli joint_delta() const { return closed_score - current_score; }
    Milli sum_of_single_deltas() const;  // of the rows; differs from joint_delta in general
};

// Classifies every HCC of prior and current and values each gap. Duplicated codes count once;
// codes unknown to the release set nothing. Throws only std::bad_alloc, or what the host's
// interrupt service throws (interrupts.hpp).
GapReport find_gaps(const ModelImage& image, const Patient& p, const IcdKey* prior, std::size_t n_prior,
                    const IcdKey* current, std::size_t n_current);

// HHS-HCC (hhs_model.hpp): the same classification and marginal values for an ACA enrollee. The
// score is the raw score at the enrollee's metal (hhs_score, with the same drug codes on both
// sides), so groups, RXC x HCC interactions, the severe / transplant counts and HCC_ED are in
// every delta; HCCs outside the enrollee's model (DIY table 12) set no row. Throws InputError as
// hhs_score does (a CSR indicator of another metal, ...).
GapReport find_hhs_gaps(const ModelImage& image, const Enrollee& e, const std::uint64_t* drugs,
                        std::size_t n_drugs, const IcdKey* prior, std::size_t n_prior, const IcdKey* current,
                        std::size_t n_current);

// Revenue of a score change in cents: delta (thousandths of RAF) x base rate (cents per 1.000
// RAF per year) / 1000, rounded half away from zero to the cent (so -x gives -(x)); exact.
// base_rate_cents must be in [0, kMaxBaseRateCents]; throws InputError for a base rate out of
// that range or a revenue that does not fit in 64 bits.
inline constexpr std::int64_t kMaxBaseRateCents = 100'000'000'000;  // one billion dollars
std::int64_t revenue_cents(Milli delta, std::int64_t base_rate_cents);

// "HCC38, HCC37" (ascending HCC numbers).
std::string hcc_list_text(const ModelImage& image, const HccSet& set);

}  // namespace hccraf
