// Properties of an ACCEPTED ModelImage, shared by fuzz_images (validated arbitrary bytes),
// fuzz_compiler (compile_image output) and fuzz_scorer (the real releases). All checks use
// FUZZ_CHECK; nothing here may throw (score(), explain() and find_gaps() must not throw on an
// image the validator accepted, whatever it contains).
#pragma once
#include <algorithm>
#include <bit>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "demographics.hpp"
#include "errors.hpp"
#include "fixed_point.hpp"
#include "fuzz_bytes.hpp"
#include "gaps.hpp"
#include "hhs_model.hpp"
#include "icd_code.hpp"
#include "image_layout.hpp"
#include "model_image.hpp"
#include "risk_profiles.hpp"
#include "scorer.hpp"

namespace hccraf::fuzz {

inline constexpr IcdKey kKeyLimit = layout::kKeyLimit;

// The image's own sorted code keys (through the core's private layout: ModelImage has no
// accessor for them, and codes from the image are what make scoring reach edits and hierarchy).
inline std::vector<IcdKey> image_keys(const ModelImage& image) {
    ImageAccess a(image);
    const IcdKey* keys = a.section<IcdKey>(layout::kSecCodeKeys);
    return std::vector<IcdKey>(keys, keys + a.count(layout::kSecCodeKeys));
}

// Up to `want` keys spread over the table, starting at an offset chosen by `salt`.
inline std::vector<IcdKey> sample_keys(const std::vector<IcdKey>& keys, std::size_t want,
                                       std::uint64_t salt) {
    std::vector<IcdKey> out;
    if (keys.empty()) return out;
    const std::size_t step = keys.size() / want + 1;
    for (std::size_t i = salt % step; i < keys.size() && out.size() < want; i += step) out.push_back(keys[i]);
    return out;
}

// One person per segment of family f (the family's segments in Segment enum order), the rest of
// the demographics varied by salt. Each person is checked to be placed in its segment.
inline std::vector<Patient> persons_for_family(Family f, std::uint64_t salt) {
    static constexpr int kAges[] = {0, 17, 34, 45, 59, 64, 65, 66, 69, 70, 84, 95, 130};
    static constexpr char kOrec[] = {'0', '1', '2', '3', ' '};
    const SegmentRange range = family_segments(f);
    std::vector<Patient> out;
    for (int i = 0; i < range.count; ++i) {
        const int s = range.first + i;
        std::uint64_t r = salt >> (i * 3) ^ (salt * 0x9E3779B97F4A7C15ull >> (64 - 8 - i));
        Patient p;
        p.sex = (r & 1) ? Sex::Male : Sex::Female;
        p.orec = kOrec[(r >> 1) % 5];
        int age = kAges[(r >> 4) % 13];
        const Segment seg = static_cast<Segment>(s);
        p.dual = static_cast<Dual>((r >> 8) % 3);
        p.esrd = (r >> 12) & 1;
        p.low_income = (r >> 13) & 1;
        bool aged = age >= 65;
        auto set_aged = [&](bool want) {
            if (want && age < 65) age = 65 + age % 66;
            if (!want && age >= 65) age = age % 65;
            aged = want;
        };
        switch (seg) {
            // ---- CMS-HCC
            case Segment::CNA: case Segment::CFA: case Segment::CPA: set_aged(true); break;
            case Segment::CND: case Segment::CFD: case Segment::CPD: set_aged(false); break;
            // ---- RxHCC
            case Segment::CE_NonLow_Aged: case Segment::CE_Low_Aged: set_aged(true); break;
            case Segment::CE_NonLow_NonAged: case Segment::CE_Low_NonAged: set_aged(false); break;
            default: break;
        }
        (void)aged;
        p.age = age;
        if (f == Family::CmsHcc) {
            p.dual = (seg == Segment::CFA || seg == Segment::CFD)   ? Dual::Full
                     : (seg == Segment::CPA || seg == Segment::CPD) ? Dual::Partial
                     : (seg == Segment::CNA || seg == Segment::CND)
                         ? Dual::Non
                         : static_cast<Dual>((r >> 8) % 3);  // INS, NE, SNPNE: any dual status
            p.institutional =
                seg == Segment::INS || ((seg == Segment::NE || seg == Segment::SNPNE) && (r >> 10) & 1);
            p.new_enrollee = seg == Segment::NE || (seg == Segment::SNPNE && (r >> 11) & 1);
            p.snp_new_enrollee = seg == Segment::SNPNE;
        } else if (f == Family::RxHcc) {
            const bool ne = seg >= Segment::NE_NonLow_Community;
            if (ne) {
                p.new_enrollee = (r >> 11) & 1;
                p.snp_new_enrollee = !p.new_enrollee || ((r >> 14) & 1);
            }
            p.institutional = seg == Segment::CE_LTI || seg == Segment::NE_LTI;
            if (seg == Segment::CE_Low_Aged || seg == Segment::CE_Low_NonAged || seg == Segment::NE_Low_Community)
                p.low_income = true;
            if (seg == Segment::CE_NonLow_Aged || seg == Segment::CE_NonLow_NonAged ||
                seg == Segment::NE_NonLow_Community)
                p.low_income = false;
        } else {  // ESRD
            const int months_after_3 = 4 + static_cast<int>((r >> 16) % 40);  // 4..43
            p.institutional = (r >> 10) & 1;
            switch (seg) {
                case Segment::DIAL:
                case Segment::DIAL_NE:
                    p.esrd_status = EsrdStatus::Dialysis;
                    p.months_since_transplant = 0;
                    p.new_enrollee = seg == Segment::DIAL_NE && (r >> 11) & 1;
                    p.snp_new_enrollee = seg == Segment::DIAL_NE && !p.new_enrollee;
                    break;
                case Segment::TRANSPLANT_1M:
                case Segment::TRANSPLANT_2M:
                case Segment::TRANSPLANT_3M:
                    p.esrd_status = EsrdStatus::Graft;
                    p.months_since_transplant = 1 + (s - static_cast<int>(Segment::TRANSPLANT_1M));
                    p.new_enrollee = (r >> 11) & 1;
                    break;
                case Segment::GRAFT_NE:
                    p.esrd_status = EsrdStatus::Graft;
                    p.months_since_transplant = months_after_3;
                    p.new_enrollee = (r >> 11) & 1;
                    p.snp_new_enrollee = !p.new_enrollee;
                    break;
                case Segment::GRAFT_INST:
                    p.esrd_status = EsrdStatus::Graft;
                    p.months_since_transplant = months_after_3;
                    p.institutional = true;
                    break;
                default: {  // G_COMM_*
                    p.esrd_status = EsrdStatus::Graft;
                    p.months_since_transplant = months_after_3;
                    p.institutional = false;
                    const bool fbd = seg == Segment::G_COMM_FBD_GE65 || seg == Segment::G_COMM_FBD_LT65;
                    const bool ge65 = seg == Segment::G_COMM_ND_PBD_GE65 || seg == Segment::G_COMM_FBD_GE65;
                    if (fbd) p.dual = Dual::Full;
                    else if (p.dual == Dual::Full) p.dual = Dual::Partial;
                    if (ge65 && p.age < 65) p.age = 65 + p.age % 66;
                    if (!ge65 && p.age >= 65) p.age = p.age % 65;
                    break;
                }
            }
        }
        FUZZ_CHECK(choose_segment(f, p) == seg);
        if (f == Family::CmsHcc) FUZZ_CHECK(choose_segment(p) == seg);
        out.push_back(p);
    }
    return out;
}

// The CMS-HCC persons (the historical helper).
inline std::vector<Patient> persons_for_every_segment(std::uint64_t salt) {
    return persons_for_family(Family::CmsHcc, salt);
}

inline bool same_result(const ScoreResult& a, const ScoreResult& b) {
    return a.segment == b.segment && a.hccs == b.hccs && a.payment_hcc_count == b.payment_hcc_count &&
           a.interactions == b.interactions && a.count_variable == b.count_variable &&
           std::equal(a.demographic_vars, a.demographic_vars + kMaxPersonVariables, b.demographic_vars) &&
           a.demographic == b.demographic && a.disease == b.disease && a.interaction == b.interaction &&
           a.divisor == b.divisor && a.raw == b.raw && a.has_payment == b.has_payment &&
           a.normalization_factor == b.normalization_factor && a.normalized == b.normalized &&
           a.payment == b.payment && a.has_alternative == b.has_alternative &&
           a.normalized_alternative == b.normalized_alternative &&
           a.payment_alternative == b.payment_alternative;
}

// What the scorer assumes of an accepted image without checking it again (image_layout.hpp):
// the rule index names, for every hierarchy parent, that parent's rule (score_steps.hpp indexes
// the rules with it), and kFlagRulesAscending is only set when the parents really ascend (the
// scorer then visits rules in slot order instead of file order).
inline void check_scorer_assumptions(const ModelImage& image) {
    ImageAccess a(image);
    const auto* rules = a.section<layout::RuleRecord>(layout::kSecRules);
    const auto* rule_of = a.section<std::uint8_t>(layout::kSecRuleOfSlot);
    for (std::uint32_t r = 0; r < a.count(layout::kSecRules); ++r) {
        FUZZ_CHECK(rule_of[rules[r].parent_slot] == r);
        if ((a.header().flags & layout::kFlagRulesAscending) && r > 0)
            FUZZ_CHECK(rules[r - 1].parent_slot < rules[r].parent_slot);
    }
}

inline void check_accessors(const ModelImage& image) {
    check_scorer_assumptions(image);
    const int slots = image.hcc_slot_count();
    FUZZ_CHECK(slots >= 1 && slots <= kMaxHccSlots);
    for (int s = 0; s < slots; ++s) {
        const int n = image.hcc_number(s);
        FUZZ_CHECK(n > (s ? image.hcc_number(s - 1) : -1));
        FUZZ_CHECK(image.hcc_slot(n) == s);
        std::string label(image.hcc_label(s));  // reads the whole label (ASan checks the pool)
        (void)label;
    }
    FUZZ_CHECK(image.hcc_number(-1) == -1 && image.hcc_number(slots) == -1);
    FUZZ_CHECK(image.hcc_label(-1).empty() && image.hcc_label(slots).empty());
    for (int n : {-2147483647 - 1, -1, 0, 1, 255, 9999, 10000, 65535, 65536, 2147483647}) {
        const int s = image.hcc_slot(n);
        FUZZ_CHECK(s == -1 || (s < slots && image.hcc_number(s) == n));
    }
    for (int id = -1; id <= image.interaction_count(); ++id) {
        std::string name(image.interaction_name(id));
        FUZZ_CHECK(id >= 0 && id < image.interaction_count() ? true : name.empty());
    }
    FUZZ_CHECK(image.interaction_count() <= 32);
    const std::vector<IcdKey> keys = image_keys(image);
    FUZZ_CHECK(keys.size() == image.code_count());
    for (std::size_t i = 0; i < keys.size(); ++i) {
        FUZZ_CHECK(keys[i] < kKeyLimit && (i == 0 || keys[i - 1] < keys[i]));
        int hccs[2];
        const int n = image.map_code(keys[i], hccs);
        FUZZ_CHECK(n >= 0 && n <= 2);
        for (int j = 0; j < n; ++j) FUZZ_CHECK(image.hcc_slot(hccs[j]) >= 0);
        if (n == 2) FUZZ_CHECK(hccs[0] < hccs[1]);
    }
    for (std::size_t i = 0; i < keys.size(); ++i) {
        // map_code_any: ascending, distinct payment HCCs, a superset of map_code's.
        int any[ModelImage::kMaxMappedCcs], two[2];
        const int n = image.map_code_any(keys[i], any), n2 = image.map_code(keys[i], two);
        FUZZ_CHECK(n >= 0 && n <= ModelImage::kMaxMappedCcs && n >= n2);
        for (int j = 0; j < n; ++j) FUZZ_CHECK(image.hcc_slot(any[j]) >= 0 && (j == 0 || any[j - 1] < any[j]));
        for (int j = 0; j < n2; ++j) FUZZ_CHECK(std::find(any, any + n, two[j]) != any + n);
    }
    int none[2], none_any[ModelImage::kMaxMappedCcs];
    FUZZ_CHECK(image.map_code(0, none) == 0 && image.map_code(~IcdKey{0}, none) == 0);
    FUZZ_CHECK(image.map_code_any(0, none_any) == 0 && image.map_code_any(~IcdKey{0}, none_any) == 0);
    (void)image.has_cc223_patch();
    (void)image.model_version().size();
    (void)image.alternative_basis().size();
    // Per-segment accessors only for the image's own family (the image stores only its range).
    ImageAccess acc(image);
    const SegmentRange range = family_segments(image.family());
    FUZZ_CHECK(range.count > 0 && range.first + range.count <= kSegmentCount);
    for (int s = 0; s < kSegmentCount; ++s) {
        const Segment seg = static_cast<Segment>(s);
        const bool own = s >= range.first && s < range.first + range.count;
        FUZZ_CHECK(acc.has_segment(seg) == own);
        FUZZ_CHECK((segment_family(seg) == image.family()) == own);
        if (!own) continue;
        FUZZ_CHECK(image.segment_normalization_factor(seg) >= 0 &&
                   image.segment_normalization_factor(seg, true) >= 0);
        (void)acc.segment(seg).count_present;
    }
    for (int s = 0; s < slots; ++s) (void)image.hcc_name(s).size();
    FUZZ_CHECK(image.normalization_factor() >= 0 && image.ma_coding_adjustment() >= 0 &&
               image.ma_coding_adjustment() < 1000 && image.blend_weight() >= 0 &&
               image.blend_weight() <= 1000);
}

struct PersonCheckOptions {
    bool nonnegative_factors = false;  // compiled images: every coefficient is >= 0
    bool canonical_keys = false;       // compiled images: every table key is a well-formed code
};

// The segment the image's family places p in; nullopt when choose_segment refuses the person
// (InputError: only the ESRD model does, fuzz_patient checks when).
inline std::optional<Segment> own_segment(const ModelImage& image, const Patient& p) {
    try {
        return choose_segment(image.family(), p);
    } catch (const InputError&) {
        FUZZ_CHECK(image.family() == Family::Esrd);
        return std::nullopt;
    }
}

template <class F>
inline bool throws_input_error(F&& f) {
    try {
        f();
    } catch (const InputError&) {
        return true;
    }
    return false;
}

// risk_profiles (risk_profiles.hpp): one row per segment of the family in order, each row equal
// to score_in_segment, its itemized coefficients summing to its raw score; exactly the person's
// own segment flagged chosen (none when the family refuses the person), and that row equal to
// score().
inline void check_risk_profiles(const ModelImage& image, const Patient& p, const std::vector<IcdKey>& codes,
                                const std::optional<Segment>& own, const ScoreResult* scored) {
    const SegmentRange range = family_segments(image.family());
    const std::vector<RiskProfile> rows = risk_profiles(image, p, codes.data(), codes.size());
    FUZZ_CHECK(static_cast<int>(rows.size()) == range.count);
    int chosen = 0;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const RiskProfile& row = rows[i];
        FUZZ_CHECK(static_cast<int>(row.segment) == range.first + static_cast<int>(i));
        FUZZ_CHECK(row.result.segment == row.segment);
        Milli sum = 0;
        for (const auto* items : {&row.person, &row.hccs, &row.interactions})
            for (const ProfileItem& item : *items) {
                FUZZ_CHECK(!item.name.empty());
                sum += item.coefficient;
            }
        FUZZ_CHECK(sum == row.result.raw);
        ScoreResult direct;
        score_in_segment(image, p, codes.data(), codes.size(), row.segment, direct);
        FUZZ_CHECK(same_result(direct, row.result));
        FUZZ_CHECK(row.chosen == (own && *own == row.segment));
        if (row.chosen) {
            ++chosen;
            FUZZ_CHECK(scored && same_result(*scored, row.result));
        }
    }
    FUZZ_CHECK(chosen == (own ? 1 : 0));
    // A segment of another family is refused.
    const Segment foreign = static_cast<Segment>((range.first + range.count) % kSegmentCount);
    if (range.count < kSegmentCount) {
        ScoreResult r;
        FUZZ_CHECK(throws_input_error([&] { score_in_segment(image, p, codes.data(), codes.size(), foreign, r); }));
    }
}

