// The byte format read by fuzz_patient.cpp (and written by make_fuzz_seeds.cpp):
//   i64 value                   for the *_from_int decoders
//   i32 birth_year, birth_month, birth_day, payment_year   for age_on_feb1
//   u8  mode                    bit 0: fold the date fields into plausible ranges first
//   i32 age; u8 patient_bits; u8 orec   a Patient for choose_segment (patient_bits: sex bit 0,
//                               dual bits 1-2, institutional bit 3, new_enrollee bit 4,
//                               snp_new_enrollee bit 5, low_income bit 6, esrd bit 7)
//   u8  esrd_status             % 3: 0 none, 1 dialysis, 2 graft (ESRD model)
//   i32 months_since_transplant (0 = not given; any value, negative and huge included)
//   rest                        texts separated by '|', each fed to every text decoder
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_bytes.hpp"

namespace hccraf::fuzz {

struct PatientInput {
    std::int64_t value = 0;
    std::int32_t birth_year = 0, birth_month = 0, birth_day = 0, payment_year = 0;
    std::uint8_t mode = 0;
    std::int32_t age = 0;
    std::uint8_t patient_bits = 0, orec = 0;
    std::uint8_t esrd_status = 0;
    std::int32_t months = 0;
    std::vector<std::string> texts;
};

inline PatientInput read_patient_input(ByteReader& in) {
    PatientInput p;
    p.value = in.i64();
    p.birth_year = in.i32();
    p.birth_month = in.i32();
    p.birth_day = in.i32();
    p.payment_year = in.i32();
    p.mode = in.u8();
    p.age = in.i32();
    p.patient_bits = in.u8();
    p.orec = in.u8();
    p.esrd_status = in.u8();
    p.months = in.i32();
    const std::string rest = in.rest();
    std::size_t start = 0;
    for (;;) {
        std::size_t bar = rest.find('|', start);
        p.texts.push_back(rest.substr(start, bar == std::string::npos ? std::string::npos : bar - start));
        if (bar == std::string::npos) break;
        start = bar + 1;
    }
    return p;
}

inline std::vector<std::uint8_t> write_patient_input(const PatientInput& p) {
    ByteWriter w;
    w.i64(p.value);
    w.i32(p.birth_year);
    w.i32(p.birth_month);
    w.i32(p.birth_day);
    w.i32(p.payment_year);
    w.u8(p.mode);
    w.i32(p.age);
    w.u8(p.patient_bits);
    w.u8(p.orec);
    w.u8(p.esrd_status);
    w.i32(p.months);
    for (std::size_t i = 0; i < p.texts.size(); ++i) {
        if (i) w.u8('|');
        w.bytes(p.texts[i]);
    }
    return w.out;
}

}  // namespace hccraf::fuzz
