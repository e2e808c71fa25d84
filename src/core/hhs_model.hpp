// The HHS-HCC model (ACA individual and small-group markets, V08, benefit years 2025 and 2026):
// the enrollee score exactly as CMS's DIY software computes it (../shared/cms/spec/
// hhs_hcc_v08_rules.md). Everything HHS-specific lives here and in hhs_model.cpp; the steps it
// shares with the Medicare families come from score_steps.hpp: code look-up, MCE edits and the
// crosswalk (with the HHS conditional rows as split records), the hierarchy in rule order (the
// RXC hierarchy is one more rule), interaction terms as masks, factor vectors per segment
// (segment = model x metal), exact thousandths.
//
// HHS-specific, in order (spec §10): model by AGE_LAST; drug codes -> RXCs (adult); HCCs
// outside the model; RXC x HCC interactions on the flags BEFORE grouping; groups; HCC_CNT and
// the severe / transplant count variables; enrollment duration; the BY2026 PrEP ACF; the infant
// severity x maturity cell; five metal scores; the CSR factor, exact, rounded half up.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fixed_point.hpp"
#include "icd_code.hpp"
#include "model_image.hpp"
#include "scorer.hpp"

namespace hccraf {

enum class HhsModel : std::uint8_t { Adult = 0, Child = 1, Infant = 2 };
enum class Metal : std::uint8_t { Platinum = 0, Gold = 1, Silver = 2, Bronze = 3, Catastrophic = 4 };
inline constexpr int kMetalCount = 5;

const char* hhs_model_name(HhsModel m);  // "adult", "child", "infant"
const char* metal_name(Metal m);         // "platinum" .. "catastrophic"
// Case-insensitive, surrounding blanks ignored.
std::optional<Metal> parse_metal(std::string_view text);
// The segment of a model at a metal level (Adult_Silver, ...).
Segment hhs_segment(HhsModel m, Metal metal);

struct Enrollee {
    int age_last = 0;  // completed years on the last day of enrollment in the benefit year (§2)
    Sex sex = Sex::Female;
    Metal metal = Metal::Silver;
    int csr_indicator = 1;      // 1..11 (§8)
    int enrollment_days = 365;  // 1..366 (§3)
};

// Completed years on `last` for a birth on `birth` (§2): a 29 February birthday is not reached
// on 28 February. Throws InputError for an impossible date or a last day before the birth.
int age_on(int birth_year, int birth_month, int birth_day, int year, int month, int day);
// ENROLDURATION (§3): 1-31 days -> 1, ..., 336-366 -> 12. Throws InputError outside 1..366.
int enrollment_months(int days);

// Drug codes, as the image keys them: an NDC is 11 characters 0-9 A-Z (digits; CMS's RXC lists
// hold a few NDCs with a letter, e.g. 00117A52902), without hyphens (the 10-digit hyphenated
// forms are ambiguous); an HCPCS code is 5 characters 0-9 A-Z. Surrounding blanks are trimmed,
// letters upper-cased. nullopt when malformed.
std::optional<std::uint64_t> ndc_key(std::string_view ndc);
std::optional<std::uint64_t> hcpcs_key(std::string_view hcpcs);

inline constexpr int kMaxHhsVariables = 8;

struct HhsResult {
    HhsModel model = HhsModel::Adult;
    int enrollment_months = 12;
    HccSet hccs;      // HCCs after MCE edits, crosswalk and hierarchy, the model's own (infants:
                      // all), before grouping; no RXCs
    HccSet rxcs;      // RXCs after the RXC hierarchy (adults)
    HccSet groups;    // groups that are 1
    HccSet scored;    // the slots that carry factors: HCCs after grouping, groups, RXCs
    int hcc_cnt = 0;  // HCC_CNT (0 for infants)
    std::uint32_t interactions = 0;  // RXC x HCC interactions that are 1 (image ids)
    // Person-level variables that are 1 and in the model's list (demographics.hpp ids):
    // age/sex cell, severe / transplant counts, HCC_ED, ACF, maturity x severity; -1 = unused.
    int variables[kMaxHhsVariables] = {-1, -1, -1, -1, -1, -1, -1, -1};
    int severity = 0;  // infants: 1..5
    int maturity = 0;  // infants: 1 EXTREMELY_IMMATURE .. 4 TERM, 5 AGE1
    Milli score[kMetalCount] = {0, 0, 0, 0, 0};
    Milli raw = 0;                        // score at the enrollee's metal
    int csr_factor = 100;                 // hundredths (1.12 -> 112)
    std::int64_t csr_adjusted_exact = 0;  // raw x factor in 1e-5 units (exact)
    Milli csr_adjusted = 0;               // rounded half up to thousandths (§9)
};

// Scores one enrollee. codes: packed ICD keys (duplicates allowed); drugs: ndc_key / hcpcs_key
// values (duplicates and codes in no RXC allowed). Hot path: no allocation, O(#codes + #drugs x
// log #drug codes). Throws InputError for an image of another family, a CSR indicator the
// release lacks or that belongs to another metal (§8), an age below 0.
void hhs_score(const ModelImage& image, const Enrollee& e, const IcdKey* codes, std::size_t n,
               const std::uint64_t* drugs, std::size_t n_drugs, HhsResult& out);

// The same, recording every decision (which code made which CC, which MCE edit dropped a code,
// which drug code made which RXC, hierarchy, exclusions, groups) and one row per variable with
// its factor at the enrollee's metal: the coefficients add up to HhsResult::raw. Malformed and
// unknown codes are listed as "input" rows. Throws InputError for a malformed NDC or HCPCS.
std::vector<ExplainRow> hhs_explain(const ModelImage& image, const Enrollee& e,
                                    const std::vector<std::string>& dx, const std::vector<std::string>& ndc,
                                    const std::vector<std::string>& hcpcs, HhsResult& out);

// The HCCs outside a model (DIY table 12, sets EXCLUDED_*): they carry no factor there.
HccSet hhs_excluded_hccs(const ModelImage& image, HhsModel m);

// The names of the variables that are 1, in the DIY spelling: person-level variables
// (MAGE_LAST_50_54, SEVERE_HCC_COUNT2, HCC_ED4, ACF_PrEP, TERM_X_SEVERITY2, ...) and
// interactions (RXC_06_X_HCC018_019_020_021).
std::vector<std::string> hhs_variable_names(const ModelImage& image, const HhsResult& r);

// "5.67392": the exact CSR-adjusted score with five decimals.
std::string format_hundred_thousandths(std::int64_t value);

}  // namespace hccraf
