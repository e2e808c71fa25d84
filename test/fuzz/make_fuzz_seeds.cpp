// make_fuzz_seeds: writes the seed corpora of every harness (test/fuzz/corpus/<harness>/seed-*)
// from the golden sets (test/fixtures/golden_*.csv), data/ and a small synthetic release. Run
// once by hand when a format changes; the seeds are checked in (then grown and minimised by
// fuzzing, see README.md):
//   build-fuzz/make_fuzz_seeds test/fuzz/corpus
// It checks its own output: every encoder round-trips through its harness's decoder.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "code_set.hpp"
#include "csv.hpp"
#include "demographics.hpp"
#include "hhs_input.hpp"
#include "icd_code.hpp"
#include "model_family.hpp"
#include "model_image.hpp"
#include "patient_input.hpp"
#include "release_bytes.hpp"
#include "release_data.hpp"
#include "scorer.hpp"
#include "scorer_input.hpp"

using namespace hccraf;
using namespace hccraf::fuzz;
namespace fs = std::filesystem;

namespace {

fs::path g_out;

void write(const std::string& harness, const std::string& name, const void* data, std::size_t size) {
    fs::create_directories(g_out / harness);
    std::ofstream f(g_out / harness / ("seed-" + name), std::ios::binary);
    f.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
    if (!f) {
        std::fprintf(stderr, "cannot write %s/%s\n", harness.c_str(), name.c_str());
        std::exit(1);
    }
}
void write(const std::string& harness, const std::string& name, const std::vector<std::uint8_t>& v) {
    write(harness, name, v.data(), v.size());
}
void write(const std::string& harness, const std::string& name, const std::vector<std::byte>& v) {
    write(harness, name, v.data(), v.size());
}
void write(const std::string& harness, const std::string& name, const std::string& s) {
    write(harness, name, s.data(), s.size());
}
void require(bool ok, const char* what) {
    if (!ok) {
        std::fprintf(stderr, "make_fuzz_seeds: %s\n", what);
        std::exit(1);
    }
}

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (;;) {
        std::size_t at = s.find(sep, start);
        out.push_back(s.substr(start, at == std::string::npos ? std::string::npos : at - start));
        if (at == std::string::npos) return out;
        start = at + 1;
    }
}

// One golden row's person and codes.
struct GoldenRow {
    int birth_year, birth_month, birth_day, age;
    std::string sex, orec, dual, institutional, new_enrollee, snp, low_income, esrd, esrd_status;
    int months = 0;
    std::vector<std::string> dx;
};

std::vector<GoldenRow> read_golden(const std::string& file) {
    csv::Table t = csv::read_file(std::string(HCCRAF_FIXTURE_DIR) + "/" + file);
    std::vector<GoldenRow> rows;
    for (const auto& r : t.rows) {
        GoldenRow g;
        const auto dob = split(r[t.column("dob")], '-');
        g.birth_year = dob.size() == 3 ? std::atoi(dob[0].c_str()) : 0;
        g.birth_month = dob.size() == 3 ? std::atoi(dob[1].c_str()) : 0;
        g.birth_day = dob.size() == 3 ? std::atoi(dob[2].c_str()) : 0;
        g.age = std::atoi(r[t.column("age")].c_str());
        // Columns a family's golden file lacks (RxHCC: dual_status, snp_new_enrollee; ESRD:
        // snp_new_enrollee, low_income, esrd) read as empty.
        auto get = [&](const char* name) -> std::string {
            const auto it = std::find(t.header.begin(), t.header.end(), name);
            return it == t.header.end() ? std::string() : r[static_cast<std::size_t>(it - t.header.begin())];
        };
        g.sex = get("sex");
        g.orec = get("orec");
        g.dual = get("dual_status");
        g.institutional = get("institutional");
        g.new_enrollee = get("new_enrollee");
        g.snp = get("snp_new_enrollee");
        g.low_income = get("low_income");
        g.esrd = get("esrd");
        g.esrd_status = get("esrd_status");
        g.months = std::atoi(get("months_since_transplant").c_str());
        const std::string dx = r[t.column("dx")];
        if (!dx.empty()) g.dx = split(dx, '|');
        rows.push_back(std::move(g));
    }
    return rows;
}

