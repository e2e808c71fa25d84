// What each diagnosis of a person did in a score: the HCCs it set after the edits, and for each
// whether it counts (survived the pre-hierarchy rules and the hierarchy) or which HCC's rule
// dropped it. The rows of the guide's patient_diagnosis_hcc table (score_population) come from
// here; the score is the same computation as score() (score_steps.hpp), traced.
#pragma once
#include <vector>

#include "scorer.hpp"

namespace hccraf {

struct DiagnosisOutcome {
    std::size_t code;      // index into the codes passed in
    int slot;              // HCC slot the code set (after its edits), -1 = none
    bool included;         // the HCC is in the score (segment lists it or not: see coefficient)
    int superseded_by;     // slot of the HCC whose hierarchy rule dropped it, -1 = none
    bool has_coefficient;  // the segment lists the HCC (coefficient is its factor)
    Milli coefficient;
};

// One row per (code, HCC it set); a code that sets no HCC (unknown, dropped by an edit, no payment
// HCC) gives one row with slot -1. Codes are used as given (duplicates give duplicate rows).
// Without codes, empty. out receives the score (identical to score()).
std::vector<DiagnosisOutcome> diagnosis_outcomes(const ModelImage& image, const Patient& p,
                                                 const IcdKey* codes, std::size_t n, ScoreResult& out);

}  // namespace hccraf
