// Names of the canonical demographic variables (ids documented in demographics.hpp).
#include "demographics.hpp"

#include <functional>

#include <boost/container/flat_map.hpp>

namespace hccraf::demo {

namespace {

constexpr const char* kAgeCells[12] = {"0_34",  "35_44", "45_54", "55_59", "60_64", "65_69",
                                       "70_74", "75_79", "80_84", "85_89", "90_94", "95_GT"};
constexpr const char* kNeCells[16] = {"0_34", "35_44", "45_54", "55_59", "60_64", "65",    "66",    "67",
                                      "68",   "69",    "70_74", "75_79", "80_84", "85_89", "90_94", "95_GT"};
constexpr const char* kNeGroups[4] = {"NMCAID_NORIGDIS", "MCAID_NORIGDIS", "NMCAID_ORIGDIS", "MCAID_ORIGDIS"};

}  // namespace

std::string name(int id) {
    if (id < 0 || id >= kCount) return {};
    if (id < 24) return std::string(id < 12 ? "F" : "M") + kAgeCells[id % 12];
    switch (id) {
        case kOrigDisFemale:
            return "OriginallyDisabled_Female";
        case kOrigDisMale:
            return "OriginallyDisabled_Male";
        case kLtimcaid:
            return "LTIMCAID";
        case kOrigds:
            return "ORIGDS";
        default:
            break;
    }
    int rel = id - kFirstNewEnrollee;
    return std::string(kNeGroups[rel / 32]) + "_NE" + ((rel % 32) < 16 ? "F" : "M") + kNeCells[rel % 16];
}

int id(std::string_view n) {
    // The 156 names, built once, sorted: a look-up is a binary search over one contiguous array
    // (it was a scan that built every name anew, for each of the ~1,200 factor rows of a release).
    static const boost::container::flat_map<std::string, int, std::less<>> ids = [] {
        boost::container::flat_map<std::string, int, std::less<>> m;
        m.reserve(kCount);
        for (int i = 0; i < kCount; ++i) m.emplace(name(i), i);
        return m;
    }();
    auto it = ids.find(n);
    return it == ids.end() ? -1 : it->second;
}

}  // namespace hccraf::demo
