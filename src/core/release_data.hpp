// ReleaseData: the reference data of one release (model x payment year) as plain rows, the
// common input of the image compiler. It is filled either from the project's CSV files
// (load_release_dir, used by unit tests and tools) or from the extension's reference tables
// (src/pg/release_loader.cpp, via SPI). Layout of the files: data/FORMAT.md.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "fixed_point.hpp"

namespace hccraf {

struct CrosswalkRow {
    std::string icd10_code;
    int cc;
};
struct FactorRow {
    std::string segment;
    std::string variable;
    std::string kind;
    Milli coefficient;
};
struct HierarchyRow {
    int rule_order;
    int superior_hcc;
    int subordinate_hcc;
};
struct LabelRow {
    int hcc;
    std::string label;
};
struct InteractionRow {
    std::string interaction;
    std::string term;
    int member_hcc; /* 0 for the DISABL and NONAGED terms */
};
struct EditRow {
    int edit_order;          // position in the mandatory chain; 0 for mce_age
    std::string edit_kind;   // "mandatory" or "mce_age"
    std::string icd10_code;  // normalised, no dot
    char sex;                // 0 = any, 'M', 'F'
    int age_min;             // valid range; -1 = unbounded
    int age_max;             // valid range; -1 = unbounded
    bool drop;               // true: drop the code; false: set only `cc`
    int cc;
};

// HHS-HCC only (data/FORMAT.md): named member sets (groups G01.., SEVERE_ADULT, SEVERITY3, ...),
// drug codes -> RXC or ACF variable, and the CSR factors.
struct SetRow {
    std::string set;
    int member;  // HCC-like number (parse_hcc_code)
};
struct DrugRow {
    std::string code_system;  // "ndc" or "hcpcs"
    std::string code;
    std::string variable;  // "RXC_06", "ACF_PrEP", "ACF_PrEP_Child"
};
struct CsrRow {
    int indicator;      // 1..11
    std::string metal;  // "platinum" .. "catastrophic", or "any"
    Milli factor;       // 1.12 -> 1120
};

struct ReleaseData {
    std::string model_version;             // "V24", "V28", "RxHCC_V08", "ESRD_V24"
    std::string model_family = "CMS-HCC";  // "CMS-HCC", "RxHCC", "ESRD", "HHS-HCC" (model_family.hpp)
    int payment_year = 0;
    Milli normalization_factor = 0;  // 0 = none (no payment role)
    Milli ma_coding_adjustment = 0;  // e.g. 59 for 5.9 %
    Milli blend_weight = 0;          // 670 for 0.67
    std::vector<CrosswalkRow> crosswalk;
    std::vector<FactorRow> factors;
    std::vector<HierarchyRow> hierarchy;
    std::vector<LabelRow> labels;
    std::vector<InteractionRow> interactions;
    std::vector<EditRow> edits;
    std::vector<SetRow> sets;
    std::vector<DrugRow> drugs;
    std::vector<CsrRow> csr;
};

// Reads data/<model>/<py>/*.csv plus the release's row of data/model_releases.csv.
// data_dir is the folder holding model_releases.csv. Throws DataError.
ReleaseData load_release_dir(const std::string& data_dir, const std::string& model_version, int payment_year);

}  // namespace hccraf