Patient to_patient(const GoldenRow& g) {
    Patient p;
    p.age = g.age;
    p.sex = g.sex == "M" ? Sex::Male : Sex::Female;
    p.orec = g.orec.empty() ? ' ' : g.orec[0];
    p.dual = g.dual == "full" ? Dual::Full : g.dual == "partial" ? Dual::Partial : Dual::Non;
    p.institutional = g.institutional == "1";
    p.new_enrollee = g.new_enrollee == "1";
    p.snp_new_enrollee = g.snp == "1";
    p.low_income = g.low_income == "1";
    p.esrd = g.esrd == "1";
    p.esrd_status = g.esrd_status == "dialysis" ? EsrdStatus::Dialysis
                    : g.esrd_status == "graft"  ? EsrdStatus::Graft
                                                : EsrdStatus::None;
    p.months_since_transplant = g.months;
    return p;
}

// A small made-up release in the spirit of test/unit/synthetic.cpp (not linked to it, so the
// seeds do not change when the unit tests do): every continuing segment lists all HCCs,
// interactions and counts; NE/SNPNE list new-enrollee cells.
ReleaseData synthetic_release() {
    ReleaseData d;
    d.model_version = "V28";
    d.payment_year = 2099;
    d.normalization_factor = 1067;
    d.ma_coding_adjustment = 59;
    d.blend_weight = 1000;
    for (int h : {17, 18, 22, 23, 38, 62, 63, 64, 111, 112, 202, 221, 222, 223, 224, 226, 280})
        d.labels.push_back({h, "Label " + std::to_string(h)});
    d.crosswalk = {{"C7800", 17},  {"C9330", 18},  {"C50911", 23},  {"E119", 38},   {"E1152", 38},
                   {"E1152", 226}, {"Z944", 62},   {"K7211", 63},   {"K7460", 64},  {"R4020", 202},
                   {"D66", 111},   {"J449", 280},  {"Z95811", 223}, {"I5022", 226}, {"I5084", 222},
                   {"Z941", 221},  {"I5023", 224}, {"I10", 999}};
    d.edits = {
        {1, "mandatory", "D66", 'F', -1, -1, false, 112}, {2, "mandatory", "J449", 0, 18, -1, true, 0},
        {3, "mandatory", "C50911", 0, 50, -1, false, 22}, {3, "mandatory", "C50A0", 0, 50, -1, false, 22},
        {0, "mce_age", "C9330", 0, 0, 17, true, 0},       {0, "mce_age", "E1152", 0, 15, -1, true, 0}};
    int order = 0;
    auto rule = [&](int parent, std::initializer_list<int> children) {
        ++order;
        for (int c : children) d.hierarchy.push_back({order, parent, c});
    };
    rule(17, {18, 22, 23});
    rule(22, {23});
    rule(62, {63, 64});
    rule(63, {64, 202});
    rule(111, {112});
    rule(221, {222, 223, 224, 226});
    rule(222, {223, 224, 226});
    rule(223, {224, 226});
    rule(224, {226});
    d.interactions = {{"DIABETES_HF", "DIABETES", 38},   {"DIABETES_HF", "HF", 226},
                      {"DIABETES_HF", "HF", 224},        {"HF_LUNG", "HF", 226},
                      {"HF_LUNG", "LUNG", 280},          {"DISABLED_CANCER", "DISABL", 0},
                      {"DISABLED_CANCER", "CANCER", 17}, {"DISABLED_CANCER", "CANCER", 23}};
    for (const char* seg : {"CNA", "CND", "CFA", "CFD", "CPA", "CPD", "INS"}) {
        for (int id = 0; id < 24; ++id) d.factors.push_back({seg, demo::name(id), "demographic", 300 + id});
        for (const auto& l : d.labels)
            d.factors.push_back({seg, "HCC" + std::to_string(l.hcc), "hcc", l.hcc});
        d.factors.push_back({seg, "DIABETES_HF", "interaction", 7});
        if (std::string(seg) == "INS") {
            d.factors.push_back({seg, "DISABLED_CANCER", "interaction", 13});
            d.factors.push_back({seg, "LTIMCAID", "demographic", 100});
            d.factors.push_back({seg, "ORIGDS", "demographic", 0});
        } else {
            d.factors.push_back({seg, "HF_LUNG", "interaction", 11});
            for (int k = 1; k <= 9; ++k) d.factors.push_back({seg, "D" + std::to_string(k), "count", k});
            d.factors.push_back({seg, "D10P", "count", 100});
            d.factors.push_back({seg, "OriginallyDisabled_Female", "demographic", 50});
        }
    }
    for (int id = demo::kFirstNewEnrollee; id < demo::kFirstDual; id += 3) {  // the CMS-HCC NE cells
        d.factors.push_back({"NE", demo::name(id), "new_enrollee", 600 + id});
        d.factors.push_back({"SNPNE", demo::name(id), "new_enrollee", 1100 + id});
    }
    return d;
}

