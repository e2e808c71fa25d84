#include "release_loader.hpp"

#include <charconv>
#include <string>

#include "../core/errors.hpp"
#include "../core/fixed_point.hpp"
#include "../core/model_family.hpp"
#include "spi_rows.hpp"

namespace hccraf::pg {

namespace {

// Integers come back as text; NULL-able ones as "" (if_empty). Out-of-range text is a DataError
// naming the table (a CHECK allows HCC2147483647, std::stoi would throw std::out_of_range).
int to_int(const std::string& s, const char* what, int if_empty = 0) {
    if (s.empty()) return if_empty;
    int value = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc() || end != s.data() + s.size())
        throw DataError(std::string(what) + ": \"" + s + "\" is not an integer in range");
    return value;
}

// An HCC column: "HCC38" / "RXHCC31" -> 38 / 31 (the letters are stripped, as the CHECK allows
// "HCC007"); HHS-HCC names (HHS_HCC035_1, G02B, RXC_06) by their encoding (model_family.hpp).
int hcc_of(const std::string& s, Family f, const char* what) {
    if (f == Family::Hhs) {
        const int n = parse_hcc_code(f, s);
        if (n <= 0)
            throw DataError(std::string(what) + ": \"" + s + "\" is not an HHS-HCC HCC, group or RXC");
        return n;
    }
    std::size_t digits = s.find_first_of("0123456789");
    return to_int(digits == std::string::npos ? s : s.substr(digits), what);
}

// Every name is schema-qualified; spi_rows also pins search_path (see spi_rows.hpp).
constexpr const char* kReleaseQuery =
    "SELECT COALESCE(r.normalization_factor::pg_catalog.text, ''), "
    "COALESCE(r.ma_coding_adjustment::pg_catalog.text, ''), "
    "r.blend_weight::pg_catalog.text, " FAMILY_OF_RELEASE_ROW
    " FROM hccraf.model_release r "
    "WHERE r.model_version OPERATOR(pg_catalog.=) $1 AND r.payment_year OPERATOR(pg_catalog.=) $2";
constexpr const char* kCrosswalkQuery =
    "SELECT c.icd10_code::pg_catalog.text, c.hcc_code::pg_catalog.text FROM hccraf.hcc_crosswalk c "
    "WHERE c.model_version OPERATOR(pg_catalog.=) $1 AND c.effective_year OPERATOR(pg_catalog.=) $2 "
    "ORDER BY 1, 2";
constexpr const char* kFactorQuery =
    "SELECT f.segment, f.variable, f.kind, f.coefficient::pg_catalog.text FROM hccraf.hcc_factor f "
    "WHERE f.model_version OPERATOR(pg_catalog.=) $1 AND f.payment_year OPERATOR(pg_catalog.=) $2 "
    "ORDER BY 1, 2";
constexpr const char* kHierarchyQuery =
    "SELECT h.rule_order::pg_catalog.text, h.superior_hcc::pg_catalog.text, "
    "h.subordinate_hcc::pg_catalog.text FROM hccraf.hcc_hierarchy h "
    "WHERE h.model_version OPERATOR(pg_catalog.=) $1 AND h.payment_year OPERATOR(pg_catalog.=) $2 "
    "ORDER BY h.rule_order, pg_catalog.length(h.subordinate_hcc), h.subordinate_hcc";
constexpr const char* kLabelQuery =
    "SELECT l.hcc_code, l.label FROM hccraf.hcc_label l "
    "WHERE l.model_version OPERATOR(pg_catalog.=) $1 AND l.payment_year OPERATOR(pg_catalog.=) $2 "
    "ORDER BY pg_catalog.length(l.hcc_code), l.hcc_code";
constexpr const char* kInteractionQuery =
    "SELECT m.interaction_name::pg_catalog.text, m.term::pg_catalog.text, "
    "COALESCE(m.hcc_code::pg_catalog.text, '') FROM hccraf.hcc_interaction_member m "
    "WHERE m.model_version OPERATOR(pg_catalog.=) $1 AND m.payment_year OPERATOR(pg_catalog.=) $2 "
    "ORDER BY 1, 2, 3";
constexpr const char* kEditQuery =
    "SELECT e.edit_order::pg_catalog.text, e.edit_kind, e.icd10_code::pg_catalog.text, "
    "COALESCE(e.sex::pg_catalog.text, ''), COALESCE(e.age_min::pg_catalog.text, ''), "
    "COALESCE(e.age_max::pg_catalog.text, ''), e.action, COALESCE(e.hcc_code::pg_catalog.text, '') "
    "FROM hccraf.hcc_edit e "
    "WHERE e.model_version OPERATOR(pg_catalog.=) $1 AND e.payment_year OPERATOR(pg_catalog.=) $2 "
    "ORDER BY 2, 1, 3, 8";
constexpr const char* kSetQuery =
    "SELECT s.set_name, s.hcc_code::pg_catalog.text FROM hccraf.hhs_member_set s "
    "WHERE s.model_version OPERATOR(pg_catalog.=) $1 AND s.payment_year OPERATOR(pg_catalog.=) $2 "
    "ORDER BY 1, 2";
constexpr const char* kDrugQuery =
    "SELECT d.code_system, d.code::pg_catalog.text, d.variable FROM hccraf.hhs_drug_code d "
    "WHERE d.model_version OPERATOR(pg_catalog.=) $1 AND d.payment_year OPERATOR(pg_catalog.=) $2 "
    "ORDER BY 1, 2, 3";
constexpr const char* kCsrQuery =
    "SELECT c.csr_indicator::pg_catalog.text, c.metal, c.factor::pg_catalog.text FROM hccraf.hhs_csr_factor "
    "c "
    "WHERE c.model_version OPERATOR(pg_catalog.=) $1 AND c.payment_year OPERATOR(pg_catalog.=) $2 "
    "ORDER BY 1";

}  // namespace

