// The byte format read by fuzz_scorer.cpp (and written by make_fuzz_seeds.cpp):
//   u8 release        bits 0-1: 0 = V28 PY2026, 1 = V24 PY2026, 2 = RxHCC_V08 PY2026,
//                     3 = ESRD_V24 PY2026; bits 2-3: esrd_status (0 none, 1 dialysis, 2 and 3
//                     graft); bits 4-7: months_since_transplant (0..15, 0 = not given)
//   u8 age            % 131
//   u8 patient_bits   sex bit 0 (1 = male), dual bits 1-2 (1 full, 2 partial, else non),
//                     institutional bit 3, new_enrollee bit 4, snp_new_enrollee bit 5,
//                     low_income bit 6, esrd bit 7
//   u8 orec           % 5 -> '0' '1' '2' '3' ' '
//   then up to kMaxCodes entries, each a tag byte and its payload:
//     tag & 3: 0 = u16 index into the release's known codes, 1 = a text (length byte + bytes,
//              through icd_key), 2 = a raw u64 key, 3 = a u64 reduced below 37^7
//     (tag >> 2) & 3: 0 or 1 = a current code, 2 = a prior code, 3 = both
// (Inputs written before the model families only used bit 0 of the release byte and bits 0-5 of
// patient_bits: they keep their meaning.)
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_bytes.hpp"
#include "scorer.hpp"

namespace hccraf::fuzz {

inline constexpr std::size_t kMaxCodes = 64;  // keeps one execution well under a millisecond

enum class EntryKind : std::uint8_t { KnownIndex = 0, Text = 1, RawKey = 2, KeyInRange = 3 };
enum class EntryList : std::uint8_t { Current = 0, Prior = 2, Both = 3 };

struct CodeEntry {
    EntryKind kind = EntryKind::Text;
    EntryList list = EntryList::Current;
    std::uint16_t index = 0;
    std::string text;
    std::uint64_t key = 0;
};

enum class ScorerRelease : std::uint8_t { V28 = 0, V24 = 1, RxHccV08 = 2, EsrdV24 = 3 };
inline constexpr int kScorerReleases = 4;

struct ScorerInput {
    ScorerRelease release = ScorerRelease::V28;
    Patient patient;
    std::vector<CodeEntry> entries;
};

inline ScorerInput read_scorer_input(ByteReader& in) {
    static constexpr char kOrec[] = {'0', '1', '2', '3', ' '};
    ScorerInput x;
    const std::uint8_t rel = in.u8();
    x.release = static_cast<ScorerRelease>(rel & 3);
    const int status = (rel >> 2) & 3;
    x.patient.esrd_status = status == 0 ? EsrdStatus::None : status == 1 ? EsrdStatus::Dialysis : EsrdStatus::Graft;
    x.patient.months_since_transplant = rel >> 4;
    x.patient.age = in.u8() % 131;
    const std::uint8_t bits = in.u8();
    x.patient.sex = (bits & 1) ? Sex::Male : Sex::Female;
    const int dual = (bits >> 1) & 3;
    x.patient.dual = dual == 1 ? Dual::Full : dual == 2 ? Dual::Partial : Dual::Non;
    x.patient.institutional = bits & 8;
    x.patient.new_enrollee = bits & 16;
    x.patient.snp_new_enrollee = bits & 32;
    x.patient.low_income = bits & 64;
    x.patient.esrd = bits & 128;
    x.patient.orec = kOrec[in.u8() % 5];
    while (!in.empty() && x.entries.size() < kMaxCodes) {
        const std::uint8_t tag = in.u8();
        CodeEntry e;
        e.kind = static_cast<EntryKind>(tag & 3);
        const int list = (tag >> 2) & 3;
        e.list = list == 2 ? EntryList::Prior : list == 3 ? EntryList::Both : EntryList::Current;
        switch (e.kind) {
            case EntryKind::KnownIndex:
                e.index = in.u16();
                break;
            case EntryKind::Text:
                e.text = in.str(24);
                break;
            case EntryKind::RawKey:
            case EntryKind::KeyInRange:
                e.key = in.u64();
                break;
        }
        x.entries.push_back(std::move(e));
    }
    return x;
}

inline std::vector<std::uint8_t> write_scorer_input(const ScorerInput& x) {
    ByteWriter w;
    const int status = x.patient.esrd_status == EsrdStatus::Dialysis ? 1
                       : x.patient.esrd_status == EsrdStatus::Graft  ? 2
                                                                     : 0;
    const int months = x.patient.months_since_transplant < 0    ? 0
                       : x.patient.months_since_transplant > 15 ? 15
                                                                : x.patient.months_since_transplant;
    w.u8(static_cast<std::uint8_t>(static_cast<int>(x.release) | status << 2 | months << 4));
    w.u8(static_cast<std::uint8_t>(x.patient.age));
    const int dual = x.patient.dual == Dual::Full ? 1 : x.patient.dual == Dual::Partial ? 2 : 0;
    w.u8(static_cast<std::uint8_t>((x.patient.sex == Sex::Male ? 1 : 0) | dual << 1 |
                                   (x.patient.institutional ? 8 : 0) | (x.patient.new_enrollee ? 16 : 0) |
                                   (x.patient.snp_new_enrollee ? 32 : 0) | (x.patient.low_income ? 64 : 0) |
                                   (x.patient.esrd ? 128 : 0)));
    const std::string orecs = "0123 ";
    w.u8(static_cast<std::uint8_t>(
        orecs.find(x.patient.orec) == std::string::npos ? 4 : orecs.find(x.patient.orec)));
    for (const CodeEntry& e : x.entries) {
        w.u8(static_cast<std::uint8_t>(static_cast<int>(e.kind) | static_cast<int>(e.list) << 2));
        switch (e.kind) {
            case EntryKind::KnownIndex:
                w.u16(e.index);
                break;
            case EntryKind::Text:
                w.str(e.text.substr(0, 24));
                break;
            case EntryKind::RawKey:
            case EntryKind::KeyInRange:
                w.u64(e.key);
                break;
        }
    }
    return w.out;
}

}  // namespace hccraf::fuzz