// A real release with every k-th crosswalk row (plus the codes of the golden sets): real
// hierarchy, interactions, factors and edits in an image that mutates quickly.
ReleaseData reduced(ReleaseData d, std::size_t k, const std::set<std::string>& keep) {
    std::vector<CrosswalkRow> rows;
    for (std::size_t i = 0; i < d.crosswalk.size(); ++i)
        if (i % k == 0 || keep.count(d.crosswalk[i].icd10_code)) rows.push_back(d.crosswalk[i]);
    d.crosswalk = rows;
    return d;
}

// An HHS-HCC release reduced the same way, with every k-th drug code (plus the golden ones), the
// factors of the segments whose name contains `segments` only ("" = all), and every k_edit-th edit.
ReleaseData reduced_hhs(ReleaseData d, std::size_t k, const std::set<std::string>& keep,
                        const std::set<std::string>& keep_drugs, std::size_t k_drug, const std::string& segments,
                        std::size_t k_edit) {
    d = reduced(std::move(d), k, keep);
    std::vector<DrugRow> drugs;
    for (std::size_t i = 0; i < d.drugs.size(); ++i)
        if (i % k_drug == 0 || keep_drugs.count(d.drugs[i].code)) drugs.push_back(d.drugs[i]);
    d.drugs = drugs;
    std::vector<FactorRow> factors;
    for (const FactorRow& f : d.factors)
        if (f.segment.find(segments) != std::string::npos) factors.push_back(f);
    d.factors = factors;
    std::vector<EditRow> edits;
    for (std::size_t i = 0; i < d.edits.size(); ++i)
        if (i % k_edit == 0 || keep.count(d.edits[i].icd10_code)) edits.push_back(d.edits[i]);
    d.edits = edits;
    return d;
}

