// The CSV reader (RFC 4180) and load_release_dir (data/FORMAT.md).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "csv.hpp"
#include "errors.hpp"
#include "release_data.hpp"

using namespace hccraf;
namespace fs = std::filesystem;

TEST(Csv, ReadsQuotedFields) {
    auto t = csv::parse("a,b,c\n1,\"x, y\",\"say \"\"hi\"\"\"\n2,\"two\nlines\",\n", "t.csv");
    ASSERT_EQ(t.rows.size(), 2u);
    EXPECT_EQ(t.rows[0][1], "x, y");
    EXPECT_EQ(t.rows[0][2], "say \"hi\"");
    EXPECT_EQ(t.rows[1][1], "two\nlines");
    EXPECT_EQ(t.rows[1][2], "");
    EXPECT_EQ(t.lines[1], 3u);
    EXPECT_EQ(t.column("c"), 2u);
    EXPECT_THROW(t.column("d"), DataError);
}

TEST(Csv, AcceptsCrlfBomAndNoFinalNewline) {
    auto t = csv::parse("\xEF\xBB\xBFh1,h2\r\n1,2\r\n3,4", "t.csv");
    EXPECT_EQ(t.header[0], "h1");
    ASSERT_EQ(t.rows.size(), 2u);
    EXPECT_EQ(t.rows[1][1], "4");
}

TEST(Csv, RejectsBrokenFiles) {
    EXPECT_THROW(csv::parse("", "t"), DataError);
    EXPECT_THROW(csv::parse("a,b\n1,\"open\n", "t"), DataError);      // unterminated quote
    EXPECT_THROW(csv::parse("a,b\n1,2,3\n", "t"), DataError);         // too many fields
    EXPECT_THROW(csv::parse("a,b\n1\n", "t"), DataError);             // too few fields
    EXPECT_THROW(csv::parse("a,b\n1,x\"y\n", "t"), DataError);        // quote in unquoted field
    EXPECT_THROW(csv::parse("a,b\n1,\"x\"y\n", "t"), DataError);      // text after closing quote
}

namespace {

void write(const fs::path& p, const std::string& text) {
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
}

fs::path tiny_data_dir() {
    fs::path dir = fs::temp_directory_path() / ("hccraf_tiny_" + std::to_string(::getpid()));
    write(dir / "model_releases.csv",
          "model_version,payment_year,normalization_factor,ma_coding_adjustment,blend_weight,status,notes,"
          "model_family\n"
          "V28,2026,1.067,0.059,1.00,final,\"a, note\",CMS-HCC\n"
          "V24,2026,,,0.00,mapping_only,,CMS-HCC\n");
    fs::path r = dir / "V28" / "2026";
    write(r / "crosswalk.csv", "icd10_code,cc\nE119,38\nE1152,37\nE1152,263\n");
    write(r / "factors.csv", "segment,variable,kind,coefficient\nCNA,HCC38,hcc,0.166\n");
    write(r / "hierarchy.csv", "rule_order,superior_hcc,subordinate_hcc\n9,37,38\n");
    write(r / "labels.csv", "hcc,label\n37,Diabetes with Chronic Complications\n38,\"Diabetes, other\"\n");
    write(r / "interactions.csv",
          "interaction,term,member_hcc\nDISABLED_X,DISABL,\nDISABLED_X,X,38\n");
    write(r / "edits.csv",
          "edit_order,edit_kind,icd10_code,sex,age_min,age_max,action,cc\n"
          "1,mandatory,D66,F,,,cc,112\n4,mandatory,P040,,0,1,drop,\n0,mce_age,C9330,,0,17,drop,\n");
    return dir;
}

}  // namespace

