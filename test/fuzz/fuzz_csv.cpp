// fuzz_csv: the RFC 4180 reader (hccraf::csv::parse, src/core/csv.hpp).
//
// Input: the text of a file. Properties:
//   * parse throws nothing but hccraf::DataError (anything else escapes and aborts the run);
//   * on success: a non-empty header, every row has exactly as many fields as the header, one
//     line number per row, strictly increasing, each within the text's line count;
//   * writing the table back as RFC 4180 (every field quoted, quotes doubled, CRLF or LF line
//     ends) and parsing that gives the same header and rows (nothing is lost or invented:
//     quotes, commas, CR/LF inside fields survive);
//   * column(name) finds the first header field of that name.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "csv.hpp"
#include "errors.hpp"
#include "fuzz_bytes.hpp"

using namespace hccraf;

namespace {

std::string quote(const std::string& field) {
    std::string out = "\"";
    for (char c : field) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + '"';
}

std::string write_table(const csv::Table& t, const char* eol) {
    std::string out;
    auto record = [&](const std::vector<std::string>& fields) {
        for (std::size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + quote(fields[i]);
        out += eol;
    };
    record(t.header);
    for (const auto& r : t.rows) record(r);
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    csv::Table t;
    try {
        t = csv::parse(text, "fuzz.csv");
    } catch (const DataError&) {
        return 0;
    }
    FUZZ_CHECK(!t.header.empty());
    FUZZ_CHECK(t.lines.size() == t.rows.size());
    const std::size_t text_lines = 1 + static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        FUZZ_CHECK(t.rows[r].size() == t.header.size());
        FUZZ_CHECK(t.lines[r] >= 2 && t.lines[r] <= text_lines);
        if (r > 0) FUZZ_CHECK(t.lines[r] > t.lines[r - 1]);
    }
    for (std::size_t i = 0; i < t.header.size(); ++i) {
        std::size_t c = t.column(t.header[i]);
        FUZZ_CHECK(c <= i && t.header[c] == t.header[i]);
    }

    for (const char* eol : {"\n", "\r\n"}) {
        csv::Table again;
        try {
            again = csv::parse(write_table(t, eol), "rewritten.csv");
        } catch (const DataError&) {
            FUZZ_CHECK(!"a table written back as RFC 4180 must parse");
        }
        FUZZ_CHECK(again.header == t.header);
        FUZZ_CHECK(again.rows == t.rows);
    }
    return 0;
}
