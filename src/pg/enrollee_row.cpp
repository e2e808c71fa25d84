// Decoding the ACA enrollee row and code arrays of the HHS-HCC functions (enrollee_row.hpp).
#include "enrollee_row.hpp"

#include <optional>
#include <string_view>

#include "../core/patient_fields.hpp"
#include "reference_cache.hpp"
#include "score_call.hpp"
#include "sql_values.hpp"

namespace hccraf::pg {

namespace {

constexpr const char* kNames[EF_COUNT][4] = {
    {"dob", "date_of_birth", "birth_date", nullptr},
    {"last_enrollment_date", "enrollment_end_date", "last_enrolled_date", nullptr},
    {"age_last", nullptr, nullptr, nullptr},
    {"sex", "gender", nullptr, nullptr},
    {"metal", "metal_level", nullptr, nullptr},
    {"csr_indicator", "csr", nullptr, nullptr},
    {"enrollment_days", "days_enrolled", nullptr, nullptr},
};

bool is_int_type(Oid t) {
    return t == INT2OID || t == INT4OID || t == INT8OID;
}
bool is_text_type(Oid t) {
    return t == TEXTOID || t == VARCHAROID || t == BPCHAROID;
}
int64 int_value(Datum d, Oid t) {
    return t == INT2OID ? DatumGetInt16(d) : t == INT4OID ? DatumGetInt32(d) : DatumGetInt64(d);
}
std::string_view text_value(Datum d) {
    struct varlena* v = PG_DETOAST_DATUM_PACKED(d);
    return std::string_view(VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v));
}

[[noreturn]] void null_field(EnrolleeField f, const char* hint) {
    ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("enrollee %s is NULL", kNames[f][0]),
                    errhint("%s", hint)));
    pg_unreachable();
}

[[noreturn]] void bad_field(EnrolleeField f, const char* hint) {
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("invalid enrollee %s", kNames[f][0]),
                    errhint("%s", hint)));
    pg_unreachable();
}

void resolve_layout(HeapTupleHeader row, HhsCallState& st, MemoryContext keep_in) {
    Oid typid = HeapTupleHeaderGetTypeId(row);
    int32 typmod = HeapTupleHeaderGetTypMod(row);
    if (st.tupdesc && st.typid == typid && st.typmod == typmod) return;
    TupleDesc desc = lookup_rowtype_tupdesc(typid, typmod);
    AttrNumber attnum[EF_COUNT] = {};
    Oid atttype[EF_COUNT] = {};
    for (int a = 0; a < desc->natts; ++a) {
        Form_pg_attribute att = TupleDescAttr(desc, a);
        if (att->attisdropped) continue;
        for (int f = 0; f < EF_COUNT; ++f)
            for (const char* const* n = kNames[f]; *n; ++n) {
                if (pg_strcasecmp(NameStr(att->attname), *n) != 0) continue;
                // Two columns for one field (sex and gender): never pick one by column order.
                if (attnum[f] != 0) {
                    char* first = pstrdup(NameStr(TupleDescAttr(desc, attnum[f] - 1)->attname));
                    char* second = pstrdup(NameStr(att->attname));
                    ReleaseTupleDesc(desc);
                    ereport(ERROR, (errcode(ERRCODE_AMBIGUOUS_COLUMN),
                                    errmsg("the enrollee row has two columns for %s: \"%s\" and \"%s\"",
                                           kNames[f][0], first, second),
                                    errhint("Keep one of them (select the columns you mean).")));
                }
                attnum[f] = (AttrNumber)(a + 1);
                atttype[f] = att->atttypid;
            }
    }
    auto want = [&](EnrolleeField f, bool ok, const char* types) {
        if (attnum[f] && !ok) {
            ReleaseTupleDesc(desc);
            ereport(ERROR, (errcode(ERRCODE_DATATYPE_MISMATCH),
                            errmsg("enrollee field %s has an unsupported type", kNames[f][0]),
                            errhint("%s must be %s.", kNames[f][0], types)));
        }
    };
    want(EF_DOB, atttype[EF_DOB] == DATEOID, "a date");
    want(EF_LAST, atttype[EF_LAST] == DATEOID, "a date");
    want(EF_AGE_LAST, is_int_type(atttype[EF_AGE_LAST]), "an integer");
    want(EF_SEX, is_text_type(atttype[EF_SEX]) || is_int_type(atttype[EF_SEX]),
         "text (M/F) or an integer (1/2)");
    want(EF_METAL, is_text_type(atttype[EF_METAL]), "text");
    want(EF_CSR, is_int_type(atttype[EF_CSR]), "an integer");
    want(EF_DAYS, is_int_type(atttype[EF_DAYS]), "an integer");
    const bool dates = attnum[EF_DOB] && attnum[EF_LAST];
    if (!dates && !attnum[EF_AGE_LAST]) {
        ReleaseTupleDesc(desc);
        ereport(ERROR, (errcode(ERRCODE_UNDEFINED_COLUMN), errmsg("the enrollee row has no age"),
                        errhint("Give dob and last_enrollment_date (dates), or age_last (the age on the last "
                                "day of enrollment).")));
    }
    for (EnrolleeField f : {EF_SEX, EF_METAL})
        if (!attnum[f]) {
            ReleaseTupleDesc(desc);
            ereport(ERROR, (errcode(ERRCODE_UNDEFINED_COLUMN),
                            errmsg("the enrollee row has no %s field", kNames[f][0])));
        }
    MemoryContext old = MemoryContextSwitchTo(keep_in);
    st.tupdesc = CreateTupleDescCopy(desc);
    st.values = (Datum*)palloc(sizeof(Datum) * desc->natts);
    st.nulls = (bool*)palloc(sizeof(bool) * desc->natts);
    MemoryContextSwitchTo(old);
    ReleaseTupleDesc(desc);
    st.typid = typid;
    st.typmod = typmod;
    for (int f = 0; f < EF_COUNT; ++f) {
        st.attnum[f] = attnum[f];
        st.atttype[f] = atttype[f];
    }
}

}  // namespace

