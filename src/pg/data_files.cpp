// SQL access to the project's CSV data files: hccraf.read_data_file() and
// hccraf.shipped_data_dir(), used by hccraf.load_release() and CREATE EXTENSION.
#include <string>
#include <vector>

#include "../core/csv.hpp"
#include "guard.hpp"
#include "srf.hpp"

extern "C" {
#include "catalog/pg_authid.h"
#include "utils/acl.h"
}

namespace {

// Each parsed row as one text[] value.
void emit_text_arrays(FunctionCallInfo fcinfo, const std::vector<std::vector<std::string>>& rows) {
    hccraf::pg::emit_rows(
        fcinfo, rows,
        [](const std::vector<std::string>& row, Datum* v, bool*) noexcept {
            Datum* elems = (Datum*)palloc(sizeof(Datum) * (row.size() + 1));
            for (size_t i = 0; i < row.size(); ++i) elems[i] = hccraf::pg::text_datum(row[i]);
            v[0] = PointerGetDatum(construct_array(elems, (int)row.size(), TEXTOID, -1, false, TYPALIGN_INT));
        },
        MAT_SRF_USE_EXPECTED_DESC);
}

}  // namespace

HCCRAF_FUNCTION(hccraf_read_data_file) {
    // Reading server files is a privilege, as for COPY FROM a file.
    if (!has_privs_of_role(GetUserId(), ROLE_PG_READ_SERVER_FILES))
        ereport(ERROR,
                (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE), errmsg("permission denied to read data files"),
                 errhint("Only superusers and members of pg_read_server_files may load releases.")));
    char* path = text_to_cstring(PG_GETARG_TEXT_PP(0));
    ArrayType* header_arr = PG_GETARG_ARRAYTYPE_P(1);
    Datum* header_elems;
    bool* header_nulls;
    int header_n;
    deconstruct_array(header_arr, TEXTOID, -1, false, TYPALIGN_INT, &header_elems, &header_nulls, &header_n);
    char** header = (char**)palloc(sizeof(char*) * (header_n + 1));
    for (int i = 0; i < header_n; ++i)
        header[i] = header_nulls[i] ? pstrdup("") : TextDatumGetCString(header_elems[i]);
    {
        // C++ objects are alive in this block: PostgreSQL is called only through pg_call.
        std::vector<std::string> expected(header, header + header_n);
        hccraf::csv::Table table = hccraf::csv::read_file(path);  // checks field counts
        if (table.header != expected) {
            std::string want;
            for (const auto& h : expected) want += (want.empty() ? "" : ",") + h;
            throw hccraf::DataError(std::string("data file \"") + path +
                                    "\" does not start with the header " + want);
        }
        emit_text_arrays(fcinfo, table.rows);
    }
    return (Datum)0;
}

HCCRAF_FUNCTION(hccraf_shipped_data_dir) {
    char share[MAXPGPATH];
    get_share_path(my_exec_path, share);
    PG_RETURN_TEXT_P(cstring_to_text(psprintf("%s/extension/hccraf", share)));
}
