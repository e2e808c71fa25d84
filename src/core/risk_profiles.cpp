// risk_profiles(): score_in_segment for each segment of the family, itemized (risk_profiles.hpp).
#include "risk_profiles.hpp"

#include <bit>
#include <optional>

#include "errors.hpp"
#include "image_layout.hpp"

namespace hccraf {

using namespace layout;

std::vector<RiskProfile> risk_profiles(const ModelImage& image, const Patient& p, const IcdKey* codes,
                                       std::size_t n) {
    ImageAccess a(image);
    std::optional<Segment> own;
    try {
        own = choose_segment(image.family(), p);
    } catch (const InputError&) {
        // No segment of this family fits what the person's row says (e.g. ESRD without a status).
    }
    const SegmentRange range = family_segments(image.family());
    std::vector<RiskProfile> out;
    for (int i = range.first; i < range.first + range.count; ++i) {
        const Segment s = static_cast<Segment>(i);
        RiskProfile prof{s, own == s, {}, {}, {}, {}};
        score_in_segment(image, p, codes, n, s, prof.result);
        const ScoreResult& r = prof.result;
        const SegmentRecord& seg = a.segment(s);
        for (int id : r.demographic_vars)
            if (id >= 0) prof.person.push_back({demographic_name(image, id), seg.demographic_factor[id]});
        if (r.divisor >= 0)
            prof.person.push_back(
                {divisor_name(r.divisor), r.raw - (r.demographic + r.disease + r.interaction)});
        (r.hccs & seg.hcc_present).for_each([&](int slot) {
            prof.hccs.push_back({image.hcc_name(slot), seg.hcc_factor[slot]});
        });
        for (std::uint32_t bits = r.interactions; bits; bits &= bits - 1) {
            int k = std::countr_zero(bits);
            prof.interactions.push_back({std::string(image.interaction_name(k)), seg.interaction_factor[k]});
        }
        if (r.count_variable > 0)
            prof.interactions.push_back(
                {count_variable_name(r.count_variable), seg.count_factor[r.count_variable]});
        out.push_back(std::move(prof));
    }
    return out;
}

}  // namespace hccraf
