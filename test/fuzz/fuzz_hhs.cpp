// fuzz_hhs: hhs_score() and hhs_explain() (hhs_model.hpp) on the REAL HHS-HCC V08 images of
// benefit years 2025 and 2026 (compiled once from data/HHS_V08), for random enrollees (age in and
// out of 0..150, or from two dates through age_on; sex; metal; CSR indicator 0..12; enrollment
// days -1..400), diagnosis codes (the release's own, random texts, random keys) and drug codes
// (the release's NDC / HCPCS codes as written and respelled, random texts, random keys).
//
// Input: hhs_input.hpp. Properties (../shared/cms/spec/hhs_hcc_v08_rules.md, cited by section),
// besides check_hhs_enrollee / check_hhs_explain of image_checks.hpp (hhs_score == hhs_explain,
// coefficients sum to raw, order and duplicates change nothing, the five metal scores are the
// factors of the variables that are 1, raw == score[metal], csr_adjusted_exact == raw x factor and
// csr_adjusted its half-up, the model by age (§2), enrollment months (§3), HCC_ED only for an
// adult with months <= 6 and HCC_CNT > 0 (§5.7), infants without HCC_CNT, RXCs, groups and
// interactions, children without RXCs, ...):
//   * InputError exactly for the invalid enrollees the header documents: age < 0 or > 150, a CSR
//     indicator outside 1..11 or of another metal (§8, written here from the spec's table, and
//     the image's CSR table equals that table), days outside 1..366; hhs_explain also for a
//     malformed NDC / HCPCS text, and nothing else escapes;
//   * age_on (§2) and ndc_key / hcpcs_key equal references written from the header;
//   * a group and its members are never both 1 in `scored`; no hierarchy parent and child both in
//     the HCCs; an adult's / child's HCCs hold nothing the model excludes (§5.2); RXC_06 and
//     RXC_07 never both (§5.3); HCC_CNT = |scored| - RXCs - HHS_HCC022 for adults (§5.6);
//     infants: exactly one maturity x severity variable (§5.9);
//   * the five metal scores do not depend on the enrollee's metal (every metal lists the same
//     variables in V08); enrollment days change nothing for children, infants and adults with 7+
//     months; drug codes change nothing for infants, and for children only ACF_PrEP_Child (age
//     12-20, no HHS_HCC001, §5.8); ACF_PrEP only without RXC_01.
#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "csv.hpp"
#include "errors.hpp"
#include "fuzz_bytes.hpp"
#include "hhs_input.hpp"
#include "hhs_model.hpp"
#include "image_checks.hpp"
#include "model_image.hpp"
#include "release_data.hpp"

using namespace hccraf;
using namespace hccraf::fuzz;