// The enrollee of the row argument. Plain PostgreSQL (ereports naming the field).
void read_enrollee(FunctionCallInfo fcinfo, int arg, HhsCallState& st, Enrollee& e) {
    HeapTupleHeader row = PG_GETARG_HEAPTUPLEHEADER(arg);
    resolve_layout(row, st, fcinfo->flinfo->fn_mcxt);
    HeapTupleData tuple;
    tuple.t_len = HeapTupleHeaderGetDatumLength(row);
    ItemPointerSetInvalid(&tuple.t_self);
    tuple.t_tableOid = InvalidOid;
    tuple.t_data = row;
    heap_deform_tuple(&tuple, st.tupdesc, st.values, st.nulls);
    auto present = [&](EnrolleeField f) { return st.attnum[f] && !st.nulls[st.attnum[f] - 1]; };
    auto value = [&](EnrolleeField f) { return st.values[st.attnum[f] - 1]; };

    if (present(EF_DOB) && present(EF_LAST)) {
        int by, bm, bd, y, m, d;
        DateADT birth = DatumGetDateADT(value(EF_DOB)), last = DatumGetDateADT(value(EF_LAST));
        if (DATE_NOT_FINITE(birth)) bad_field(EF_DOB, "Give a finite date of birth.");
        if (DATE_NOT_FINITE(last)) bad_field(EF_LAST, "Give the last day of enrollment in the benefit year.");
        j2date(birth + POSTGRES_EPOCH_JDATE, &by, &bm, &bd);
        j2date(last + POSTGRES_EPOCH_JDATE, &y, &m, &d);
        if (y != st.year)
            ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                            errmsg("invalid enrollee last_enrollment_date"),
                            errdetail("The date lies in %d, the benefit year is %d.", y, st.year),
                            errhint("The last enrollment date is the enrollee's last day of coverage in the "
                                    "benefit year.")));
        if (last < birth) bad_field(EF_LAST, "The last enrollment date is on or after the date of birth.");
        e.age_last = y - by - ((m < bm || (m == bm && d < bd)) ? 1 : 0);
        if (e.age_last > fields::kMaxAge)
            bad_field(EF_DOB, "The enrollee is at most 130 years old on the last enrollment day.");
    } else if (present(EF_AGE_LAST)) {
        int64 age = int_value(value(EF_AGE_LAST), st.atttype[EF_AGE_LAST]);
        if (age < 0 || age > fields::kMaxAge)
            bad_field(EF_AGE_LAST, "age_last is 0 to 130 (completed years on the last enrollment day).");
        e.age_last = (int)age;
    } else {
        ereport(
            ERROR,
            (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("the enrollee's age is unknown"),
             errdetail("dob and last_enrollment_date are not both given, and age_last is NULL or absent."),
             errhint("Give dob and last_enrollment_date, or age_last (the age on the last day of "
                     "enrollment in the benefit year).")));
    }

    if (!present(EF_SEX)) null_field(EF_SEX, "sex is M or F (or 1 = male, 2 = female).");
    std::optional<Sex> sex = is_int_type(st.atttype[EF_SEX])
                                 ? fields::sex_from_int(int_value(value(EF_SEX), st.atttype[EF_SEX]))
                                 : fields::sex_from_text(text_value(value(EF_SEX)));
    if (!sex) bad_field(EF_SEX, "sex is M or F (or 1 = male, 2 = female).");
    e.sex = *sex;

    if (!present(EF_METAL)) null_field(EF_METAL, "metal is platinum, gold, silver, bronze or catastrophic.");
    std::optional<Metal> metal = parse_metal(text_value(value(EF_METAL)));
    if (!metal) bad_field(EF_METAL, "metal is platinum, gold, silver, bronze or catastrophic.");
    e.metal = *metal;

    // CMS's own default: indicator 1 is "non-CSR / unknown CSR" (DIY table 13).
    e.csr_indicator = 1;
    if (present(EF_CSR)) {
        int64 v = int_value(value(EF_CSR), st.atttype[EF_CSR]);
        if (v < 1 || v > 11) bad_field(EF_CSR, "csr_indicator is 1 to 11 (1 = no cost-sharing reduction).");
        e.csr_indicator = (int)v;
    }
    // A row without the column is a full-year enrollee; a NULL in the column is an error (the
    // adult enrollment-duration factors are large, so a missing value is not guessed).
    e.enrollment_days = 365;
    if (st.attnum[EF_DAYS]) {
        if (!present(EF_DAYS))
            null_field(EF_DAYS,
                       "enrollment_days is the days enrolled in the benefit year, 1 to 366 (a row without "
                       "the column is a full-year enrollee).");
        int64 v = int_value(value(EF_DAYS), st.atttype[EF_DAYS]);
        if (v < 1 || v > 366)
            bad_field(EF_DAYS, "enrollment_days is the days enrolled in the benefit year, 1 to 366.");
        e.enrollment_days = (int)v;
    }
}

