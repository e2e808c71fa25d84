// score() and the small public helpers around it: age on 1 February, segment choice, the
// payment-year arithmetic. The scoring steps themselves are in score_steps.hpp (shared with
// explain.cpp).
#include "scorer.hpp"

#include "demographics.hpp"
#include "errors.hpp"
#include "family_rules.hpp"
#include "score_steps.hpp"

namespace hccraf {

namespace {

bool leap(int y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

}  // namespace

int age_on_feb1(int birth_year, int birth_month, int birth_day, int payment_year) {
    static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (birth_year < 1800 || birth_year > 9999 || birth_month < 1 || birth_month > 12 || birth_day < 1 ||
        birth_day > days[birth_month - 1] + (birth_month == 2 && leap(birth_year) ? 1 : 0))
        throw InputError("invalid date of birth " + std::to_string(birth_year) + "-" +
                         std::to_string(birth_month) + "-" + std::to_string(birth_day));
    if (birth_year > payment_year)
        throw InputError("date of birth after the end of payment year " + std::to_string(payment_year),
                         "the person must be born by 31 December of the payment year");
    int age = payment_year - birth_year;
    if (birth_month > 2 || (birth_month == 2 && birth_day > 1)) --age;
    return age < 0 ? 0 : age;  // born after 1 Feb of the payment year: the SAS clamps to 0
}

void rules::refuse_hhs(const char* release) {
    throw InputError(std::string("the ") + (release ? release : "HHS-HCC") +
                         " release is an HHS-HCC (ACA) model: it has no Medicare segment",
                     "Score ACA enrollees with hccraf.hhs_score() / hhs_explain().");
}

Segment choose_segment(const Patient& p) {
    return rules::cms_hcc_segment(p);
}

Segment choose_segment(Family f, const Patient& p) {
    return rules::choose(f, p);
}

const char* count_variable_name(int k) {
    static constexpr const char* names[] = {"", "D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8", "D9", "D10P"};
    return (k >= 1 && k <= 10) ? names[k] : "";
}

std::string demographic_name(const ModelImage& image, int id) {
    return demo::name(image.family(), id);
}

const char* divisor_name(int divisor) {
    return divisor == 0 ? "ActAdj_DUR4_9" : divisor == 1 ? "ActAdj_DUR10PL" : "";
}

bool is_graft_variable(int id) {
    return demo::kind(id) == demo::Kind::Graft;
}

void score(const ModelImage& image, const Patient& p, const IcdKey* codes, std::size_t n, ScoreResult& out) {
    steps::NoTrace trace;
    steps::run(ImageAccess(image), p, codes, n, out, trace);
}

void score_in_segment(const ModelImage& image, const Patient& p, const IcdKey* codes, std::size_t n,
                      Segment segment, ScoreResult& out) {
    ImageAccess a(image);
    if (!a.has_segment(segment))
        throw InputError(std::string("segment ") + segment_name(segment) + " is not a segment of the " +
                         family_name(a.family()) + " model");
    steps::NoTrace trace;
    steps::run(a, p, codes, n, out, trace, static_cast<int>(segment));
}

HccSet conditions_before_hierarchy(const ModelImage& image, const Patient& p, const IcdKey* codes,
                                   std::size_t n, HccSet* per_code) {
    steps::NoTrace trace;
    return steps::conditions(ImageAccess(image), p, codes, n, per_code, trace);
}

Milli normalize_score(Milli raw, Milli normalization_factor) {
    if (normalization_factor <= 0) throw InputError("normalization factor must be positive");
    return divide_round_half_up(raw, normalization_factor);
}

Milli apply_ma_adjustment(Milli normalized, Milli adjustment) {
    return multiply_round_half_up(normalized, 1000 - adjustment);
}

Milli blend_scores(Milli normalized_a, Milli weight_a, Milli normalized_b, Milli weight_b) {
    // Σ weight × normalized is in millionths; one half-up rounding back to thousandths (§17).
    Milli micro = normalized_a * weight_a + normalized_b * weight_b;
    return micro >= 0 ? (micro + 500) / 1000 : -((-micro + 500) / 1000);
}

}  // namespace hccraf
