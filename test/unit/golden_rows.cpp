#include "golden_rows.hpp"

#include "icd_code.hpp"

namespace hccraf::test {

csv::Table read_fixture(const std::string& name) {
    return csv::read_file(std::string(HCCRAF_FIXTURE_DIR) + "/" + name);
}

std::set<std::string> split_set(const std::string& s) {
    std::set<std::string> out;
    std::size_t start = 0;
    while (!s.empty()) {
        std::size_t bar = s.find('|', start);
        out.insert(s.substr(start, bar - start));
        if (bar == std::string::npos) break;
        start = bar + 1;
    }
    return out;
}

std::vector<GoldenRow> golden_rows(const csv::Table& t, int payment_year) {
    std::vector<GoldenRow> rows;
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        GoldenRow g;
        g.line = t.lines[r];
        g.fields = &t.rows[r];
        g.table = &t;
        g.id = g["patient_id"];
        g.expected_age = g["age"];
        const std::string& dob = g["dob"];
        g.patient.age = age_on_feb1(std::stoi(dob.substr(0, 4)), std::stoi(dob.substr(5, 2)),
                                    std::stoi(dob.substr(8, 2)), payment_year);
        g.patient.sex = g["sex"] == "M" ? Sex::Male : Sex::Female;
        g.patient.orec = g["orec"].empty() ? ' ' : g["orec"][0];
        const std::string& dual = g["dual_status"];
        g.patient.dual = dual == "full" ? Dual::Full : dual == "partial" ? Dual::Partial : Dual::Non;
        g.patient.institutional = g["institutional"] == "1";
        g.patient.new_enrollee = g["new_enrollee"] == "1";
        g.patient.snp_new_enrollee = g["snp_new_enrollee"] == "1";
        std::set<std::string> seen;
        const std::string& dx = g["dx"];
        std::size_t start = 0;
        while (!dx.empty()) {
            std::size_t bar = dx.find('|', start);
            g.dx.push_back(dx.substr(start, bar - start));
            if (bar == std::string::npos) break;
            start = bar + 1;
        }
        for (const auto& code : g.dx)
            if (auto k = parse_icd(code)) g.keys.push_back(*k);
        rows.push_back(std::move(g));
    }
    return rows;
}

}  // namespace hccraf::test
