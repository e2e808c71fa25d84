// A made-up release for testing rule mechanics independently of the CMS tables.
//
// Numbers chosen for hand computation:
//   * every HCCn factor is n thousandths (HCC38 = 0.038) in all seven continuing segments;
//   * age/sex cells: CNA 0.400, CND 0.200, CFA 0.500, CFD 0.300, CPA 0.450, CPD 0.250,
//     INS 1.000 (all 24 cells); OriginallyDisabled_Female 0.050 / _Male 0.040 in the aged
//     community segments; INS: LTIMCAID 0.100, ORIGDS 0.000;
//   * interactions: DIABETES_HF 0.007 (community + INS), HF_LUNG 0.011 (community only),
//     DISABLED_CANCER 0.013 (INS only);
//   * counts: community Dk = k thousandths, D10P = 0.100; INS lists no count variable;
//   * NE: NMCAID_NORIGDIS 0.600, MCAID_NORIGDIS 0.700, NMCAID_ORIGDIS 0.800,
//     MCAID_ORIGDIS 0.900, + 0.050 for men, + the cell index (0..15) in thousandths;
//     SNPNE = NE + 0.500. ORIGDIS groups only for cells 65+ (as in CMS's lists).
#include "demographics.hpp"
#include "support.hpp"

namespace hccraf::test {

ReleaseData synthetic_release() {
    ReleaseData d;
    d.model_version = "V28";
    d.payment_year = 2099;
    d.normalization_factor = 1067;
    d.ma_coding_adjustment = 59;
    d.blend_weight = 1000;
    for (int h : {17, 18, 22, 23, 35, 38, 62, 63, 64, 111, 112, 202, 221, 222, 223, 224, 226,
                  227, 280})
        d.labels.push_back({h, "Label " + std::to_string(h)});
    d.crosswalk = {
        {"C7800", 17}, {"C9330", 18}, {"C50911", 23}, {"E119", 38}, {"E1152", 38},
        {"E1152", 226}, {"Z944", 62}, {"K7211", 63}, {"K7460", 64}, {"R4020", 202},
        {"D66", 111}, {"J449", 280}, {"Z95811", 223}, {"I5022", 226}, {"I420", 227},
        {"I5084", 222}, {"Z941", 221}, {"I5023", 224}, {"P040", 35}, {"I10", 999},
        {"X9999", 38}, {"X9999", 17},
    };
    d.edits = {
        {1, "mandatory", "D66", 'F', -1, -1, false, 112},
        {2, "mandatory", "J449", 0, 18, -1, true, 0},
        {3, "mandatory", "C50911", 0, 50, -1, false, 22},
        {3, "mandatory", "C50A0", 0, 50, -1, false, 22},   // not in the crosswalk
        {4, "mandatory", "P040", 0, 0, 1, true, 0},
        {5, "mandatory", "X9999", 0, 40, -1, false, 226},  // two mandatory rules on one code:
        {6, "mandatory", "X9999", 0, 50, -1, true, 0},     // the first that fires wins
        {0, "mce_age", "C9330", 0, 0, 17, true, 0},
        {0, "mce_age", "E1152", 0, 15, -1, true, 0},       // drops both CCs of a 2-CC code
        {0, "mce_age", "C50911", 0, 9, 64, true, 0},       // can overwrite mandatory rule 3
    };
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
    rule(221, {222, 223, 224, 226, 227});
    rule(222, {223, 224, 226, 227});
    rule(223, {224, 226, 227});
    rule(224, {226, 227});
    rule(226, {227});
    for (int h : {38}) d.interactions.push_back({"DIABETES_HF", "DIABETES", h});
    for (int h : {221, 222, 223, 224, 226}) {
        d.interactions.push_back({"DIABETES_HF", "HF", h});
        d.interactions.push_back({"HF_LUNG", "HF", h});
    }
    d.interactions.push_back({"HF_LUNG", "LUNG", 280});
    d.interactions.push_back({"DISABLED_CANCER", "DISABL", 0});
    for (int h : {17, 18, 22, 23}) d.interactions.push_back({"DISABLED_CANCER", "CANCER", h});

    auto f = [&](const char* seg, std::string var, const char* kind, Milli c) {
        d.factors.push_back({seg, std::move(var), kind, c});
    };
    struct Seg { const char* name; Milli cell; int cells_from, cells_to; bool aged; };
    const Seg segs[] = {{"CNA", 400, 5, 12, true},  {"CND", 200, 0, 5, false},
                        {"CFA", 500, 5, 12, true},  {"CFD", 300, 0, 5, false},
                        {"CPA", 450, 5, 12, true},  {"CPD", 250, 0, 5, false},
                        {"INS", 1000, 0, 12, false}};
    for (const Seg& s : segs) {
        for (int sex = 0; sex < 2; ++sex)
            for (int c = s.cells_from; c < s.cells_to; ++c)
                f(s.name, demo::name(sex * 12 + c), "demographic", s.cell);
        for (const auto& l : d.labels) f(s.name, "HCC" + std::to_string(l.hcc), "hcc", l.hcc);
        f(s.name, "DIABETES_HF", "interaction", 7);
        if (std::string(s.name) != "INS") {
            f(s.name, "HF_LUNG", "interaction", 11);
            for (int k = 1; k <= 9; ++k) f(s.name, "D" + std::to_string(k), "count", k);
            f(s.name, "D10P", "count", 100);
        } else {
            f(s.name, "DISABLED_CANCER", "interaction", 13);
            f(s.name, "LTIMCAID", "demographic", 100);
            f(s.name, "ORIGDS", "demographic", 0);
        }
        if (s.aged) {
            f(s.name, "OriginallyDisabled_Female", "demographic", 50);
            f(s.name, "OriginallyDisabled_Male", "demographic", 40);
        }
    }
    for (int group = 0; group < 4; ++group)
        for (int male = 0; male < 2; ++male)
            for (int cell = (group >= 2 ? 5 : 0); cell < 16; ++cell) {
                int id = demo::kFirstNewEnrollee + group * 32 + male * 16 + cell;
                Milli v = 600 + 100 * group + 50 * male + cell;
                f("NE", demo::name(id), "new_enrollee", v);
                f("SNPNE", demo::name(id), "new_enrollee", v + 500);
            }
    return d;
}

}  // namespace hccraf::test
