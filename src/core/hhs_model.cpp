// The HHS-HCC enrollee score (hhs_model.hpp; spec: ../shared/cms/spec/hhs_hcc_v08_rules.md,
// cited by section). run() is one template for the hot path (empty trace) and the explanation.
#include "hhs_model.hpp"

#include <algorithm>
#include <bit>
#include <cctype>

#include "demographics.hpp"
#include "errors.hpp"
#include "interrupts.hpp"
#include "score_steps.hpp"

namespace hccraf {

using namespace layout;
using steps::CodeDecision;

namespace {

constexpr const char* kMetalNames[kMetalCount] = {"platinum", "gold", "silver", "bronze", "catastrophic"};

bool leap(int y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

bool valid_date(int y, int m, int d) {
    static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return y >= 1800 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
           d <= days[m - 1] + (m == 2 && leap(y) ? 1 : 0);
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

struct NoHhsTrace : steps::NoTrace {
    void drug(std::size_t, int) {}
    void excluded(const HccSet&) {}
    void grouped(int, const HccSet&) {}
};

// The sets of one kind and parameter (severe, transplant, excluded) as one mask.
HccSet union_of(const ImageAccess& a, SetKind kind, int param) {
    HccSet s;
    const SetRecord* sets = a.section<SetRecord>(kSecSets);
    for (std::uint32_t i = 0, n = a.count(kSecSets); i < n; ++i)
        if (sets[i].kind == kind && sets[i].param == param) s |= sets[i].members;
    return s;
}

// The highest `param` whose set of `kind` meets flags (infant severity 5..1, maturity 1..4 where
// the LOWEST wins); 0 when none.
int level_of(const ImageAccess& a, SetKind kind, const HccSet& flags, bool highest) {
    int best = 0;
    const SetRecord* sets = a.section<SetRecord>(kSecSets);
    for (std::uint32_t i = 0, n = a.count(kSecSets); i < n; ++i) {
        if (sets[i].kind != kind || !flags.intersects(sets[i].members)) continue;
        if (best == 0 || (highest ? sets[i].param > best : sets[i].param < best)) best = sets[i].param;
    }
    return best;
}

int drug_index(const ImageAccess& a, std::uint64_t key) {
    const DrugRecord* drugs = a.section<DrugRecord>(kSecDrugs);
    const DrugRecord* end = drugs + a.count(kSecDrugs);
    const DrugRecord* it =
        std::lower_bound(drugs, end, key, [](const DrugRecord& r, std::uint64_t k) { return r.key < k; });
    return it != end && it->key == key ? static_cast<int>(it - drugs) : -1;
}

int adult_cell(int age) {
    static constexpr int upper[] = {24, 29, 34, 39, 44, 49, 54, 59};
    int cell = 0;
    while (cell < 8 && age > upper[cell]) ++cell;
    return cell;
}

int child_cell(int age) {
    return age <= 4 ? 0 : age <= 9 ? 1 : age <= 14 ? 2 : 3;
}

// Severe and transplant count variables (§5.6).
void count_variables(HhsModel m, int cnt, bool severe, bool transplant, int* ids, int& k) {
    if (severe && cnt >= 1) {
        if (m == HhsModel::Adult)
            ids[k++] = cnt >= 10 ? demo::kHhsSevere10Plus : demo::kHhsSevere + cnt - 1;
        else
            ids[k++] = cnt >= 8   ? demo::kHhsSevere8Plus
                       : cnt >= 6 ? demo::kHhsSevere6To7
                                  : demo::kHhsSevere + cnt - 1;
    }
    if (transplant && cnt >= 4) {
        if (m == HhsModel::Adult)
            ids[k++] = cnt >= 8 ? demo::kHhsTransplant8Plus : demo::kHhsTransplant + cnt - 4;
        else
            ids[k++] = demo::kHhsTransplant4Plus;
    }
}

void check_enrollee(const ImageAccess& a, const Enrollee& e) {
    const Header& h = a.header();
    if (a.family() != Family::Hhs)
        throw InputError(std::string("the ") + h.model_version + " release is not an HHS-HCC model",
                         "hhs_score() scores ACA enrollees with an HHS-HCC release (HHS_V08); use "
                         "raf_score() for the Medicare models.");
    if (e.age_last < 0 || e.age_last > 150)
        throw InputError("age_last " + std::to_string(e.age_last) + " is out of range",
                         "AGE_LAST is the age in completed years on the last day of enrollment (0 to 150).");
    if (e.csr_indicator < 1 || e.csr_indicator > 11 || h.csr_factor[e.csr_indicator] == 0)
        throw InputError("csr_indicator " + std::to_string(e.csr_indicator) + " is not a CSR indicator of " +
                             h.model_version,
                         "CSR indicators are 1 to 11 (1 = no cost-sharing reduction).");
    const int metal = h.csr_metal[e.csr_indicator];
    // §8: an indicator of another metal is an input error; catastrophic plans take indicator 1 only.
    if (metal != 0 && metal != static_cast<int>(e.metal) + 1)
        throw InputError("csr_indicator " + std::to_string(e.csr_indicator) + " belongs to " +
                             kMetalNames[metal - 1] + " plans, not " + kMetalNames[static_cast<int>(e.metal)],
                         "Indicators 2, 8, 9: gold; 3, 10, 11: silver; 4, 5: bronze; 6, 7: platinum; "
                         "1: any metal.");
}

template <class Trace>
void run(const ImageAccess& a, const Enrollee& e, const IcdKey* codes, std::size_t n,
         const std::uint64_t* drugs, std::size_t n_drugs, HhsResult& out, Trace& trace) {
    check_enrollee(a, e);
    const Header& h = a.header();
    out = HhsResult{};
    const int age = e.age_last;
    // §2: adult 21+, child 2-20, infant 0-1; §3: months from days (adults only use them).
    out.model = age >= 21 ? HhsModel::Adult : age >= 2 ? HhsModel::Child : HhsModel::Infant;
    out.enrollment_months = enrollment_months(e.enrollment_days);
    const HhsModel m = out.model;
    const SegmentRecord& own = a.segment(hhs_segment(m, e.metal));

    // §4: MCE edits, then the crosswalk and its age/sex splits (the shared step 1). The MCE age
    // is AGE_LAST (§2, open question 1: diagnosis dates are not inputs here).
    Patient p;
    p.age = age;
    p.sex = e.sex;
    HccSet cc = steps::conditions(a, p, codes, n, nullptr, trace);

    // §5.3, §5.8: drug codes make RXCs (adult model only) and the PrEP ACF flags.
    std::uint8_t acf = 0;
    if (m != HhsModel::Infant) {
        const DrugRecord* recs = a.section<DrugRecord>(kSecDrugs);
        for (std::size_t i = 0; i < n_drugs; ++i) {
            interrupts::poll_every(i);
            const int d = drug_index(a, drugs[i]);
            trace.drug(i, d);
            if (d < 0) continue;
            if (m == HhsModel::Adult && recs[d].slot != kNoSlot) cc.set(recs[d].slot);
            acf |= recs[d].acf;
        }
    }

    // §5.1, §5.3: the hierarchy on every CC; RXC_06 zeroing RXC_07 is one more rule.
    steps::apply_hierarchy(a, cc, trace);
    // §5.2: HCCs outside the model carry no factor and are not counted. Infants keep them in the
    // reported list (the golden files list every HCC after hierarchy); none is in a severity set.
    const HccSet excluded = cc & union_of(a, kSetExcluded, static_cast<int>(m));
    trace.excluded(excluded);
    out.hccs = (m == HhsModel::Infant ? cc : cc - excluded) - h.rxc_slots;
    cc -= excluded;
    out.rxcs = cc & h.rxc_slots;

    int k = 0;
    int* ids = out.variables;
    if (m == HhsModel::Infant) {
        // §5.9: severity from the HCCs after hierarchy (highest level, else 1); maturity at age 0
        // (most immature wins, none -> AGE1); age-0 males without a newborn HCC take AGE1_MALE.
        out.severity = std::max(1, level_of(a, kSetSeverity, cc, true));
        const int maturity = age == 0 ? level_of(a, kSetMaturity, cc, false) : 0;
        out.maturity = maturity == 0 ? 5 : maturity;
        if (e.sex == Sex::Male) ids[k++] = out.maturity == 5 ? demo::kHhsAge1Male : demo::kHhsAge0Male;
        ids[k++] = demo::kHhsMaturity + (out.maturity - 1) * 5 + out.severity - 1;
        out.scored = HccSet{};  // no HCC, group or RXC is an infant variable
    } else {
        // §6: the age/sex cell.
        ids[k++] = m == HhsModel::Adult
                       ? demo::kHhsAdultCell + (e.sex == Sex::Male ? 9 : 0) + adult_cell(age)
                       : demo::kHhsChildCell + (e.sex == Sex::Male ? 4 : 0) + child_cell(age);
        // §5.4: RXC x HCC interactions on the flags before grouping.
        if (own.interaction_present)
            out.interactions = steps::interactions_on(a, own.interaction_present, cc, false, false);
        // §5.5: a group listed by the model replaces its members.
        const SetRecord* sets = a.section<SetRecord>(kSecSets);
        for (std::uint32_t i = 0, ns = a.count(kSecSets); i < ns; ++i) {
            if (sets[i].kind != kSetGroup || !own.hcc_present.test(sets[i].slot) ||
                !cc.intersects(sets[i].members))
                continue;
            trace.grouped(static_cast<int>(i), cc & sets[i].members);
            cc -= sets[i].members;
            cc.set(sets[i].slot);
        }
        out.groups = cc & h.group_slots;
        out.scored = cc;
        // §5.6: HCC_CNT = HCCs after grouping + groups, without RXCs and HHS_HCC022.
        out.hcc_cnt = (cc - h.not_counted).count();
        const int model = static_cast<int>(m);
        count_variables(m, out.hcc_cnt, cc.intersects(union_of(a, kSetSevere, model)),
                        cc.intersects(union_of(a, kSetTransplant, model)), ids, k);
        // §5.7: HCC_ED1..6 for partial-year adults with at least one HCC.
        if (m == HhsModel::Adult && out.enrollment_months <= 6 && out.hcc_cnt > 0)
            ids[k++] = demo::kHhsEnrollmentDuration + out.enrollment_months - 1;
        // §5.8: PrEP ACF; adults without RXC_01, children 12-20 without HHS_HCC001.
        const int rxc01 = h.sections[kSecHccIndex].count > static_cast<std::uint32_t>(kHhsRxcBase + 1)
                              ? a.section<std::uint8_t>(kSecHccIndex)[kHhsRxcBase + 1]
                              : kNoSlot;
        const int hcc001 = a.count(kSecHccIndex) > 1 ? a.section<std::uint8_t>(kSecHccIndex)[1] : kNoSlot;
        if (m == HhsModel::Adult && (acf & kAcfAdult) && (rxc01 == kNoSlot || !cc.test(rxc01)))
            ids[k++] = demo::kHhsAcfAdult;
        if (m == HhsModel::Child && age >= 12 && (acf & kAcfChild) && (hcc001 == kNoSlot || !cc.test(hcc001)))
            ids[k++] = demo::kHhsAcfChild;
    }
    // Only the variables the model lists count (BY2025 has no ACF; §7).
    int kept = 0;
    for (int i = 0; i < k; ++i)
        if (steps::demographic_present(own, ids[i])) ids[kept++] = ids[i];
    for (int i = kept; i < kMaxHhsVariables; ++i) ids[i] = -1;

    // §7: one score per metal, exact sums of thousandths.
    for (int metal = 0; metal < kMetalCount; ++metal) {
        const SegmentRecord& seg = a.segment(hhs_segment(m, static_cast<Metal>(metal)));
        Milli sum = 0;
        for (int i = 0; i < kept; ++i)
            if (steps::demographic_present(seg, ids[i])) sum += seg.demographic_factor[ids[i]];
        (out.scored & seg.hcc_present).for_each([&](int s) { sum += seg.hcc_factor[s]; });
        for (std::uint32_t bits = out.interactions & seg.interaction_present; bits; bits &= bits - 1)
            sum += seg.interaction_factor[std::countr_zero(bits)];
        out.score[metal] = sum;
    }
    out.raw = out.score[static_cast<int>(e.metal)];
    // §8-§9: exact product (thousandths x hundredths = 1e-5), then half up to thousandths.
    out.csr_factor = h.csr_factor[e.csr_indicator];
    out.csr_adjusted_exact = out.raw * out.csr_factor;
    out.csr_adjusted = out.csr_adjusted_exact >= 0 ? (out.csr_adjusted_exact + 50) / 100
                                                   : -((-out.csr_adjusted_exact + 50) / 100);
}

// Explanation bookkeeping.
struct RecordingTrace : NoHhsTrace {
    static constexpr bool enabled = true;
    std::vector<std::pair<int, CodeDecision>> codes;
    std::vector<int> drug_hits;
    std::vector<std::pair<std::uint32_t, int>> drops;
    HccSet excluded_set;
    std::vector<std::pair<int, HccSet>> groups;
    void code(std::size_t, int ci, const CodeDecision& d) { codes.emplace_back(ci, d); }
    void dropped(std::uint32_t rule, int slot) { drops.emplace_back(rule, slot); }
    void drug(std::size_t, int d) { drug_hits.push_back(d); }
    void excluded(const HccSet& s) { excluded_set = s; }
    void grouped(int set, const HccSet& members) { groups.emplace_back(set, members); }
};

std::string age_condition(const EditRecord& r) {
    std::string s;
    if (r.age_min >= 0 && r.age_max >= 0)
        s = r.age_min == r.age_max ? "age " + std::to_string(r.age_min)
                                   : "ages " + std::to_string(r.age_min) + "-" + std::to_string(r.age_max);
    else if (r.age_min >= 0)
        s = "age " + std::to_string(r.age_min) + "+";
    else if (r.age_max >= 0)
        s = "age up to " + std::to_string(r.age_max);
    if (r.sex) s += std::string(s.empty() ? "" : ", ") + (r.sex == 'M' ? "male" : "female");
    return s.empty() ? "always" : s;
}

std::string variable_reason(int id, const HhsResult& r, const Enrollee& e) {
    using namespace demo;
    if (id < kHhsAge0Male)
        return "age " + std::to_string(e.age_last) + " on the last enrollment day, " +
               (e.sex == Sex::Male ? "male" : "female");
    if (id == kHhsAge0Male) return "male, age 0, with a newborn maturity HCC";
    if (id == kHhsAge1Male)
        return e.age_last == 0 ? "male, age 0 without a newborn HCC: scored as age 1" : "male, age 1";
    if (id < kHhsTransplant) return "a severe-illness HCC and HCC_CNT = " + std::to_string(r.hcc_cnt);
    if (id < kHhsEnrollmentDuration) return "a transplant HCC and HCC_CNT = " + std::to_string(r.hcc_cnt);
    if (id < kHhsAcfAdult)
        return std::to_string(e.enrollment_days) + " days enrolled = " + std::to_string(r.enrollment_months) +
               " months, HCC_CNT > 0";
    if (id == kHhsAcfAdult) return "a PrEP drug code and no RXC_01 (affiliated cost factor)";
    if (id == kHhsAcfChild) return "age 12-20, a PrEP drug code and no HHS_HCC001 (affiliated cost factor)";
    return "infant severity level " + std::to_string(r.severity) + " x maturity";
}

}  // namespace

const char* hhs_model_name(HhsModel m) {
    switch (m) {
        case HhsModel::Adult:
            return "adult";
        case HhsModel::Child:
            return "child";
        case HhsModel::Infant:
            return "infant";
    }
    return "?";
}

const char* metal_name(Metal m) {
    int i = static_cast<int>(m);
    return i >= 0 && i < kMetalCount ? kMetalNames[i] : "?";
}

std::optional<Metal> parse_metal(std::string_view text) {
    text = trim(text);
    for (int i = 0; i < kMetalCount; ++i) {
        std::string_view name = kMetalNames[i];
        if (text.size() == name.size() &&
            std::equal(text.begin(), text.end(), name.begin(),
                       [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; }))
            return static_cast<Metal>(i);
    }
    return std::nullopt;
}

Segment hhs_segment(HhsModel m, Metal metal) {
    return static_cast<Segment>(static_cast<int>(Segment::Adult_Platinum) +
                                static_cast<int>(m) * kMetalCount + static_cast<int>(metal));
}

int age_on(int by, int bm, int bd, int y, int m, int d) {
    if (!valid_date(by, bm, bd)) throw InputError("invalid date of birth");
    if (!valid_date(y, m, d)) throw InputError("invalid last enrollment date");
    int age = y - by - ((m < bm || (m == bm && d < bd)) ? 1 : 0);
    if (age < 0 || (y == by && (m < bm || (m == bm && d < bd))))
        throw InputError("the last enrollment date is before the date of birth");
    return age;
}

int enrollment_months(int days) {
    if (days < 1 || days > 366)
        throw InputError("enrollment_days " + std::to_string(days) + " is out of range",
                         "Give the days enrolled in the benefit year, 1 to 366.");
    static constexpr int last_day[] = {31, 62, 92, 123, 153, 184, 214, 245, 275, 306, 335, 366};
    int months = 1;
    while (days > last_day[months - 1]) ++months;
    return months;
}

namespace {

// Base 36 over 0-9 A-Z (upper-cased); nullopt for another character or length.
std::optional<std::uint64_t> base36(std::string_view code, std::size_t length) {
    code = trim(code);
    if (code.size() != length) return std::nullopt;
    std::uint64_t k = 0;
    for (char c : code) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        const int v = c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'Z' ? c - 'A' + 10 : -1;
        if (v < 0) return std::nullopt;
        k = k * 36 + static_cast<std::uint64_t>(v);
    }
    return k;
}

}  // namespace

// 36^11 < 2^57: NDC keys stay below kHcpcsKeyBase.
std::optional<std::uint64_t> ndc_key(std::string_view ndc) {
    return base36(ndc, 11);
}

std::optional<std::uint64_t> hcpcs_key(std::string_view hcpcs) {
    auto k = base36(hcpcs, 5);
    if (!k) return std::nullopt;
    return kHcpcsKeyBase + *k;
}

void hhs_score(const ModelImage& image, const Enrollee& e, const IcdKey* codes, std::size_t n,
               const std::uint64_t* drugs, std::size_t n_drugs, HhsResult& out) {
    NoHhsTrace trace;
    run(ImageAccess(image), e, codes, n, drugs, n_drugs, out, trace);
}

HccSet hhs_excluded_hccs(const ModelImage& image, HhsModel m) {
    return union_of(ImageAccess(image), kSetExcluded, static_cast<int>(m));
}

std::vector<std::string> hhs_variable_names(const ModelImage& image, const HhsResult& r) {
    std::vector<std::string> names;
    for (int id : r.variables)
        if (id >= 0) names.push_back(demo::name(Family::Hhs, id));
    for (std::uint32_t bits = r.interactions; bits; bits &= bits - 1)
        names.emplace_back(image.interaction_name(std::countr_zero(bits)));
    std::sort(names.begin(), names.end());
    return names;
}

std::string format_hundred_thousandths(std::int64_t v) {
    const bool neg = v < 0;
    const std::uint64_t u = neg ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
    std::string frac = std::to_string(u % 100000);
    return (neg ? "-" : "") + std::to_string(u / 100000) + "." + std::string(5 - frac.size(), '0') + frac;
}

std::vector<ExplainRow> hhs_explain(const ModelImage& image, const Enrollee& e,
                                    const std::vector<std::string>& dx, const std::vector<std::string>& ndc,
                                    const std::vector<std::string>& hcpcs, HhsResult& out) {
    ImageAccess a(image);
    const std::string release =
        std::string(image.model_version()) + " BY" + std::to_string(image.payment_year());
    std::vector<ExplainRow> rows;
    auto add = [&](std::string step, std::string item, std::string detail,
                   std::optional<Milli> coef = std::nullopt) {
        rows.push_back({std::move(step), std::move(item), std::move(detail), coef});
    };

    // Inputs: malformed / repeated ICD codes as in explain(); drug codes must be well formed.
    std::vector<IcdKey> keys = explain_inputs(dx, rows);
    std::vector<std::uint64_t> drug_keys;
    std::vector<std::string> drug_names;
    auto add_drugs = [&](const std::vector<std::string>& list, bool is_ndc) {
        for (std::size_t i = 0; i < list.size(); ++i) {
            interrupts::poll_every(i);
            auto k = is_ndc ? ndc_key(list[i]) : hcpcs_key(list[i]);
            if (!k)
                throw InputError(
                    std::string(is_ndc ? "malformed NDC \"" : "malformed HCPCS code \"") + list[i] + "\"",
                    is_ndc ? "An NDC has 11 characters (digits; a few CMS NDCs carry a letter), without "
                             "hyphens (the 5-4-2 form)."
                           : "An HCPCS code has 5 characters (letters and digits).");
            drug_keys.push_back(*k);
            drug_names.emplace_back(trim(list[i]));
        }
    };
    add_drugs(ndc, true);
    add_drugs(hcpcs, false);

    RecordingTrace trace;
    run(a, e, keys.data(), keys.size(), drug_keys.data(), drug_keys.size(), out, trace);
    const SegmentRecord& seg = a.segment(hhs_segment(out.model, e.metal));
    const EditRecord* edits = a.section<EditRecord>(kSecEdits);
    const CodeInfo* infos = a.section<CodeInfo>(kSecCodeInfo);

    add("model", hhs_model_name(out.model),
        std::string("age ") + std::to_string(e.age_last) +
            " on the last enrollment day (adult 21+, child 2-20, "
            "infant 0-1); " +
            metal_name(e.metal) + " plan; " + segment_name(hhs_segment(out.model, e.metal)) + " factors");

    for (std::size_t i = 0; i < keys.size(); ++i) {
        interrupts::poll_every(i);
        const std::string code = format_icd(keys[i], true);
        const int ci = trace.codes[i].first;
        const CodeDecision& d = trace.codes[i].second;
        if (ci < 0) {
            add("input", code, "not in the " + release + " code list: contributes nothing");
            continue;
        }
        if (d.mce >= 0) {
            const EditRecord& r = edits[d.mce];
            add("edit", code,
                "MCE age edit (valid: " + age_condition(r) + "; age " + std::to_string(e.age_last) +
                    "): dropped");
            continue;
        }
        HccSet own = d.split;
        for (std::uint8_t s : d.slot)
            if (s != kNoSlot) own.set(s);
        // A CC from a conditional row says which condition made it; a code whose conditions all
        // fail at this age lists them.
        const CodeInfo& info = infos[ci];
        const char sex = e.sex == Sex::Male ? 'M' : 'F';
        auto condition_of = [&](int slot) {
            for (std::uint32_t x = info.edit_first; x < info.edit_first + info.edit_count; ++x)
                if (edits[x].kind == kSplit && edits[x].slot == slot &&
                    steps::holds(edits[x], e.age_last, sex))
                    return " (conditional row: " + age_condition(edits[x]) + ")";
            return std::string();
        };
        if (own.empty()) {
            std::string needs;
            for (std::uint32_t x = info.edit_first; x < info.edit_first + info.edit_count; ++x)
                if (edits[x].kind == kSplit)
                    needs += (needs.empty() ? "" : "; ") + image.hcc_name(edits[x].slot) + " needs " +
                             age_condition(edits[x]);
            add("diagnosis", code,
                "no CC for age " + std::to_string(e.age_last) + ", " +
                    (e.sex == Sex::Male ? "male" : "female") + (needs.empty() ? "" : ": " + needs));
            continue;
        }
        own.for_each([&](int s) {
            add("diagnosis", code,
                image.hcc_name(s) + " " + std::string(image.hcc_label(s)) +
                    (d.split.test(s) && !(d.slot[0] == s || d.slot[1] == s) ? condition_of(s)
                                                                            : std::string()));
        });
    }
    const DrugRecord* drugs = a.section<DrugRecord>(kSecDrugs);
    for (std::size_t i = 0; i < trace.drug_hits.size(); ++i) {
        interrupts::poll_every(i);
        const int d = trace.drug_hits[i];
        if (d < 0) {
            add("input", drug_names[i],
                "not an RXC or ACF drug code of " + release + ": contributes nothing");
            continue;
        }
        if (drugs[d].slot != kNoSlot)
            add("drug", drug_names[i],
                image.hcc_name(drugs[d].slot) + " " + std::string(image.hcc_label(drugs[d].slot)) +
                    (out.model == HhsModel::Adult ? "" : " (RXCs are adult-model variables: ignored)"));
        if (drugs[d].acf) add("drug", drug_names[i], "PrEP drug code (affiliated cost factor)");
    }
    if (out.model == HhsModel::Infant && !drug_keys.empty())
        add("input", "drug codes", "the infant model uses no drug codes");

    const RuleRecord* rules = a.section<RuleRecord>(kSecRules);
    for (const auto& [r, s] : trace.drops)
        add("hierarchy", image.hcc_name(s), "dropped by " + image.hcc_name(rules[r].parent_slot));
    trace.excluded_set.for_each([&](int s) {
        add("excluded", image.hcc_name(s),
            std::string("not a variable of the ") + hhs_model_name(out.model) + " model");
    });
    const SetRecord* sets = a.section<SetRecord>(kSecSets);
    for (const auto& [set, members] : trace.groups) {
        std::string m;
        members.for_each([&](int s) { m += (m.empty() ? "" : ", ") + image.hcc_name(s); });
        add("group", image.hcc_name(sets[set].slot), "replaces " + m + " (one factor for the group)");
    }

    // One row per variable with its factor at the enrollee's metal: the person's cell (infants:
    // and maturity x severity), the HCCs, groups and RXCs, the interactions, then the counts,
    // HCC_ED and ACF.
    auto person_rows = [&](bool cells) {
        for (int id : out.variables) {
            if (id < 0) continue;
            const demo::Kind k = demo::kind(id);
            if (cells != (k == demo::Kind::Demographic || k == demo::Kind::Maturity)) continue;
            const char* step = k == demo::Kind::Count      ? "count"
                               : k == demo::Kind::Duration ? "duration"
                               : k == demo::Kind::Acf      ? "acf"
                               : k == demo::Kind::Maturity ? "maturity"
                                                           : "demographic";
            add(step, demo::name(Family::Hhs, id), variable_reason(id, out, e), seg.demographic_factor[id]);
        }
    };
    person_rows(true);
    (out.scored & seg.hcc_present).for_each([&](int s) {
        const int number = image.hcc_number(s);
        const char* step = hhs_is_group(number) ? "group" : hhs_is_rxc(number) ? "rxc" : "hcc";
        add(step, image.hcc_name(s), std::string(image.hcc_label(s)), seg.hcc_factor[s]);
    });
    const InteractionRecord* inter = a.section<InteractionRecord>(kSecInteractions);
    const TermRecord* terms = a.section<TermRecord>(kSecTerms);
    const HccSet before_groups = out.hccs | out.rxcs;
    for (std::uint32_t bits = out.interactions; bits; bits &= bits - 1) {
        const int id = std::countr_zero(bits);
        std::string why;
        for (int t = inter[id].first_term; t < inter[id].first_term + inter[id].term_count; ++t) {
            std::string members;
            (terms[t].members & before_groups).for_each([&](int s) {
                members += (members.empty() ? "" : ", ") + image.hcc_name(s);
            });
            why += (why.empty() ? "" : " x ") + members;
        }
        add("interaction", std::string(a.str(inter[id].name)), why + " (before grouping)",
            seg.interaction_factor[id]);
    }
    person_rows(false);
    std::string metals;
    for (int m = 0; m < kMetalCount; ++m)
        metals += std::string(m ? ", " : "") + kMetalNames[m] + " " + format_milli(out.score[m]);
    add("raw", "raw_score",
        "sum of the coefficients at " + std::string(metal_name(e.metal)) + " = " + format_milli(out.raw) +
            " (all metals: " + metals + ")");
    add("csr", "csr_adjusted_score",
        format_milli(out.raw) + " x " + std::to_string(out.csr_factor / 100) + "." +
            (out.csr_factor % 100 < 10 ? "0" : "") + std::to_string(out.csr_factor % 100) +
            " (CSR indicator " + std::to_string(e.csr_indicator) +
            ") = " + format_hundred_thousandths(out.csr_adjusted_exact) +
            ", half up: " + format_milli(out.csr_adjusted));
    return rows;
}

}  // namespace hccraf
