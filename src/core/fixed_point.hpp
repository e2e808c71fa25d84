// Exact decimal arithmetic for scores. Every CMS factor has three decimals, so a score is an
// integer number of thousandths ("milli"). Products of two milli values are micro (1e-6) and
// are rounded back to milli half-up; nothing here ever touches binary floating point.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hccraf {

using Milli = std::int64_t;

// "0.166" -> 166, "31.424" -> 31424, "1" -> 1000, "0.05" -> 50. Throws DataError when the text
// is not a plain non-negative decimal with at most three decimals.
Milli parse_milli(std::string_view text);
// The same with an optional leading '-' (relative factors: ESRD has one negative factor).
Milli parse_signed_milli(std::string_view text);

// Dollars and cents -> cents: "11500" -> 1150000, "1.5" -> 150, " 0.05 " -> 5, "2.500" -> 250.
// nullopt for anything else: a sign, a fraction of a cent ("1.005": a base rate is never
// rounded), no digits, or more than 10^12 dollars. Surrounding blanks are ignored. Never throws.
std::optional<std::int64_t> parse_cents(std::string_view dollars) noexcept;

// 1123 -> "1.123", 50 -> "0.050" (always three decimals).
std::string format_milli(Milli value);

// round_half_up(num / den) in thousandths, for num, den >= 0 in thousandths
// (e.g. raw 1273 / factor 1067 -> 1193). den must be > 0.
Milli divide_round_half_up(Milli num, Milli den);

// round_half_up(a * b) in thousandths for a, b >= 0 in thousandths (1500 * 941 -> 1412).
Milli multiply_round_half_up(Milli a, Milli b);

}  // namespace hccraf
