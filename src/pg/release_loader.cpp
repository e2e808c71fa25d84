#include "release_loader.hpp"

#include <charconv>
#include <string>

#include "../core/errors.hpp"
#include "../core/fixed_point.hpp"
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

// Every name is schema-qualified; spi_rows also pins search_path (see spi_rows.hpp).
// "HCC38" / "RXHCC31" columns are read back as numbers with pg_catalog.ltrim(..., 'RXHC').
constexpr const char* kReleaseQuery =
    "SELECT COALESCE(r.normalization_factor::pg_catalog.text, ''), "
    "COALESCE(r.ma_coding_adjustment::pg_catalog.text, ''), "
    "r.blend_weight::pg_catalog.text, " FAMILY_OF_RELEASE_ROW
    " FROM hccraf.model_release r "
    "WHERE r.model_version OPERATOR(pg_catalog.=) $1 AND r.payment_year OPERATOR(pg_catalog.=) $2";
constexpr const char* kCrosswalkQuery =
    "SELECT c.icd10_code::pg_catalog.text, pg_catalog.ltrim(c.hcc_code, 'RXHC') FROM hccraf.hcc_crosswalk c "
    "WHERE c.model_version OPERATOR(pg_catalog.=) $1 AND c.effective_year OPERATOR(pg_catalog.=) $2 "
    "ORDER BY 1, 2";
constexpr const char* kFactorQuery =
    "SELECT f.segment, f.variable, f.kind, f.coefficient::pg_catalog.text FROM hccraf.hcc_factor f "
    "WHERE f.model_version OPERATOR(pg_catalog.=) $1 AND f.payment_year OPERATOR(pg_catalog.=) $2 "
    "ORDER BY 1, 2";
constexpr const char* kHierarchyQuery =
    "SELECT h.rule_order::pg_catalog.text, pg_catalog.ltrim(h.superior_hcc, 'RXHC'), "
    "pg_catalog.ltrim(h.subordinate_hcc, 'RXHC') FROM hccraf.hcc_hierarchy h "
    "WHERE h.model_version OPERATOR(pg_catalog.=) $1 AND h.payment_year OPERATOR(pg_catalog.=) $2 "
    "ORDER BY h.rule_order, pg_catalog.length(h.subordinate_hcc), h.subordinate_hcc";
constexpr const char* kLabelQuery =
    "SELECT pg_catalog.ltrim(l.hcc_code, 'RXHC'), l.label FROM hccraf.hcc_label l "
    "WHERE l.model_version OPERATOR(pg_catalog.=) $1 AND l.payment_year OPERATOR(pg_catalog.=) $2 "
    "ORDER BY pg_catalog.length(l.hcc_code), l.hcc_code";
constexpr const char* kInteractionQuery =
    "SELECT m.interaction_name::pg_catalog.text, m.term::pg_catalog.text, "
    "COALESCE(pg_catalog.ltrim(m.hcc_code, 'RXHC'), '') FROM hccraf.hcc_interaction_member m "
    "WHERE m.model_version OPERATOR(pg_catalog.=) $1 AND m.payment_year OPERATOR(pg_catalog.=) $2 "
    "ORDER BY 1, 2, 3";
constexpr const char* kEditQuery =
    "SELECT e.edit_order::pg_catalog.text, e.edit_kind, e.icd10_code::pg_catalog.text, "
    "COALESCE(e.sex::pg_catalog.text, ''), COALESCE(e.age_min::pg_catalog.text, ''), "
    "COALESCE(e.age_max::pg_catalog.text, ''), e.action, COALESCE(pg_catalog.ltrim(e.hcc_code, 'RXHC'), '') "
    "FROM hccraf.hcc_edit e "
    "WHERE e.model_version OPERATOR(pg_catalog.=) $1 AND e.payment_year OPERATOR(pg_catalog.=) $2 "
    "ORDER BY 2, 1, 3";

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

    for (auto& r : spi_rows(kCrosswalkQuery, m, year, 2))
        d.crosswalk.push_back({r[0], to_int(r[1], "hcc_crosswalk.hcc_code")});
    for (auto& r : spi_rows(kFactorQuery, m, year, 2))
        d.factors.push_back({r[0], r[1], r[2], parse_signed_milli(r[3])});
    for (auto& r : spi_rows(kHierarchyQuery, m, year, 2))
        d.hierarchy.push_back({to_int(r[0], "hcc_hierarchy.rule_order"),
                               to_int(r[1], "hcc_hierarchy.superior_hcc"),
                               to_int(r[2], "hcc_hierarchy.subordinate_hcc")});
    for (auto& r : spi_rows(kLabelQuery, m, year, 2))
        d.labels.push_back({to_int(r[0], "hcc_label.hcc_code"), r[1]});
    for (auto& r : spi_rows(kInteractionQuery, m, year, 2))
        d.interactions.push_back({r[0], r[1], to_int(r[2], "hcc_interaction_member.hcc_code")});
    for (auto& r : spi_rows(kEditQuery, m, year, 2))
        d.edits.push_back({to_int(r[0], "hcc_edit.edit_order"), r[1], r[2], r[3].empty() ? '\0' : r[3][0],
                           to_int(r[4], "hcc_edit.age_min", -1), to_int(r[5], "hcc_edit.age_max", -1),
                           r[6] == "drop", to_int(r[7], "hcc_edit.hcc_code")});
    return d;
}

}  // namespace hccraf::pg