// A small made-up HHS-HCC release: every kind of row (HCCs, a split HCC, groups, RXCs, a code with
// three CCs, cc_split and MCE edits, hierarchy with the RXC rule, an RXC x HCC interaction, sets
// of every kind, NDC / HCPCS / ACF drug codes, CSR factors) and factors for all 15 segments.
ReleaseData synthetic_hhs_release() {
    ReleaseData d;
    d.model_version = "HHS_V08";
    d.model_family = "HHS-HCC";
    d.payment_year = 2026;
    const int g01 = parse_hcc_code(Family::Hhs, "G01"), rxc01 = kHhsRxcBase + 1, rxc06 = kHhsRxcBase + 6,
              rxc07 = kHhsRxcBase + 7;
    for (int h : {1, 18, 19, 20, 21, 22, 34, 1035, 130, 137, 153, 242, 249, g01, rxc01, rxc06, rxc07})
        d.labels.push_back({h, hcc_name(Family::Hhs, h)});
    d.crosswalk = {{"B20", 1},    {"E1165", 21},  {"E1010", 21}, {"E1010", 22}, {"E1052", 20},
                   {"E1052", 22}, {"E1052", 153}, {"I5022", 130}, {"Q234", 137}, {"Z944", 34},
                   {"Z940", 1035}, {"P0702", 242}, {"Z3800", 249}, {"T8610", 18}};
    d.edits = {{1, "cc_split", "E109", 0, -1, 20, false, 21},  {1, "cc_split", "E109", 0, 21, -1, false, 21},
               {1, "cc_split", "E109", 0, 21, -1, false, 22},  {1, "cc_split", "D66", 'M', -1, -1, false, 130},
               {0, "mce_age", "P0702", 0, 0, 0, true, 0},      {0, "mce_age", "O0000", 0, 9, 64, true, 0}};
    d.hierarchy = {{1, 18, 19}, {1, 18, 20}, {1, 18, 21}, {1, 18, 22}, {2, 19, 20}, {2, 19, 21},
                   {3, 242, 249}, {4, rxc06, rxc07}};
    d.interactions = {{"RXC_06_X_HCC018_019_020_021", "RXC_06", rxc06},
                      {"RXC_06_X_HCC018_019_020_021", "HCC018_019_020_021", 18},
                      {"RXC_06_X_HCC018_019_020_021", "HCC018_019_020_021", 21}};
    d.sets = {{"G01", 19}, {"G01", 20}, {"G01", 21}, {"SEVERE_ADULT", 34}, {"SEVERE_CHILD", 34},
              {"TRANSPLANT_ADULT", 34}, {"TRANSPLANT_CHILD", 18}, {"EXCLUDED_ADULT", 242},
              {"EXCLUDED_ADULT", 249}, {"EXCLUDED_CHILD", 22}, {"EXCLUDED_INFANT", 22},
              {"SEVERITY5", 137}, {"SEVERITY2", 21}, {"SEVERITY1", 1035}, {"EXTREMELY_IMMATURE", 242},
              {"TERM", 249}};
    d.drugs = {{"ndc", "00002021301", "RXC_06"},   {"ndc", "00002115201", "RXC_07"},
               {"ndc", "00247210401", "ACF_PrEP"}, {"ndc", "00247210401", "ACF_PrEP_Child"},
               {"hcpcs", "J0739", "RXC_01"},       {"hcpcs", "J0739", "ACF_PrEP"},
               {"ndc", "00117A52902", "RXC_01"}};
    d.csr = {{1, "any", 1000},     {2, "gold", 1070},  {3, "silver", 1120},   {4, "bronze", 1510},
             {6, "platinum", 1310}, {8, "gold", 1390}, {11, "silver", 1150}};
    const char* metals[] = {"Platinum", "Gold", "Silver", "Bronze", "Catastrophic"};
    for (int m = 0; m < 5; ++m) {
        const std::string adult = std::string("Adult_") + metals[m], child = std::string("Child_") + metals[m],
                          infant = std::string("Infant_") + metals[m];
        for (const std::string& seg : {adult, child}) {
            for (int h : {1, 18, 34, 1035, 130, 137, 153, g01, 19, 20, 21})
                d.factors.push_back({seg, hcc_name(Family::Hhs, h), hhs_is_group(h) ? "group" : "hcc", 100 * m + h});
            d.factors.push_back({seg, "SEVERE_HCC_COUNT1", "count", -5773});
            d.factors.push_back({seg, "SEVERE_HCC_COUNT2", "count", -5615});
        }
        d.factors.push_back({adult, "HHS_HCC022", "hcc", 333});
        for (int h : {rxc01, rxc06, rxc07}) d.factors.push_back({adult, hcc_name(Family::Hhs, h), "rxc", 1000 + h % 100});
        d.factors.push_back({adult, "RXC_06_X_HCC018_019_020_021", "interaction", 499});
        for (int id = demo::kHhsAdultCell; id < demo::kHhsChildCell; ++id)
            d.factors.push_back({adult, demo::name(Family::Hhs, id), "demographic", id - 200});
        for (int id = demo::kHhsChildCell; id < demo::kHhsAge0Male; ++id)
            d.factors.push_back({child, demo::name(Family::Hhs, id), "demographic", id - 250});
        for (int id = demo::kHhsEnrollmentDuration; id < demo::kHhsAcfAdult; ++id)
            d.factors.push_back({adult, demo::name(Family::Hhs, id), "duration", 1500 + id});
        d.factors.push_back({adult, "ACF_PrEP", "acf", 3609});
        d.factors.push_back({child, "ACF_PrEP_Child", "acf", 2000});
        d.factors.push_back({adult, "TRANSPLANT_HCC_COUNT4", "count", 7000});
        d.factors.push_back({child, "TRANSPLANT_HCC_COUNT4PLUS", "count", 13213});
        d.factors.push_back({infant, "AGE0_MALE", "demographic", 484});
        d.factors.push_back({infant, "AGE1_MALE", "demographic", 44});
        for (int id = demo::kHhsMaturity; id < demo::kCount; ++id)
            d.factors.push_back({infant, demo::name(Family::Hhs, id), "maturity", 100 * (id - demo::kHhsMaturity)});
    }
    return d;
}

std::vector<std::byte> compiled(const ReleaseData& d) {
    std::vector<std::byte> bytes = compile_image(d);
    ModelImage check(bytes.data(), bytes.size());
    return bytes;
}

