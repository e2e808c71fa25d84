// The byte format read by fuzz_hhs.cpp (and written by make_fuzz_seeds.cpp): one ACA enrollee
// and up to kMaxHhsEntries diagnosis and drug codes.
//   u8 flags      bit 0: 0 = HHS_V08 BY2025, 1 = BY2026; bit 1: the age comes from dates (age_on)
//   age           without bit 1: u8 a, a <= 150 = that age, else kOddAges[(a - 151) % n] (negative,
//                 above 150, INT_MIN, INT_MAX); with bit 1: i16 birth year, u8 month, u8 day,
//                 i16 last-day year, u8 month, u8 day (the age is age_on of them; -1 when age_on
//                 refuses them)
//   u8 person     bit 0 sex (1 = male), bits 1-7: metal = (value >> 1) % 5
//   u8 csr        % 13: csr_indicator 0..12 (0 and 12 are never valid)
//   u16 days      % 402 - 1: enrollment_days -1..400
//   then entries, each a tag byte (tag % 8) and its payload:
//     0 u16 index into the release's ICD codes (crosswalk and edits), 1 ICD text (length byte +
//     up to 24 bytes), 2 raw u64 ICD key, 3 u16 index into the release's drug codes (drugs.csv,
//     NDC or HCPCS as written), 4 NDC text (up to 16 bytes), 5 HCPCS text (up to 8 bytes),
//     6 raw u64 drug key, 7 u16 index into the drug codes, respelled by tag bits 3-5 (lower
//     case, surrounding blanks, a tab)
#pragma once
#include <climits>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_bytes.hpp"
#include "hhs_model.hpp"

namespace hccraf::fuzz {

inline constexpr std::size_t kMaxHhsEntries = 48;
inline constexpr int kOddAges[] = {-1, -2, -100, 151, 152, 200, 1000, INT_MIN, INT_MAX, -2147483647};

enum class HhsEntryKind : std::uint8_t {
    KnownIcd = 0,
    IcdText = 1,
    RawIcd = 2,
    KnownDrug = 3,
    NdcText = 4,
    HcpcsText = 5,
    RawDrug = 6,
    RespelledDrug = 7,
};

struct HhsEntry {
    HhsEntryKind kind = HhsEntryKind::IcdText;
    std::uint8_t variant = 0;  // RespelledDrug: tag bits 3-5
    std::uint16_t index = 0;
    std::string text;
    std::uint64_t key = 0;
};

struct HhsDates {
    int birth_year = 0, birth_month = 0, birth_day = 0, year = 0, month = 0, day = 0;
};

struct HhsInput {
    int year = 2026;
    bool from_dates = false;
    std::uint8_t age_byte = 0;  // without dates
    HhsDates dates;
    Enrollee enrollee;  // age_last filled by the harness from age_byte or the dates
    std::vector<HhsEntry> entries;
};

inline int age_from_byte(std::uint8_t a) {
    return a <= 150 ? a : kOddAges[(a - 151) % std::size(kOddAges)];
}

inline HhsInput read_hhs_input(ByteReader& in) {
    HhsInput x;
    const std::uint8_t flags = in.u8();
    x.year = (flags & 1) ? 2026 : 2025;
    x.from_dates = flags & 2;
    if (x.from_dates) {
        x.dates.birth_year = static_cast<std::int16_t>(in.u16());
        x.dates.birth_month = in.u8();
        x.dates.birth_day = in.u8();
        x.dates.year = static_cast<std::int16_t>(in.u16());
        x.dates.month = in.u8();
        x.dates.day = in.u8();
    } else {
        x.age_byte = in.u8();
        x.enrollee.age_last = age_from_byte(x.age_byte);
    }
    const std::uint8_t person = in.u8();
    x.enrollee.sex = (person & 1) ? Sex::Male : Sex::Female;
    x.enrollee.metal = static_cast<Metal>((person >> 1) % kMetalCount);
    x.enrollee.csr_indicator = in.u8() % 13;
    x.enrollee.enrollment_days = in.u16() % 402 - 1;
    while (!in.empty() && x.entries.size() < kMaxHhsEntries) {
        const std::uint8_t tag = in.u8();
        HhsEntry e;
        e.kind = static_cast<HhsEntryKind>(tag % 8);
        e.variant = static_cast<std::uint8_t>((tag >> 3) & 7);
        switch (e.kind) {
            case HhsEntryKind::KnownIcd:
            case HhsEntryKind::KnownDrug:
            case HhsEntryKind::RespelledDrug:
                e.index = in.u16();
                break;
            case HhsEntryKind::IcdText:
                e.text = in.str(24);
                break;
            case HhsEntryKind::NdcText:
                e.text = in.str(16);
                break;
            case HhsEntryKind::HcpcsText:
                e.text = in.str(8);
                break;
            case HhsEntryKind::RawIcd:
            case HhsEntryKind::RawDrug:
                e.key = in.u64();
                break;
        }
        x.entries.push_back(std::move(e));
    }
    return x;
}

// The inverse (seeds). Ages outside 0..150 are written as the first kOddAges entry.
inline std::vector<std::uint8_t> write_hhs_input(const HhsInput& x) {
    ByteWriter w;
    w.u8(static_cast<std::uint8_t>((x.year == 2026 ? 1 : 0) | (x.from_dates ? 2 : 0)));
    if (x.from_dates) {
        w.u16(static_cast<std::uint16_t>(x.dates.birth_year));
        w.u8(static_cast<std::uint8_t>(x.dates.birth_month));
        w.u8(static_cast<std::uint8_t>(x.dates.birth_day));
        w.u16(static_cast<std::uint16_t>(x.dates.year));
        w.u8(static_cast<std::uint8_t>(x.dates.month));
        w.u8(static_cast<std::uint8_t>(x.dates.day));
    } else {
        const int a = x.enrollee.age_last;
        w.u8(static_cast<std::uint8_t>(a >= 0 && a <= 150 ? a : 151));
    }
    w.u8(static_cast<std::uint8_t>((x.enrollee.sex == Sex::Male ? 1 : 0) | static_cast<int>(x.enrollee.metal) << 1));
    w.u8(static_cast<std::uint8_t>(x.enrollee.csr_indicator < 0 ? 0 : x.enrollee.csr_indicator % 13));
    w.u16(static_cast<std::uint16_t>(x.enrollee.enrollment_days + 1));
    for (const HhsEntry& e : x.entries) {
        w.u8(static_cast<std::uint8_t>(static_cast<int>(e.kind) | (e.variant & 7) << 3));
        switch (e.kind) {
            case HhsEntryKind::KnownIcd:
            case HhsEntryKind::KnownDrug:
            case HhsEntryKind::RespelledDrug:
                w.u16(e.index);
                break;
            case HhsEntryKind::IcdText:
                w.str(e.text.substr(0, 24));
                break;
            case HhsEntryKind::NdcText:
                w.str(e.text.substr(0, 16));
                break;
            case HhsEntryKind::HcpcsText:
                w.str(e.text.substr(0, 8));
                break;
            case HhsEntryKind::RawIcd:
            case HhsEntryKind::RawDrug:
                w.u64(e.key);
                break;
        }
    }
    return w.out;
}

}  // namespace hccraf::fuzz
