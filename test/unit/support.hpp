// Shared helpers for the unit tests: images compiled from data/ (cached per release), a small
// synthetic release for rule mechanics, and one-line scoring helpers.
#pragma once
#include <initializer_list>
#include <set>
#include <string>
#include <vector>

#include "model_image.hpp"
#include "release_data.hpp"
#include "scorer.hpp"

namespace hccraf::test {

// The image of a release shipped in data/ (compiled once per test binary run).
const ModelImage& release_image(const std::string& model, int payment_year);

// An owned, compiled image (for synthetic releases).
struct OwnedImage {
    std::vector<std::byte> bytes;
    ModelImage view;
    explicit OwnedImage(const ReleaseData& data);
};

// A small made-up release (model_version "V28", so the CC223 patch is on) whose numbers make
// hand computation trivial; documented in synthetic.cpp.
ReleaseData synthetic_release();

Patient person(int age, Sex sex, char orec = '0', Dual dual = Dual::Non);

// Scores codes given as user strings (malformed ones are skipped, as the SQL layer does).
ScoreResult score_codes(const ModelImage& image, const Patient& p,
                        std::initializer_list<const char*> codes);

// {38, 226, 329}
std::set<int> hcc_numbers(const ModelImage& image, const HccSet& set);
// Names of the demographic variables / interactions (+ count variable) set in a result.
std::set<std::string> demographic_names(const ModelImage& image, const ScoreResult& r);
std::set<std::string> interaction_names(const ModelImage& image, const ScoreResult& r);

// "1.273" -> 1273 (test readability).
Milli m(const char* text);

}  // namespace hccraf::test
