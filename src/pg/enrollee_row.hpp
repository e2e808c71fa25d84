// The ACA enrollee of the HHS-HCC functions (hhs_score, hhs_explain, hhs_gaps): fields found by
// name in any row (README "ACA enrollees"), the diagnosis and drug-code arrays, and the HHS-HCC
// release of the benefit year. Plain PostgreSQL code: call it while no C++ object with a
// destructor is alive (it ereports naming the field), inside the caller's guard; the release
// look-up may throw InputError, which the guard reports.
#pragma once
#include <cstdint>

#include "../core/hhs_model.hpp"
#include "pg_includes.hpp"

namespace hccraf::pg {

// Per call site (fn_extra): the row layout, cached per row type, and the resolved release.
enum EnrolleeField { EF_DOB, EF_LAST, EF_AGE_LAST, EF_SEX, EF_METAL, EF_CSR, EF_DAYS, EF_COUNT };
struct HhsCallState {
    Oid typid = InvalidOid;
    int32 typmod = -1;
    TupleDesc tupdesc = nullptr;
    AttrNumber attnum[EF_COUNT] = {};
    Oid atttype[EF_COUNT] = {};
    Datum* values = nullptr;
    bool* nulls = nullptr;
    std::uint64_t generation = ~std::uint64_t{0};
    int year = 0;
    const ModelImage* image = nullptr;
    TupleDesc result_desc = nullptr;
    void* names = nullptr;  // hhs_score's result names (hhs_score.cpp), for `image`
    // Reused buffers (fn_mcxt): the diagnoses, hhs_gaps' prior codes, the drug codes.
    IcdKey* codes = nullptr;
    int codes_capacity = 0;
    IcdKey* prior = nullptr;
    int prior_capacity = 0;
    std::uint64_t* drugs = nullptr;
    int drugs_capacity = 0;
};

HhsCallState& hhs_call_state(FunctionCallInfo fcinfo);

// Argument positions of an HHS-HCC function.
struct HhsArgs {
    int enrollee, dx, ndc, hcpcs, year;
};

struct HhsInputs {
    IcdKey* codes = nullptr;         // diagnoses, packed; malformed ones skipped and reported as
    int ncodes = 0;                  // hccraf.unknown_code_action says
    std::uint64_t* drugs = nullptr;  // ndc_key / hcpcs_key values (a malformed one is an error)
    int ndrugs = 0;
};

// Decodes the enrollee, the diagnoses and drug codes, and resolves the release into st.image.
// Returns false for a NULL enrollee or year (the caller returns NULL / no rows).
bool prepare_hhs_call(FunctionCallInfo fcinfo, HhsCallState& st, const HhsArgs& args, Enrollee& e,
                      HhsInputs& in);

// The enrollee of row argument `arg` for the benefit year st.year.
void read_enrollee(FunctionCallInfo fcinfo, int arg, HhsCallState& st, Enrollee& e);

// Diagnoses of argument `arg`, packed into buffer (grown as needed in fn_mcxt and reused from
// call to call: the per-row path allocates nothing once it is large enough); returns how many.
int decode_diagnoses(FunctionCallInfo fcinfo, int arg, int year, IcdKey*& buffer, int& capacity);

}  // namespace hccraf::pg