// The first `limit` bytes of a file, cut after the last complete line.
std::string head(const std::string& path, std::size_t limit) {
    std::ifstream f(path, std::ios::binary);
    std::string s(limit, '\0');
    f.read(s.data(), static_cast<std::streamsize>(limit));
    s.resize(static_cast<std::size_t>(f.gcount()));
    if (s.size() == limit && s.rfind('\n') != std::string::npos) s.resize(s.rfind('\n') + 1);
    return s;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: make_fuzz_seeds CORPUS_DIR   (e.g. test/fuzz/corpus)\n");
        return 2;
    }
    g_out = argv[1];
    const std::string data = HCCRAF_DATA_DIR;

    struct Golden {
        const char* file;
        ScorerRelease release;
        int payment_year;
    };
    const Golden goldens[] = {{"golden_v28_2026.csv", ScorerRelease::V28, 2026},
                              {"golden_v24_2026.csv", ScorerRelease::V24, 2026},
                              {"golden_blend_2025.csv", ScorerRelease::V28, 2025},
                              {"golden_rxhcc_v08_2026.csv", ScorerRelease::RxHccV08, 2026},
                              {"golden_esrd_v24_2026.csv", ScorerRelease::EsrdV24, 2026}};
    std::set<std::string> golden_codes;
    for (const Golden& gf : goldens)
        for (const GoldenRow& g : read_golden(gf.file))
            for (const auto& c : g.dx)
                if (auto k = parse_icd(c)) golden_codes.insert(format_icd(*k));

    // HHS-HCC golden rows (their own columns).
    struct HhsGolden {
        int year;
        csv::Table t;
    };
    std::vector<HhsGolden> hhs_goldens;
    std::set<std::string> hhs_dx, hhs_drugs;
    for (int year : {2025, 2026}) {
        hhs_goldens.push_back(
            {year, csv::read_file(std::string(HCCRAF_FIXTURE_DIR) + "/golden_hhs_hcc_" + std::to_string(year) + ".csv")});
        const csv::Table& t = hhs_goldens.back().t;
        for (const auto& r : t.rows) {
            for (const auto& c : split(r[t.column("dx")], '|'))
                if (auto k = parse_icd(c)) hhs_dx.insert(format_icd(*k));
            for (const char* col : {"ndc", "hcpcs"})
                for (const auto& c : split(r[t.column(col)], '|'))
                    if (!c.empty()) hhs_drugs.insert(c);
        }
    }

    // ---- fuzz_icd: the golden dx codes as typed (one per line), and spellings at the edges.
    int n = 0;
    for (const Golden& gf : goldens) {
        const auto rows = read_golden(gf.file);
        for (std::size_t i = 0; i < rows.size(); i += 37) {
            std::string text;
            for (const auto& c : rows[i].dx) text += c + "\n";
            write("fuzz_icd", "golden-" + std::to_string(n++), text);
        }
    }
    write("fuzz_icd", "edges",
          std::string("e11.9\n E11.9 \nE119\nE11..9\nE1.19\nQA0.0101\nE1\nE12345678\n"
                      "1E119\nE11.\n\tz95.811\r\nE11 9\n.E119\nI10\nC50.911\n"));

    // ---- fuzz_patient: golden persons (text fields, date of birth, age) and edge values.
    n = 0;
    for (const Golden& gf : goldens) {
        const auto rows = read_golden(gf.file);
        for (std::size_t i = 0; i < rows.size(); i += 61) {
            const GoldenRow& g = rows[i];
            PatientInput x;
            x.value = g.age;
            x.birth_year = g.birth_year;
            x.birth_month = g.birth_month;
            x.birth_day = g.birth_day;
            x.payment_year = gf.payment_year;
            x.mode = static_cast<std::uint8_t>(n % 2);
            x.age = g.age;
            const Patient p = to_patient(g);
            x.patient_bits = static_cast<std::uint8_t>((p.sex == Sex::Male ? 1 : 0) |
                                                       (p.dual == Dual::Full      ? 2
                                                        : p.dual == Dual::Partial ? 4
                                                                                  : 0) |
                                                       (p.institutional ? 8 : 0) | (p.new_enrollee ? 16 : 0) |
                                                       (p.snp_new_enrollee ? 32 : 0) |
                                                       (p.low_income ? 64 : 0) | (p.esrd ? 128 : 0));
            x.orec = static_cast<std::uint8_t>(p.orec);
            x.esrd_status = static_cast<std::uint8_t>(p.esrd_status);
            x.months = p.months_since_transplant;
            x.texts = {g.sex, g.orec, g.dual, g.institutional, g.new_enrollee, g.snp, std::to_string(g.age)};
            write("fuzz_patient", "golden-" + std::to_string(n++), write_patient_input(x));
        }
    }
    {
        PatientInput x;
        x.value = 99;
        x.birth_year = 2000;
        x.birth_month = 2;
        x.birth_day = 29;
        x.payment_year = 2026;
        x.age = 64;
        x.texts = {" male ", "FeMaLe", "", "03", "FBD", "pbd", "yes", "No", "1234567890123456", "\t0\r\n"};
        write("fuzz_patient", "edges", write_patient_input(x));
        // ESRD: every status with months around the transplant-month and duration boundaries.
        for (int status = 0; status < 3; ++status)
            for (int months : {-1, 0, 1, 3, 4, 9, 10}) {
                x.esrd_status = static_cast<std::uint8_t>(status);
                x.months = months;
                x.patient_bits = static_cast<std::uint8_t>(16 * (months == 4) + 8 * (months == 9) + 64 * (status == 2));
                write("fuzz_patient", "esrd-" + std::to_string(status) + "-" + std::to_string(months),
                      write_patient_input(x));
            }
    }

    // ---- fuzz_csv: heads of real data files (quoted fields, empty fields, long files).
    const std::pair<const char*, std::size_t> csv_files[] = {{"/releases.csv", 4096},
                                                             {"/model_releases.csv", 4096},
                                                             {"/ESRD_V24/2026/factors.csv", 2048},
                                                             {"/V28/2026/crosswalk.csv", 2048},
                                                             {"/V28/2026/edits.csv", 2048},
                                                             {"/V28/2026/factors.csv", 2048},
                                                             {"/V28/2026/labels.csv", 2048},
                                                             {"/V28/2026/interactions.csv", 2048},
                                                             {"/V24/2026/hierarchy.csv", 1024},
                                                             {"/icd10cm/fy2026.csv", 3072},
                                                             {"/icd10cm/code_sets.csv", 2048},
                                                             {"/specificity_rules.csv", 3072},
                                                             {"/MANIFEST.csv", 2048}};
    for (const auto& [file, limit] : csv_files) {
        std::string name = std::string(file).substr(1);
        std::replace(name.begin(), name.end(), '/', '-');
        write("fuzz_csv", name, head(data + file, limit));
    }
    write("fuzz_csv", "golden_v28_2026.csv",
          head(std::string(HCCRAF_FIXTURE_DIR) + "/golden_v28_2026.csv", 2048));
    write("fuzz_csv", "edges",
          std::string("\xEF\xBB\xBF"
                      "a,\"b\"\"c\",d\r\n\"x\ny\",,\"\"\r\n1,2,3"));

    // ---- fuzz_compiler and fuzz_images: releases (synthetic, reduced real, real) and code sets.
    const ReleaseData synthetic = synthetic_release();
    const ReleaseData v28 = load_release_dir(data, "V28", 2026);
    const ReleaseData v24 = load_release_dir(data, "V24", 2026);
    const ReleaseData v28_small = reduced(v28, 60, golden_codes);
    const ReleaseData v24_small = reduced(v24, 60, golden_codes);
    // The other families (fuzz_images; fuzz_compiler finds them through the family row).
    const ReleaseData rx_small = reduced(load_release_dir(data, "RxHCC_V08", 2026), 60, golden_codes);
    const ReleaseData esrd_small = reduced(load_release_dir(data, "ESRD_V24", 2026), 60, golden_codes);
    ReleaseData tiny;
    tiny.model_version = "V24";
    tiny.payment_year = 2024;
    tiny.labels = {{19, "Diabetes"}, {85, "Heart failure"}};
    tiny.crosswalk = {{"E119", 19}, {"I5022", 85}};
    tiny.hierarchy = {{1, 85, 19}};
    tiny.factors = {{"CNA", "HCC19", "hcc", 105}, {"CNA", "F70_74", "demographic", 400}};
    // The extremes the SQL schema allows (numeric(6,3): normalization factor 0.001, coefficients
    // 999.999): the largest scores, deltas and revenues a loaded release can produce.
    ReleaseData extreme = tiny;
    extreme.model_version = "V28";
    extreme.normalization_factor = 1;
    extreme.ma_coding_adjustment = 0;
    extreme.factors = {{"CNA", "HCC19", "hcc", 999'999},
                       {"CNA", "HCC85", "hcc", 999'999},
                       {"CNA", "F70_74", "demographic", 999'999},
                       {"CNA", "M70_74", "demographic", 999'999}};
    struct Named {
        const char* name;
        const ReleaseData* d;
    };
    for (const Named& r :
         {Named{"synthetic", &synthetic}, Named{"v28-2026-reduced", &v28_small},
          Named{"v24-2026-reduced", &v24_small}, Named{"tiny", &tiny}, Named{"extreme-valid", &extreme}}) {
        const std::vector<std::uint8_t> enc = encode_release(*r.d);
        ByteReader in(enc.data(), enc.size());
        require(compiled(ReleaseDecoder(in).decode()) == compiled(*r.d),
                "release encoding does not round-trip");
        write("fuzz_compiler", std::string("release-") + r.name, enc);
        write("fuzz_images", std::string("image-") + r.name, compiled(*r.d));
    }
    // HHS-HCC (the family field of release_bytes.hpp): the made-up release, and BY2026 reduced
    // (every 120th crosswalk row, 400th drug code, 30th edit; the silver segments' factors).
    const ReleaseData hhs_synthetic = synthetic_hhs_release();
    const ReleaseData hhs_small = reduced_hhs(load_release_dir(data, "HHS_V08", 2026), 120, {}, {}, 400,
                                              "_Silver", 30);
    for (const Named& r : {Named{"hhs-synthetic", &hhs_synthetic}, Named{"hhs-v08-2026-reduced", &hhs_small}}) {
        const std::vector<std::uint8_t> enc = encode_release(*r.d);
        ByteReader in(enc.data(), enc.size());
        require(compiled(ReleaseDecoder(in).decode()) == compiled(*r.d), "HHS release encoding does not round-trip");
        write("fuzz_compiler", std::string("release-") + r.name, enc);
    }
    write("fuzz_images", "image-hhs-synthetic", compiled(hhs_synthetic));
    write("fuzz_images", "image-hhs-v08-2026-reduced",
          compiled(reduced_hhs(load_release_dir(data, "HHS_V08", 2026), 60, hhs_dx, hhs_drugs, 100, "", 10)));
    write("fuzz_images", "image-v28-2026", compiled(v28));
    write("fuzz_images", "image-rxhcc-v08-2026-reduced", compiled(rx_small));
    write("fuzz_images", "image-esrd-v24-2026-reduced", compiled(esrd_small));

    auto fy = [](std::initializer_list<int> years) {
        std::uint64_t m = 0;
        for (int y : years) m |= std::uint64_t{1} << (y - kFirstCodeSetYear);
        return m;
    };
    std::vector<CodeSetEntry> entries;
    for (const auto& c : golden_codes) entries.push_back({pack_icd(c), fy({2025, 2026})});
    entries.push_back({pack_icd("QA00101"), fy({2026})});
    entries.push_back({pack_icd("E1100"), fy({2025})});
    write("fuzz_images", "codeset-golden", compile_code_set(entries, {2025, 2026}));
    write("fuzz_images", "codeset-empty", compile_code_set({}, {}));
    write("fuzz_images", "codeset-years",
          compile_code_set({{pack_icd("E119"), fy({2000, 2063})}},
                           {2000, 2005, 2010, 2015, 2020, 2025, 2026, 2063}));

    // ---- fuzz_scorer: golden persons and codes (current), also as prior against half of them.
    n = 0;
    for (const Golden& gf : goldens) {
        const auto rows = read_golden(gf.file);
        for (std::size_t i = 0; i < rows.size(); i += 23) {
            ScorerInput x;
            x.release = gf.release;
            x.patient = to_patient(rows[i]);
            const auto& dx = rows[i].dx;
            for (std::size_t j = 0; j < dx.size(); ++j) {
                CodeEntry e;
                e.kind = EntryKind::Text;
                e.text = dx[j];
                e.list = n % 2 == 0          ? EntryList::Current
                         : j < dx.size() / 2 ? EntryList::Both
                                             : EntryList::Prior;
                x.entries.push_back(e);
            }
            CodeEntry known;
            known.kind = EntryKind::KnownIndex;
            known.index = static_cast<std::uint16_t>(i * 131);
            x.entries.push_back(known);
            write("fuzz_scorer", "golden-" + std::to_string(n++), write_scorer_input(x));
        }
    }
    // ---- fuzz_hhs: every 4th golden row (half of them with their dates), and edge enrollees.
    n = 0;
    for (const HhsGolden& g : hhs_goldens) {
        const csv::Table& t = g.t;
        for (std::size_t i = 0; i < t.rows.size(); i += 4) {
            const auto& r = t.rows[i];
            HhsInput x;
            x.year = g.year;
            x.from_dates = n % 2 == 1;
            const auto dob = split(r[t.column("dob")], '-'), last = split(r[t.column("last_enrollment_date")], '-');
            if (x.from_dates && dob.size() == 3 && last.size() == 3)
                x.dates = {std::atoi(dob[0].c_str()), std::atoi(dob[1].c_str()), std::atoi(dob[2].c_str()),
                           std::atoi(last[0].c_str()), std::atoi(last[1].c_str()), std::atoi(last[2].c_str())};
            else
                x.from_dates = false;
            x.enrollee.age_last = std::atoi(r[t.column("age_last")].c_str());
            x.enrollee.sex = r[t.column("sex")] == "M" ? Sex::Male : Sex::Female;
            x.enrollee.metal = parse_metal(r[t.column("metal")]).value_or(Metal::Silver);
            x.enrollee.csr_indicator = std::atoi(r[t.column("csr_indicator")].c_str());
            x.enrollee.enrollment_days = std::atoi(r[t.column("enrollment_days")].c_str());
            auto add = [&](const char* col, HhsEntryKind kind) {
                for (const auto& c : split(r[t.column(col)], '|'))
                    if (!c.empty()) {
                        HhsEntry e;
                        e.kind = kind;
                        e.text = c;
                        x.entries.push_back(e);
                    }
            };
            add("dx", HhsEntryKind::IcdText);
            add("ndc", HhsEntryKind::NdcText);
            add("hcpcs", HhsEntryKind::HcpcsText);
            HhsEntry known;
            known.kind = n % 3 == 0 ? HhsEntryKind::KnownIcd : HhsEntryKind::RespelledDrug;
            known.index = static_cast<std::uint16_t>(i * 97);
            known.variant = static_cast<std::uint8_t>(n % 8);
            x.entries.push_back(known);
            const std::vector<std::uint8_t> bytes = write_hhs_input(x);
            ByteReader in(bytes.data(), bytes.size());
            const HhsInput back = read_hhs_input(in);
            require(back.entries.size() == x.entries.size() && back.enrollee.csr_indicator == x.enrollee.csr_indicator &&
                        back.enrollee.enrollment_days == x.enrollee.enrollment_days && back.year == x.year,
                    "HHS input encoding does not round-trip");
            write("fuzz_hhs", "golden-" + std::to_string(n++), bytes);
        }
    }
    {
        // A 29 February birthday not reached on 28 February (§2), odd ages, CSR of another metal,
        // days at the month bounds, malformed and respelled drug codes.
        HhsInput x;
        x.year = 2026;
        x.from_dates = true;
        x.dates = {2004, 2, 29, 2026, 2, 28};
        x.enrollee.csr_indicator = 4;  // bronze, with silver: InputError
        x.enrollee.enrollment_days = 59;
        for (const char* c : {"K50.90", "E11.9", "e1052"}) {
            HhsEntry e;
            e.kind = HhsEntryKind::IcdText;
            e.text = c;
            x.entries.push_back(e);
        }
        for (const char* c : {"00002021301", "0002-0213-01", " 00002115201 "}) {
            HhsEntry e;
            e.kind = HhsEntryKind::NdcText;
            e.text = c;
            x.entries.push_back(e);
        }
        HhsEntry h;
        h.kind = HhsEntryKind::HcpcsText;
        h.text = "j0739";
        x.entries.push_back(h);
        write("fuzz_hhs", "edge-leap-csr", write_hhs_input(x));
        x.enrollee.csr_indicator = 10;
        write("fuzz_hhs", "edge-leap", write_hhs_input(x));
        x.from_dates = false;
        for (int age : {0, 1, 2, 11, 12, 20, 21, 150, 151})
            for (int days : {0, 1, 184, 185, 366, 367}) {
                x.enrollee.age_last = age;
                x.enrollee.enrollment_days = days;
                x.enrollee.sex = days % 2 ? Sex::Male : Sex::Female;
                x.enrollee.metal = static_cast<Metal>(age % 5);
                x.enrollee.csr_indicator = age % 2 ? 1 : 12;
                if (age == 0 || age == 21 || days == 184 || days == 0)
                    write("fuzz_hhs", "edge-" + std::to_string(age) + "-" + std::to_string(days), write_hhs_input(x));
            }
    }
    std::printf("seeds written under %s\n", g_out.c_str());
    return 0;
}
