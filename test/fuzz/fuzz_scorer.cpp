// fuzz_scorer: score(), explain() and find_gaps() (scorer.hpp, gaps.hpp) on the REAL releases
// V28 PY2026 and V24 PY2026 (compiled once from data/), for random persons and code lists.
//
// Input: scorer_input.hpp (a person, then up to 64 codes: known crosswalk/edit codes by index,
// random texts, random keys). Properties (image_checks.hpp, plus):
//   * score() and explain() agree (segment, HCCs, raw, payment, ...); explain's coefficients sum
//     to raw; order and duplicates of the codes change nothing; keys that are not well-formed
//     codes change nothing; raw >= 0 (CMS coefficients are never negative);
//   * payment == apply_ma_adjustment(normalize_score(raw, nf), adj) when has_payment (V28);
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
const Release& release(bool v24) {
    static const Release v28 = load("V28");
    static const Release v24_release = load("V24");
    return v24 ? v24_release : v28;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    release(false);
    release(true);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    ByteReader in(data, size);
    const ScorerInput x = read_scorer_input(in);
    const Release& rel = release(x.v24);

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

    const PersonCheckOptions opt{/*nonnegative_factors=*/true, /*canonical_keys=*/true};
    check_person(rel.image, x.patient, all, opt);
    check_person(rel.image, x.patient, current, opt);
    check_gaps(rel.image, x.patient, prior, current);
    return 0;
}
