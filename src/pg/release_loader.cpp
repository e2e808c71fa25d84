#include "release_loader.hpp"

#include <string>

#include "../core/errors.hpp"
#include "../core/fixed_point.hpp"
#include "spi_rows.hpp"

namespace hccraf::pg {

namespace {

// "HCC38" columns are read back as numbers with substr(..., 4); NULL-able ints come as "".
int to_int(const std::string& s, int if_empty) {
    return s.empty() ? if_empty : std::stoi(s);
}

}  // namespace

ReleaseData load_release_from_tables(const std::string& model, int year) {
    ReleaseData d;
    d.model_version = model;
    d.payment_year = year;
    const char* m = model.c_str();

    auto release = spi_rows(
        "SELECT coalesce(normalization_factor::text, ''), coalesce(ma_coding_adjustment::text, ''), "
        "blend_weight::text FROM hccraf.model_release WHERE model_version = $1 AND payment_year = $2",
        m, year, 2);
    if (release.empty()) throw InputError("release " + model + " " + std::to_string(year) + " is not loaded");
    d.normalization_factor = release[0][0].empty() ? 0 : parse_milli(release[0][0]);
    d.ma_coding_adjustment = release[0][1].empty() ? 0 : parse_milli(release[0][1]);
    d.blend_weight = parse_milli(release[0][2]);

    for (auto& r : spi_rows("SELECT icd10_code, substr(hcc_code, 4) FROM hccraf.hcc_crosswalk "
                            "WHERE model_version = $1 AND effective_year = $2 ORDER BY 1, 2",
                            m, year, 2))
        d.crosswalk.push_back({r[0], std::stoi(r[1])});

    for (auto& r : spi_rows("SELECT segment, variable, kind, coefficient::text FROM hccraf.hcc_factor "
                            "WHERE model_version = $1 AND payment_year = $2 ORDER BY 1, 2",
                            m, year, 2))
        d.factors.push_back({r[0], r[1], r[2], parse_milli(r[3])});

    for (auto& r : spi_rows("SELECT rule_order, substr(superior_hcc, 4), substr(subordinate_hcc, 4) "
                            "FROM hccraf.hcc_hierarchy WHERE model_version = $1 AND payment_year = $2 "
                            "ORDER BY rule_order, substr(subordinate_hcc, 4)::int",
                            m, year, 2))
        d.hierarchy.push_back({std::stoi(r[0]), std::stoi(r[1]), std::stoi(r[2])});

    for (auto& r : spi_rows("SELECT substr(hcc_code, 4), label FROM hccraf.hcc_label "
                            "WHERE model_version = $1 AND payment_year = $2 "
                            "ORDER BY substr(hcc_code, 4)::int",
                            m, year, 2))
        d.labels.push_back({std::stoi(r[0]), r[1]});

    for (auto& r : spi_rows("SELECT interaction_name, term, coalesce(substr(hcc_code, 4), '') "
                            "FROM hccraf.hcc_interaction_member "
                            "WHERE model_version = $1 AND payment_year = $2 ORDER BY 1, 2, 3",
                            m, year, 2))
        d.interactions.push_back({r[0], r[1], to_int(r[2], 0)});

    for (auto& r : spi_rows("SELECT edit_order, edit_kind, icd10_code, coalesce(sex::text, ''), "
                            "coalesce(age_min::text, ''), coalesce(age_max::text, ''), action, "
                            "coalesce(substr(hcc_code, 4), '') FROM hccraf.hcc_edit "
                            "WHERE model_version = $1 AND payment_year = $2 ORDER BY 2, 1, 3",
                            m, year, 2))
        d.edits.push_back({std::stoi(r[0]), r[1], r[2], r[3].empty() ? '\0' : r[3][0], to_int(r[4], -1),
                           to_int(r[5], -1), r[6] == "drop", to_int(r[7], 0)});
    return d;
}

}  // namespace hccraf::pg
