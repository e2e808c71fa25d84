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

namespace {

bool has_column(const csv::Table& t, const char* name) {
    for (const auto& h : t.header)
        if (h == name) return true;
    return false;
}

}  // namespace

std::vector<GoldenRow> golden_rows(const csv::Table& t, int payment_year) {
    std::vector<GoldenRow> rows;
    // Columns of some files only (RxHCC: esrd, low_income; ESRD: esrd_status, months).
    const bool dual_col = has_column(t, "dual_status"), snp_col = has_column(t, "snp_new_enrollee");
    const bool rx_cols = has_column(t, "low_income"), esrd_cols = has_column(t, "esrd_status");
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
        if (dual_col) {
            const std::string& dual = g["dual_status"];
            g.patient.dual = dual == "full" ? Dual::Full : dual == "partial" ? Dual::Partial : Dual::Non;
        }
        g.patient.institutional = g["institutional"] == "1";
        g.patient.new_enrollee = g["new_enrollee"] == "1";
        if (snp_col) g.patient.snp_new_enrollee = g["snp_new_enrollee"] == "1";
        if (rx_cols) {
            g.patient.low_income = g["low_income"] == "1";
            g.patient.esrd = g["esrd"] == "1";
        }
        if (esrd_cols) {
            g.patient.esrd_status = g["esrd_status"] == "dialysis" ? EsrdStatus::Dialysis : EsrdStatus::Graft;
            const std::string& months = g["months_since_transplant"];
            g.patient.months_since_transplant = months.empty() ? 0 : std::stoi(months);
        }
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
