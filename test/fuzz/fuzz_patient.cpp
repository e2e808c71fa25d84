// fuzz_patient: decoding of the patient row's fields (src/core/patient_fields.hpp), the age on
// 1 February (age_on_feb1) and the segment choice (choose_segment, src/core/scorer.hpp).
//
// Input: patient_input.hpp. Properties:
//   * every text decoder ignores ASCII case and surrounding blanks (its answer for the text, the
//     trimmed text, the upper-cased text and the text wrapped in extra blanks is the same), never
//     accepts more than 15 characters after trimming, and accepts exactly the spellings listed in
//     patient_fields.hpp (a reference table written from that header);
//   * the *_from_int decoders accept exactly their documented values, and agree with the text
//     decoders on the decimal spelling of the value;
//   * age_on_feb1 throws InputError exactly for an impossible date or a birth after the payment
//     year (any other exception aborts the run: libFuzzer reports it), and returns an age in
//     0..payment_year-1800 that grows by one per payment year;
//   * choose_segment(p) follows the CMS-HCC rule stated in scorer.hpp, and choose_segment(f, p)
//     for every family equals a reference written here from the specs, independently of
//     src/core/family_rules.hpp: CMS-HCC (scorer.hpp), RxHCC (rxhcc_v08_rules.md §4) and ESRD
//     (esrd_v24_rules.md §3). The segment always belongs to the family. InputError is allowed
//     only for ESRD, and exactly when the status is missing, a graft has no
//     months_since_transplant, or months are given for dialysis (months <= 0 = "not given").
#include <climits>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "errors.hpp"
#include "fuzz_bytes.hpp"
#include "patient_fields.hpp"
#include "patient_input.hpp"
#include "scorer.hpp"

using namespace hccraf;
using namespace hccraf::fields;