namespace {

struct DrugCode {
    bool ndc;
    std::string code;
};

struct Release {
    std::vector<std::byte> bytes;
    ModelImage image;
    std::vector<IcdKey> known;     // every code of the crosswalk and the edits, ascending
    std::vector<DrugCode> drugs;   // drugs.csv as written
    int hcc022 = -1, rxc01 = -1, rxc06 = -1, rxc07 = -1, hcc001 = -1;  // slots
};

Release load(int year) {
    ReleaseData d = load_release_dir(HCCRAF_DATA_DIR, "HHS_V08", year);
    FUZZ_CHECK(d.model_family == "HHS-HCC");
    std::vector<IcdKey> known;
    for (const auto& row : d.crosswalk) known.push_back(pack_icd(row.icd10_code));
    for (const auto& e : d.edits) known.push_back(pack_icd(e.icd10_code));
    std::sort(known.begin(), known.end());
    known.erase(std::unique(known.begin(), known.end()), known.end());
    std::vector<DrugCode> drugs;
    for (const auto& r : d.drugs) drugs.push_back({r.code_system == "ndc", r.code});
    std::vector<std::byte> bytes = compile_image(d);
    ModelImage image(bytes.data(), bytes.size());  // validates
    Release rel{std::move(bytes), image, std::move(known), std::move(drugs)};
    rel.hcc022 = image.hcc_slot(22);
    rel.hcc001 = image.hcc_slot(1);
    rel.rxc01 = image.hcc_slot(kHhsRxcBase + 1);
    rel.rxc06 = image.hcc_slot(kHhsRxcBase + 6);
    rel.rxc07 = image.hcc_slot(kHhsRxcBase + 7);
    return rel;
}

const Release& release(int year) {
    static const Release by2025 = load(2025);
    static const Release by2026 = load(2026);
    return year == 2025 ? by2025 : by2026;
}

// §8, from the spec's table: indicator -> (factor in hundredths, metal + 1 or 0 = any).
constexpr int kCsrFactor[12] = {0, 100, 107, 112, 151, 119, 131, 104, 139, 110, 146, 115};
constexpr int kCsrMetal[12] = {0, 0, 2, 3, 4, 4, 1, 1, 2, 2, 3, 3};  // platinum = 1 .. bronze = 4

bool csr_valid(int indicator, Metal m) {
    return indicator >= 1 && indicator <= 11 &&
           (kCsrMetal[indicator] == 0 || kCsrMetal[indicator] == static_cast<int>(m) + 1);
}

// §2 reference: completed years; InputError for an impossible date or a last day before birth.
bool leap(int y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}
bool valid_date(int y, int m, int d) {
    static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return y >= 1800 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= days[m - 1] + (m == 2 && leap(y));
}
std::optional<int> reference_age(const HhsDates& x) {
    if (!valid_date(x.birth_year, x.birth_month, x.birth_day) || !valid_date(x.year, x.month, x.day))
        return std::nullopt;
    const bool before = x.month < x.birth_month || (x.month == x.birth_month && x.day < x.birth_day);
    const int age = x.year - x.birth_year - (before ? 1 : 0);
    if (age < 0) return std::nullopt;
    return age;
}

// ndc_key / hcpcs_key reference (hhs_model.hpp): blanks trimmed, upper-cased, exactly 11 / 5
// characters 0-9 A-Z, base 36; HCPCS keys above 2^60.
std::optional<std::uint64_t> reference_drug_key(const std::string& text, bool ndc) {
    std::size_t b = 0, e = text.size();
    while (b < e && std::isspace(static_cast<unsigned char>(text[b]))) ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(text[e - 1]))) --e;
    if (e - b != (ndc ? 11u : 5u)) return std::nullopt;
    std::uint64_t k = 0;
    for (std::size_t i = b; i < e; ++i) {
        const char c = static_cast<char>(std::toupper(static_cast<unsigned char>(text[i])));
        int v;
        if (c >= '0' && c <= '9')
            v = c - '0';
        else if (c >= 'A' && c <= 'Z')
            v = c - 'A' + 10;
        else
            return std::nullopt;
        k = k * 36 + static_cast<std::uint64_t>(v);
    }
    return ndc ? k : layout::kHcpcsKeyBase + k;
}

std::string respell(const std::string& code, int variant) {
    std::string s = code;
    if (variant & 1)
        for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (variant & 2) s = "  " + s + " ";
    if (variant & 4) s = "\t" + s + "\r\n";
    return s;
}

HhsResult score_of(const Release& rel, const Enrollee& e, const std::vector<IcdKey>& codes,
                   const std::vector<std::uint64_t>& drugs) {
    HhsResult r;
    hhs_score(rel.image, e, codes.data(), codes.size(), drugs.data(), drugs.size(), r);
    return r;
}

std::vector<int> variables_without(const HhsResult& r, int drop) {
    std::vector<int> v;
    for (int id : r.variables)
        if (id >= 0 && id != drop) v.push_back(id);
    std::sort(v.begin(), v.end());
    return v;
}

