#include <exception>
#include <new>
#include <string>

#include "guard.hpp"

namespace hccraf::pg {

// Runs inside the catch(...) of guard(): classifies the active exception. Only pstrdup/palloc
// are called here; with the default allocator they fail by ereport only on out-of-memory,
// which is acceptable at this point (the exception object is the only live C++ state).
void capture_exception(CaughtError& out, const char* where) noexcept {
    try {
        throw;
    } catch (const PgError& e) {
        out.pg = e.data;
        out.sqlstate = e.data->sqlerrcode;
    } catch (const hccraf::InputError& e) {
        out.sqlstate = ERRCODE_INVALID_PARAMETER_VALUE;
        out.message = pstrdup(e.what());
        out.hint = e.hint.empty() ? nullptr : pstrdup(e.hint.c_str());
    } catch (const hccraf::DataError& e) {
        out.sqlstate = ERRCODE_DATA_CORRUPTED;
        out.message = psprintf("hccraf reference data: %s", e.what());
        out.hint = e.hint.empty() ? nullptr : pstrdup(e.hint.c_str());
    } catch (const hccraf::Error& e) {
        out.sqlstate = ERRCODE_INTERNAL_ERROR;
        out.message = pstrdup(e.what());
        out.hint = e.hint.empty() ? nullptr : pstrdup(e.hint.c_str());
    } catch (const std::bad_alloc&) {
        out.sqlstate = ERRCODE_OUT_OF_MEMORY;
        out.message = psprintf("%s: out of memory", where);
    } catch (const std::exception& e) {
        out.sqlstate = ERRCODE_INTERNAL_ERROR;
        out.message = psprintf("%s: %s", where, e.what());
    } catch (...) {
        out.sqlstate = ERRCODE_INTERNAL_ERROR;
        out.message = psprintf("%s: unknown C++ exception", where);
    }
}

void report_error(const CaughtError& err) {
    if (err.pg) ReThrowError(err.pg);
    if (err.hint) ereport(ERROR, (errcode(err.sqlstate), errmsg("%s", err.message), errhint("%s", err.hint)));
    ereport(ERROR, (errcode(err.sqlstate), errmsg("%s", err.message)));
    pg_unreachable();
}

}  // namespace hccraf::pg
