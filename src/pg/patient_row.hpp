// Reading a person from any composite value (a user's table row, ROW(...), hccraf.patient).
//
// Fields are found by name, once per row type (the resolved positions are cached by the
// caller, keyed by type oid and typmod). Accepted names and types, and the defaults of optional
// fields, are listed in README.md ("The patient row"); what a value means is decided by the
// core (src/core/patient_fields.hpp). Runs inside the caller's guard with no C++ object with a
// destructor alive, so errors naming the field are raised with ereport directly (the core's age
// arithmetic may also throw InputError, which the guard reports).
#pragma once
#include "../core/scorer.hpp"
#include "pg_includes.hpp"

namespace hccraf::pg {

enum PatientField {
    PF_DOB,
    PF_AGE,
    PF_SEX,
    PF_OREC,
    PF_DUAL,
    PF_INSTITUTIONAL,
    PF_NEW_ENROLLEE,
    PF_SNP_NEW_ENROLLEE,
    PF_LOW_INCOME,
    PF_ESRD,
    PF_ESRD_STATUS,
    PF_MONTHS_SINCE_TRANSPLANT,
    PF_COUNT
};

struct PatientLayout {
    Oid typid = InvalidOid;
    int32 typmod = -1;
    TupleDesc tupdesc = nullptr;       // copy in the caller's long-lived context
    AttrNumber attnum[PF_COUNT] = {};  // 0 = column absent
    Oid atttype[PF_COUNT] = {};
    Datum* values = nullptr;  // deform buffers for the row (tupdesc->natts entries)
    bool* nulls = nullptr;
};

// Makes layout describe the row type of `row` (re-resolving only when the type changes).
// Raises an error naming the missing field when neither dob nor age, or no sex, exists.
void resolve_patient_layout(HeapTupleHeader row, PatientLayout& layout, MemoryContext keep_in);

// The fields of one person, wherever they come from (a row, or a function's arguments).
// A field nobody set is NULL (absent).
struct PatientFields {
    Datum value[PF_COUNT] = {};
    bool isnull[PF_COUNT] = {};
    Oid type[PF_COUNT] = {};
    PatientFields() {
        for (bool& n : isnull) n = true;
    }
};

// Decodes one person for a payment year (dob wins over age).
void decode_patient(const PatientFields& fields, int payment_year, Patient& out);

// Decodes one person from a row for a payment year. Raises an error naming the field for impossible
// values (NULL sex, OREC 7, birth after the payment year, ...).
void read_patient(HeapTupleHeader row, const PatientLayout& layout, int payment_year, Patient& out);

}  // namespace hccraf::pg
