// load_release_dir: the files of data/FORMAT.md into ReleaseData. Checks here are about the
// file format (columns, numbers, codes spelled the CMS way) and name the file and line; the
// consistency of the release as a whole is compile_image's job.
#include "release_data.hpp"

#include <charconv>

#include "csv.hpp"
#include "errors.hpp"
#include "icd_code.hpp"
#include "model_family.hpp"

namespace hccraf {

namespace {

int parse_int(const csv::Table& t, std::size_t row, const std::string& text, const char* what) {
    int value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty())
        throw DataError(t.where(row) + ": " + what + " \"" + text + "\" is not an integer");
    return value;
}

// Empty text -> fallback (an unbounded age, an absent factor).
int parse_int_or(const csv::Table& t, std::size_t row, const std::string& text, const char* what,
                 int fallback) {
    return text.empty() ? fallback : parse_int(t, row, text, what);
}

Milli parse_milli_at(const csv::Table& t, std::size_t row, const std::string& text, bool signed_ok = false) {
    try {
        return signed_ok ? parse_signed_milli(text) : parse_milli(text);
    } catch (const DataError& e) {
        throw DataError(t.where(row) + ": " + e.what(), e.hint);
    }
}

// Codes in data files are stored normalised (upper case, no dot); anything else is a data bug.
const std::string& check_code(const csv::Table& t, std::size_t row, const std::string& code) {
    char buf[8];
    std::size_t n = normalize_icd(code, buf);
    if (n == 0 || std::string_view(buf, n) != code)
        throw DataError(t.where(row) + ": ICD-10-CM code \"" + code +
                        "\" is not in the CMS spelling (upper case, no dot)");
    return code;
}

// An HCC column: a number (CMS-HCC, RxHCC, ESRD files) or, for HHS-HCC, the DIY name
// (HHS_HCC035_1, G01, RXC_06; model_family.hpp).
int parse_hcc_at(const csv::Table& t, std::size_t row, const std::string& text, const char* what, Family f) {
    if (f != Family::Hhs) return parse_int(t, row, text, what);
    int n = parse_hcc_code(f, text);
    if (n <= 0)
        throw DataError(t.where(row) + ": " + what + " \"" + text + "\" is not an HHS-HCC HCC, group or RXC");
    return n;
}

}  // namespace

