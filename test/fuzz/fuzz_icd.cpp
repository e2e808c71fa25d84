// fuzz_icd: ICD-10-CM normalisation and packing (src/core/icd_code.hpp).
//
// Input: text; every line is one raw code as a user would type it. Properties checked per line:
//   * icd_key(raw) equals a straightforward reference written from the header's contract (trim
//     blanks, one optional dot right after the 3rd character, upper-case, 3-7 chars, a letter
//     then [0-9A-Z]) and equals normalize_icd(raw) ? pack_icd(normalized) : 0;
//   * parse_icd agrees with icd_key; pack_icd accepts exactly the already-normalised spellings;
//   * a key of a well-formed code is < 37^7 and non-zero; format_icd(key) is the normalised
//     text and re-parses (plain and dotted) to the same key;
//   * key order equals string order of the normalised codes (what the images' sorted key
//     tables rely on).
// And for the whole input: distinct_codes returns each key once, in first-seen order (compared
// with a std::set reference), on the lines' keys and on 64-bit words of the input.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_bytes.hpp"
#include "icd_code.hpp"

using namespace hccraf;

namespace {

constexpr IcdKey kKeyLimit = 37ull * 37 * 37 * 37 * 37 * 37 * 37;

bool blank(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// The contract of icd_code.hpp, written independently of icd_code.cpp: "" when malformed.
std::string reference_normalize(std::string_view raw) {
    while (!raw.empty() && blank(raw.front())) raw.remove_prefix(1);
    while (!raw.empty() && blank(raw.back())) raw.remove_suffix(1);
    std::string s;
    for (std::size_t i = 0; i < raw.size(); ++i) {
        char c = raw[i];
        if (c == '.') {
            if (i != 3) return "";  // the only dot allowed follows the 3-character category
            continue;
        }
        s += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    }
    if (s.size() < 3 || s.size() > 7 || s[0] < 'A' || s[0] > 'Z') return "";
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'))) return "";
    return s;
}

IcdKey reference_pack(const std::string& s) {
    IcdKey key = 0;
    for (std::size_t i = 0; i < 7; ++i) {
        IcdKey sym = 0;
        if (i < s.size()) sym = s[i] <= '9' ? IcdKey(s[i] - '0' + 1) : IcdKey(s[i] - 'A' + 11);
        key = key * 37 + sym;
    }
    return key;
}

std::vector<IcdKey> reference_distinct(const std::vector<IcdKey>& keys) {
    std::set<IcdKey> seen;
    std::vector<IcdKey> out;
    for (IcdKey k : keys)
        if (seen.insert(k).second) out.push_back(k);
    return out;
}

void check_distinct(const std::vector<IcdKey>& keys) {
    FUZZ_CHECK(distinct_codes(keys.data(), keys.size()) == reference_distinct(keys));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    std::vector<IcdKey> keys;
    std::vector<std::string> normalized;  // of the well-formed lines, parallel to good_keys
    std::vector<IcdKey> good_keys;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        const std::string_view raw = text.substr(start, end - start);
        start = end + 1;

        const std::string ref = reference_normalize(raw);
        const IcdKey key = icd_key(raw);
        FUZZ_CHECK(key == (ref.empty() ? 0 : reference_pack(ref)));

        char out[8];
        const std::size_t n = normalize_icd(raw, out);
        FUZZ_CHECK(n == ref.size());
        FUZZ_CHECK(key == (n ? pack_icd(std::string_view(out, n)) : 0));
        if (n) FUZZ_CHECK(out[n] == '\0' && std::string_view(out, n) == ref);

        const auto parsed = parse_icd(raw);
        FUZZ_CHECK(parsed.has_value() == (key != 0) && (!parsed || *parsed == key));

        // pack_icd is for already-normalised text only: anything else gives 0.
        const IcdKey packed_raw = pack_icd(raw);
        FUZZ_CHECK(packed_raw == (ref == raw ? key : 0));

        if (key != 0) {
            FUZZ_CHECK(key < kKeyLimit);
            const std::string plain = format_icd(key), dotted = format_icd(key, true);
            FUZZ_CHECK(plain == ref);
            FUZZ_CHECK(icd_key(plain) == key && icd_key(dotted) == key);
            FUZZ_CHECK(dotted.size() == plain.size() + (plain.size() > 3 ? 1 : 0));
            good_keys.push_back(key);
            normalized.push_back(ref);
        }
        keys.push_back(key);
        if (end == text.size()) break;
    }

    // Key order is string order (shorter first among equal prefixes; digits before letters).
    for (std::size_t i = 1; i < good_keys.size(); ++i) {
        FUZZ_CHECK((good_keys[i - 1] < good_keys[i]) == (normalized[i - 1] < normalized[i]));
        FUZZ_CHECK((good_keys[i - 1] == good_keys[i]) == (normalized[i - 1] == normalized[i]));
    }

    check_distinct(keys);
    // 64-bit words of the input, folded onto a few values so that duplicates are common; also
    // format_icd on arbitrary keys (never more than 7 characters, never crashes).
    hccraf::fuzz::ByteReader in(data, size);
    const std::uint64_t fold = 1 + in.u8() % 16;
    std::vector<IcdKey> words;
    while (!in.empty()) {
        std::uint64_t w = in.u64();
        FUZZ_CHECK(format_icd(w).size() <= 7 && format_icd(w, true).size() <= 8);
        words.push_back(w % fold);
        words.push_back(w);
    }
    check_distinct(words);
    return 0;
}