// score() on its own terms, against explain(), and its invariances.
inline void check_person(const ModelImage& image, const Patient& p, const std::vector<IcdKey>& codes,
                         PersonCheckOptions opt) {
    const Family family = image.family();
    const std::optional<Segment> own = own_segment(image, p);
    ScoreResult r;
    if (!own) {
        // The family cannot place the person: score() and explain() refuse it too; the risk
        // profiles are still given, none chosen.
        FUZZ_CHECK(throws_input_error([&] { score(image, p, codes.data(), codes.size(), r); }));
        FUZZ_CHECK(throws_input_error([&] { (void)explain(image, p, {"E119"}, r); }));
        check_risk_profiles(image, p, codes, own, nullptr);
        return;
    }
    score(image, p, codes.data(), codes.size(), r);
    FUZZ_CHECK(r.segment == *own && segment_family(r.segment) == family);
    if (family == Family::CmsHcc) FUZZ_CHECK(r.segment == choose_segment(p));
    if (r.divisor < 0) {
        FUZZ_CHECK(r.raw == r.demographic + r.disease + r.interaction);
    } else {  // ESRD GRAFT_NE: round3(sum / ActAdj)
        FUZZ_CHECK(family == Family::Esrd && r.divisor <= 1);
        const Milli div = ImageAccess(image).segment(r.segment).divisor[r.divisor];
        FUZZ_CHECK(div > 0 && r.raw == divide_round_half_up(r.demographic + r.disease + r.interaction, div));
    }
    FUZZ_CHECK(r.payment_hcc_count == r.hccs.count());
    for (int s = image.hcc_slot_count(); s < kMaxHccSlots; ++s) FUZZ_CHECK(!r.hccs.test(s));
    FUZZ_CHECK(image.interaction_count() >= 32 || (r.interactions >> image.interaction_count()) == 0);
    FUZZ_CHECK(r.count_variable >= 0 && r.count_variable <= 10);
    bool unused = false;
    for (int id : r.demographic_vars) {
        FUZZ_CHECK(id >= -1 && id < demo::kCount);
        if (id >= 0) FUZZ_CHECK(!unused && !demographic_name(image, id).empty());
        unused = unused || id < 0;
    }
    if (codes.empty()) FUZZ_CHECK(r.hccs.empty() && r.disease == 0 && r.interaction == 0);
    const Milli nf = image.segment_normalization_factor(r.segment);
    FUZZ_CHECK(r.has_payment == (nf > 0));
    if (r.has_payment) {
        FUZZ_CHECK(r.normalization_factor == nf);
        FUZZ_CHECK(r.normalized == normalize_score(r.raw, nf));
        FUZZ_CHECK(r.payment == apply_ma_adjustment(r.normalized, image.ma_coding_adjustment()));
    }
    const Milli alt = image.segment_normalization_factor(r.segment, true);
    FUZZ_CHECK(r.has_alternative == (alt > 0));
    if (r.has_alternative) {
        FUZZ_CHECK(r.normalized_alternative == normalize_score(r.raw, alt));
        FUZZ_CHECK(r.payment_alternative ==
                   apply_ma_adjustment(r.normalized_alternative, image.ma_coding_adjustment()));
    }
    if (opt.nonnegative_factors) FUZZ_CHECK(r.raw >= 0 && r.demographic >= 0 && r.disease >= 0);

    // The person's own segment, asked for by name, is the same score; the risk profiles agree.
    ScoreResult in_segment;
    score_in_segment(image, p, codes.data(), codes.size(), r.segment, in_segment);
    FUZZ_CHECK(same_result(r, in_segment));
    check_risk_profiles(image, p, codes, own, &r);

    // Codes form a set: order and repetition change nothing.
    ScoreResult again;
    std::vector<IcdKey> more(codes.rbegin(), codes.rend());
    score(image, p, more.data(), more.size(), again);
    FUZZ_CHECK(same_result(r, again));
    if (!codes.empty()) {
        more.insert(more.end(), codes.begin(), codes.begin() + (codes.size() + 1) / 2);
        score(image, p, more.data(), more.size(), again);
        FUZZ_CHECK(same_result(r, again));
    }
    // A key that is not a well-formed code is in no compiled image: dropping them changes nothing.
    if (opt.canonical_keys) {
        std::vector<IcdKey> wellformed;
        for (IcdKey k : codes)
            if (k < kKeyLimit && icd_key(format_icd(k)) == k) wellformed.push_back(k);
        score(image, p, wellformed.data(), wellformed.size(), again);
        FUZZ_CHECK(same_result(r, again));
    }

    // explain() on the codes as text: the same result as score() on what that text parses to,
    // and its coefficients sum to raw.
    std::vector<std::string> texts = {"not a code"};
    std::vector<IcdKey> parsed;
    for (std::size_t i = 0; i < codes.size(); ++i) {
        texts.push_back(format_icd(codes[i], i % 2 == 1));
        if (IcdKey k = icd_key(texts.back())) parsed.push_back(k);
    }
    ScoreResult ex;
    const std::vector<ExplainRow> rows = explain(image, p, texts, ex);
    score(image, p, parsed.data(), parsed.size(), r);
    FUZZ_CHECK(same_result(r, ex));
    Milli sum = 0;
    for (const ExplainRow& row : rows)
        if (row.coefficient) sum += *row.coefficient;
    FUZZ_CHECK(sum == ex.raw);
    FUZZ_CHECK(!rows.empty() && rows.front().step == "input" && rows.front().item == "not a code");
}

