// A small RFC 4180 CSV reader for the project's data files (data/FORMAT.md) and test fixtures.
// Private to the core and its tests; not part of the PostgreSQL contract.
//
// Accepted: comma separators, '"' quoting with "" escapes, quoted commas and line breaks, LF or
// CRLF record ends, an optional UTF-8 BOM, a final line end or none. Rejected with DataError
// (naming source and line): a quote inside an unquoted field, text after a closing quote, an
// unterminated quote, a record whose field count differs from the header's.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace hccraf::csv {

struct Table {
    std::string source;  // file name for messages
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    std::vector<std::size_t> lines;  // 1-based line where each row starts

    // Index of a header column; throws DataError naming the source when it is missing.
    std::size_t column(std::string_view name) const;
    // "crosswalk.csv line 12" for messages.
    std::string where(std::size_t row) const;
};

Table parse(std::string_view text, std::string source);
Table read_file(const std::string& path);

}  // namespace hccraf::csv