ReleaseData load_release_from_tables(const std::string& model, int year) {
    ReleaseData d;
    d.model_version = model;
    d.payment_year = year;
    const char* m = model.c_str();

    auto release = spi_rows(kReleaseQuery, m, year, 2);
    if (release.empty()) throw InputError("release " + model + " " + std::to_string(year) + " is not loaded");
    d.normalization_factor = release[0][0].empty() ? 0 : parse_milli(release[0][0]);
    d.ma_coding_adjustment = release[0][1].empty() ? 0 : parse_milli(release[0][1]);
    d.blend_weight = parse_milli(release[0][2]);
    d.model_family = release[0][3];
    const Family f = parse_family(d.model_family).value_or(Family::CmsHcc);

    for (auto& r : spi_rows(kCrosswalkQuery, m, year, 2))
        d.crosswalk.push_back({r[0], hcc_of(r[1], f, "hcc_crosswalk.hcc_code")});
    for (auto& r : spi_rows(kFactorQuery, m, year, 2))
        d.factors.push_back({r[0], r[1], r[2], parse_signed_milli(r[3])});
    for (auto& r : spi_rows(kHierarchyQuery, m, year, 2))
        d.hierarchy.push_back({to_int(r[0], "hcc_hierarchy.rule_order"),
                               hcc_of(r[1], f, "hcc_hierarchy.superior_hcc"),
                               hcc_of(r[2], f, "hcc_hierarchy.subordinate_hcc")});
    for (auto& r : spi_rows(kLabelQuery, m, year, 2))
        d.labels.push_back({hcc_of(r[0], f, "hcc_label.hcc_code"), r[1]});
    for (auto& r : spi_rows(kInteractionQuery, m, year, 2))
        d.interactions.push_back(
            {r[0], r[1], r[2].empty() ? 0 : hcc_of(r[2], f, "hcc_interaction_member.hcc_code")});
    for (auto& r : spi_rows(kEditQuery, m, year, 2))
        d.edits.push_back({to_int(r[0], "hcc_edit.edit_order"), r[1], r[2], r[3].empty() ? '\0' : r[3][0],
                           to_int(r[4], "hcc_edit.age_min", -1), to_int(r[5], "hcc_edit.age_max", -1),
                           r[6] == "drop", r[7].empty() ? 0 : hcc_of(r[7], f, "hcc_edit.hcc_code")});
    if (f != Family::Hhs) return d;
    for (auto& r : spi_rows(kSetQuery, m, year, 2))
        d.sets.push_back({r[0], hcc_of(r[1], f, "hhs_member_set.hcc_code")});
    for (auto& r : spi_rows(kDrugQuery, m, year, 2)) d.drugs.push_back({r[0], r[1], r[2]});
    for (auto& r : spi_rows(kCsrQuery, m, year, 2))
        d.csr.push_back({to_int(r[0], "hhs_csr_factor.csr_indicator"), r[1], parse_milli(r[2])});
    return d;
}

}  // namespace hccraf::pg
