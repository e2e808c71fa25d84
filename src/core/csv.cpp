// RFC 4180 reader, see csv.hpp. One pass over the text, a two-state machine per field.
#include "csv.hpp"

#include <fstream>
#include <sstream>

#include "errors.hpp"
#include "interrupts.hpp"

namespace hccraf::csv {

std::size_t Table::column(std::string_view name) const {
    for (std::size_t i = 0; i < header.size(); ++i)
        if (header[i] == name) return i;
    throw DataError(source + ": missing column \"" + std::string(name) + "\"",
                    "see data/FORMAT.md for the expected header");
}

std::string Table::where(std::size_t row) const {
    return source + " line " + std::to_string(lines.at(row));
}

Table parse(std::string_view text, std::string source) {
    Table t;
    t.source = std::move(source);
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);

    std::vector<std::vector<std::string>> records;
    std::vector<std::size_t> record_lines;
    std::vector<std::string> record;
    std::string field;
    std::size_t line = 1, record_line = 1;
    std::size_t i = 0;
    const std::size_t n = text.size();
    auto fail = [&](const std::string& what) {
        throw DataError(t.source + " line " + std::to_string(line) + ": " + what,
                        "the file must be RFC 4180 CSV (data/FORMAT.md)");
    };
    auto end_record = [&]() {
        interrupts::poll_every(records.size());
        record.push_back(std::move(field));
        field.clear();
        records.push_back(std::move(record));
        record.clear();
        record_lines.push_back(record_line);
    };
    while (i < n) {
        // Start of a field.
        if (text[i] == '"') {
            ++i;
            for (;;) {
                if (i >= n) fail("unterminated quoted field");
                char c = text[i++];
                if (c == '"') {
                    if (i < n && text[i] == '"') {
                        field.push_back('"');
                        ++i;
                        continue;
                    }
                    break;
                }
                if (c == '\n') ++line;
                field.push_back(c);
            }
            if (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
                fail("text after a closing quote");
        } else {
            while (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
                if (text[i] == '"') fail("quote inside an unquoted field");
                field.push_back(text[i++]);
            }
        }
        // End of the field.
        if (i >= n) {
            end_record();
            break;
        }
        if (text[i] == ',') {
            ++i;
            record.push_back(std::move(field));
            field.clear();
            if (i >= n) end_record();  // "a,b," at end of text: last field empty
            continue;
        }
        if (text[i] == '\r') {
            ++i;
            if (i >= n || text[i] != '\n') fail("bare carriage return");
        }
        ++i;  // '\n'
        end_record();
        ++line;
        record_line = line;
    }
    if (records.empty()) throw DataError(t.source + ": empty file, a header line is required");
    t.header = std::move(records.front());
    for (std::size_t r = 1; r < records.size(); ++r) {
        if (records[r].size() != t.header.size()) {
            throw DataError(t.source + " line " + std::to_string(record_lines[r]) + ": " +
                                std::to_string(records[r].size()) + " fields, header has " +
                                std::to_string(t.header.size()),
                            "check for a missing quote or an extra comma");
        }
        t.rows.push_back(std::move(records[r]));
        t.lines.push_back(record_lines[r]);
    }
    return t;
}

Table read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw DataError("cannot read " + path, "is the data directory complete?");
    std::ostringstream buf;
    buf << in.rdbuf();
    return parse(buf.str(), path);
}

}  // namespace hccraf::csv
