// Properties of an ACCEPTED ModelImage, shared by fuzz_images (validated arbitrary bytes),
// fuzz_compiler (compile_image output) and fuzz_scorer (the real releases). All checks use
// FUZZ_CHECK; nothing here may throw (score(), explain() and find_gaps() must not throw on an
// image the validator accepted, whatever it contains).
#pragma once
#include <algorithm>
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
    int none[2];
    FUZZ_CHECK(image.map_code(0, none) == 0 && image.map_code(~IcdKey{0}, none) == 0);
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

}  // namespace hccraf::fuzz
