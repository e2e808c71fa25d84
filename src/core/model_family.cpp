// The families' names and segment tables (model_family.hpp).
#include "model_family.hpp"

namespace hccraf {

namespace {

struct SegmentInfo {
    const char* name;
    Family family;
    bool diagnoses;
    const char* description;
};

// In Segment enum order.
constexpr SegmentInfo kSegments[kSegmentCount] = {
    {"CNA", Family::CmsHcc, true, "community, non-dual, aged"},
    {"CND", Family::CmsHcc, true, "community, non-dual, disabled"},
    {"CFA", Family::CmsHcc, true, "community, full-benefit dual, aged"},
    {"CFD", Family::CmsHcc, true, "community, full-benefit dual, disabled"},
    {"CPA", Family::CmsHcc, true, "community, partial-benefit dual, aged"},
    {"CPD", Family::CmsHcc, true, "community, partial-benefit dual, disabled"},
    {"INS", Family::CmsHcc, true, "long-term institutional"},
    {"NE", Family::CmsHcc, false, "new enrollee"},
    {"SNPNE", Family::CmsHcc, false, "C-SNP new enrollee"},
    {"CE_NonLow_Aged", Family::RxHcc, true, "continuing enrollee, community, not low income, aged 65+"},
    {"CE_NonLow_NonAged", Family::RxHcc, true, "continuing enrollee, community, not low income, under 65"},
    {"CE_Low_Aged", Family::RxHcc, true, "continuing enrollee, community, low income, aged 65+"},
    {"CE_Low_NonAged", Family::RxHcc, true, "continuing enrollee, community, low income, under 65"},
    {"CE_LTI", Family::RxHcc, true, "continuing enrollee, long-term institutional"},
    {"NE_NonLow_Community", Family::RxHcc, false, "new enrollee, community, not low income"},
    {"NE_Low_Community", Family::RxHcc, false, "new enrollee, community, low income"},
    {"NE_LTI", Family::RxHcc, false, "new enrollee, long-term institutional"},
    {"DIAL", Family::Esrd, true, "dialysis, continuing enrollee"},
    {"DIAL_NE", Family::Esrd, false, "dialysis, new enrollee"},
    {"TRANSPLANT_1M", Family::Esrd, false, "kidney transplant, month 1"},
    {"TRANSPLANT_2M", Family::Esrd, false, "kidney transplant, month 2"},
    {"TRANSPLANT_3M", Family::Esrd, false, "kidney transplant, month 3"},
    {"G_COMM_ND_PBD_GE65", Family::Esrd, true,
     "functioning graft, community, non-dual or partial dual, aged 65+"},
    {"G_COMM_ND_PBD_LT65", Family::Esrd, true,
     "functioning graft, community, non-dual or partial dual, under 65"},
    {"G_COMM_FBD_GE65", Family::Esrd, true, "functioning graft, community, full-benefit dual, aged 65+"},
    {"G_COMM_FBD_LT65", Family::Esrd, true, "functioning graft, community, full-benefit dual, under 65"},
    {"GRAFT_INST", Family::Esrd, true, "functioning graft, long-term institutional"},
    {"GRAFT_NE", Family::Esrd, false, "functioning graft, new enrollee"},
    {"Adult_Platinum", Family::Hhs, true, "adult (21+), platinum"},
    {"Adult_Gold", Family::Hhs, true, "adult (21+), gold"},
    {"Adult_Silver", Family::Hhs, true, "adult (21+), silver"},
    {"Adult_Bronze", Family::Hhs, true, "adult (21+), bronze"},
    {"Adult_Catastrophic", Family::Hhs, true, "adult (21+), catastrophic"},
    {"Child_Platinum", Family::Hhs, true, "child (2-20), platinum"},
    {"Child_Gold", Family::Hhs, true, "child (2-20), gold"},
    {"Child_Silver", Family::Hhs, true, "child (2-20), silver"},
    {"Child_Bronze", Family::Hhs, true, "child (2-20), bronze"},
    {"Child_Catastrophic", Family::Hhs, true, "child (2-20), catastrophic"},
    {"Infant_Platinum", Family::Hhs, true, "infant (0-1), platinum"},
    {"Infant_Gold", Family::Hhs, true, "infant (0-1), gold"},
    {"Infant_Silver", Family::Hhs, true, "infant (0-1), silver"},
    {"Infant_Bronze", Family::Hhs, true, "infant (0-1), bronze"},
    {"Infant_Catastrophic", Family::Hhs, true, "infant (0-1), catastrophic"},
};

constexpr SegmentRange kRanges[kFamilyCount] = {{0, 9}, {9, 8}, {17, 11}, {28, 15}};
constexpr const char* kFamilyNames[kFamilyCount] = {"CMS-HCC", "RxHCC", "ESRD", "HHS-HCC"};

// Digits only, 1 to max_len of them, no leading zero unless allow_zeros; -1 otherwise.
int digits(std::string_view s, std::size_t max_len, bool allow_zeros) {
    if (s.empty() || s.size() > max_len || (!allow_zeros && s[0] == '0')) return -1;
    int n = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return -1;
        n = n * 10 + (c - '0');
    }
    return n;
}

int parse_hhs_code(std::string_view v) {
    if (v.substr(0, 7) == "HHS_HCC" && v.size() >= 10) {
        int n = digits(v.substr(7, 3), 3, true);
        if (n <= 0) return 0;
        if (v.size() == 10) return n;
        if (v.size() == 12 && v[10] == '_' && (v[11] == '1' || v[11] == '2')) return (v[11] - '0') * 1000 + n;
        return 0;
    }
    if (v.substr(0, 4) == "RXC_") {
        int n = digits(v.substr(4), 2, true);
        return v.size() == 6 && n > 0 ? kHhsRxcBase + n : 0;
    }
    if (v.size() >= 3 && v.size() <= 4 && v[0] == 'G') {
        int n = digits(v.substr(1, 2), 2, true);
        if (n <= 0) return 0;
        if (v.size() == 3) return kHhsGroupBase + n * 10;
        return v[3] >= 'A' && v[3] <= 'I' ? kHhsGroupBase + n * 10 + (v[3] - 'A' + 1) : 0;
    }
    return 0;
}

bool valid(Segment s) {
    return static_cast<int>(s) < kSegmentCount;
}

}  // namespace

