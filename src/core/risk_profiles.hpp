// Risk profiles: one person scored in every segment of a model (what public HCC APIs call the
// "risk profiles" of a patient), the chosen segment flagged. Each segment reads the same person
// variables and HCCs through its own factor lists (score_in_segment), so the chosen row is
// exactly score(); the other rows show what a change of status (dual, institutional, new
// enrollee, ...) would pay, as far as the person's own variables exist in that segment's list.
#pragma once
#include <string>
#include <vector>

#include "scorer.hpp"

namespace hccraf {

struct ProfileItem {
    std::string name;  // "F70_74", "HCC38", "DIABETES_HF_V28", "D3", "ActAdj_DUR4_9"
    Milli coefficient;
};

struct RiskProfile {
    Segment segment;
    bool chosen;  // the person's own segment (never true when the person cannot be placed)
    std::vector<ProfileItem> person;        // person-level variables, add-ons, the divisor's effect
    std::vector<ProfileItem> hccs;          // HCCs after the hierarchy that the segment lists
    std::vector<ProfileItem> interactions;  // interactions and count variable in the list
    ScoreResult result;                     // the coefficients above sum to result.raw
};

// Every segment of the image's family, in the family's order. The chosen flag is false on every
// row when the family cannot place the person (ESRD without a status): the rows are still given.
std::vector<RiskProfile> risk_profiles(const ModelImage& image, const Patient& p, const IcdKey* codes,
                                       std::size_t n);

}  // namespace hccraf