// The properties that hold for the shipped releases (the structure of V08's data).
void check_release_properties(const Release& rel, const Enrollee& e, const std::vector<IcdKey>& codes,
                              const std::vector<std::uint64_t>& drugs, const HhsResult& r) {
    ImageAccess a(rel.image);
    const auto* sets = a.section<layout::SetRecord>(layout::kSecSets);
    const int model = static_cast<int>(r.model);
    for (std::uint32_t i = 0; i < a.count(layout::kSecSets); ++i) {
        const layout::SetRecord& s = sets[i];
        // §5.5: a group replaces its members.
        if (s.kind == layout::kSetGroup) FUZZ_CHECK(!(r.scored.test(s.slot) && r.scored.intersects(s.members)));
        // §5.2: adults and children keep no excluded HCC (infants list all of them).
        if (s.kind == layout::kSetExcluded && s.param == model && r.model != HhsModel::Infant)
            FUZZ_CHECK(!r.hccs.intersects(s.members) && !r.scored.intersects(s.members));
    }
    // §5.1: the hierarchy is transitively closed: no parent with a child left.
    const auto* rules = a.section<layout::RuleRecord>(layout::kSecRules);
    const HccSet flags = r.hccs | r.rxcs;
    for (std::uint32_t i = 0; i < a.count(layout::kSecRules); ++i)
        if (flags.test(rules[i].parent_slot)) FUZZ_CHECK(!flags.intersects(rules[i].children));
    FUZZ_CHECK(!(r.rxcs.test(rel.rxc06) && r.rxcs.test(rel.rxc07)));
    // §5.6: HCC_CNT = HCCs after grouping + groups, without RXCs and (adults) HHS_HCC022.
    if (r.model != HhsModel::Infant) {
        int rxcs = 0;
        r.scored.for_each([&](int s) { rxcs += hhs_is_rxc(rel.image.hcc_number(s)); });
        const int add_on = r.model == HhsModel::Adult && r.scored.test(rel.hcc022) ? 1 : 0;
        FUZZ_CHECK(r.hcc_cnt == r.scored.count() - rxcs - add_on);
        FUZZ_CHECK(r.model == HhsModel::Adult || !r.scored.test(rel.hcc022));
    }
    // §5.9: exactly one maturity x severity variable (every infant segment lists all 25).
    int maturity = 0;
    for (int id : r.variables) maturity += id >= 0 && demo::kind(id) == demo::Kind::Maturity;
    FUZZ_CHECK(maturity == (r.model == HhsModel::Infant ? 1 : 0));
    // §5.8: ACF_PrEP only without RXC_01; with a PrEP code, no RXC_01 and a model that lists it, there.
    const bool acf_adult = std::find(r.variables, r.variables + kMaxHhsVariables, demo::kHhsAcfAdult) !=
                           r.variables + kMaxHhsVariables;
    if (acf_adult) FUZZ_CHECK(!r.rxcs.test(rel.rxc01));
    {
        const auto* recs = a.section<layout::DrugRecord>(layout::kSecDrugs);
        const auto* end = recs + a.count(layout::kSecDrugs);
        bool prep = false;
        for (std::uint64_t k : drugs) {
            const auto* it = std::lower_bound(recs, end, k, [](const layout::DrugRecord& d, std::uint64_t v) { return d.key < v; });
            prep |= it != end && it->key == k && (it->acf & layout::kAcfAdult);
        }
        const layout::SegmentRecord& own = a.segment(hhs_segment(r.model, e.metal));
        const int id = demo::kHhsAcfAdult;
        if (r.model == HhsModel::Adult && prep && !r.rxcs.test(rel.rxc01) && ((own.demographic_present[id / 64] >> (id % 64)) & 1))
            FUZZ_CHECK(acf_adult);
    }

    // Metamorphic: the other metals (indicator 1) give the same five scores and variables.
    for (int m = 0; m < kMetalCount; ++m) {
        Enrollee e2 = e;
        e2.metal = static_cast<Metal>(m);
        e2.csr_indicator = 1;
        const HhsResult r2 = score_of(rel, e2, codes, drugs);
        FUZZ_CHECK(std::equal(r.score, r.score + kMetalCount, r2.score) && r2.raw == r.score[m]);
        FUZZ_CHECK(r2.scored == r.scored && std::equal(r.variables, r.variables + kMaxHhsVariables, r2.variables));
        FUZZ_CHECK(r2.csr_factor == 100 && r2.csr_adjusted == r2.raw);
    }
    // Enrollment days matter only for adults with 1..6 months (HCC_ED).
    if (r.model != HhsModel::Adult || r.enrollment_months >= 7) {
        Enrollee e2 = e;
        e2.enrollment_days = r.model == HhsModel::Adult ? 185 + (e.enrollment_days * 7) % 182 : 1 + e.enrollment_days % 366;
        HhsResult r2 = score_of(rel, e2, codes, drugs);
        FUZZ_CHECK(r2.enrollment_months == reference_months(e2.enrollment_days));
        r2.enrollment_months = r.enrollment_months;
        FUZZ_CHECK(same_hhs(r, r2));
    }
    // Drug codes: nothing for infants; only ACF_PrEP_Child for children.
    if (r.model != HhsModel::Adult && !drugs.empty()) {
        HhsResult r2 = score_of(rel, e, codes, {});
        if (r.model == HhsModel::Infant) {
            FUZZ_CHECK(same_hhs(r, r2));
        } else {
            FUZZ_CHECK(r2.hccs == r.hccs && r2.rxcs.empty() && r2.scored == r.scored && r2.hcc_cnt == r.hcc_cnt &&
                       r2.interactions == r.interactions);
            FUZZ_CHECK(variables_without(r, demo::kHhsAcfChild) == variables_without(r2, -2));
            if (std::find(r.variables, r.variables + kMaxHhsVariables, demo::kHhsAcfChild) != r.variables + kMaxHhsVariables)
                FUZZ_CHECK(e.age_last >= 12 && !r.hccs.test(rel.hcc001));
            else
                FUZZ_CHECK(same_hhs(r, r2));
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    for (int year : {2025, 2026}) {
        const Release& rel = release(year);
        FUZZ_CHECK(rel.image.family() == Family::Hhs && rel.image.payment_year() == year);
        const layout::Header& h = ImageAccess(rel.image).header();
        for (int i = 0; i < 12; ++i) FUZZ_CHECK(h.csr_factor[i] == kCsrFactor[i] && h.csr_metal[i] == kCsrMetal[i]);
        FUZZ_CHECK(rel.hcc022 >= 0 && rel.hcc001 >= 0 && rel.rxc01 >= 0 && rel.rxc06 >= 0 && rel.rxc07 >= 0);
        check_hhs_assumptions(rel.image);
    }
    for (int m = 0; m < kMetalCount; ++m) {
        const Metal metal = static_cast<Metal>(m);
        FUZZ_CHECK(parse_metal(metal_name(metal)) == metal);
        FUZZ_CHECK(parse_metal(std::string(" ") + metal_name(metal) + "\t") == metal);
    }
    FUZZ_CHECK(!parse_metal("") && !parse_metal("any") && !parse_metal("silverx"));
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    ByteReader in(data, size);
    HhsInput x = read_hhs_input(in);
    const Release& rel = release(x.year);
    Enrollee& e = x.enrollee;

    // §2: age_on against the reference; a refused pair of dates makes an invalid age.
    if (x.from_dates) {
        const HhsDates& d = x.dates;
        const std::optional<int> want = reference_age(d);
        try {
            e.age_last = age_on(d.birth_year, d.birth_month, d.birth_day, d.year, d.month, d.day);
            FUZZ_CHECK(want && *want == e.age_last);
        } catch (const InputError&) {
            FUZZ_CHECK(!want);
            e.age_last = -1;
        }
    }

    // Codes as keys (hhs_score) and as texts (hhs_explain).
    std::vector<IcdKey> codes;
    std::vector<std::uint64_t> drugs;
    std::vector<std::string> dx, ndc, hcpcs;
    for (const HhsEntry& en : x.entries) {
        switch (en.kind) {
            case HhsEntryKind::KnownIcd: {
                const IcdKey k = rel.known[en.index % rel.known.size()];
                codes.push_back(k);
                dx.push_back(format_icd(k, en.index % 2 == 1));
                break;
            }
            case HhsEntryKind::IcdText:
                if (IcdKey k = icd_key(en.text)) codes.push_back(k);
                dx.push_back(en.text);
                break;
            case HhsEntryKind::RawIcd:
                codes.push_back(en.key);  // almost never a code: changes nothing (canonical keys)
                break;
            case HhsEntryKind::KnownDrug:
            case HhsEntryKind::RespelledDrug: {
                const DrugCode& c = rel.drugs[en.index % rel.drugs.size()];
                const std::string text = en.kind == HhsEntryKind::KnownDrug ? c.code : respell(c.code, en.variant);
                const auto k = c.ndc ? ndc_key(text) : hcpcs_key(text);
                FUZZ_CHECK(k && k == (c.ndc ? ndc_key(c.code) : hcpcs_key(c.code)));
                FUZZ_CHECK(k == reference_drug_key(text, c.ndc));
                drugs.push_back(*k);
                (c.ndc ? ndc : hcpcs).push_back(text);
                break;
            }
            case HhsEntryKind::NdcText:
            case HhsEntryKind::HcpcsText: {
                const bool is_ndc = en.kind == HhsEntryKind::NdcText;
                const auto k = is_ndc ? ndc_key(en.text) : hcpcs_key(en.text);
                FUZZ_CHECK(k == reference_drug_key(en.text, is_ndc));
                if (k) drugs.push_back(*k);
                (is_ndc ? ndc : hcpcs).push_back(en.text);
                break;
            }
            case HhsEntryKind::RawDrug:
                drugs.push_back(en.key);
                break;
        }
    }

    // The documented InputErrors, from the spec's own tables, agree with the image's.
    const bool valid = e.age_last >= 0 && e.age_last <= 150 && e.enrollment_days >= 1 && e.enrollment_days <= 366 &&
                       csr_valid(e.csr_indicator, e.metal);
    FUZZ_CHECK(valid == hhs_enrollee_valid(rel.image, e));

    const HhsCheckOptions opt{/*canonical_keys=*/true, /*real_release=*/true};
    const std::optional<HhsResult> r = check_hhs_enrollee(rel.image, e, codes, drugs, opt);
    FUZZ_CHECK(r.has_value() == valid);
    // hhs_explain on the input's own texts (malformed drug texts: InputError).
    (void)check_hhs_explain(rel.image, e, dx, ndc, hcpcs);
    if (!r) return 0;
    FUZZ_CHECK(r->csr_factor == kCsrFactor[e.csr_indicator]);
    check_release_properties(rel, e, codes, drugs, *r);
    return 0;
}
