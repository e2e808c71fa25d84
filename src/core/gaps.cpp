// Gap classification and marginal values (the rules are in gaps.hpp).
#include "gaps.hpp"

#include <algorithm>
#include <bit>
#include <limits>

#include "errors.hpp"
#include "hhs_model.hpp"
#include "image_layout.hpp"

namespace hccraf {

using namespace layout;

namespace {

// drops[s] = the HCCs a rule of s drops; superiors[s] = the HCCs with a rule that drops s.
struct HierarchyFamily {
    // Sized by the release (V28: 115 slots), not kMaxHccSlots: zeroing 2 x 192 sets per call
    // cost find_gaps 10 %.
    std::vector<HccSet> drops, superiors;
    explicit HierarchyFamily(const ModelImage& image)
        : drops(static_cast<std::size_t>(image.hcc_slot_count())),
          superiors(static_cast<std::size_t>(image.hcc_slot_count())) {
        ImageAccess a(image);
        const RuleRecord* rules = a.section<RuleRecord>(kSecRules);
        for (std::uint32_t r = 0, n = a.count(kSecRules); r < n; ++r) {
            int parent = rules[r].parent_slot;
            drops[parent] |= rules[r].children;
            rules[r].children.for_each([&](int child) { superiors[child].set(parent); });
        }
    }
};

// For every slot, the codes (distinct, in input order) whose own flags set it: one pass.
std::vector<CodeList> codes_by_slot(const std::vector<IcdKey>& codes, const std::vector<HccSet>& flags,
                                    int slots) {
    std::vector<CodeList> out(static_cast<std::size_t>(slots));  // the release's slots, not kMaxHccSlots
    for (std::size_t i = 0; i < codes.size(); ++i)
        flags[i].for_each([&](int s) { out[s].push_back(codes[i]); });
    return out;
}

struct Classified {
    GapStatus status;
    HccSet related;
    std::string detail;
};

Classified classify(const ModelImage& image, const HierarchyFamily& fam, int h, const HccSet& pre_prior,
                    const HccSet& post_prior, const HccSet& pre_current, const HccSet& post_current) {
    const bool in_prior = pre_prior.test(h), in_current = pre_current.test(h);
    auto list = [&](const HccSet& s) { return hcc_list_text(image, s); };
    if (in_current) {
        if (!post_current.test(h)) {
            HccSet by = fam.superiors[h] & post_current;
            if (by.empty()) by = fam.superiors[h] & pre_current;
            return {GapStatus::Superseded, by,
                    "coded this year but dropped by " + list(by) + " (hierarchy): adds nothing"};
        }
        if (in_prior) return {GapStatus::Recaptured, {}, "coded last year and this year"};
        HccSet milder = fam.drops[h] & pre_prior;
        if (!milder.empty())
            return {GapStatus::Upgraded, milder,
                    "coded this year only; more severe than last year's " + list(milder) +
                        " of the same hierarchy, which it supersedes"};
        HccSet graver = fam.superiors[h] & pre_prior;
        if (!graver.empty())
            return {GapStatus::New, graver,
                    "coded this year only; last year's " + list(graver) +
                        " (same hierarchy, more severe) is not coded yet: see its downgraded row"};
        return {GapStatus::New, {}, "coded this year only"};
    }
    HccSet by_current = fam.superiors[h] & post_current;
    if (!by_current.empty())
        return {GapStatus::Superseded, by_current,
                "coded last year; this year's " + list(by_current) +
                    " (same hierarchy, more severe) supersedes it"};
    HccSet milder_now = fam.drops[h] & pre_current;
    if (!milder_now.empty())
        return {GapStatus::Downgraded, milder_now,
                "coded last year; this year only the milder " + list(milder_now) +
                    " of the same hierarchy is coded"};
    if (!post_prior.test(h)) {
        HccSet by_prior = fam.superiors[h] & post_prior;
        if (by_prior.empty()) by_prior = fam.superiors[h] & pre_prior;
        return {GapStatus::Superseded, by_prior,
                "coded last year but dropped there by " + list(by_prior) +
                    " (hierarchy): close that gap instead"};
    }
    return {GapStatus::Gap, {}, "coded last year, not yet this year"};
}

}  // namespace

const char* gap_status_name(GapStatus s) {
    switch (s) {
        case GapStatus::Recaptured:
            return "recaptured";
        case GapStatus::Gap:
            return "gap";
        case GapStatus::New:
            return "new";
        case GapStatus::Upgraded:
            return "upgraded";
        case GapStatus::Downgraded:
            return "downgraded";
        case GapStatus::Superseded:
            return "superseded";
    }
    return "?";
}

bool gap_uses_payment_score(const ModelImage& image) {
    return image.normalization_factor() > 0;
}

Milli gap_score(const ModelImage& image, const Patient& p, const IcdKey* codes, std::size_t n) {
    ScoreResult r;
    score(image, p, codes, n, r);
    return r.has_payment ? r.payment : r.raw;
}

Milli GapReport::sum_of_single_deltas() const {
    Milli sum = 0;
    for (const GapRow& r : rows) sum += r.delta;
    return sum;
}

namespace {

// The score a gap is valued on and the HCCs after the hierarchy, for a family: Medicare (payment
// score, else raw) or HHS-HCC (raw score at the enrollee's metal, the drug codes fixed).
struct MedicareGapScorer {
    const ModelImage& image;
    const Patient& p;
    Segment segment = Segment::CNA;
    bool payment = false;
    Milli operator()(const IcdKey* codes, std::size_t n, HccSet* hccs) {
        ScoreResult r;
        score(image, p, codes, n, r);
        if (hccs) *hccs = r.hccs;
        segment = r.segment;
        payment = r.has_payment;
        return r.has_payment ? r.payment : r.raw;
    }
};

struct HhsGapScorer {
    const ModelImage& image;
    const Enrollee& e;
    const std::uint64_t* drugs;
    std::size_t n_drugs;
    HccSet excluded;  // HCCs outside the enrollee's model: no row
    Segment segment = Segment::Adult_Silver;
    bool payment = false;
    Milli operator()(const IcdKey* codes, std::size_t n, HccSet* hccs) {
        HhsResult r;
        hhs_score(image, e, codes, n, drugs, n_drugs, r);
        if (hccs) *hccs = r.hccs;
        segment = hhs_segment(r.model, e.metal);
        return r.raw;
    }
};

template <class Scorer>
GapReport find_gaps_with(const ModelImage& image, const Patient& p, const IcdKey* prior_codes,
                         std::size_t n_prior, const IcdKey* current_codes, std::size_t n_current,
                         Scorer& scorer, const HccSet& no_rows) {
    GapReport rep;
    // Distinct codes in input order (a score counts a code once anyway): everything below is
    // then linear, or n log n, in the number of codes.
    const std::vector<IcdKey> prior = distinct_codes(prior_codes, n_prior);
    const std::vector<IcdKey> current = distinct_codes(current_codes, n_current);
    std::vector<IcdKey> current_sorted(current);
    std::sort(current_sorted.begin(), current_sorted.end());

    std::vector<HccSet> prior_flags(prior.size()), current_flags(current.size());
    const HccSet pre_prior =
        conditions_before_hierarchy(image, p, prior.data(), prior.size(), prior_flags.data()) - no_rows;
    const HccSet pre_current =
        conditions_before_hierarchy(image, p, current.data(), current.size(), current_flags.data()) - no_rows;
    const auto prior_of_slot = codes_by_slot(prior, prior_flags, image.hcc_slot_count());
    const auto current_of_slot = codes_by_slot(current, current_flags, image.hcc_slot_count());

    HccSet post_prior, post_current;
    scorer(prior.data(), prior.size(), &post_prior);
    rep.current_score = scorer(current.data(), current.size(), &post_current);
    rep.segment = scorer.segment;
    rep.payment = scorer.payment;
    rep.current_hccs = post_current;

    // current + all prior codes: the score with every gap closed.
    std::vector<IcdKey> buffer(current);
    buffer.insert(buffer.end(), prior.begin(), prior.end());
    rep.closed_score = scorer(buffer.data(), buffer.size(), &rep.closed_hccs);

    const HierarchyFamily fam(image);
    (pre_prior | pre_current).for_each([&](int h) {
        GapRow row;
        row.hcc = image.hcc_number(h);
        row.slot = h;
        row.prior_codes = prior_of_slot[h];
        row.current_codes = current_of_slot[h];
        Classified c = classify(image, fam, h, pre_prior, post_prior, pre_current, post_current);
        row.status = c.status;
        row.related = c.related;
        row.detail = std::move(c.detail);
        // Codes of h the current list lacks; none -> closing changes nothing.
        buffer.assign(current.begin(), current.end());
        for (IcdKey k : row.prior_codes)
            if (!std::binary_search(current_sorted.begin(), current_sorted.end(), k)) buffer.push_back(k);
        row.delta = buffer.size() == current.size()
                        ? 0
                        : scorer(buffer.data(), buffer.size(), nullptr) - rep.current_score;
        rep.rows.push_back(std::move(row));
    });
    std::stable_sort(rep.rows.begin(), rep.rows.end(), [](const GapRow& a, const GapRow& b) {
        return a.delta != b.delta ? a.delta > b.delta : a.hcc < b.hcc;
    });
    return rep;
}

}  // namespace

GapReport find_gaps(const ModelImage& image, const Patient& p, const IcdKey* prior_codes, std::size_t n_prior,
                    const IcdKey* current_codes, std::size_t n_current) {
    MedicareGapScorer scorer{image, p};
    GapReport rep =
        find_gaps_with(image, p, prior_codes, n_prior, current_codes, n_current, scorer, HccSet{});
    rep.payment = gap_uses_payment_score(image);
    return rep;
}

GapReport find_hhs_gaps(const ModelImage& image, const Enrollee& e, const std::uint64_t* drugs,
                        std::size_t n_drugs, const IcdKey* prior_codes, std::size_t n_prior,
                        const IcdKey* current_codes, std::size_t n_current) {
    // The enrollee's model and CSR are checked (and its excluded HCCs known) by one score first.
    HhsResult probe;
    hhs_score(image, e, nullptr, 0, drugs, n_drugs, probe);
    HhsGapScorer scorer{image, e, drugs, n_drugs, hhs_excluded_hccs(image, probe.model)};
    Patient p;  // what the crosswalk and its conditions read: AGE_LAST and sex
    p.age = e.age_last;
    p.sex = e.sex;
    GapReport rep =
        find_gaps_with(image, p, prior_codes, n_prior, current_codes, n_current, scorer, scorer.excluded);
    rep.csr_factor = probe.csr_factor;
    return rep;
}

std::int64_t revenue_cents(Milli delta, std::int64_t base_rate_cents) {
    if (base_rate_cents < 0 || base_rate_cents > kMaxBaseRateCents)
        throw InputError("base rate out of range",
                         "The base rate is annual dollars per 1.0 RAF, 0 to 1,000,000,000.");
    // Trap (found by fuzz_compiler): |delta| is NOT bounded by 1e7 thousandths. Factors of 999.999
    // and a normalization factor of 0.001 (both allowed by the schema) give scores near 1e9
    // thousandths, and delta x base rate overflowed int64. Exact in 128 bits; a revenue that
    // does not fit in 64 bits is refused.
    const __int128 product = static_cast<__int128>(delta) * base_rate_cents;  // cents x 1000
    const __int128 cents = product >= 0 ? (product + 500) / 1000 : -((-product + 500) / 1000);
    if (cents > std::numeric_limits<std::int64_t>::max() || cents < std::numeric_limits<std::int64_t>::min())
        throw InputError("revenue out of range", "The score change times the base rate exceeds 2^63 cents.");
    return static_cast<std::int64_t>(cents);
}

std::string hcc_list_text(const ModelImage& image, const HccSet& set) {
    std::string out;
    set.for_each([&](int s) {
        if (!out.empty()) out += ", ";
        out += image.hcc_name(s);
    });
    return out;
}

}  // namespace hccraf
