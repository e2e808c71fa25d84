// Canonical person-level variables (private to src/core).
//
// The cells are fixed by CMS's demographic macros (AGESEXV2 for CMS-HCC and ESRD, AGESEXV4 for
// RxHCC), so they are code, not data: one id space shared by every release lets the scorer
// compute "which variable is 1" with arithmetic and read its factor from a per-segment vector.
// Some ids mean the same thing in several families under a family's own CMS spelling
// (name(family, id)); an id with no spelling in a family does not exist there.
//   0..11    F0_34 F35_44 F45_54 F55_59 F60_64 F65_69 F70_74 F75_79 F80_84 F85_89 F90_94 F95_GT
//   12..23   the same for M                                                   (every family)
//   24, 25   originally disabled, female / male: OriginallyDisabled_Female/_Male (CMS-HCC, ESRD),
//            F65OD / M65OD (RxHCC)
//   26       LTIMCAID (CMS-HCC)
//   27       originally disabled (institutional): ORIGDS (CMS-HCC), OD65 (RxHCC), ORIGDIS (ESRD)
//   28..155  new-enrollee cells: 28 + group * 32 + (male ? 16 : 0) + ne_cell, group = bit0 + 2 *
//            originally disabled, NE cells 0_34 35_44 45_54 55_59 60_64 65 66 67 68 69 70_74 75_79
//            80_84 85_89 90_94 95_GT. bit0 = Medicaid (CMS-HCC "MCAID_NORIGDIS_NEF66"), ESRD
//            status (RxHCC "ESRD_NORIGDIS_X_F66"), full dual (ESRD graft "FBD_NORIGDIS_G_NEF66").
//   156..163 ESRD FBDual_/PBDual_{Female,Male}_{Aged,NonAged}: 156 + (partial ? 4 : 0) +
//            (male ? 2 : 0) + (non-aged ? 1 : 0)
//   164, 165 ESRD Originally_ESRD_Female / _Male
//   166, 167 ESRD LTI_Aged / LTI_NonAged
//   168..247 ESRD dialysis new-enrollee cells: 168 + group * 20 + (male ? 10 : 0) + cell, cells
//            0_34 35_44 45_54 55_59 60_64 65_69 70_74 75_79 80_84 85_GT ("ND_PBD_ORIGDIS_NEM45_54")
//   248..272 ESRD add-ons (kind graft): FGC_{GE65,LT65}_{DUR4_9,DUR10PL}_{ND_PBD,FBD} (248 +
//            lt65 * 4 + dur10pl * 2 + fbd), FGC_PBD_{GE65,LT65}_flag (256, 257), FGI_ the same
//            (258..267), LTI_GE65 / LTI_LT65 (268, 269), TRANSPLANT_KIDNEY_ONLY_1M..3M (270..272)
//   273..351 HHS-HCC (hhs_rules.hpp; kinds in factors.csv: demographic, count, duration, acf,
//            maturity): MAGE_LAST_/FAGE_LAST_ 21_24 .. 60_GT (273 + male * 9 + cell), child
//            2_4 5_9 10_14 15_20 (291 + male * 4 + cell), AGE0_MALE, AGE1_MALE (299, 300),
//            SEVERE_HCC_COUNT1..9 (301..309), _10PLUS, _6_7, _8PLUS (310..312),
//            TRANSPLANT_HCC_COUNT4..7 (313..316), _8PLUS, _4PLUS (317, 318), HCC_ED1..6
//            (319..324), ACF_PrEP, ACF_PrEP_Child (325, 326), <MATURITY>_X_SEVERITY<n> (327 +
//            (maturity - 1) * 5 + n - 1; maturity 1 EXTREMELY_IMMATURE .. 4 TERM, 5 AGE1)
#pragma once
#include <string>
#include <string_view>

#include "model_family.hpp"

