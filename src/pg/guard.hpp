// The error boundary between C++ and PostgreSQL.
//
// Two kinds of non-local exit meet here, and neither may cross the other:
//  1. A C++ exception must never reach PostgreSQL's C frames: it would find no handler and call
//     std::terminate, which aborts the backend and makes the postmaster restart EVERY session.
//     So every SQL-callable function is declared with HCCRAF_FUNCTION, which runs its whole body
//     (argument decoding, computing, building the result) inside guard(); guard() catches
//     everything. `.ci/check-guards` fails the build when a function is declared another way.
//  2. ereport(ERROR) longjmps. A longjmp across a C++ frame skips its destructors (leaks, and
//     undefined behaviour for objects that own resources), and a longjmp out of a catch block
//     leaves the C++ runtime's exception stack dangling. So guard() copies what it caught into
//     fixed buffers (no PostgreSQL call inside the catch), LEAVES the catch block (destroying the
//     exception and every C++ object of the body) and only then calls ereport.
// The converse direction: inside a body, a PostgreSQL function that may ereport while a C++
// object with a destructor is alive must be called through pg_call(), which turns the longjmp
// into a C++ exception (PgError: PG_TRY/CopyErrorData/FlushErrorState); guard() re-raises it as
// the original PostgreSQL error once the C++ frames are gone. Code that runs while no such object
// is alive (plain argument decoding, building a tuple from C values) may ereport directly: the
// longjmp then passes only trivially destructible frames, which is harmless.
// Trap: a C++ exception must never leave a PG_TRY block either (PG_exception_stack would point
// at a dead frame), so pg_call() accepts only noexcept callables.
#pragma once
#include <exception>
#include <type_traits>
#include <utility>

#include "../core/errors.hpp"
#include "pg_includes.hpp"

namespace hccraf::pg {

// A PostgreSQL error captured by pg_call, carried through C++ frames as an exception.
struct PgError {
    ErrorData* data;
};

// What guard() found; plain bytes, filled without calling PostgreSQL, reported after the catch
// scope has been left.
struct CaughtError {
    int sqlstate = 0;         // 0 = nothing caught
    ErrorData* pg = nullptr;  // set when the error came from PostgreSQL itself
    bool has_hint = false;
    char message[2048] = {};
    char hint[2048] = {};
};
static_assert(std::is_trivially_destructible_v<CaughtError>);

void capture_exception(CaughtError& out, const char* where) noexcept;
[[noreturn]] void report_error(const CaughtError& err);

// Runs body() (returning Datum); reports any exception as an ERROR with a real SQLSTATE.
template <typename Body>
Datum guard(const char* where, Body&& body) noexcept {
    CaughtError err;
    try {
        return body();
    } catch (...) {
        capture_exception(err, where);
    }
    report_error(err);
}

// Calls a PostgreSQL function that may ereport; a longjmp becomes a thrown PgError.
// -Wclobbered is a false positive here: `result` is read only on the path without longjmp, and
// `edata`, the one variable written after it, is volatile.
#pragma GCC diagnostic push
#if !defined(__clang__)  // clang (the JIT bitcode build) has no such warning
#pragma GCC diagnostic ignored "-Wclobbered"
#endif
template <typename Fn>
auto pg_call(Fn&& fn) -> decltype(fn()) {
    static_assert(noexcept(fn()),
                  "pg_call runs its callable inside PG_TRY: it must be noexcept (no C++ exception may "
                  "leave a PG_TRY block)");
    MemoryContext caller_context = CurrentMemoryContext;
    ErrorData* volatile edata = nullptr;  // assigned after the longjmp
    using R = decltype(fn());
    if constexpr (std::is_void_v<R>) {
        PG_TRY();
        { fn(); }
        PG_CATCH();
        {
            MemoryContextSwitchTo(caller_context);
            edata = CopyErrorData();
            FlushErrorState();
        }
        PG_END_TRY();
        if (edata) throw PgError{edata};
    } else {
        R result{};
        PG_TRY();
        { result = fn(); }
        PG_CATCH();
        {
            MemoryContextSwitchTo(caller_context);
            edata = CopyErrorData();
            FlushErrorState();
        }
        PG_END_TRY();
        if (edata) throw PgError{edata};
        return result;
    }
}
#pragma GCC diagnostic pop

// For core loops (src/core/interrupts.hpp): handles a pending interrupt; a cancel or timeout
// becomes a thrown PgError, so the core frames unwind and guard() re-raises it.
void service_interrupts();

// Points the core's interrupt hook at PostgreSQL's InterruptPending (from _PG_init).
void install_interrupt_hook() noexcept;

}  // namespace hccraf::pg

// Declares an SQL-callable C function whose whole body runs inside guard():
//     HCCRAF_FUNCTION(hccraf_hcc_map) { ... uses fcinfo ...; return datum; }
// This is the only way src/pg declares one (.ci/check-guards enforces it).
#define HCCRAF_FUNCTION(name)                                                                   \
    extern "C" {                                                                                \
    PG_FUNCTION_INFO_V1(name);                                                                  \
    }                                                                                           \
    static Datum name##_body(FunctionCallInfo fcinfo);                                          \
    extern "C" Datum name(PG_FUNCTION_ARGS) {                                                   \
        return ::hccraf::pg::guard(#name, [fcinfo]() -> Datum { return name##_body(fcinfo); }); \
    }                                                                                           \
    static Datum name##_body(FunctionCallInfo fcinfo)