namespace {

// The blanks the decoders trim (patient_fields.hpp: "surrounding blanks").
bool blank(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string trim_upper(std::string_view t) {
    while (!t.empty() && blank(t.front())) t.remove_prefix(1);
    while (!t.empty() && blank(t.back())) t.remove_suffix(1);
    std::string s(t);
    for (char& c : s)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return s;
}

// Reference decoders, from the spellings listed in patient_fields.hpp (input: trim_upper'ed).
std::optional<Sex> ref_sex(const std::string& s) {
    if (s == "M" || s == "1" || s == "MALE") return Sex::Male;
    if (s == "F" || s == "2" || s == "FEMALE") return Sex::Female;
    return std::nullopt;
}
std::optional<char> ref_orec(const std::string& s) {
    if (s.empty()) return ' ';
    if (s.size() == 1 && s[0] >= '0' && s[0] <= '3') return s[0];
    return std::nullopt;
}
// CMS MMR dual status codes: 01/03/05/06 partial, 02/04/08 full, 00/09/10/99 non.
std::optional<Dual> ref_dual_code(std::int64_t v) {
    if (v == 1 || v == 3 || v == 5 || v == 6) return Dual::Partial;
    if (v == 2 || v == 4 || v == 8) return Dual::Full;
    if (v == 0 || v == 9 || v == 10 || v == 99) return Dual::Non;
    return std::nullopt;
}
std::optional<Dual> ref_dual(const std::string& s) {
    if (s.empty() || s == "NON" || s == "NONE" || s == "N" || s == "NO") return Dual::Non;
    if (s == "FULL" || s == "FBD") return Dual::Full;
    if (s == "PARTIAL" || s == "PBD") return Dual::Partial;
    if ((s.size() == 1 || s.size() == 2) && s.find_first_not_of("0123456789") == std::string::npos)
        return ref_dual_code(std::stoi(s));
    return std::nullopt;
}
std::optional<bool> ref_flag(const std::string& s) {
    if (s == "1" || s == "T" || s == "TRUE" || s == "Y" || s == "YES") return true;
    if (s.empty() || s == "0" || s == "F" || s == "FALSE" || s == "N" || s == "NO") return false;
    return std::nullopt;
}

template <class Decoder, class Reference>
void check_text_decoder(Decoder decode, Reference reference, const std::string& text) {
    const auto got = decode(text);
    const std::string canon = trim_upper(text);
    FUZZ_CHECK(got == decode(canon));
    FUZZ_CHECK(got == decode(" \t" + text + "\r\n "));
    std::string lower(text);
    for (char& c : lower)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    FUZZ_CHECK(got == decode(lower));
    if (canon.size() > 15) FUZZ_CHECK(!got.has_value());
    FUZZ_CHECK(got == reference(canon));
}

bool valid_date(std::int64_t y, std::int64_t m, std::int64_t d) {
    if (y < 1800 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
    static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= days[m - 1] + (m == 2 && leap ? 1 : 0);
}

// age_on_feb1, or nullopt when it threw InputError (any other exception escapes: a finding).
std::optional<int> age_or_error(int y, int m, int d, int py) {
    try {
        return age_on_feb1(y, m, d, py);
    } catch (const InputError&) {
        return std::nullopt;
    }
}

void check_age(int y, int m, int d, int py) {
    const auto age = age_or_error(y, m, d, py);
    FUZZ_CHECK(age.has_value() == (valid_date(y, m, d) && y <= py));
    if (!age) return;
    FUZZ_CHECK(*age >= 0 && std::int64_t{*age} <= std::int64_t{py} - 1800);
    if (py<INT_MAX&& * age> 0) FUZZ_CHECK(age_or_error(y, m, d, py + 1) == *age + 1);
    // Completed years on 1 February: a birthday on or before 1 Feb counts in full.
    const bool birthday_by_feb1 = m == 1 || (m == 2 && d == 1);
    const std::int64_t expected = std::int64_t{py} - y - (birthday_by_feb1 ? 0 : 1);
    FUZZ_CHECK(*age == (expected < 0 ? 0 : expected));
}

Segment reference_segment(const Patient& p) {
    if (p.snp_new_enrollee) return Segment::SNPNE;
    if (p.new_enrollee) return Segment::NE;
    if (p.institutional) return Segment::INS;
    const bool aged = p.age >= 65;
    if (p.dual == Dual::Full) return aged ? Segment::CFA : Segment::CFD;
    if (p.dual == Dual::Partial) return aged ? Segment::CPA : Segment::CPD;
    return aged ? Segment::CNA : Segment::CND;
}

// RxHCC (rxhcc_v08_rules.md §4, "assignment used by the golden files"): a new enrollee (SNP new
// enrollees are new enrollees too) -> NE_LTI if institutional, else NE_Low_Community if low
// income, else NE_NonLow_Community; otherwise CE_LTI if institutional; otherwise
// CE_{Low|NonLow}_{Aged|NonAged}, Aged = AGEF >= 65. The ESRD flag plays no part in the choice.
Segment reference_rxhcc_segment(const Patient& p) {
    const bool new_enrollee = p.new_enrollee || p.snp_new_enrollee;
    if (new_enrollee) {
        if (p.institutional) return Segment::NE_LTI;
        if (p.low_income) return Segment::NE_Low_Community;
        return Segment::NE_NonLow_Community;
    }
    if (p.institutional) return Segment::CE_LTI;
    if (p.age >= 65) return p.low_income ? Segment::CE_Low_Aged : Segment::CE_NonLow_Aged;
    return p.low_income ? Segment::CE_Low_NonAged : Segment::CE_NonLow_NonAged;
}

// ESRD (esrd_v24_rules.md §3, "assignment (golden convention)"); nullopt = the person cannot be
// placed (InputError): no status, a graft without the months since the transplant, or months
// given for a dialysis patient. Months 1-3 -> TRANSPLANT_nM whatever else is true; a graft from
// month 4: new enrollee -> GRAFT_NE, else institutional -> GRAFT_INST, else G_COMM by full dual
// (partial counts as not full) and plain AGEF >= 65 (no age-64 recode). Dialysis: new enrollee
// -> DIAL_NE, else DIAL (institutional included).
std::optional<Segment> reference_esrd_segment(const Patient& p) {
    const bool months_given = p.months_since_transplant > 0;
    const bool new_enrollee = p.new_enrollee || p.snp_new_enrollee;
    switch (p.esrd_status) {
        case EsrdStatus::None:
            return std::nullopt;
        case EsrdStatus::Dialysis:
            if (months_given) return std::nullopt;
            return new_enrollee ? Segment::DIAL_NE : Segment::DIAL;
        case EsrdStatus::Graft:
            break;
    }
    if (!months_given) return std::nullopt;
    if (p.months_since_transplant == 1) return Segment::TRANSPLANT_1M;
    if (p.months_since_transplant == 2) return Segment::TRANSPLANT_2M;
    if (p.months_since_transplant == 3) return Segment::TRANSPLANT_3M;
    if (new_enrollee) return Segment::GRAFT_NE;
    if (p.institutional) return Segment::GRAFT_INST;
    const bool ge65 = p.age >= 65;
    if (p.dual == Dual::Full) return ge65 ? Segment::G_COMM_FBD_GE65 : Segment::G_COMM_FBD_LT65;
    return ge65 ? Segment::G_COMM_ND_PBD_GE65 : Segment::G_COMM_ND_PBD_LT65;
}

std::optional<Segment> chosen_or_refused(Family f, const Patient& p) {
    try {
        return choose_segment(f, p);
    } catch (const InputError&) {
        return std::nullopt;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    hccraf::fuzz::ByteReader in(data, size);
    hccraf::fuzz::PatientInput x = hccraf::fuzz::read_patient_input(in);

    for (const std::string& t : x.texts) {
        check_text_decoder(sex_from_text, ref_sex, t);
        check_text_decoder(orec_from_text, ref_orec, t);
        check_text_decoder(dual_from_text, ref_dual, t);
        check_text_decoder(flag_from_text, ref_flag, t);
    }

    const std::int64_t v = x.value;
    FUZZ_CHECK(sex_from_int(v) == (v == 1   ? std::optional(Sex::Male)
                                   : v == 2 ? std::optional(Sex::Female)
                                            : std::nullopt));
    FUZZ_CHECK(orec_from_int(v) == (v >= 0 && v <= 3 ? std::optional(char('0' + v)) : std::nullopt));
    FUZZ_CHECK(dual_from_int(v) == ref_dual_code(v));
    FUZZ_CHECK(flag_from_int(v) == (v == 0 || v == 1 ? std::optional(v == 1) : std::nullopt));
    FUZZ_CHECK(age_from_int(v) == (v >= 0 && v <= 130 ? std::optional(int(v)) : std::nullopt));
    // The decimal spelling of the value means the same as the value.
    const std::string dec = std::to_string(v);
    FUZZ_CHECK(sex_from_text(dec) == sex_from_int(v));
    FUZZ_CHECK(orec_from_text(dec) == orec_from_int(v));
    FUZZ_CHECK(flag_from_text(dec) == flag_from_int(v));
    if (v >= 0 && v <= 99) FUZZ_CHECK(dual_from_text(dec) == dual_from_int(v));

    int y = x.birth_year, m = x.birth_month, d = x.birth_day, py = x.payment_year;
    if (x.mode & 1) {  // plausible dates, so that most inputs reach the arithmetic
        y = 1795 + static_cast<int>(static_cast<std::uint32_t>(y) % 240);
        m = static_cast<int>(static_cast<std::uint32_t>(m) % 14);
        d = static_cast<int>(static_cast<std::uint32_t>(d) % 33);
        py = 1990 + static_cast<int>(static_cast<std::uint32_t>(py) % 60);
    }
    check_age(y, m, d, py);

    Patient p;
    p.age = x.age;
    p.sex = (x.patient_bits & 1) ? Sex::Male : Sex::Female;
    p.dual = ((x.patient_bits >> 1) & 3) == 1   ? Dual::Full
             : ((x.patient_bits >> 1) & 3) == 2 ? Dual::Partial
                                                : Dual::Non;
    p.institutional = x.patient_bits & 8;
    p.new_enrollee = x.patient_bits & 16;
    p.snp_new_enrollee = x.patient_bits & 32;
    p.orec = static_cast<char>(x.orec);
    p.low_income = x.patient_bits & 64;
    p.esrd = x.patient_bits & 128;
    p.esrd_status = static_cast<EsrdStatus>(x.esrd_status % 3);
    p.months_since_transplant = x.months;
    if (x.mode & 2)  // months near the interesting boundaries (0..3, 4..9, 10+)
        p.months_since_transplant = static_cast<int>(static_cast<std::uint32_t>(x.months) % 14);
    FUZZ_CHECK(choose_segment(p) == reference_segment(p));
    FUZZ_CHECK(std::string_view(segment_name(choose_segment(p))) != "?");

    // The Medicare families. HHS-HCC places no Patient (hhs_model.hpp chooses its model from an
    // Enrollee's age; fuzz_hhs): choose_segment(Family::Hhs, p) is not a property here.
    constexpr int kMedicareFamilies = 3;
    const std::optional<Segment> want[kMedicareFamilies] = {reference_segment(p), reference_rxhcc_segment(p),
                                                            reference_esrd_segment(p)};
    for (int i = 0; i < kMedicareFamilies; ++i) {
        const Family f = static_cast<Family>(i);
        const std::optional<Segment> got = chosen_or_refused(f, p);
        FUZZ_CHECK(got == want[i]);
        if (!got) continue;
        const SegmentRange range = family_segments(f);
        FUZZ_CHECK(static_cast<int>(*got) >= range.first && static_cast<int>(*got) < range.first + range.count);
        FUZZ_CHECK(segment_family(*got) == f);
        FUZZ_CHECK(parse_segment(f, segment_name(*got)) == *got);
    }
    return 0;
}
