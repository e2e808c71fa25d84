// fuzz_scorer: score(), explain(), score_in_segment(), risk_profiles() and find_gaps() (scorer.hpp,
// risk_profiles.hpp, gaps.hpp) on the REAL releases V28, V24, RxHCC_V08 and ESRD_V24 PY2026
// (compiled once from data/), for random persons (all Patient fields) and code lists.
//
// Input: scorer_input.hpp (a person, then up to 64 codes: known crosswalk/edit codes by index,
// random texts, random keys). Properties (image_checks.hpp, plus):
//   * score() and explain() agree (segment, HCCs, raw, payment, ...); explain's coefficients sum
//     to raw; order and duplicates of the codes change nothing; keys that are not well-formed
//     codes change nothing; raw >= 0 for V28 and V24 (their coefficients are never negative;
//     RxHCC and ESRD have negative ones); the segment is choose_segment(family, p), and a person
//     the family refuses (ESRD without status, ...) is refused by score/explain/find_gaps too;
//   * payment == apply_ma_adjustment(normalize_score(raw, nf), adj) with the segment's factor
//     when has_payment (V28, RxHCC with its PDP alternative, ESRD with the graft factor row);
//   * risk_profiles: one row per segment of the family, the chosen one equal to score(), each
//     row's itemized coefficients summing to its raw score;
//   * find_gaps: current_score == gap_score(current), closed_score == gap_score(current+prior),
//     each row's delta is the score difference of closing it, 0 when the row has no prior code
//     missing from current; rows sorted by delta then HCC, each HCC once;
//   * map_code on a known code names only payment HCCs of the release.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "fuzz_bytes.hpp"
#include "image_checks.hpp"
#include "model_image.hpp"
#include "release_data.hpp"
#include "scorer_input.hpp"

using namespace hccraf;
using namespace hccraf::fuzz;

namespace {

struct Release {
    std::vector<std::byte> bytes;
    ModelImage image;
    std::vector<IcdKey> known;  // every code of the crosswalk and the edits, ascending
};

Release load(const char* model) {
    ReleaseData d = load_release_dir(HCCRAF_DATA_DIR, model, 2026);
    std::vector<IcdKey> known;
    for (const auto& row : d.crosswalk) known.push_back(pack_icd(row.icd10_code));
    for (const auto& e : d.edits) known.push_back(pack_icd(e.icd10_code));
    std::sort(known.begin(), known.end());
    known.erase(std::unique(known.begin(), known.end()), known.end());
    std::vector<std::byte> bytes = compile_image(d);
    ModelImage image(bytes.data(), bytes.size());  // validates
    return {std::move(bytes), image, std::move(known)};
}

// Compiled once per process (a few hundred ms); the bytes never move afterwards.
const Release& release(ScorerRelease r) {
    static const Release v28 = load("V28");
    static const Release v24 = load("V24");
    static const Release rx = load("RxHCC_V08");
    static const Release esrd = load("ESRD_V24");
    switch (r) {
        case ScorerRelease::V24:
            return v24;
        case ScorerRelease::RxHccV08:
            return rx;
        case ScorerRelease::EsrdV24:
            return esrd;
        case ScorerRelease::V28:
            break;
    }
    return v28;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    for (int r = 0; r < kScorerReleases; ++r) release(static_cast<ScorerRelease>(r));
    FUZZ_CHECK(release(ScorerRelease::RxHccV08).image.family() == Family::RxHcc);
    FUZZ_CHECK(release(ScorerRelease::EsrdV24).image.family() == Family::Esrd);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    ByteReader in(data, size);
    const ScorerInput x = read_scorer_input(in);
    const Release& rel = release(x.release);

    std::vector<IcdKey> all, prior, current;
    for (const CodeEntry& e : x.entries) {
        IcdKey key = 0;
        switch (e.kind) {
            case EntryKind::KnownIndex:
                key = rel.known[e.index % rel.known.size()];
                break;
            case EntryKind::Text:
                key = icd_key(e.text);
                break;
            case EntryKind::RawKey:
                key = e.key;
                break;
            case EntryKind::KeyInRange:
                key = e.key % kKeyLimit;
                break;
        }
        all.push_back(key);
        if (e.list != EntryList::Prior) current.push_back(key);
        if (e.list != EntryList::Current) prior.push_back(key);
        if (e.kind == EntryKind::KnownIndex) {
            int hccs[2];
            const int n = rel.image.map_code(key, hccs);
            for (int j = 0; j < n; ++j) FUZZ_CHECK(rel.image.hcc_slot(hccs[j]) >= 0);
        }
    }

    // V28/V24 coefficients are all >= 0; RxHCC and ESRD have negative ones.
    const bool cms = rel.image.family() == Family::CmsHcc;
    const PersonCheckOptions opt{/*nonnegative_factors=*/cms, /*canonical_keys=*/true};
    check_person(rel.image, x.patient, all, opt);
    check_person(rel.image, x.patient, current, opt);
    check_gaps(rel.image, x.patient, prior, current);
    return 0;
}
