// ICD-10-CM normalisation and base-37 packing (see icd_code.hpp for the contract).
// Symbol values: blank = 0, '0'..'9' = 1..10, 'A'..'Z' = 11..36. Because blank is the smallest
// symbol and digits sort before letters, numeric key order equals the order of the (blank-padded)
// strings, which is what lets the images binary-search packed keys.
#include "icd_code.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <utility>

#include "interrupts.hpp"

namespace hccraf {

namespace {

constexpr std::size_t kMaxLen = 7;
constexpr IcdKey kBase = 37;

bool is_blank(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}
bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_upper(char c) {
    return c >= 'A' && c <= 'Z';
}
char to_upper(char c) {
    return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

// 0 for a character outside [0-9A-Z].
IcdKey symbol(char c) {
    if (is_digit(c)) return static_cast<IcdKey>(c - '0') + 1;
    if (is_upper(c)) return static_cast<IcdKey>(c - 'A') + 11;
    return 0;
}

// True when s (upper case, no dot) is a well-formed code: 3-7 chars, a letter, then [0-9A-Z].
// Trap: the second character is not always a digit: FY2026 added the category QA0 (QA0.0101).
bool well_formed(std::string_view s) {
    if (s.size() < 3 || s.size() > kMaxLen) return false;
    if (!is_upper(s[0])) return false;
    for (std::size_t i = 1; i < s.size(); ++i)
        if (!is_digit(s[i]) && !is_upper(s[i])) return false;
    return true;
}

}  // namespace

std::size_t normalize_icd(std::string_view raw, char (&out)[8]) {
    std::size_t b = 0, e = raw.size();
    while (b < e && is_blank(raw[b])) ++b;
    while (e > b && is_blank(raw[e - 1])) --e;
    std::size_t n = 0;
    for (std::size_t i = b; i < e; ++i) {
        char c = raw[i];
        if (c == '.') {
            // The only dot allowed is the CMS one, right after the category (3rd character).
            if (i - b != 3) return 0;
            continue;
        }
        if (n == kMaxLen) return 0;
        out[n++] = to_upper(c);
    }
    out[n] = '\0';
    if (!well_formed(std::string_view(out, n))) {
        out[0] = '\0';
        return 0;
    }
    return n;
}

IcdKey icd_key(std::string_view raw) {
    // One pass, no copy: the same rules as normalize_icd + pack_icd (the hot path of raf_score
    // decodes every diagnosis of every row with this).
    static constexpr IcdKey kPad[kMaxLen + 1] = {1,
                                                 kBase,
                                                 kBase * kBase,
                                                 kBase * kBase * kBase,
                                                 kBase * kBase * kBase * kBase,
                                                 kBase * kBase * kBase * kBase * kBase,
                                                 kBase * kBase * kBase * kBase * kBase * kBase,
                                                 kBase * kBase * kBase * kBase * kBase * kBase * kBase};
    // Symbol of every byte, upper and lower case alike; 0 = not part of a code.
    static constexpr auto kSymbol = [] {
        std::array<std::uint8_t, 256> t{};
        for (int c = '0'; c <= '9'; ++c) t[c] = static_cast<std::uint8_t>(c - '0' + 1);
        for (int c = 'A'; c <= 'Z'; ++c) t[c] = t[c - 'A' + 'a'] = static_cast<std::uint8_t>(c - 'A' + 11);
        return t;
    }();
    std::size_t b = 0, e = raw.size();
    while (b < e && is_blank(raw[b])) ++b;
    while (e > b && is_blank(raw[e - 1])) --e;
    IcdKey key = 0;
    std::size_t n = 0;
    for (std::size_t i = b; i < e; ++i) {
        unsigned char c = static_cast<unsigned char>(raw[i]);
        IcdKey s = kSymbol[c];
        if (s == 0) {
            if (c == '.' && i - b == 3) continue;  // the only dot allowed follows the category
            return 0;
        }
        if (n == kMaxLen || (n == 0 && s < 11)) return 0;  // too long, or a digit first
        key = key * kBase + s;
        ++n;
    }
    if (n < 3) return 0;
    return key * kPad[kMaxLen - n];
}

std::optional<IcdKey> parse_icd(std::string_view raw) {
    IcdKey key = icd_key(raw);
    if (key == 0) return std::nullopt;
    return key;
}

IcdKey pack_icd(std::string_view normalized) {
    // Defensive: 0 (never a valid key, the first symbol is a letter) for malformed input.
    if (!well_formed(normalized)) return 0;
    IcdKey key = 0;
    for (std::size_t i = 0; i < kMaxLen; ++i)
        key = key * kBase + (i < normalized.size() ? symbol(normalized[i]) : 0);
    return key;
}

std::string format_icd(IcdKey key, bool dotted) {
    char chars[kMaxLen];
    for (std::size_t i = kMaxLen; i-- > 0;) {
        IcdKey s = key % kBase;
        key /= kBase;
        chars[i] = s == 0    ? ' '
                   : s <= 10 ? static_cast<char>('0' + (s - 1))
                             : static_cast<char>('A' + (s - 11));
    }
    std::string out;
    for (std::size_t i = 0; i < kMaxLen && chars[i] != ' '; ++i) {
        if (dotted && i == 3) out.push_back('.');
        out.push_back(chars[i]);
    }
    return out;
}

std::vector<bool> first_occurrences(const IcdKey* codes, std::size_t n) {
    std::vector<std::pair<IcdKey, std::size_t>> by_key(n);
    for (std::size_t i = 0; i < n; ++i) by_key[i] = {codes[i], i};
    std::sort(by_key.begin(), by_key.end());  // equal keys: first position first
    std::vector<bool> first(n, false);
    for (std::size_t j = 0; j < n; ++j) {
        interrupts::poll_every(j);
        if (j == 0 || by_key[j].first != by_key[j - 1].first) first[by_key[j].second] = true;
    }
    return first;
}

std::vector<IcdKey> distinct_codes(const IcdKey* codes, std::size_t n) {
    const std::vector<bool> first = first_occurrences(codes, n);
    std::vector<IcdKey> out;
    for (std::size_t i = 0; i < n; ++i)
        if (first[i]) out.push_back(codes[i]);
    return out;
}

}  // namespace hccraf
