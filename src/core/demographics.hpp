// Canonical demographic variables (private to src/core).
//
// The cells are fixed by CMS's AGESEXV2 macro (same for V24 and V28), so they are code, not
// data: an id space shared by every release lets the scorer compute "which variable is 1" with
// arithmetic and read its factor from a per-segment vector. Ids:
//   0..11   F0_34 F35_44 F45_54 F55_59 F60_64 F65_69 F70_74 F75_79 F80_84 F85_89 F90_94 F95_GT
//   12..23  the same for M
//   24, 25  OriginallyDisabled_Female, OriginallyDisabled_Male
//   26, 27  LTIMCAID, ORIGDS
//   28..155 new-enrollee variables: 28 + group * 32 + (male ? 16 : 0) + ne_cell, groups
//           NMCAID_NORIGDIS, MCAID_NORIGDIS, NMCAID_ORIGDIS, MCAID_ORIGDIS; NE cells 0_34 35_44
//           45_54 55_59 60_64 65 66 67 68 69 70_74 75_79 80_84 85_89 90_94 95_GT ("NEF66").
//           The ORIGDIS groups only exist for cells 65+ in CMS's lists; the ids exist anyway.
#pragma once
#include <string>
#include <string_view>

namespace hccraf::demo {

inline constexpr int kOrigDisFemale = 24;
inline constexpr int kOrigDisMale = 25;
inline constexpr int kLtimcaid = 26;
inline constexpr int kOrigds = 27;
inline constexpr int kFirstNewEnrollee = 28;
inline constexpr int kCount = 156;

// Community / institutional age-sex cell (no age-64 recode: V28 and the V2423 V24 macro).
inline int age_sex_cell(bool male, int age) {
    static constexpr int upper[] = {34, 44, 54, 59, 64, 69, 74, 79, 84, 89, 94};
    int cell = 0;
    while (cell < 11 && age > upper[cell]) ++cell;
    return (male ? 12 : 0) + cell;
}

// New-enrollee variable. Trap (AGESEXV2 117-120, 135-138): age 64 takes the "65" cell when OREC
// is '0', the 60-64 cell otherwise (a blank OREC is not '0').
inline int new_enrollee_var(bool male, int age, char orec, bool medicaid, bool origds) {
    int cell;
    if (age == 64 && orec == '0')
        cell = 5;
    else if (age <= 34)
        cell = 0;
    else if (age <= 44)
        cell = 1;
    else if (age <= 54)
        cell = 2;
    else if (age <= 59)
        cell = 3;
    else if (age <= 64)
        cell = 4;
    else if (age <= 69)
        cell = 5 + (age - 65);
    else if (age <= 74)
        cell = 10;
    else if (age <= 79)
        cell = 11;
    else if (age <= 84)
        cell = 12;
    else if (age <= 89)
        cell = 13;
    else if (age <= 94)
        cell = 14;
    else
        cell = 15;
    int group = (medicaid ? 1 : 0) + (origds ? 2 : 0);
    return kFirstNewEnrollee + group * 32 + (male ? 16 : 0) + cell;
}

// "M65_69", "MCAID_ORIGDIS_NEF66", ...; empty for an id out of range.
std::string name(int id);
// Inverse of name(); -1 for a name that is not a canonical demographic variable.
int id(std::string_view name);

}  // namespace hccraf::demo