namespace hccraf::demo {

inline constexpr int kOrigDisFemale = 24;
inline constexpr int kOrigDisMale = 25;
inline constexpr int kLtimcaid = 26;
inline constexpr int kOrigds = 27;
inline constexpr int kFirstNewEnrollee = 28;
inline constexpr int kFirstDual = 156;
inline constexpr int kOrigEsrdFemale = 164;
inline constexpr int kOrigEsrdMale = 165;
inline constexpr int kLtiAged = 166;
inline constexpr int kLtiNonAged = 167;
inline constexpr int kFirstDialysisNe = 168;
inline constexpr int kFirstGraft = 248;
inline constexpr int kFgcPbdFlag = 256;  // + lt65
inline constexpr int kFirstFgi = 258;
inline constexpr int kFgiPbdFlag = 266;    // + lt65
inline constexpr int kLtiGraft = 268;      // + lt65
inline constexpr int kTransplant = 270;    // + month - 1
inline constexpr int kHhsAdultCell = 273;  // + male * 9 + cell
inline constexpr int kHhsChildCell = 291;  // + male * 4 + cell
inline constexpr int kHhsAge0Male = 299;
inline constexpr int kHhsAge1Male = 300;
inline constexpr int kHhsSevere = 301;  // + count - 1, count 1..9
inline constexpr int kHhsSevere10Plus = 310;
inline constexpr int kHhsSevere6To7 = 311;
inline constexpr int kHhsSevere8Plus = 312;
inline constexpr int kHhsTransplant = 313;  // + count - 4, count 4..7
inline constexpr int kHhsTransplant8Plus = 317;
inline constexpr int kHhsTransplant4Plus = 318;
inline constexpr int kHhsEnrollmentDuration = 319;  // + months - 1, months 1..6
inline constexpr int kHhsAcfAdult = 325;
inline constexpr int kHhsAcfChild = 326;
inline constexpr int kHhsMaturity = 327;  // + (maturity - 1) * 5 + severity - 1
inline constexpr int kCount = 352;

// The kind a factor row gives its variable (factors.csv `kind`).
enum class Kind { Demographic, NewEnrollee, Graft, Count, Duration, Acf, Maturity };
inline Kind kind(int id) {
    if ((id >= kFirstNewEnrollee && id < kFirstDual) || (id >= kFirstDialysisNe && id < kFirstGraft))
        return Kind::NewEnrollee;
    if (id < kFirstGraft) return Kind::Demographic;
    if (id < kHhsAdultCell) return Kind::Graft;
    if (id < kHhsSevere) return Kind::Demographic;
    if (id < kHhsEnrollmentDuration) return Kind::Count;
    if (id < kHhsAcfAdult) return Kind::Duration;
    return id < kHhsMaturity ? Kind::Acf : Kind::Maturity;
}

// Community / institutional age-sex cell (no age-64 recode: V28, the V2423 V24 macro, V08, E24).
inline int age_sex_cell(bool male, int age) {
    static constexpr int upper[] = {34, 44, 54, 59, 64, 69, 74, 79, 84, 89, 94};
    int cell = 0;
    while (cell < 11 && age > upper[cell]) ++cell;
    return (male ? 12 : 0) + cell;
}

// The NE age cell (0..15). Trap (AGESEXV2 117-120, 135-138; AGESEXV4 119-120, 137-138): age 64
// takes the "65" cell when OREC is '0', the 60-64 cell otherwise (a blank OREC is not '0').
inline int ne_cell(int age, char orec) {
    if (age == 64 && orec == '0') return 5;
    static constexpr int upper[] = {34, 44, 54, 59, 64, 65, 66, 67, 68, 69, 74, 79, 84, 89, 94};
    int cell = 0;
    while (cell < 15 && age > upper[cell]) ++cell;
    return cell;
}

// New-enrollee variable (ids 28..155); bit0 as described above.
inline int new_enrollee_var(bool male, int age, char orec, bool bit0, bool origds) {
    int group = (bit0 ? 1 : 0) + (origds ? 2 : 0);
    return kFirstNewEnrollee + group * 32 + (male ? 16 : 0) + ne_cell(age, orec);
}

// ESRD dialysis new-enrollee variable (E24 480-536): ten cells, 65-69 and 85+ grouped, the same
// age-64 / OREC '0' rule.
inline int dialysis_ne_var(bool male, int age, char orec, bool full_dual, bool origdis) {
    int cell;
    if (age == 64 && orec == '0') {
        cell = 5;
    } else {
        static constexpr int upper[] = {34, 44, 54, 59, 64, 69, 74, 79, 84};
        cell = 0;
        while (cell < 9 && age > upper[cell]) ++cell;
    }
    int group = (full_dual ? 1 : 0) + (origdis ? 2 : 0);
    return kFirstDialysisNe + group * 20 + (male ? 10 : 0) + cell;
}

// The family's spelling of id ("M65_69", "MCAID_ORIGDIS_NEF66", "OD65", "FGC_GE65_DUR4_9_FBD");
// empty when the id does not exist in the family or is out of range.
std::string name(Family f, int id);
// Inverse of name(f, .); -1 for a name that is not one of the family's variables.
int id(Family f, std::string_view name);

// CMS-HCC spellings (the historical API).
inline std::string name(int id) {
    return name(Family::CmsHcc, id);
}
inline int id(std::string_view n) {
    return id(Family::CmsHcc, n);
}

}  // namespace hccraf::demo
