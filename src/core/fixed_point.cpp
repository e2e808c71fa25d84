// Exact thousandths: parsing, printing and the two half-up roundings the payment steps need.
// Trap: never route these values through double (1.500 * 0.941 = 1.4115 is 1.41149999... in
// binary and would round to 1.411); all arithmetic below is on integers.
#include "fixed_point.hpp"

#include "errors.hpp"

namespace hccraf {

namespace {

// Largest integer part accepted by parse_milli: keeps every later product far from overflow.
constexpr Milli kMaxIntegerPart = 1'000'000'000;

// round_half_up(num / den) for num of any sign and den > 0, halves away from zero.
Milli div_half_away(Milli num, Milli den) {
    if (num >= 0) return (2 * num + den) / (2 * den);
    return -((-2 * num + den) / (2 * den));
}

}  // namespace

Milli parse_milli(std::string_view text) {
    auto fail = [&]() -> Milli {
        throw DataError("invalid decimal \"" + std::string(text) + "\"",
                        "expected a non-negative decimal with at most three decimals, e.g. 0.166");
    };
    std::size_t i = 0;
    Milli integer = 0;
    std::size_t int_digits = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
        integer = integer * 10 + (text[i] - '0');
        if (integer > kMaxIntegerPart) return fail();
        ++i;
        ++int_digits;
    }
    if (int_digits == 0) return fail();
    Milli fraction = 0;
    if (i < text.size()) {
        if (text[i] != '.') return fail();
        ++i;
        std::size_t frac_digits = 0;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9' && frac_digits < 3) {
            fraction = fraction * 10 + (text[i] - '0');
            ++i;
            ++frac_digits;
        }
        if (frac_digits == 0 || i != text.size()) return fail();
        for (; frac_digits < 3; ++frac_digits) fraction *= 10;
    }
    return integer * 1000 + fraction;
}

std::optional<std::int64_t> parse_cents(std::string_view text) noexcept {
    auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!text.empty() && blank(text.front())) text.remove_prefix(1);
    while (!text.empty() && blank(text.back())) text.remove_suffix(1);
    std::int64_t dollars = 0, cents = 0;
    std::size_t i = 0, int_digits = 0, frac_digits = 0;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++int_digits) {
        dollars = dollars * 10 + (text[i] - '0');
        if (dollars > 1'000'000'000'000) return std::nullopt;
    }
    if (i < text.size() && text[i] == '.') {
        for (++i; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++frac_digits) {
            if (frac_digits >= 2) {
                if (text[i] != '0') return std::nullopt;  // a fraction of a cent: never round a rate
                continue;
            }
            cents = cents * 10 + (text[i] - '0');
        }
        if (frac_digits == 1) cents *= 10;
    }
    if (i != text.size() || (int_digits == 0 && frac_digits == 0)) return std::nullopt;
    return dollars * 100 + cents;
}

Milli parse_signed_milli(std::string_view text) {
    if (!text.empty() && text[0] == '-') return -parse_milli(text.substr(1));
    return parse_milli(text);
}

std::string format_milli(Milli value) {
    std::string sign;
    if (value < 0) {
        sign = "-";
        value = -value;
    }
    std::string frac = std::to_string(value % 1000);
    frac.insert(0, 3 - frac.size(), '0');
    return sign + std::to_string(value / 1000) + "." + frac;
}

Milli divide_round_half_up(Milli num, Milli den) {
    // num/den is a plain ratio; in thousandths the result is num * 1000 / den.
    return div_half_away(num * 1000, den);
}

Milli multiply_round_half_up(Milli a, Milli b) {
    // a * b is in millionths; back to thousandths.
    return div_half_away(a * b, 1000);
}

}  // namespace hccraf
