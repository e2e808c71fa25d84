// Byte-level helpers shared by the harnesses and by make_fuzz_seeds.cpp.
//
// ByteReader consumes the fuzz input from the FRONT (unlike clang's FuzzedDataProvider, which
// takes integers from the back): a seed written with ByteWriter then reads back field by field
// exactly as written, so hand-built seeds (golden persons, a whole release) start the fuzzer deep
// inside the format. Reading past the end yields zeros, never an error: every byte string is a
// valid input.
//
// check() is the harnesses' assertion: a violated property must crash the run (libFuzzer then
// saves the input), and __builtin_trap() works in every build mode, unlike assert().
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace hccraf::fuzz {

[[noreturn]] inline void fail(const char* what, const char* file, int line) {
    std::fprintf(stderr, "\nPROPERTY VIOLATED at %s:%d: %s\n", file, line, what);
    std::fflush(stderr);
    __builtin_trap();
}
#define FUZZ_CHECK(cond) ((cond) ? (void)0 : ::hccraf::fuzz::fail(#cond, __FILE__, __LINE__))

class ByteReader {
public:
    ByteReader(const std::uint8_t* data, std::size_t size) : p_(data), n_(size) {}
    bool empty() const { return n_ == 0; }
    std::size_t remaining() const { return n_; }

    std::uint8_t u8() { return n_ ? (--n_, *p_++) : 0; }
    std::uint16_t u16() { return static_cast<std::uint16_t>(little(2)); }
    std::uint32_t u32() { return static_cast<std::uint32_t>(little(4)); }
    std::uint64_t u64() { return little(8); }
    std::int32_t i32() { return static_cast<std::int32_t>(u32()); }
    std::int64_t i64() { return static_cast<std::int64_t>(u64()); }
    bool bit() { return u8() & 1; }

    // Up to n bytes (fewer at the end of the input).
    std::string bytes(std::size_t n) {
        n = n < n_ ? n : n_;
        std::string s(reinterpret_cast<const char*>(p_), n);
        p_ += n;
        n_ -= n;
        return s;
    }
    // A length byte, then that many bytes (the length is capped at max_len).
    std::string str(std::size_t max_len = 255) {
        std::size_t len = u8();
        return bytes(len < max_len ? len : max_len);
    }
    std::string rest() { return bytes(n_); }

private:
    std::uint64_t little(int width) {
        std::uint64_t v = 0;
        for (int i = 0; i < width; ++i) v |= std::uint64_t{u8()} << (8 * i);
        return v;
    }
    const std::uint8_t* p_;
    std::size_t n_;
};

// The inverse of ByteReader, for seeds.
class ByteWriter {
public:
    std::vector<std::uint8_t> out;
    void u8(std::uint8_t v) { out.push_back(v); }
    void u16(std::uint16_t v) { little(v, 2); }
    void u32(std::uint32_t v) { little(v, 4); }
    void u64(std::uint64_t v) { little(v, 8); }
    void i32(std::int32_t v) { u32(static_cast<std::uint32_t>(v)); }
    void i64(std::int64_t v) { u64(static_cast<std::uint64_t>(v)); }
    void bytes(std::string_view s) { out.insert(out.end(), s.begin(), s.end()); }
    void str(std::string_view s) {  // ByteReader::str; longer strings are cut at 255 bytes
        if (s.size() > 255) s = s.substr(0, 255);
        u8(static_cast<std::uint8_t>(s.size()));
        bytes(s);
    }

private:
    void little(std::uint64_t v, int width) {
        for (int i = 0; i < width; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
    }
};

}  // namespace hccraf::fuzz
