// SQL access to the project's CSV data files: hccraf.read_data_file() and
// hccraf.shipped_data_dir(), used by hccraf.load_release() and CREATE EXTENSION.
#include <string>
#include <vector>

#include "../core/csv.hpp"
#include "guard.hpp"

extern "C" {
#include "catalog/pg_authid.h"
#include "utils/acl.h"
}

namespace {

// Copies the parsed rows into a tuplestore of text[]; everything PostgreSQL-side happens in
// pg_call so that the C++ vectors are destroyed normally if it fails.
void emit_rows(FunctionCallInfo fcinfo, const std::vector<std::vector<std::string>>& rows) {
    hccraf::pg::pg_call([&]() noexcept {
        InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
        ReturnSetInfo* rsinfo = (ReturnSetInfo*)fcinfo->resultinfo;
        for (const auto& row : rows) {
            CHECK_FOR_INTERRUPTS();
            Datum* elems = (Datum*)palloc(sizeof(Datum) * (row.size() + 1));
            for (size_t i = 0; i < row.size(); ++i)
                elems[i] = PointerGetDatum(cstring_to_text_with_len(row[i].data(), (int)row[i].size()));
            ArrayType* arr = construct_array(elems, (int)row.size(), TEXTOID, -1, false, TYPALIGN_INT);
            Datum value = PointerGetDatum(arr);
            bool isnull = false;
            tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, &value, &isnull);
            pfree(arr);
            pfree(elems);
        }
    });
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
        emit_rows(fcinfo, table.rows);
    }
    return (Datum)0;
}

HCCRAF_FUNCTION(hccraf_shipped_data_dir) {
    char share[MAXPGPATH];
    get_share_path(my_exec_path, share);
    PG_RETURN_TEXT_P(cstring_to_text(psprintf("%s/extension/hccraf", share)));
}