HhsCallState& hhs_call_state(FunctionCallInfo fcinfo) {
    if (!fcinfo->flinfo->fn_extra)
        fcinfo->flinfo->fn_extra = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(HhsCallState));
    return *static_cast<HhsCallState*>(fcinfo->flinfo->fn_extra);
}

int decode_diagnoses(FunctionCallInfo fcinfo, int arg, int year, IcdKey*& buffer, int& capacity) {
    if (PG_ARGISNULL(arg)) return 0;
    ArrayType* arr = PG_GETARG_ARRAYTYPE_P(arg);
    check_code_array(arr);
    reserve_codes(buffer, capacity, ArrayGetNItems(ARR_NDIM(arr), ARR_DIMS(arr)), fcinfo->flinfo->fn_mcxt);
    int n = 0;
    char* malformed = nullptr;
    for_each_text(arr, [&](int, std::string_view code) {
        if (IcdKey k = icd_key(code))
            buffer[n++] = k;
        else if (!malformed)
            malformed = pnstrdup(code.data(), code.size());
    });
    if (malformed) report_unknown_codes(malformed, year);
    return n;
}

namespace {

// Appends the drug codes of a text[] argument (NDCs or HCPCS codes) to out; a malformed one is an
// error naming it.
void append_drugs(FunctionCallInfo fcinfo, int arg, bool is_ndc, std::uint64_t* out, int& n) {
    if (PG_ARGISNULL(arg)) return;
    ArrayType* arr = PG_GETARG_ARRAYTYPE_P(arg);
    for_each_text(arr, [&](int, std::string_view code) {
        std::optional<std::uint64_t> k = is_ndc ? ndc_key(code) : hcpcs_key(code);
        if (!k)
            ereport(ERROR,
                    (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                     errmsg("malformed %s \"%.*s\"", is_ndc ? "NDC" : "HCPCS code", (int)code.size(),
                            code.data()),
                     errhint(is_ndc ? "An NDC has 11 characters (digits; a few CMS NDCs carry a letter), "
                                      "without hyphens (the 5-4-2 form)."
                                    : "An HCPCS code has 5 characters (letters and digits).")));
        out[n++] = *k;
    });
}

int items_of(FunctionCallInfo fcinfo, int arg) {
    if (PG_ARGISNULL(arg)) return 0;
    ArrayType* arr = PG_GETARG_ARRAYTYPE_P(arg);
    check_code_array(arr);
    return ArrayGetNItems(ARR_NDIM(arr), ARR_DIMS(arr));
}

int decode_drugs(FunctionCallInfo fcinfo, int ndc_arg, int hcpcs_arg, HhsCallState& st) {
    const int needed = items_of(fcinfo, ndc_arg) + items_of(fcinfo, hcpcs_arg);
    if (needed > st.drugs_capacity) {
        const int grown = needed < 64 ? 64 : needed;
        auto* bigger = (std::uint64_t*)MemoryContextAllocHuge(fcinfo->flinfo->fn_mcxt,
                                                              sizeof(std::uint64_t) * (Size)grown);
        if (st.drugs) pfree(st.drugs);
        st.drugs = bigger;
        st.drugs_capacity = grown;
    }
    int n = 0;
    append_drugs(fcinfo, ndc_arg, true, st.drugs, n);
    append_drugs(fcinfo, hcpcs_arg, false, st.drugs, n);
    return n;
}

}  // namespace

bool prepare_hhs_call(FunctionCallInfo fcinfo, HhsCallState& st, const HhsArgs& args, Enrollee& e,
                      HhsInputs& in) {
    if (PG_ARGISNULL(args.enrollee) || PG_ARGISNULL(args.year)) return false;
    st.year = PG_GETARG_INT32(args.year);
    read_enrollee(fcinfo, args.enrollee, st, e);
    in.ncodes = decode_diagnoses(fcinfo, args.dx, st.year, st.codes, st.codes_capacity);
    in.codes = st.codes;
    in.ndrugs = decode_drugs(fcinfo, args.ndc, args.hcpcs, st);
    in.drugs = st.drugs;
    const std::uint64_t generation = begin_reference_lookup();
    if (st.generation != generation || !st.image || st.image->payment_year() != st.year) {
        ModelPart parts[2];
        resolve_models("HHS-HCC", st.year, parts);
        st.image = parts[0].image;
        st.generation = generation;
    }
    return true;
}

}  // namespace hccraf::pg