ReleaseData load_release_dir(const std::string& data_dir, const std::string& model_version,
                             int payment_year) {
    ReleaseData d;
    d.model_version = model_version;
    d.payment_year = payment_year;

    {
        csv::Table t = csv::read_file(data_dir + "/model_releases.csv");
        std::size_t c_model = t.column("model_version"), c_py = t.column("payment_year"),
                    c_nf = t.column("normalization_factor"), c_ma = t.column("ma_coding_adjustment"),
                    c_w = t.column("blend_weight"), c_family = t.column("model_family");
        bool found = false;
        for (std::size_t r = 0; r < t.rows.size(); ++r) {
            const auto& row = t.rows[r];
            if (row[c_model] != model_version || parse_int(t, r, row[c_py], "payment_year") != payment_year)
                continue;
            if (found) throw DataError(t.where(r) + ": release listed twice");
            found = true;
            d.normalization_factor = row[c_nf].empty() ? 0 : parse_milli_at(t, r, row[c_nf]);
            d.ma_coding_adjustment = row[c_ma].empty() ? 0 : parse_milli_at(t, r, row[c_ma]);
            d.blend_weight = row[c_w].empty() ? 0 : parse_milli_at(t, r, row[c_w]);
            d.model_family = row[c_family];
        }
        if (!found)
            throw DataError(
                "release " + model_version + " " + std::to_string(payment_year) + " is not in " + t.source,
                "model_releases.csv lists the releases shipped in data/");
    }

    const std::string dir = data_dir + "/" + model_version + "/" + std::to_string(payment_year) + "/";
    const Family family = parse_family(d.model_family).value_or(Family::CmsHcc);

    {
        csv::Table t = csv::read_file(dir + "crosswalk.csv");
        std::size_t c_code = t.column("icd10_code"), c_cc = t.column("cc");
        for (std::size_t r = 0; r < t.rows.size(); ++r)
            d.crosswalk.push_back(
                {check_code(t, r, t.rows[r][c_code]), parse_hcc_at(t, r, t.rows[r][c_cc], "cc", family)});
    }
    {
        csv::Table t = csv::read_file(dir + "factors.csv");
        std::size_t c_seg = t.column("segment"), c_var = t.column("variable"), c_kind = t.column("kind"),
                    c_coef = t.column("coefficient");
        for (std::size_t r = 0; r < t.rows.size(); ++r) {
            const auto& row = t.rows[r];
            d.factors.push_back(
                {row[c_seg], row[c_var], row[c_kind], parse_milli_at(t, r, row[c_coef], true)});
        }
    }
    {
        csv::Table t = csv::read_file(dir + "hierarchy.csv");
        std::size_t c_order = t.column("rule_order"), c_sup = t.column("superior_hcc"),
                    c_sub = t.column("subordinate_hcc");
        for (std::size_t r = 0; r < t.rows.size(); ++r) {
            const auto& row = t.rows[r];
            d.hierarchy.push_back({parse_int(t, r, row[c_order], "rule_order"),
                                   parse_hcc_at(t, r, row[c_sup], "superior_hcc", family),
                                   parse_hcc_at(t, r, row[c_sub], "subordinate_hcc", family)});
        }
    }
    {
        csv::Table t = csv::read_file(dir + "labels.csv");
        std::size_t c_hcc = t.column("hcc"), c_label = t.column("label");
        for (std::size_t r = 0; r < t.rows.size(); ++r)
            d.labels.push_back({parse_hcc_at(t, r, t.rows[r][c_hcc], "hcc", family), t.rows[r][c_label]});
    }
    {
        csv::Table t = csv::read_file(dir + "interactions.csv");
        std::size_t c_int = t.column("interaction"), c_term = t.column("term"),
                    c_member = t.column("member_hcc");
        for (std::size_t r = 0; r < t.rows.size(); ++r) {
            const auto& row = t.rows[r];
            d.interactions.push_back(
                {row[c_int], row[c_term],
                 row[c_member].empty() ? 0 : parse_hcc_at(t, r, row[c_member], "member_hcc", family)});
        }
    }
    {
        csv::Table t = csv::read_file(dir + "edits.csv");
        std::size_t c_order = t.column("edit_order"), c_kind = t.column("edit_kind"),
                    c_code = t.column("icd10_code"), c_sex = t.column("sex"), c_min = t.column("age_min"),
                    c_max = t.column("age_max"), c_action = t.column("action"), c_cc = t.column("cc");
        for (std::size_t r = 0; r < t.rows.size(); ++r) {
            const auto& row = t.rows[r];
            EditRow e;
            e.edit_order = parse_int(t, r, row[c_order], "edit_order");
            e.edit_kind = row[c_kind];
            e.icd10_code = check_code(t, r, row[c_code]);
            if (row[c_sex].empty())
                e.sex = 0;
            else if (row[c_sex] == "M" || row[c_sex] == "F")
                e.sex = row[c_sex][0];
            else
                throw DataError(t.where(r) + ": sex \"" + row[c_sex] + "\" is not M, F or empty");
            e.age_min = parse_int_or(t, r, row[c_min], "age_min", -1);
            e.age_max = parse_int_or(t, r, row[c_max], "age_max", -1);
            if (row[c_action] == "drop")
                e.drop = true;
            else if (row[c_action] == "cc")
                e.drop = false;
            else
                throw DataError(t.where(r) + ": action \"" + row[c_action] + "\" is not drop or cc");
            e.cc = row[c_cc].empty() ? 0 : parse_hcc_at(t, r, row[c_cc], "cc", family);
            if (!e.drop && e.cc <= 0) throw DataError(t.where(r) + ": action cc without a CC");
            d.edits.push_back(std::move(e));
        }
    }
    if (family != Family::Hhs) return d;
    {
        csv::Table t = csv::read_file(dir + "sets.csv");
        std::size_t c_set = t.column("set"), c_member = t.column("member");
        for (std::size_t r = 0; r < t.rows.size(); ++r)
            d.sets.push_back({t.rows[r][c_set], parse_hcc_at(t, r, t.rows[r][c_member], "member", family)});
    }
    {
        csv::Table t = csv::read_file(dir + "drugs.csv");
        std::size_t c_sys = t.column("code_system"), c_code = t.column("code"), c_var = t.column("variable");
        for (std::size_t r = 0; r < t.rows.size(); ++r)
            d.drugs.push_back({t.rows[r][c_sys], t.rows[r][c_code], t.rows[r][c_var]});
    }
    {
        csv::Table t = csv::read_file(dir + "csr_factors.csv");
        std::size_t c_ind = t.column("csr_indicator"), c_metal = t.column("metal"), c_f = t.column("factor");
        for (std::size_t r = 0; r < t.rows.size(); ++r)
            d.csr.push_back({parse_int(t, r, t.rows[r][c_ind], "csr_indicator"), t.rows[r][c_metal],
                             parse_milli_at(t, r, t.rows[r][c_f])});
    }
    return d;
}

}  // namespace hccraf
