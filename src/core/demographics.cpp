// Names of the canonical person-level variables (ids documented in demographics.hpp).
#include "demographics.hpp"

#include <array>
#include <functional>

#include <boost/container/flat_map.hpp>

namespace hccraf::demo {

namespace {

constexpr const char* kAgeCells[12] = {"0_34",  "35_44", "45_54", "55_59", "60_64", "65_69",
                                       "70_74", "75_79", "80_84", "85_89", "90_94", "95_GT"};
constexpr const char* kNeCells[16] = {"0_34", "35_44", "45_54", "55_59", "60_64", "65",    "66",    "67",
                                      "68",   "69",    "70_74", "75_79", "80_84", "85_89", "90_94", "95_GT"};
constexpr const char* kDialysisNeCells[10] = {"0_34",  "35_44", "45_54", "55_59", "60_64",
                                              "65_69", "70_74", "75_79", "80_84", "85_GT"};
constexpr const char* kCmsNeGroups[4] = {"NMCAID_NORIGDIS", "MCAID_NORIGDIS", "NMCAID_ORIGDIS",
                                         "MCAID_ORIGDIS"};
constexpr const char* kRxNeGroups[4] = {"NESRD_NORIGDIS", "ESRD_NORIGDIS", "NESRD_ORIGDIS", "ESRD_ORIGDIS"};
constexpr const char* kEsrdNeGroups[4] = {"ND_PBD_NORIGDIS", "FBD_NORIGDIS", "ND_PBD_ORIGDIS", "FBD_ORIGDIS"};

std::string new_enrollee_name(Family f, int rel) {
    const char* sex = (rel % 32) < 16 ? "F" : "M";
    const char* cell = kNeCells[rel % 16];
    switch (f) {
        case Family::CmsHcc:
            return std::string(kCmsNeGroups[rel / 32]) + "_NE" + sex + cell;
        case Family::RxHcc:
            return std::string(kRxNeGroups[rel / 32]) + "_X_" + sex + cell;
        case Family::Esrd:
            return std::string(kEsrdNeGroups[rel / 32]) + "_G_NE" + sex + cell;
        case Family::Hhs:
            break;
    }
    return {};
}

// ESRD-only ids (156..272).
std::string esrd_name(int id) {
    if (id < kOrigEsrdFemale) {
        int r = id - kFirstDual;
        return std::string(r & 4 ? "PBDual_" : "FBDual_") + (r & 2 ? "Male_" : "Female_") +
               (r & 1 ? "NonAged" : "Aged");
    }
    if (id == kOrigEsrdFemale) return "Originally_ESRD_Female";
    if (id == kOrigEsrdMale) return "Originally_ESRD_Male";
    if (id == kLtiAged) return "LTI_Aged";
    if (id == kLtiNonAged) return "LTI_NonAged";
    if (id < kFirstGraft) {
        int r = id - kFirstDialysisNe;
        return std::string(kEsrdNeGroups[r / 20]) + "_NE" + ((r % 20) < 10 ? "F" : "M") +
               kDialysisNeCells[r % 10];
    }
    auto age = [](int lt65) { return lt65 ? "LT65" : "GE65"; };
    auto addon = [&](const char* prefix, int r) {
        return std::string(prefix) + age(r & 4) + (r & 2 ? "_DUR10PL" : "_DUR4_9") +
               (r & 1 ? "_FBD" : "_ND_PBD");
    };
    if (id < kFgcPbdFlag) return addon("FGC_", id - kFirstGraft);
    if (id < kFirstFgi) return std::string("FGC_PBD_") + age(id - kFgcPbdFlag) + "_flag";
    if (id < kFgiPbdFlag) return addon("FGI_", id - kFirstFgi);
    if (id < kLtiGraft) return std::string("FGI_PBD_") + age(id - kFgiPbdFlag) + "_flag";
    if (id < kTransplant) return std::string("LTI_") + age(id - kLtiGraft);
    return "TRANSPLANT_KIDNEY_ONLY_" + std::to_string(id - kTransplant + 1) + "M";
}

// HHS-HCC ids (273..351).
std::string hhs_name(int id) {
    static constexpr const char* adult[9] = {"21_24", "25_29", "30_34", "35_39", "40_44",
                                             "45_49", "50_54", "55_59", "60_GT"};
    static constexpr const char* child[4] = {"2_4", "5_9", "10_14", "15_20"};
    static constexpr const char* maturity[5] = {"EXTREMELY_IMMATURE", "IMMATURE", "PREMATURE_MULTIPLES",
                                                "TERM", "AGE1"};
    if (id < kHhsChildCell) {
        int r = id - kHhsAdultCell;
        return std::string(r < 9 ? "F" : "M") + "AGE_LAST_" + adult[r % 9];
    }
    if (id < kHhsAge0Male) {
        int r = id - kHhsChildCell;
        return std::string(r < 4 ? "F" : "M") + "AGE_LAST_" + child[r % 4];
    }
    if (id == kHhsAge0Male) return "AGE0_MALE";
    if (id == kHhsAge1Male) return "AGE1_MALE";
    if (id < kHhsSevere10Plus) return "SEVERE_HCC_COUNT" + std::to_string(id - kHhsSevere + 1);
    if (id == kHhsSevere10Plus) return "SEVERE_HCC_COUNT10PLUS";
    if (id == kHhsSevere6To7) return "SEVERE_HCC_COUNT6_7";
    if (id == kHhsSevere8Plus) return "SEVERE_HCC_COUNT8PLUS";
    if (id < kHhsTransplant8Plus) return "TRANSPLANT_HCC_COUNT" + std::to_string(id - kHhsTransplant + 4);
    if (id == kHhsTransplant8Plus) return "TRANSPLANT_HCC_COUNT8PLUS";
    if (id == kHhsTransplant4Plus) return "TRANSPLANT_HCC_COUNT4PLUS";
    if (id < kHhsAcfAdult) return "HCC_ED" + std::to_string(id - kHhsEnrollmentDuration + 1);
    // The ACF names keep the BY2026 factor table's spelling (golden README).
    if (id == kHhsAcfAdult) return "ACF_PrEP";
    if (id == kHhsAcfChild) return "ACF_PrEP_Child";
    int r = id - kHhsMaturity;
    return std::string(maturity[r / 5]) + "_X_SEVERITY" + std::to_string(r % 5 + 1);
}

}  // namespace

std::string name(Family f, int id) {
    if (id < 0 || id >= kCount) return {};
    if (f == Family::Hhs) return id >= kHhsAdultCell ? hhs_name(id) : std::string();
    if (id >= kHhsAdultCell) return {};
    if (id < 24) return std::string(id < 12 ? "F" : "M") + kAgeCells[id % 12];
    if (id >= kFirstNewEnrollee && id < kFirstDual) return new_enrollee_name(f, id - kFirstNewEnrollee);
    const bool rx = f == Family::RxHcc, esrd = f == Family::Esrd;
    switch (id) {
        case kOrigDisFemale:
            return rx ? "F65OD" : "OriginallyDisabled_Female";
        case kOrigDisMale:
            return rx ? "M65OD" : "OriginallyDisabled_Male";
        case kLtimcaid:
            return f == Family::CmsHcc ? "LTIMCAID" : "";
        case kOrigds:
            return rx ? "OD65" : esrd ? "ORIGDIS" : "ORIGDS";
        default:
            break;
    }
    return esrd ? esrd_name(id) : std::string();
}

int id(Family f, std::string_view n) {
    // Every family's names, built once, sorted: a look-up is a binary search over one contiguous
    // array (it was a scan that built every name anew, for each of the ~1,200 factor rows).
    using Map = boost::container::flat_map<std::string, int, std::less<>>;
    static const std::array<Map, kFamilyCount> ids = [] {
        std::array<Map, kFamilyCount> all;
        for (int fi = 0; fi < kFamilyCount; ++fi) {
            all[fi].reserve(kCount);
            for (int i = 0; i < kCount; ++i) {
                std::string s = name(static_cast<Family>(fi), i);
                if (!s.empty()) all[fi].emplace(std::move(s), i);
            }
        }
        return all;
    }();
    int fi = static_cast<int>(f);
    if (fi < 0 || fi >= kFamilyCount) return -1;
    auto it = ids[fi].find(n);
    return it == ids[fi].end() ? -1 : it->second;
}

}  // namespace hccraf::demo
