#include <cstdio>
#include <cstring>
#include <exception>
#include <new>

#include "../core/interrupts.hpp"
#include "guard.hpp"

namespace hccraf::pg {

namespace {

void copy_text(char (&dst)[2048], const char* src) noexcept {
    snprintf(dst, sizeof dst, "%s", src ? src : "");
}

void copy_core_error(CaughtError& out, int sqlstate, const hccraf::Error& e, const char* prefix) noexcept {
    out.sqlstate = sqlstate;
    snprintf(out.message, sizeof out.message, "%s%s", prefix, e.what());
    out.has_hint = !e.hint.empty();
    if (out.has_hint) copy_text(out.hint, e.hint.c_str());
}

}  // namespace

// Runs inside the catch(...) of guard(): classifies the active exception into plain bytes.
// Nothing here calls PostgreSQL or allocates, so nothing can longjmp out of the catch block.
void capture_exception(CaughtError& out, const char* where) noexcept {
    try {
        throw;
    } catch (const PgError& e) {
        out.pg = e.data;
        out.sqlstate = e.data->sqlerrcode;
    } catch (const hccraf::InputError& e) {
        copy_core_error(out, ERRCODE_INVALID_PARAMETER_VALUE, e, "");
    } catch (const hccraf::DataError& e) {
        copy_core_error(out, ERRCODE_DATA_CORRUPTED, e, "hccraf reference data: ");
    } catch (const hccraf::Error& e) {
        copy_core_error(out, ERRCODE_INTERNAL_ERROR, e, "");
    } catch (const std::bad_alloc&) {
        out.sqlstate = ERRCODE_OUT_OF_MEMORY;
        snprintf(out.message, sizeof out.message, "%s: out of memory", where);
    } catch (const std::exception& e) {
        out.sqlstate = ERRCODE_INTERNAL_ERROR;
        snprintf(out.message, sizeof out.message, "%s: %s", where, e.what());
    } catch (...) {
        out.sqlstate = ERRCODE_INTERNAL_ERROR;
        snprintf(out.message, sizeof out.message, "%s: unknown C++ exception", where);
    }
}

void report_error(const CaughtError& err) {
    if (err.pg) ReThrowError(err.pg);
    if (err.has_hint)
        ereport(ERROR, (errcode(err.sqlstate), errmsg("%s", err.message), errhint("%s", err.hint)));
    ereport(ERROR, (errcode(err.sqlstate), errmsg("%s", err.message)));
    pg_unreachable();
}

void service_interrupts() {
    pg_call([]() noexcept { CHECK_FOR_INTERRUPTS(); });
}

void install_interrupt_hook() noexcept {
    hccraf::interrupts::pending = &InterruptPending;
    hccraf::interrupts::service = service_interrupts;
}

}  // namespace hccraf::pg