// revenue_cents (gaps.hpp): the exact delta x rate / 1000, rounded half away from zero, or
// InputError when that does not fit in 64 bits; symmetric in the sign of delta.
inline void check_revenue(Milli delta) {
    for (std::int64_t rate : {std::int64_t{0}, std::int64_t{1}, std::int64_t{12'345}, kMaxBaseRateCents}) {
        const __int128 product = static_cast<__int128>(delta) * rate;
        const __int128 exact = product >= 0 ? (product + 500) / 1000 : -((-product + 500) / 1000);
        const bool fits = exact >= INT64_MIN && exact <= INT64_MAX;
        try {
            const std::int64_t got = revenue_cents(delta, rate);
            FUZZ_CHECK(fits && got == static_cast<std::int64_t>(exact));
            if (delta != INT64_MIN) FUZZ_CHECK(revenue_cents(-delta, rate) == -got);
        } catch (const InputError&) {
            FUZZ_CHECK(!fits);
        }
    }
}

// find_gaps against its contract (gaps.hpp): scores and deltas are the scorer's own numbers.
inline void check_gaps(const ModelImage& image, const Patient& p, const std::vector<IcdKey>& prior,
                       const std::vector<IcdKey>& current) {
    const std::optional<Segment> own = own_segment(image, p);
    if (!own) {
        FUZZ_CHECK(throws_input_error(
            [&] { (void)find_gaps(image, p, prior.data(), prior.size(), current.data(), current.size()); }));
        return;
    }
    const GapReport rep = find_gaps(image, p, prior.data(), prior.size(), current.data(), current.size());
    FUZZ_CHECK(rep.segment == *own);
    FUZZ_CHECK(rep.payment == gap_uses_payment_score(image));
    FUZZ_CHECK(rep.current_score == gap_score(image, p, current.data(), current.size()));
    std::vector<IcdKey> all(current);
    all.insert(all.end(), prior.begin(), prior.end());
    FUZZ_CHECK(rep.closed_score == gap_score(image, p, all.data(), all.size()));
    const std::set<IcdKey> prior_set(prior.begin(), prior.end()), current_set(current.begin(), current.end());
    std::set<int> hccs;
    for (std::size_t i = 0; i < rep.rows.size(); ++i) {
        const GapRow& row = rep.rows[i];
        FUZZ_CHECK(hccs.insert(row.hcc).second);
        FUZZ_CHECK(row.slot >= 0 && row.slot < image.hcc_slot_count() &&
                   image.hcc_number(row.slot) == row.hcc);
        FUZZ_CHECK(std::string(gap_status_name(row.status)) != "?");
        if (i > 0) {
            const GapRow& prev = rep.rows[i - 1];
            FUZZ_CHECK(prev.delta > row.delta || (prev.delta == row.delta && prev.hcc < row.hcc));
        }
        FUZZ_CHECK(std::set<IcdKey>(row.prior_codes.begin(), row.prior_codes.end()).size() ==
                   row.prior_codes.size());
        std::vector<IcdKey> closing(current);
        for (IcdKey k : row.prior_codes) {
            FUZZ_CHECK(prior_set.count(k) == 1);
            if (!current_set.count(k)) closing.push_back(k);
        }
        for (IcdKey k : row.current_codes) FUZZ_CHECK(current_set.count(k) == 1);
        // No prior code missing from current: closing the "gap" changes nothing.
        if (closing.size() == current.size()) FUZZ_CHECK(row.delta == 0);
        FUZZ_CHECK(row.delta == gap_score(image, p, closing.data(), closing.size()) - rep.current_score);
        if (row.status == GapStatus::Recaptured)
            FUZZ_CHECK(!row.prior_codes.empty() && !row.current_codes.empty());
        if (row.status == GapStatus::Gap || row.status == GapStatus::Downgraded)
            FUZZ_CHECK(!row.prior_codes.empty());
        (void)hcc_list_text(image, row.related);
        check_revenue(row.delta);
    }
    FUZZ_CHECK(rep.joint_delta() == rep.closed_score - rep.current_score);
    check_revenue(rep.current_score);
    check_revenue(rep.closed_score);
}


// ---------------------------------------------------------------------------------------------
// HHS-HCC (hhs_model.hpp). An HHS-HCC image is scored only by hhs_score / hhs_explain: the
// Medicare entry points refuse it with InputError.

// What hhs_score assumes of an accepted image without checking it again: the infant severity
// sets are levels 1..5 and the maturity sets 1..4 (the maturity x severity variable id is
// kHhsMaturity + (maturity - 1) * 5 + severity - 1 and must stay below demo::kCount).
inline void check_hhs_assumptions(const ModelImage& image) {
    ImageAccess a(image);
    const auto* sets = a.section<layout::SetRecord>(layout::kSecSets);
    for (std::uint32_t i = 0; i < a.count(layout::kSecSets); ++i) {
        if (sets[i].kind == layout::kSetSeverity) FUZZ_CHECK(sets[i].param >= 1 && sets[i].param <= 5);
        if (sets[i].kind == layout::kSetMaturity) FUZZ_CHECK(sets[i].param >= 1 && sets[i].param <= 4);
    }
}

// The image's drug keys (kSecDrugs, ascending).
inline std::vector<std::uint64_t> image_drug_keys(const ModelImage& image) {
    ImageAccess a(image);
    const auto* drugs = a.section<layout::DrugRecord>(layout::kSecDrugs);
    std::vector<std::uint64_t> out;
    for (std::uint32_t i = 0; i < a.count(layout::kSecDrugs); ++i) out.push_back(drugs[i].key);
    return out;
}

// The NDC (11 characters) or HCPCS code (5) whose ndc_key / hcpcs_key is `key`; nullopt for a key
// neither gives. first = true for an NDC.
inline std::optional<std::pair<bool, std::string>> drug_text(std::uint64_t key) {
    constexpr std::uint64_t kNdcLimit = 131'621'703'842'267'136ull;  // 36^11
    auto digits = [](std::uint64_t k, int n) {
        std::string s(static_cast<std::size_t>(n), '0');
        for (int i = n - 1; i >= 0; --i, k /= 36) s[static_cast<std::size_t>(i)] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[k % 36];
        return s;
    };
    if (key < kNdcLimit) return std::make_pair(true, digits(key, 11));
    if (key >= layout::kHcpcsKeyBase && key - layout::kHcpcsKeyBase < 60'466'176ull)  // 36^5
        return std::make_pair(false, digits(key - layout::kHcpcsKeyBase, 5));
    return std::nullopt;
}

inline bool same_hhs(const HhsResult& a, const HhsResult& b) {
    return a.model == b.model && a.enrollment_months == b.enrollment_months && a.hccs == b.hccs &&
           a.rxcs == b.rxcs && a.groups == b.groups && a.scored == b.scored && a.hcc_cnt == b.hcc_cnt &&
           a.interactions == b.interactions && std::equal(a.variables, a.variables + kMaxHhsVariables, b.variables) &&
           a.severity == b.severity && a.maturity == b.maturity &&
           std::equal(a.score, a.score + kMetalCount, b.score) && a.raw == b.raw && a.csr_factor == b.csr_factor &&
           a.csr_adjusted_exact == b.csr_adjusted_exact && a.csr_adjusted == b.csr_adjusted;
}

// ENROLDURATION (hhs_hcc_v08_rules.md §3), written from the spec's table; 0 outside 1..366.
inline int reference_months(int days) {
    static constexpr int last[] = {31, 62, 92, 123, 153, 184, 214, 245, 275, 306, 335, 366};
    if (days < 1 || days > 366) return 0;
    for (int m = 0; m < 12; ++m)
        if (days <= last[m]) return m + 1;
    return 0;
}

// §2: adult 21+, child 2-20, infant 0-1.
inline HhsModel reference_model(int age) {
    return age >= 21 ? HhsModel::Adult : age >= 2 ? HhsModel::Child : HhsModel::Infant;
}

// hhs_score's contract for the enrollee and THIS image (hhs_model.hpp): InputError exactly for an
// age outside 0..150, a CSR indicator outside 1..11, one the image lacks or that belongs to
// another metal (§8), enrollment days outside 1..366.
inline bool hhs_enrollee_valid(const ModelImage& image, const Enrollee& e) {
    const layout::Header& h = ImageAccess(image).header();
    if (e.age_last < 0 || e.age_last > 150 || e.enrollment_days < 1 || e.enrollment_days > 366) return false;
    if (e.csr_indicator < 1 || e.csr_indicator > 11 || h.csr_factor[e.csr_indicator] == 0) return false;
    const int metal = h.csr_metal[e.csr_indicator];
    return metal == 0 || metal == static_cast<int>(e.metal) + 1;
}

struct HhsCheckOptions {
    bool canonical_keys = false;  // compiled images: every ICD key of the table is well formed
    // The shipped releases: no code maps to an RXC, no group has an RXC or a group as a member.
    bool real_release = false;
};

// What hhs_score guarantees for ANY accepted HHS-HCC image and a valid enrollee (and, with
// opt.real_release, what the shipped releases' structure adds).
inline void check_hhs_result(const ModelImage& image, const Enrollee& e, const HhsResult& r, bool had_codes,
                             HhsCheckOptions opt) {
    ImageAccess a(image);
    const layout::Header& h = a.header();
    const int slots = image.hcc_slot_count();
    const HccSet all = HccSet::first(slots);
    FUZZ_CHECK(r.model == reference_model(e.age_last));
    FUZZ_CHECK(r.enrollment_months == reference_months(e.enrollment_days));
    FUZZ_CHECK(r.enrollment_months == enrollment_months(e.enrollment_days));
    for (const HccSet* s : {&r.hccs, &r.rxcs, &r.groups, &r.scored}) FUZZ_CHECK((*s - all).empty());
    FUZZ_CHECK((r.rxcs - h.rxc_slots).empty() && !r.hccs.intersects(h.rxc_slots));
    FUZZ_CHECK((r.groups - h.group_slots).empty() && (r.groups - r.scored).empty());
    FUZZ_CHECK((r.scored & h.group_slots) == r.groups);
    if (!had_codes) FUZZ_CHECK(r.hccs.empty());
    const Segment own_seg = hhs_segment(r.model, e.metal);
    const layout::SegmentRecord& own = a.segment(own_seg);
    FUZZ_CHECK((r.interactions & ~own.interaction_present) == 0);
    if (r.model == HhsModel::Infant) {
        FUZZ_CHECK(r.hcc_cnt == 0 && r.groups.empty() && r.scored.empty() && r.interactions == 0);
        if (opt.real_release) FUZZ_CHECK(r.rxcs.empty());
        FUZZ_CHECK(r.severity >= 1 && r.severity <= 5 && r.maturity >= 1 && r.maturity <= 5);
        if (e.age_last == 1) FUZZ_CHECK(r.maturity == 5);
    } else {
        FUZZ_CHECK(r.severity == 0 && r.maturity == 0);
        FUZZ_CHECK(r.hcc_cnt == (r.scored - h.not_counted).count());
        if (opt.real_release) {
            FUZZ_CHECK((r.scored & h.rxc_slots) == r.rxcs);
            if (r.model == HhsModel::Child) FUZZ_CHECK(r.rxcs.empty());
        }
    }
    // Person-level variables: packed, distinct, listed by the model, of the right kind.
    bool unused = false;
    int maturity_vars = 0;
    for (int i = 0; i < kMaxHhsVariables; ++i) {
        const int id = r.variables[i];
        if (id < 0) {
            FUZZ_CHECK(id == -1);
            unused = true;
            continue;
        }
        FUZZ_CHECK(!unused && id >= demo::kHhsAdultCell && id < demo::kCount);
        FUZZ_CHECK((own.demographic_present[id / 64] >> (id % 64)) & 1);
        for (int j = 0; j < i; ++j) FUZZ_CHECK(r.variables[j] != id);
        FUZZ_CHECK(!demo::name(Family::Hhs, id).empty());
        const demo::Kind k = demo::kind(id);
        if (k == demo::Kind::Duration) {
            FUZZ_CHECK(r.model == HhsModel::Adult && r.enrollment_months <= 6 && r.hcc_cnt > 0);
            FUZZ_CHECK(id == demo::kHhsEnrollmentDuration + r.enrollment_months - 1);
        }
        if (k == demo::Kind::Maturity) {
            ++maturity_vars;
            FUZZ_CHECK(r.model == HhsModel::Infant &&
                       id == demo::kHhsMaturity + (r.maturity - 1) * 5 + r.severity - 1);
        }
        if (k == demo::Kind::Count) FUZZ_CHECK(r.model != HhsModel::Infant && r.hcc_cnt >= 1);
        if (id == demo::kHhsAcfAdult) FUZZ_CHECK(r.model == HhsModel::Adult);
        if (id == demo::kHhsAcfChild) FUZZ_CHECK(r.model == HhsModel::Child && e.age_last >= 12);
        if (id == demo::kHhsAge0Male || id == demo::kHhsAge1Male)
            FUZZ_CHECK(r.model == HhsModel::Infant && e.sex == Sex::Male &&
                       (id == demo::kHhsAge1Male) == (r.maturity == 5));
    }
    FUZZ_CHECK(maturity_vars <= 1);
    const int duration_id = demo::kHhsEnrollmentDuration + r.enrollment_months - 1;
    if (r.model == HhsModel::Adult && r.enrollment_months <= 6 && r.hcc_cnt > 0 &&
        ((own.demographic_present[duration_id / 64] >> (duration_id % 64)) & 1))
        FUZZ_CHECK(std::find(r.variables, r.variables + kMaxHhsVariables, duration_id) != r.variables + kMaxHhsVariables);
    // Five metal scores: the variables' factors in each metal's segment (§7), exact.
    for (int m = 0; m < kMetalCount; ++m) {
        const layout::SegmentRecord& seg = a.segment(hhs_segment(r.model, static_cast<Metal>(m)));
        Milli sum = 0;
        for (int id : r.variables)
            if (id >= 0 && ((seg.demographic_present[id / 64] >> (id % 64)) & 1)) sum += seg.demographic_factor[id];
        (r.scored & seg.hcc_present).for_each([&](int s) { sum += seg.hcc_factor[s]; });
        for (std::uint32_t bits = r.interactions & seg.interaction_present; bits; bits &= bits - 1)
            sum += seg.interaction_factor[std::countr_zero(bits)];
        FUZZ_CHECK(r.score[m] == sum);
    }
    // §8-§9: raw is the enrollee's metal; the CSR product is exact, then half up.
    FUZZ_CHECK(r.raw == r.score[static_cast<int>(e.metal)]);
    FUZZ_CHECK(r.csr_factor == h.csr_factor[e.csr_indicator] && r.csr_factor > 0);
    FUZZ_CHECK(r.csr_adjusted_exact == r.raw * r.csr_factor);
    const __int128 x = r.csr_adjusted_exact;
    FUZZ_CHECK(r.csr_adjusted == static_cast<Milli>(x >= 0 ? (x + 50) / 100 : -((-x + 50) / 100)));
    // The text forms.
    const std::string exact = format_hundred_thousandths(r.csr_adjusted_exact);
    {
        const std::int64_t v = r.csr_adjusted_exact;
        const std::uint64_t u = v < 0 ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
        std::string frac = std::to_string(u % 100000);
        FUZZ_CHECK(exact == (v < 0 ? "-" : "") + std::to_string(u / 100000) + "." +
                                std::string(5 - frac.size(), '0') + frac);
    }
    const std::vector<std::string> names = hhs_variable_names(image, r);
    std::size_t want = static_cast<std::size_t>(std::popcount(r.interactions));
    for (int id : r.variables) want += id >= 0;
    FUZZ_CHECK(names.size() == want && std::is_sorted(names.begin(), names.end()));
}

// hhs_explain on texts: InputError exactly when the enrollee is invalid or a drug code is
// malformed (ndc_key / hcpcs_key give nullopt); otherwise the result of hhs_score on what the
// texts parse to, and the coefficients of its rows sum to raw. Returns that result.
inline std::optional<HhsResult> check_hhs_explain(const ModelImage& image, const Enrollee& e,
                                                  const std::vector<std::string>& dx,
                                                  const std::vector<std::string>& ndc,
                                                  const std::vector<std::string>& hcpcs) {
    std::vector<IcdKey> keys;
    for (const auto& t : dx)
        if (IcdKey k = icd_key(t)) keys.push_back(k);
    std::vector<std::uint64_t> drugs;
    bool malformed = false;
    for (const auto& t : ndc) {
        auto k = ndc_key(t);
        malformed |= !k;
        if (k) drugs.push_back(*k);
    }
    for (const auto& t : hcpcs) {
        auto k = hcpcs_key(t);
        malformed |= !k;
        if (k) drugs.push_back(*k);
    }
    HhsResult ex;
    if (malformed || !hhs_enrollee_valid(image, e)) {
        FUZZ_CHECK(throws_input_error([&] { (void)hhs_explain(image, e, dx, ndc, hcpcs, ex); }));
        return std::nullopt;
    }
    const std::vector<ExplainRow> rows = hhs_explain(image, e, dx, ndc, hcpcs, ex);
    HhsResult r;
    hhs_score(image, e, keys.data(), keys.size(), drugs.data(), drugs.size(), r);
    FUZZ_CHECK(same_hhs(r, ex));
    Milli sum = 0;
    for (const ExplainRow& row : rows) {
        FUZZ_CHECK(!row.step.empty());
        if (row.coefficient) sum += *row.coefficient;
    }
    FUZZ_CHECK(sum == ex.raw);
    return r;
}


// hhs_score on keys, against its contract, hhs_explain, and its invariances. Returns the result
// (nullopt for an enrollee the image refuses, after checking that it is refused).
inline std::optional<HhsResult> check_hhs_enrollee(const ModelImage& image, const Enrollee& e,
                                                   const std::vector<IcdKey>& codes,
                                                   const std::vector<std::uint64_t>& drugs, HhsCheckOptions opt) {
    HhsResult r;
    if (!hhs_enrollee_valid(image, e)) {
        FUZZ_CHECK(throws_input_error(
            [&] { hhs_score(image, e, codes.data(), codes.size(), drugs.data(), drugs.size(), r); }));
        FUZZ_CHECK(throws_input_error([&] { (void)hhs_explain(image, e, {"E119"}, {}, {}, r); }));
        return std::nullopt;
    }
    hhs_score(image, e, codes.data(), codes.size(), drugs.data(), drugs.size(), r);
    check_hhs_result(image, e, r, !codes.empty(), opt);

    // Codes and drug codes are sets: order and repetition change nothing.
    HhsResult again;
    std::vector<IcdKey> c2(codes.rbegin(), codes.rend());
    std::vector<std::uint64_t> d2(drugs.rbegin(), drugs.rend());
    c2.insert(c2.end(), codes.begin(), codes.begin() + static_cast<std::ptrdiff_t>((codes.size() + 1) / 2));
    d2.insert(d2.end(), drugs.begin(), drugs.begin() + static_cast<std::ptrdiff_t>((drugs.size() + 1) / 2));
    hhs_score(image, e, c2.data(), c2.size(), d2.data(), d2.size(), again);
    FUZZ_CHECK(same_hhs(r, again));
    if (opt.canonical_keys) {
        std::vector<IcdKey> wellformed;
        for (IcdKey k : codes)
            if (k < kKeyLimit && icd_key(format_icd(k)) == k) wellformed.push_back(k);
        hhs_score(image, e, wellformed.data(), wellformed.size(), drugs.data(), drugs.size(), again);
        FUZZ_CHECK(same_hhs(r, again));
    }

    // hhs_explain on the codes as text (plus one that is not a code), the drug keys that have a
    // spelling as NDC / HCPCS texts.
    std::vector<std::string> dx = {"not a code"}, ndc, hcpcs;
    for (std::size_t i = 0; i < codes.size(); ++i) dx.push_back(format_icd(codes[i], i % 2 == 1));
    for (std::uint64_t k : drugs)
        if (auto t = drug_text(k)) (t->first ? ndc : hcpcs).push_back(t->second);
    (void)check_hhs_explain(image, e, dx, ndc, hcpcs);
    return r;
}

// An accepted HHS-HCC image: the Medicare entry points refuse it; one enrollee per model (and
// infants of age 0 and 1) with a CSR indicator and enrollment days varied by salt, and one with
// indicator 1 and a full year, scored with the codes and drugs given.
inline void check_hhs_image(const ModelImage& image, const std::vector<IcdKey>& codes,
                            const std::vector<std::uint64_t>& drugs, std::uint64_t salt, HhsCheckOptions opt) {
    FUZZ_CHECK(image.family() == Family::Hhs);
    check_hhs_assumptions(image);
    Patient p;
    ScoreResult sr;
    FUZZ_CHECK(throws_input_error([&] { score(image, p, codes.data(), codes.size(), sr); }));
    FUZZ_CHECK(throws_input_error([&] { (void)explain(image, p, {"E119"}, sr); }));
    FUZZ_CHECK(throws_input_error([&] { score_in_segment(image, p, codes.data(), codes.size(), Segment::CNA, sr); }));
    FUZZ_CHECK(throws_input_error(
        [&] { score_in_segment(image, p, codes.data(), codes.size(), Segment::Adult_Silver, sr); }));
    FUZZ_CHECK(throws_input_error([&] { (void)risk_profiles(image, p, codes.data(), codes.size()); }));
    FUZZ_CHECK(throws_input_error(
        [&] { (void)find_gaps(image, p, codes.data(), codes.size(), codes.data(), codes.size()); }));
    (void)conditions_before_hierarchy(image, p, codes.data(), codes.size());

    static constexpr int kAges[] = {0, 1, 2, 11, 12, 20, 21, 24, 45, 64, 65, 99, 150};
    static constexpr int kDays[] = {1, 31, 32, 100, 184, 185, 365, 366, 0, 367, -1};
    const int ages[] = {kAges[7 + salt % 6], kAges[2 + (salt >> 3) % 5], 0, 1};
    for (int i = 0; i < 5; ++i) {
        const std::uint64_t r = salt >> (i * 11) ^ (salt * 0x9E3779B97F4A7C15ull >> (40 + i));
        Enrollee e;
        e.age_last = i < 4 ? ages[i] : kAges[r % 13];
        e.sex = (r >> 4) & 1 ? Sex::Male : Sex::Female;
        e.metal = static_cast<Metal>((r >> 5) % kMetalCount);
        e.csr_indicator = i == 0 ? 1 : static_cast<int>((r >> 8) % 13);
        e.enrollment_days = i == 0 ? 365 : kDays[(r >> 12) % 11];
        std::vector<IcdKey> mine;
        for (std::size_t j = 0; j < codes.size(); ++j)
            if ((j + static_cast<std::size_t>(i)) % (1 + i % 3) == 0) mine.push_back(codes[j]);
        if (i == 3) mine.clear();
        check_hhs_enrollee(image, e, mine, drugs, opt);
    }
}

}  // namespace hccraf::fuzz
