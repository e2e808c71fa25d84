// The error boundary between C++ and PostgreSQL.
//
// Two rules, and why:
//  1. No C++ exception may leave an extern "C" function: PostgreSQL's executor is C and would
//     terminate the backend. Every SQL-callable function is a thin shim whose C++ body runs
//     inside hccraf::pg::guard(), which catches everything.
//  2. ereport(ERROR) longjmps. A longjmp across a C++ frame skips its destructors (leaks, and
//     undefined behaviour for objects that own resources). So guard() copies the message into
//     palloc'd memory, LEAVES the catch block (destroying the exception and every C++ object of
//     the body), and only then calls ereport.
// The converse direction: C++ code that calls a PostgreSQL function that may ereport while C++
// objects are alive must wrap that call in pg_call(), which turns the longjmp into a C++
// exception (PgError) with PG_TRY/CopyErrorData/FlushErrorState; guard() re-throws it as the
// original PostgreSQL error after the C++ frames are gone. Calls made while no C++ object with
// a destructor is alive (plain argument decoding, result building) need no wrapper.
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

// What guard() found; reported after the catch scope has been left.
struct CaughtError {
    int sqlstate = 0;         // 0 = nothing caught
    char* message = nullptr;  // palloc'd
    char* hint = nullptr;     // palloc'd or null
    ErrorData* pg = nullptr;  // set when the error came from PostgreSQL itself
};

void capture_exception(CaughtError& out, const char* where) noexcept;
[[noreturn]] void report_error(const CaughtError& err);

// Runs body() (returning Datum); reports any exception as an ERROR with a real SQLSTATE.
template <typename Body>
Datum guard(const char* where, Body&& body) {
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

}  // namespace hccraf::pg
