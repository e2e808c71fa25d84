// Spellings of the patient fields (patient_fields.hpp). Pure functions over bytes: ASCII only,
// no locale (libc's toupper/isspace once showed up in the per-row profile).
#include "patient_fields.hpp"

#include <cstddef>

namespace hccraf::fields {

namespace {

constexpr std::size_t kMaxText = 15;

// Trimmed, upper-cased copy of text; false when it is longer than kMaxText.
struct Upper {
    char buf[kMaxText + 1];
    std::size_t len = 0;
    bool ok = false;
    explicit Upper(std::string_view text) {
        auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
        std::size_t b = 0, e = text.size();
        while (b < e && blank(text[b])) ++b;
        while (e > b && blank(text[e - 1])) --e;
        if (e - b > kMaxText) return;
        for (std::size_t i = b; i < e; ++i) {
            char c = text[i];
            buf[len++] = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
        }
        buf[len] = '\0';
        ok = true;
    }
    std::string_view view() const { return {buf, len}; }
    bool is(std::string_view s) const { return ok && view() == s; }
};

}  // namespace

std::optional<Sex> sex_from_text(std::string_view text) {
    Upper u(text);
    if (u.is("M") || u.is("1") || u.is("MALE")) return Sex::Male;
    if (u.is("F") || u.is("2") || u.is("FEMALE")) return Sex::Female;
    return std::nullopt;
}

std::optional<Sex> sex_from_int(std::int64_t value) {
    if (value == 1) return Sex::Male;
    if (value == 2) return Sex::Female;
    return std::nullopt;
}

std::optional<char> orec_from_text(std::string_view text) {
    Upper u(text);
    if (!u.ok) return std::nullopt;
    if (u.len == 0) return ' ';
    if (u.len == 1 && u.buf[0] >= '0' && u.buf[0] <= '3') return u.buf[0];
    return std::nullopt;
}

std::optional<char> orec_from_int(std::int64_t value) {
    if (value >= 0 && value <= 3) return static_cast<char>('0' + value);
    return std::nullopt;
}

// CMS MMR dual status codes: 01/03/05/06 partial-benefit, 02/04/08 full-benefit, 00/09/10/99 non.
std::optional<Dual> dual_from_int(std::int64_t value) {
    switch (value) {
        case 1:
        case 3:
        case 5:
        case 6:
            return Dual::Partial;
        case 2:
        case 4:
        case 8:
            return Dual::Full;
        case 0:
        case 9:
        case 10:
        case 99:
            return Dual::Non;
        default:
            return std::nullopt;
    }
}

std::optional<Dual> dual_from_text(std::string_view text) {
    Upper u(text);
    if (!u.ok) return std::nullopt;
    if (u.len == 0 || u.is("NON") || u.is("NONE") || u.is("N") || u.is("NO")) return Dual::Non;
    if (u.is("FULL") || u.is("FBD")) return Dual::Full;
    if (u.is("PARTIAL") || u.is("PBD")) return Dual::Partial;
    auto digit = [](char c) { return c >= '0' && c <= '9'; };
    if (u.len == 1 && digit(u.buf[0])) return dual_from_int(u.buf[0] - '0');
    if (u.len == 2 && digit(u.buf[0]) && digit(u.buf[1]))
        return dual_from_int((u.buf[0] - '0') * 10 + (u.buf[1] - '0'));
    return std::nullopt;
}

std::optional<bool> flag_from_text(std::string_view text) {
    Upper u(text);
    if (u.is("1") || u.is("T") || u.is("TRUE") || u.is("Y") || u.is("YES")) return true;
    if (u.is("0") || u.is("F") || u.is("FALSE") || u.is("N") || u.is("NO") || u.is("")) return false;
    return std::nullopt;
}

std::optional<bool> flag_from_int(std::int64_t value) {
    if (value == 0 || value == 1) return value == 1;
    return std::nullopt;
}

std::optional<EsrdStatus> esrd_status_from_text(std::string_view text) {
    Upper u(text);
    if (u.is("")) return EsrdStatus::None;
    if (u.is("DIALYSIS")) return EsrdStatus::Dialysis;
    if (u.is("GRAFT") || u.is("TRANSPLANT")) return EsrdStatus::Graft;
    return std::nullopt;
}

std::optional<int> months_from_int(std::int64_t value) {
    if (value < 1 || value > kMaxMonths) return std::nullopt;
    return static_cast<int>(value);
}

std::optional<int> age_from_int(std::int64_t value) {
    if (value < 0 || value > kMaxAge) return std::nullopt;
    return static_cast<int>(value);
}

const char* field_hint(Field f) {
    switch (f) {
        case Field::Dob:
            return "dob is a date that gives an age of 0 to 130 on 1 February of the payment year "
                   "(and is not after the payment year).";
        case Field::Age:
            return "age is the completed years on 1 February of the payment year, 0 to 130.";
        case Field::Sex:
            return "sex must be 'M' or 'F' (or CMS's '1' male, '2' female).";
        case Field::Orec:
            return "OREC (original reason for entitlement) is 0 old age, 1 disability, 2 ESRD, "
                   "3 disability and ESRD, or NULL/empty when unknown.";
        case Field::Dual:
            return "dual_status is 'non', 'full' or 'partial', a CMS dual status code "
                   "(01/03/05/06 partial, 02/04/08 full, 00/09/10/99 non), or a boolean medicaid flag "
                   "(true = full-benefit dual).";
        case Field::Flag:
            return "Use a boolean, 0/1, or true/false.";
        case Field::EsrdStatus:
            return "esrd_status is 'dialysis' or 'graft' (or 'transplant': a kidney transplant), or NULL "
                   "when the person is not in ESRD status.";
        case Field::Months:
            return "months_since_transplant counts from the month of the kidney transplant, which is month 1 "
                   "(1 to 1200).";
    }
    return "";
}

}  // namespace hccraf::fields
