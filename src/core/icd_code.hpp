// ICD-10-CM code normalisation and packing.
//
// CMS compares codes as exact strings without the dot (spec v28_rules.md §1). Users hand us
// "e11.9", " E11.9 ", "E119": all normalise to "E119". A code is well-formed when it has 3 to 7
// characters after normalisation, a letter first and [0-9A-Z] elsewhere (the second character
// is a digit except in the FY2026 category QA0)
// (a dot, if any, must come after the third character). A well-formed code may still be
// unknown to the code set: that is decided by the code-set image, not here.
//
// Packing: 7 characters of a 37-symbol alphabet (blank, 0-9, A-Z) as a base-37 number gives a
// 64-bit key whose numeric order equals the code's string order with shorter codes first among
// equal prefixes; keys are what the images store (no strings in the hot path).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hccraf {

using IcdKey = std::uint64_t;

// The codes behind one result row (a gap's prior codes, a suggestion's evidence). A
// boost::container::small_vector<IcdKey, 4> (no allocation for up to four codes) was measured
// here: find_gaps over 20,000 persons took the same time (bench/compile_bench.sh), so it stays a
// std::vector.
using CodeList = std::vector<IcdKey>;

// Normalises raw user input into out (upper case, no dot, no surrounding blanks) and returns
// its length, or 0 when the input is not a well-formed ICD-10-CM code. No allocation.
std::size_t normalize_icd(std::string_view raw, char (&out)[8]);

// normalize_icd + pack_icd in one pass without a copy; 0 (never a valid key) when malformed.
IcdKey icd_key(std::string_view raw);

// normalize_icd + pack; nullopt when malformed.
std::optional<IcdKey> parse_icd(std::string_view raw);

// Packs an already-normalised code (as produced by normalize_icd or read from data files).
IcdKey pack_icd(std::string_view normalized);

// Back to text: "E119", or "E11.9" when dotted is true.
std::string format_icd(IcdKey key, bool dotted = false);

// For each of codes[0..n): true when no earlier position holds the same key. O(n log n)
// (callers pass arrays of any length: a scan of the keys seen so far would be quadratic).
std::vector<bool> first_occurrences(const IcdKey* codes, std::size_t n);

// The distinct keys of codes[0..n) in first-seen order. O(n log n).
std::vector<IcdKey> distinct_codes(const IcdKey* codes, std::size_t n);

}  // namespace hccraf