const char* family_name(Family f) {
    int i = static_cast<int>(f);
    return i < kFamilyCount ? kFamilyNames[i] : "?";
}

std::optional<Family> parse_family(std::string_view name) {
    for (int i = 0; i < kFamilyCount; ++i)
        if (name == kFamilyNames[i]) return static_cast<Family>(i);
    return std::nullopt;
}

const char* hcc_prefix(Family f) {
    return f == Family::RxHcc ? "RXHCC" : f == Family::Hhs ? "HHS_HCC" : "HCC";
}

int parse_hcc_code(Family f, std::string_view name) {
    if (f == Family::Hhs) return parse_hhs_code(name);
    std::string_view prefix = hcc_prefix(f);
    if (name.substr(0, prefix.size()) == prefix) name.remove_prefix(prefix.size());
    int n = digits(name, 4, false);
    return n > 0 ? n : 0;
}

SegmentRange family_segments(Family f) {
    int i = static_cast<int>(f);
    return i < kFamilyCount ? kRanges[i] : SegmentRange{0, 0};
}

Family segment_family(Segment s) {
    return valid(s) ? kSegments[static_cast<int>(s)].family : Family::CmsHcc;
}

const char* segment_name(Segment s) {
    return valid(s) ? kSegments[static_cast<int>(s)].name : "?";
}

const char* segment_description(Segment s) {
    return valid(s) ? kSegments[static_cast<int>(s)].description : "";
}

std::optional<Segment> parse_segment(Family f, std::string_view name) {
    SegmentRange r = family_segments(f);
    for (int i = r.first; i < r.first + r.count; ++i)
        if (name == kSegments[i].name) return static_cast<Segment>(i);
    return std::nullopt;
}

std::optional<Segment> parse_segment(std::string_view name) {
    return parse_segment(Family::CmsHcc, name);
}

bool segment_uses_diagnoses(Segment s) {
    return valid(s) && kSegments[static_cast<int>(s)].diagnoses;
}

}  // namespace hccraf
