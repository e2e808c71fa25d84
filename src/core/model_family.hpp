// Model families: CMS-HCC (V24, V28), RxHCC (Part D, V08) and ESRD (V24 "2023 ESRD model").
//
// A family is data (its releases' tables) plus a small, named set of rules that differ. All of a
// family's own rules live in this file and in family_rules.hpp; the steps they plug into are in
// score_steps.hpp and are the same for every family:
//
//   rule                         CMS-HCC                 RxHCC                    ESRD
//   segments (this file)         CNA .. SNPNE            CE_* / NE_* (8)          DIAL .. GRAFT_NE (11)
//   segment choice               dual, aged, INS, NE     low income, aged, LTI    status, months since
//                                                                                 transplant, NE, LTI, dual
//   person variables             age/sex, OD, LTIMCAID,  age/sex, F65OD/M65OD,    age/sex, duals, OD, OE,
//   (family_rules.hpp)           NE cell                 OD65, NE cell (ESRD)     LTI, NE cells, graft
//   add-ons HCC spelling                 HCC38                   RXHCC31                  HCC18 before the
//   hierarchy         V28: CC223 rule         -                        renal CCs 134-138 set to 0 after the
//   sum                -                       -                        GRAFT_NE: / ActAdj, round3
//   normalization                one factor              MA-PD, or PDP (basis)    dialysis 1.062, graft 1.104
//                                                                                 (per-segment factor rows)
//
// Everything else (edits, crosswalk, hierarchy in file order, interaction terms incl. DISABL and
// NONAGED, count variables, exact arithmetic) is data read by the shared steps.
//
// HHS-HCC (ACA, hhs_model.hpp) reuses the code look-up, edits and crosswalk (its conditional rows
// are split edit records), the hierarchy, interaction terms and per-segment factor vectors
// (segment = model x metal); its own rules (model by age on the last enrollment day, RXCs from
// drug codes, groups, severe / transplant counts, enrollment duration, ACF, infant cells, five
// metal scores, CSR) are all in hhs_model.cpp. Its groups and RXCs are HCC slots too.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

namespace hccraf {

enum class Family : std::uint8_t { CmsHcc = 0, RxHcc = 1, Esrd = 2, Hhs = 3 };
inline constexpr int kFamilyCount = 4;

// "CMS-HCC", "RxHCC", "ESRD", "HHS-HCC" (model_release.model_family, data/model_releases.csv).
const char* family_name(Family f);
std::optional<Family> parse_family(std::string_view name);

// Prefix of the family's HCC variables: "HCC", "RXHCC" or "HHS_HCC".
const char* hcc_prefix(Family f);

// HHS-HCC names its flags HHS_HCC019, HHS_HCC035_1 (a split HCC), G02B (a group) and RXC_06 (a
// prescription-drug category); all are slots of one HccSet, numbered in one space:
//   HHS_HCCnnn -> nnn, HHS_HCCnnn_k -> k * 1000 + nnn, Gnn[X] -> 5000 + nn * 10 + (X - 'A' + 1,
//   or 0 without a letter), RXC_nn -> 6000 + nn.
inline constexpr int kHhsGroupBase = 5000;
inline constexpr int kHhsRxcBase = 6000;
inline bool hhs_is_group(int number) {
    return number > kHhsGroupBase && number < kHhsRxcBase;
}
inline bool hhs_is_rxc(int number) {
    return number > kHhsRxcBase && number < kHhsRxcBase + 100;
}
// The number of an HCC-like name of the family ("HCC38" or "38" -> 38; "RXHCC31" -> 31;
// "HHS_HCC035_1" -> 1035, "G02B" -> 5022, "RXC_06" -> 6006); 0 when it is not one.
int parse_hcc_code(Family f, std::string_view name);

// Segments of every family, one id space; a family's segments are a contiguous range in this
// order (the image stores only its own family's range).
enum class Segment : std::uint8_t {
    // CMS-HCC
    CNA,
    CND,
    CFA,
    CFD,
    CPA,
    CPD,
    INS,
    NE,
    SNPNE,
    // RxHCC
    CE_NonLow_Aged,
    CE_NonLow_NonAged,
    CE_Low_Aged,
    CE_Low_NonAged,
    CE_LTI,
    NE_NonLow_Community,
    NE_Low_Community,
    NE_LTI,
    // ESRD
    DIAL,
    DIAL_NE,
    TRANSPLANT_1M,
    TRANSPLANT_2M,
    TRANSPLANT_3M,
    G_COMM_ND_PBD_GE65,
    G_COMM_ND_PBD_LT65,
    G_COMM_FBD_GE65,
    G_COMM_FBD_LT65,
    GRAFT_INST,
    GRAFT_NE,
    // HHS-HCC: model (adult, child, infant) x metal level, each with its own factors
    Adult_Platinum,
    Adult_Gold,
    Adult_Silver,
    Adult_Bronze,
    Adult_Catastrophic,
    Child_Platinum,
    Child_Gold,
    Child_Silver,
    Child_Bronze,
    Child_Catastrophic,
    Infant_Platinum,
    Infant_Gold,
    Infant_Silver,
    Infant_Bronze,
    Infant_Catastrophic,
};
inline constexpr int kSegmentCount = 43;

struct SegmentRange {
    int first;
    int count;
};
SegmentRange family_segments(Family f);
Family segment_family(Segment s);

const char* segment_name(Segment s);  // "CNA", "CE_Low_Aged", "G_COMM_FBD_GE65"; "?" out of range
const char* segment_description(Segment s);
// A segment of `f` by its CMS name (exact spelling).
std::optional<Segment> parse_segment(Family f, std::string_view name);
// CMS-HCC segments only (the historical API).
std::optional<Segment> parse_segment(std::string_view name);

// False for the segments whose score ignores diagnoses (new enrollees, transplant months): their
// factor lists may hold only person-level variables.
bool segment_uses_diagnoses(Segment s);

}  // namespace hccraf
