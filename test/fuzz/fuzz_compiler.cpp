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
//     scorer.hpp;
//   * the model family comes from the input too (release_bytes.hpp): RxHCC and ESRD releases are
//     scored like CMS-HCC ones; an HHS-HCC release (member sets, drug codes, CSR factors,
//     cc_split edits, three-CC crosswalk codes) compiles to an image whose header CSR table, sets
//     and drug records are those of the rows, whose map_code_any is every CC a code's crosswalk
//     and cc_split rows name, and which hhs_score / hhs_explain score consistently for an adult,
//     a child and infants (check_hhs_image: InputError only for an enrollee invalid for the image;
//     indicator 1 with a full year never is).
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

// HHS-HCC: the header's CSR table, the member sets and the drug records are those of the rows.
void check_describes_hhs(const ModelImage& image, const ReleaseData& d) {
    ImageAccess a(image);
    const layout::Header& h = a.header();
    static const char* const kMetals[] = {"any", "platinum", "gold", "silver", "bronze", "catastrophic"};
    std::map<int, std::pair<int, int>> csr;  // indicator -> (hundredths, metal + 1 or 0)
    for (const CsrRow& r : d.csr) {
        FUZZ_CHECK(r.indicator >= 1 && r.indicator <= 11 && r.factor > 0 && r.factor % 10 == 0);
        const int metal = static_cast<int>(std::find(std::begin(kMetals), std::end(kMetals), r.metal) - kMetals);
        FUZZ_CHECK(metal < 6 && csr.emplace(r.indicator, std::make_pair(static_cast<int>(r.factor / 10), metal)).second);
    }
    FUZZ_CHECK(csr.count(1) == 1);
    for (int i = 0; i < 12; ++i) {
        const auto it = csr.find(i);
        FUZZ_CHECK(h.csr_factor[i] == (it == csr.end() ? 0 : it->second.first));
        FUZZ_CHECK(h.csr_metal[i] == (it == csr.end() ? 0 : it->second.second));
    }
    // Sets: one record per name, its members the rows' members.
    std::map<std::string, HccSet> sets;
    for (const SetRow& r : d.sets) {
        FUZZ_CHECK(image.hcc_slot(r.member) >= 0);
        sets[r.set].set(image.hcc_slot(r.member));
    }
    FUZZ_CHECK(a.count(layout::kSecSets) == sets.size());
    const auto* recs = a.section<layout::SetRecord>(layout::kSecSets);
    std::size_t i = 0;
    for (const auto& [name, members] : sets) {  // by name, as the compiler writes them
        FUZZ_CHECK(recs[i].members == members);
        const int group = parse_hcc_code(Family::Hhs, name);
        if (hhs_is_group(group)) FUZZ_CHECK(recs[i].kind == layout::kSetGroup && recs[i].slot == image.hcc_slot(group));
        ++i;
    }
    // Drugs: key -> the RXC slot and the ACF bits of all its rows, ascending keys.
    std::map<std::uint64_t, std::pair<int, int>> drugs;
    for (const DrugRow& r : d.drugs) {
        const auto key = r.code_system == "ndc" ? ndc_key(r.code) : hcpcs_key(r.code);
        FUZZ_CHECK(key && (r.code_system == "ndc" || r.code_system == "hcpcs"));
        auto& [slot, acf] = drugs.try_emplace(*key, layout::kNoSlot, 0).first->second;
        if (r.variable == "ACF_PrEP")
            acf |= layout::kAcfAdult;
        else if (r.variable == "ACF_PrEP_Child")
            acf |= layout::kAcfChild;
        else
            slot = image.hcc_slot(parse_hcc_code(Family::Hhs, r.variable));
    }
    FUZZ_CHECK(a.count(layout::kSecDrugs) == drugs.size());
    const auto* drec = a.section<layout::DrugRecord>(layout::kSecDrugs);
    i = 0;
    for (const auto& [key, v] : drugs) {
        FUZZ_CHECK(drec[i].key == key);
        FUZZ_CHECK(drec[i].slot == v.first && drec[i].acf == v.second);
        ++i;
    }
    // The slot masks of HCC_CNT, RXCs and groups.
    for (int s = 0; s < image.hcc_slot_count(); ++s) {
        const int n = image.hcc_number(s);
        FUZZ_CHECK(h.rxc_slots.test(s) == hhs_is_rxc(n) && h.group_slots.test(s) == hhs_is_group(n));
        FUZZ_CHECK(h.not_counted.test(s) == (hhs_is_rxc(n) || n == 22));
    }
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
    const bool hhs = image.family() == Family::Hhs;
    std::map<IcdKey, std::set<int>> split;  // HHS-HCC cc_split rows: CCs under a condition
    if (hhs)
        for (const auto& e : d.edits)
            if (e.edit_kind == "cc_split") split[pack_icd(e.icd10_code)].insert(e.cc);
    for (const auto& [key, hccs] : mapped) {
        int got[2];
        const int n = image.map_code(key, got);
        if (!hhs) {
            FUZZ_CHECK(std::set<int>(got, got + n) == hccs && static_cast<std::size_t>(n) == hccs.size());
            continue;
        }
        // HHS-HCC: a third (fourth, ...) unconditional CC becomes a split record that always holds;
        // map_code gives the two lowest, map_code_any all of them with the cc_split rows' CCs.
        std::vector<int> want(hccs.begin(), hccs.end());
        FUZZ_CHECK(n == std::min<int>(2, static_cast<int>(want.size())));
        for (int j = 0; j < n; ++j) FUZZ_CHECK(got[j] == want[static_cast<std::size_t>(j)]);
    }
    if (hhs) {
        std::set<IcdKey> keys;
        for (const auto& [key, h] : mapped) keys.insert(key);
        for (const auto& [key, h] : split) keys.insert(key);
        for (IcdKey key : keys) {
            std::set<int> all = mapped.count(key) ? mapped[key] : std::set<int>{};
            if (split.count(key)) all.insert(split[key].begin(), split[key].end());
            int got[ModelImage::kMaxMappedCcs];
            const int n = image.map_code_any(key, got);
            const std::vector<int> want(all.begin(), all.end());
            FUZZ_CHECK(n == std::min<int>(ModelImage::kMaxMappedCcs, static_cast<int>(want.size())));
            for (int j = 0; j < n; ++j) FUZZ_CHECK(got[j] == want[static_cast<std::size_t>(j)]);
        }
    }

    std::set<std::string> names;
    for (const auto& row : d.interactions) names.insert(row.interaction);
    FUZZ_CHECK(image.interaction_count() == static_cast<int>(names.size()));
    for (int i = 0; i < image.interaction_count(); ++i)
        FUZZ_CHECK(names.count(std::string(image.interaction_name(i))));

    FUZZ_CHECK(image.family() == *parse_family(d.model_family));
    FUZZ_CHECK(image.has_cc223_patch() == (image.family() == Family::CmsHcc && d.model_version.rfind("V28", 0) == 0 &&
                                           labels.count(223) == 1));
    if (hhs) check_describes_hhs(image, d);
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
    const std::uint64_t hhs_salt = size ? data[size - 1] * 0x0101010101010101ull ^ size : 0;
    if (image->family() == Family::Hhs) {
        std::vector<std::uint64_t> drugs = {0, layout::kHcpcsKeyBase, ~std::uint64_t{0}};
        for (const DrugRow& r : d.drugs) {
            if (drugs.size() >= 24) break;
            drugs.push_back(*(r.code_system == "ndc" ? ndc_key(r.code) : hcpcs_key(r.code)));
        }
        check_hhs_image(*image, codes, drugs, hhs_salt, HhsCheckOptions{/*canonical_keys=*/true, false});
        return 0;
    }
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
