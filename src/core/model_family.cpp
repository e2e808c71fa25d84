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
};

constexpr SegmentRange kRanges[kFamilyCount] = {{0, 9}, {9, 8}, {17, 11}};
constexpr const char* kFamilyNames[kFamilyCount] = {"CMS-HCC", "RxHCC", "ESRD"};

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
    return f == Family::RxHcc ? "RXHCC" : "HCC";
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