TEST(LoadReleaseDir, ReadsEveryFile) {
    fs::path dir = tiny_data_dir();
    ReleaseData d = load_release_dir(dir.string(), "V28", 2026);
    EXPECT_EQ(d.normalization_factor, 1067);
    EXPECT_EQ(d.ma_coding_adjustment, 59);
    EXPECT_EQ(d.blend_weight, 1000);
    ASSERT_EQ(d.crosswalk.size(), 3u);
    EXPECT_EQ(d.crosswalk[2].icd10_code, "E1152");
    EXPECT_EQ(d.crosswalk[2].cc, 263);
    ASSERT_EQ(d.factors.size(), 1u);
    EXPECT_EQ(d.factors[0].coefficient, 166);
    EXPECT_EQ(d.hierarchy[0].rule_order, 9);
    EXPECT_EQ(d.labels[1].label, "Diabetes, other");
    ASSERT_EQ(d.interactions.size(), 2u);
    EXPECT_EQ(d.interactions[0].term, "DISABL");
    EXPECT_EQ(d.interactions[0].member_hcc, 0);
    ASSERT_EQ(d.edits.size(), 3u);
    EXPECT_EQ(d.edits[0].sex, 'F');
    EXPECT_EQ(d.edits[0].age_min, -1);
    EXPECT_FALSE(d.edits[0].drop);
    EXPECT_EQ(d.edits[0].cc, 112);
    EXPECT_EQ(d.edits[1].sex, 0);
    EXPECT_EQ(d.edits[1].age_min, 0);
    EXPECT_EQ(d.edits[1].age_max, 1);
    EXPECT_TRUE(d.edits[1].drop);
    EXPECT_EQ(d.edits[2].edit_kind, "mce_age");
    fs::remove_all(dir);
}

TEST(LoadReleaseDir, EmptyPaymentFieldsMeanNoPaymentRole) {
    fs::path dir = tiny_data_dir();
    fs::path r = dir / "V24" / "2026";
    fs::create_directories(r);
    for (const char* f : {"crosswalk.csv", "factors.csv", "hierarchy.csv", "labels.csv",
                          "interactions.csv", "edits.csv"})
        fs::copy_file(dir / "V28" / "2026" / f, r / f);
    ReleaseData d = load_release_dir(dir.string(), "V24", 2026);
    EXPECT_EQ(d.normalization_factor, 0);
    EXPECT_EQ(d.ma_coding_adjustment, 0);
    EXPECT_EQ(d.blend_weight, 0);
    fs::remove_all(dir);
}

TEST(LoadReleaseDir, ReportsProblemsAsDataError) {
    fs::path dir = tiny_data_dir();
    EXPECT_THROW(load_release_dir(dir.string(), "V28", 2030), DataError);  // not registered
    EXPECT_THROW(load_release_dir(dir.string(), "V24", 2026), DataError);  // no files
    write(dir / "V28" / "2026" / "crosswalk.csv", "icd10_code,cc\nE11.9,38\n");  // dotted code
    EXPECT_THROW(load_release_dir(dir.string(), "V28", 2026), DataError);
    write(dir / "V28" / "2026" / "crosswalk.csv", "icd10_code,cc\nE119,x\n");
    EXPECT_THROW(load_release_dir(dir.string(), "V28", 2026), DataError);
    fs::remove_all(dir);
}

// Row counts of data/MANIFEST.csv for the release the golden V28 file uses.
TEST(LoadReleaseDir, ShippedV28Py2026MatchesManifest) {
    ReleaseData d = load_release_dir(HCCRAF_DATA_DIR, "V28", 2026);
    auto manifest = csv::read_file(std::string(HCCRAF_DATA_DIR) + "/MANIFEST.csv");
    auto rows_of = [&](const std::string& file) -> std::size_t {
        for (const auto& r : manifest.rows)
            if (r[0] == file) return std::stoul(r[1]);
        return 0;
    };
    EXPECT_EQ(d.crosswalk.size(), rows_of("V28/2026/crosswalk.csv"));
    EXPECT_EQ(d.factors.size(), rows_of("V28/2026/factors.csv"));
    EXPECT_EQ(d.hierarchy.size(), rows_of("V28/2026/hierarchy.csv"));
    EXPECT_EQ(d.labels.size(), 115u);
    EXPECT_EQ(d.hierarchy.size(), 149u);  // v28_rules.md §11: 149 edges
    EXPECT_EQ(d.factors.size(), 1237u);   // C28
    EXPECT_EQ(d.normalization_factor, 1067);
}
