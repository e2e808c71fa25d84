// Reading the golden fixtures (test/fixtures, written by tools/convert_golden.py).
#pragma once
#include <set>
#include <string>
#include <vector>

#include "csv.hpp"
#include "scorer.hpp"

namespace hccraf::test {

struct GoldenRow {
    std::size_t line = 0;
    std::string id;
    std::string expected_age;
    Patient patient;
    std::vector<std::string> dx;   // as given, before normalisation
    std::vector<IcdKey> keys;      // well-formed codes, packed (malformed ones skipped)
    const std::vector<std::string>* fields = nullptr;
    const csv::Table* table = nullptr;
    const std::string& operator[](const char* column) const { return (*fields)[table->column(column)]; }
};

// The table must outlive the rows. Computes each patient's age from the DOB with age_on_feb1.
csv::Table read_fixture(const std::string& name);
std::vector<GoldenRow> golden_rows(const csv::Table& t, int payment_year);

std::set<std::string> split_set(const std::string& s);  // "a|b" -> {a, b}; "" -> {}

}  // namespace hccraf::test
