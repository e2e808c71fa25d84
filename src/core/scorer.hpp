// The score of one person for one release of any model family (CMS-HCC, RxHCC, ESRD), exactly as
// CMS's SAS software computes it (specs: ../shared/cms/spec/v28_rules.md, v24_rules.md,
// rxhcc_v08_rules.md, esrd_v24_rules.md), plus the payment-year steps (normalization, rounding,
// MA coding adjustment, V24/V28 blend). Where a family's own rules live: model_family.hpp.
//
// score() is the hot path: no allocation, O(#codes) (one hash probe per code). It throws only
// when the host's interrupt service abandons a long call (interrupts.hpp).
// explain() is the slow path that records every decision as rows.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fixed_point.hpp"
#include "icd_code.hpp"
#include "model_image.hpp"

namespace hccraf {

enum class Sex : std::uint8_t { Male = 1, Female = 2 };
// The most person-level variables one person can have (every candidate of family_rules.hpp).
inline constexpr int kMaxPersonVariables = 12;
enum class Dual : std::uint8_t { Non, Full, Partial };
// ESRD model status: dialysis, or a kidney transplant (transplant months 1-3, then functioning
// graft). None = not given (the ESRD model then refuses the person).
enum class EsrdStatus : std::uint8_t { None, Dialysis, Graft };

struct Patient {
    int age = 0;  // completed years on 1 February of the payment year (>= 0)
    Sex sex = Sex::Female;
    char orec = '0';  // '0'..'3', or ' ' for a blank/NULL OREC (treated as the SAS treats
                      // a blank character: not '0' and not '1')
    Dual dual = Dual::Non;
    bool institutional = false;
    bool new_enrollee = false;
    bool snp_new_enrollee = false;
    bool low_income = false;                    // RxHCC: low-income subsidy (LIS)
    bool esrd = false;                          // RxHCC: in ESRD status (new-enrollee cells only)
    EsrdStatus esrd_status = EsrdStatus::None;  // ESRD model
    int months_since_transplant = 0;            // ESRD graft: the transplant month is 1; 0 = not given
};

// Completed years on 1 February of payment_year, as the SAS computes AGEF (v28_rules.md §4):
// payment_year - birth_year, minus 1 when the birthday (month, day) falls after 1 February (a
// 29 February birthday counts as after 1 February). A birth after 1 February of the payment year
// gives -1, which the SAS clamps to 0. Throws InputError for an impossible date or a birth
// after the end of the payment year.
int age_on_feb1(int birth_year, int birth_month, int birth_day, int payment_year);

// CMS-HCC: SNPNE if snp_new_enrollee; else NE if new_enrollee; else INS if institutional; else
// C + F/P/N + A (age >= 65) / D.
Segment choose_segment(const Patient& p);
// The segment of any family (rules: family_rules.hpp). Throws InputError when the person lacks
// what the family needs (ESRD: the status; a graft: the months since the transplant).
Segment choose_segment(Family f, const Patient& p);

struct ScoreResult {
    Segment segment = Segment::CNA;
    HccSet hccs;                     // payment HCCs after edits, CC223 patch, hierarchy
    int payment_hcc_count = 0;       // popcount of hccs (persons without codes: 0)
    std::uint32_t interactions = 0;  // bit i = interaction i is 1 AND in the segment's list
    int count_variable = 0;          // k in 1..9 -> Dk, 10 -> D10P; 0 = none or not in list
    // ids for demographic_name(), -1 = unused: the person-level variables that are 1 and in the
    // segment's list (age/sex or NE cell, OriginallyDisabled_*, LTIMCAID, ORIGDS, ESRD duals and
    // graft add-ons, ...).
    int demographic_vars[kMaxPersonVariables] = {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1};
    Milli demographic = 0;           // their factors (ESRD graft add-ons included)
    Milli disease = 0;               // HCC factors (0 for NE/SNPNE)
    Milli interaction = 0;           // interactions and the count variable
    int divisor = -1;                // ESRD GRAFT_NE: 0 = ActAdj_DUR4_9, 1 = ActAdj_DUR10PL applied
    Milli raw = 0;                   // demographic + disease + interaction (GRAFT_NE: / ActAdj, round3)
    bool has_payment = false;        // false when the release has no normalization factor
    Milli normalization_factor = 0;  // the segment's factor used for `normalized`
    Milli normalized = 0;            // round3(raw / normalization_factor)
    Milli payment = 0;               // round3(normalized * (1 - ma_coding_adjustment))
    bool has_alternative = false;    // the release has an alternative basis (RxHCC: PDP)
    Milli normalized_alternative = 0;
    Milli payment_alternative = 0;
};

// "D1".."D9" for 1..9, "D10P" for 10 (ScoreResult::count_variable); "" otherwise.
const char* count_variable_name(int k);

// Person-level variable names in the image family's spelling ("M65_69",
// "OriginallyDisabled_Female", "MCAID_ORIGDIS_NEF66", "OD65", "FGC_GE65_DUR4_9_FBD", ...) for the
// ids in ScoreResult::demographic_vars; "ActAdj_DUR4_9" / "ActAdj_DUR10PL" for divisor_name().
std::string demographic_name(const ModelImage& image, int id);
const char* divisor_name(int divisor);
// True for ESRD graft add-ons and transplant-month factors (the golden files' graft_vars).
bool is_graft_variable(int id);

// Scores one person. codes: packed keys; duplicates allowed (counted once).
void score(const ModelImage& image, const Patient& p, const IcdKey* codes, std::size_t n, ScoreResult& out);
// The same in a given segment of the image's family instead of the person's own (risk profiles:
// the person's variables read through that segment's lists). Throws InputError for a segment of
// another family.
void score_in_segment(const ModelImage& image, const Patient& p, const IcdKey* codes, std::size_t n,
                      Segment segment, ScoreResult& out);

// The CC flags that score() hands to the hierarchy for these codes and this person: edits,
// crosswalk, then the V28 CC223 rule (empty for n == 0, as in score()). When per_code is not
// null it receives, for each of the n codes, the flags that code sets on its own after the edits
// (before the CC223 rule). Used by the gap finder (gaps.hpp); no allocation.
HccSet conditions_before_hierarchy(const ModelImage& image, const Patient& p, const IcdKey* codes,
                                   std::size_t n, HccSet* per_code = nullptr);

// Payment-year arithmetic (v28_rules.md §16-§17), all exact, half-up.
Milli normalize_score(Milli raw, Milli normalization_factor);   // round3(raw / nf)
Milli apply_ma_adjustment(Milli normalized, Milli adjustment);  // round3(n * (1 - adj))
Milli blend_scores(Milli normalized_a, Milli weight_a, Milli normalized_b, Milli weight_b);

// One row of an explanation. coefficient is set for rows that add to the raw score; the sum
// of all coefficients equals ScoreResult::raw.
struct ExplainRow {
    std::string step;    // input, demographic, diagnosis, edit, cc223, hierarchy, hcc,
                         // interaction, count, raw, normalization, ma_adjustment, blend
    std::string item;    // e.g. "E11.9", "HCC38", "DIABETES_HF_V28", "D3", "M65_69"
    std::string detail;  // human-readable reason
    std::optional<Milli> coefficient;
};

// The explanation's "input" rows for the user's codes, appended to rows in the user's order
// (malformed: ignored; a repeat: counted once), and the distinct well-formed keys to score, in
// first-seen order. O(n log n), interruptible. Shared by explain() and hhs_explain().
std::vector<IcdKey> explain_inputs(const std::vector<std::string>& raw_codes, std::vector<ExplainRow>& rows);

// Same computation as score(), recording every decision. raw_codes are the user's strings;
// malformed codes and codes unknown to the crosswalk are listed with step "input".
std::vector<ExplainRow> explain(const ModelImage& image, const Patient& p,
                                const std::vector<std::string>& raw_codes, ScoreResult& out);

}  // namespace hccraf
