// fuzz_compiler: compile_image (model_image.hpp) on a small ReleaseData built from the input
// (release_bytes.hpp): arbitrary HCC numbers (huge, negative, duplicate), crosswalk, hierarchy,
// interaction, factor and edit rows with valid and invalid names and values.
//
// Properties:
//   * compile_image throws nothing but DataError, and never sizes anything by an unchecked value
//     (run with -malloc_limit_mb=512: a 2 GB vector sized by "HCC2147483647" is a finding);
//   * it is deterministic (the same data compiles to the same bytes);
//   * an image it returns passes the validating ModelImage constructor and describes the data:
//     release scalars, one slot per label in ascending HCC order with its label, map_code of every
//     crosswalk code = the payment HCCs its rows name, the interaction names, code_count, the
//     CC223 patch flag;
//   * that image is safe and consistent to score (image_checks.hpp) for one person per segment of
//     its family, with raw >= 0 when no coefficient is negative, and the payment arithmetic of
//     scorer.hpp.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "errors.hpp"
#include "fuzz_bytes.hpp"
#include "image_checks.hpp"
#include "model_image.hpp"
#include "release_bytes.hpp"

using namespace hccraf;
using namespace hccraf::fuzz;

namespace {

// The CMS spelling (upper case, no dot): what compile_image accepts as a code.
bool cms_spelling(const std::string& code) {
    char buf[8];
    const std::size_t n = normalize_icd(code, buf);
    return n != 0 && std::string_view(buf, n) == code;
}

void check_describes(const ModelImage& image, const ReleaseData& d) {
    FUZZ_CHECK(image.model_version() == d.model_version);
    FUZZ_CHECK(image.payment_year() == d.payment_year);
    FUZZ_CHECK(image.normalization_factor() == d.normalization_factor);
    FUZZ_CHECK(image.ma_coding_adjustment() == d.ma_coding_adjustment);
    FUZZ_CHECK(image.blend_weight() == d.blend_weight);

    std::map<int, std::string> labels;
    for (const auto& l : d.labels) FUZZ_CHECK(labels.emplace(l.hcc, l.label).second);  // no duplicates
    FUZZ_CHECK(image.hcc_slot_count() == static_cast<int>(labels.size()));
    int slot = 0;
    for (const auto& [hcc, label] : labels) {
        FUZZ_CHECK(image.hcc_number(slot) == hcc && image.hcc_label(slot) == label);
        ++slot;
    }

    // Crosswalk only: the payment HCCs named by each code's rows (others are ignored, §9).
    std::map<IcdKey, std::set<int>> mapped;
    std::set<IcdKey> table;
    for (const auto& row : d.crosswalk) {
        FUZZ_CHECK(cms_spelling(row.icd10_code));
        const IcdKey key = pack_icd(row.icd10_code);
        mapped[key];
        if (labels.count(row.cc)) {
            mapped[key].insert(row.cc);
            table.insert(key);
        }
    }
    for (const auto& e : d.edits) {
        FUZZ_CHECK(cms_spelling(e.icd10_code));
        table.insert(pack_icd(e.icd10_code));
    }
    FUZZ_CHECK(image.code_count() == table.size());
    for (const auto& [key, hccs] : mapped) {
        int got[2];
        const int n = image.map_code(key, got);
        FUZZ_CHECK(std::set<int>(got, got + n) == hccs && static_cast<std::size_t>(n) == hccs.size());
    }

    std::set<std::string> names;
    for (const auto& row : d.interactions) names.insert(row.interaction);
    FUZZ_CHECK(image.interaction_count() == static_cast<int>(names.size()));
    for (int i = 0; i < image.interaction_count(); ++i)
        FUZZ_CHECK(names.count(std::string(image.interaction_name(i))));

    FUZZ_CHECK(image.has_cc223_patch() == (d.model_version.rfind("V28", 0) == 0 && labels.count(223) == 1));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    ByteReader in(data, size);
    const ReleaseData d = ReleaseDecoder(in).decode();
    std::vector<std::byte> bytes;
    try {
        bytes = compile_image(d);
    } catch (const DataError&) {
        return 0;
    }
    FUZZ_CHECK(compile_image(d) == bytes);
    FUZZ_CHECK(bytes.size() % 8 == 0);
    std::optional<ModelImage> image;
    try {
        image.emplace(bytes.data(), bytes.size());
    } catch (const DataError& e) {
        std::fprintf(stderr, "compiled image rejected: %s\n", e.what());
        FUZZ_CHECK(!"compile_image produced an image its validator rejects");
    }
    FUZZ_CHECK(image->byte_size() == bytes.size());
    check_describes(*image, d);
    check_accessors(*image);

    // Codes: the release's own (crosswalk and edits) and two that are in no table.
    std::vector<IcdKey> codes = {pack_icd("Z0000"), 12345};
    for (const auto& row : d.crosswalk) codes.push_back(pack_icd(row.icd10_code));
    for (const auto& e : d.edits) codes.push_back(pack_icd(e.icd10_code));
    if (codes.size() > 48) codes.resize(48);
    // Coefficients may be negative now (ESRD Originally_ESRD_Female): raw >= 0 only holds when
    // every factor row of the data is >= 0.
    const bool nonnegative = std::all_of(d.factors.begin(), d.factors.end(),
                                         [](const FactorRow& f) { return f.coefficient >= 0; });
    const PersonCheckOptions opt{nonnegative, /*canonical_keys=*/true};
    const std::uint64_t salt = size ? data[size - 1] * 0x0101010101010101ull : 0;
    const std::vector<Patient> persons = persons_for_family(image->family(), salt);
    for (std::size_t i = 0; i < persons.size(); ++i) {
        std::vector<IcdKey> mine;
        for (std::size_t j = 0; j < codes.size(); ++j)
            if ((j + i) % (1 + i % 2) == 0) mine.push_back(codes[j]);
        check_person(*image, persons[i], mine, opt);
    }
    const std::size_t half = codes.size() / 2;
    check_gaps(*image, persons[salt % persons.size()],
               std::vector<IcdKey>(codes.begin(), codes.begin() + half),
               std::vector<IcdKey>(codes.begin() + half / 2, codes.end()));
    return 0;
}
