#include "patient_row.hpp"

#include <cstdint>
#include <optional>
#include <string_view>

#include "../core/patient_fields.hpp"

namespace hccraf::pg {

namespace {

struct FieldSpelling {
    PatientField field;
    const char* names[5];  // accepted column names, nullptr-terminated
};

constexpr FieldSpelling kSpellings[] = {
    {PF_DOB, {"dob", "date_of_birth", "birth_date", nullptr}},
    {PF_AGE, {"age", nullptr}},
    {PF_SEX, {"sex", "gender", nullptr}},
    {PF_OREC, {"orec", nullptr}},
    {PF_DUAL, {"dual_status", "dual", "medicaid_status", "medicaid", nullptr}},
    {PF_INSTITUTIONAL, {"institutional", "institutional_status", "ltc", nullptr}},
    {PF_NEW_ENROLLEE, {"new_enrollee", nullptr}},
    {PF_SNP_NEW_ENROLLEE, {"snp_new_enrollee", "csnp_new_enrollee", nullptr}},
    {PF_LOW_INCOME, {"low_income", "lis", "low_income_subsidy", nullptr}},
    {PF_ESRD, {"esrd", nullptr}},
    {PF_ESRD_STATUS, {"esrd_status", nullptr}},
    {PF_MONTHS_SINCE_TRANSPLANT, {"months_since_transplant", "graft_months", nullptr}},
};

const char* field_label(PatientField f) {
    return kSpellings[f].names[0];
}

bool is_text_type(Oid t) {
    return t == TEXTOID || t == VARCHAROID || t == BPCHAROID || t == NAMEOID;
}
bool is_int_type(Oid t) {
    return t == INT2OID || t == INT4OID || t == INT8OID;
}

int64 int_value(Datum d, Oid t) {
    if (t == INT2OID) return DatumGetInt16(d);
    if (t == INT4OID) return DatumGetInt32(d);
    return DatumGetInt64(d);
}

// The text of a text-like or "char" value (not copied: valid while the row is).
std::string_view text_value(Datum d, Oid t, char& single) {
    if (t == CHAROID) {
        single = DatumGetChar(d);
        return std::string_view(&single, single ? 1 : 0);
    }
    if (t == NAMEOID) return NameStr(*DatumGetName(d));
    struct varlena* v = PG_DETOAST_DATUM_PACKED(d);
    return std::string_view(VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v));
}

bool type_fits(PatientField f, Oid t) {
    switch (f) {
        case PF_DOB:
            return t == DATEOID || t == TIMESTAMPOID || t == TIMESTAMPTZOID;
        case PF_AGE:
            return is_int_type(t);
        case PF_ESRD_STATUS:
            return is_text_type(t);
        case PF_MONTHS_SINCE_TRANSPLANT:
            return is_int_type(t);
        case PF_SEX:
        case PF_OREC:
        case PF_DUAL:
            return is_text_type(t) || t == CHAROID || is_int_type(t) || (f == PF_DUAL && t == BOOLOID);
        default:
            return t == BOOLOID || is_int_type(t) || is_text_type(t) || t == CHAROID;
    }
}

// The calendar date of a timestamptz in UTC (not in the session's TimeZone, so that a score never
// depends on a setting): DateADT counts days from 2000-01-01, TimestampTz microseconds from
// 2000-01-01 00:00 UTC. Infinite values are rejected.
DateADT utc_date(TimestampTz ts) {
    if (TIMESTAMP_NOT_FINITE(ts)) return TIMESTAMP_IS_NOBEGIN(ts) ? DATEVAL_NOBEGIN : DATEVAL_NOEND;
    int64 days = ts / USECS_PER_DAY;
    if (ts % USECS_PER_DAY < 0) --days;  // floor for times before 2000
    return (DateADT)days;
}

[[noreturn]] void bad_value(PatientField f, fields::Field kind) {
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("invalid patient %s", field_label(f)),
                    errhint("%s", fields::field_hint(kind))));
    pg_unreachable();
}

// One field's value through the core's decoder for its type (text, integer or boolean).
template <typename T>
T decode(Datum d, Oid t, PatientField f, fields::Field kind, std::optional<T> (*from_text)(std::string_view),
         std::optional<T> (*from_int)(std::int64_t)) {
    std::optional<T> v;
    if (is_int_type(t)) {
        v = from_int(int_value(d, t));
    } else {
        char single;
        v = from_text(text_value(d, t, single));
    }
    if (!v) bad_value(f, kind);
    return *v;
}

bool read_flag(Datum d, Oid t, PatientField f) {
    if (t == BOOLOID) return DatumGetBool(d);
    return decode<bool>(d, t, f, fields::Field::Flag, fields::flag_from_text, fields::flag_from_int);
}

Dual read_dual(Datum d, Oid t) {
    if (t == BOOLOID) return DatumGetBool(d) ? Dual::Full : Dual::Non;
    return decode<Dual>(d, t, PF_DUAL, fields::Field::Dual, fields::dual_from_text, fields::dual_from_int);
}

}  // namespace

void resolve_patient_layout(HeapTupleHeader row, PatientLayout& layout, MemoryContext keep_in) {
    Oid typid = HeapTupleHeaderGetTypeId(row);
    int32 typmod = HeapTupleHeaderGetTypMod(row);
    if (layout.tupdesc && layout.typid == typid && layout.typmod == typmod) return;

    TupleDesc desc = lookup_rowtype_tupdesc(typid, typmod);
    PatientLayout fresh;
    fresh.typid = typid;
    fresh.typmod = typmod;
    for (int i = 0; i < desc->natts; ++i) {
        Form_pg_attribute att = TupleDescAttr(desc, i);
        if (att->attisdropped) continue;
        for (const auto& sp : kSpellings)
            for (const char* const* n = sp.names; *n; ++n)
                if (pg_strcasecmp(NameStr(att->attname), *n) == 0) {
                    // Two columns for one field (gender and sex, medicaid and dual_status, or
                    // two columns of the same name): never pick one by column order.
                    if (fresh.attnum[sp.field] != 0) {
                        char* first =
                            pstrdup(NameStr(TupleDescAttr(desc, fresh.attnum[sp.field] - 1)->attname));
                        char* second = pstrdup(NameStr(att->attname));
                        ReleaseTupleDesc(desc);
                        ereport(ERROR,
                                (errcode(ERRCODE_AMBIGUOUS_COLUMN),
                                 errmsg("patient row has two columns for %s: \"%s\" and \"%s\"",
                                        field_label(sp.field), first, second),
                                 errhint("Keep one of them, e.g. SELECT the row without the other column.")));
                    }
                    if (!type_fits(sp.field, att->atttypid)) {
                        ReleaseTupleDesc(desc);
                        ereport(ERROR,
                                (errcode(ERRCODE_DATATYPE_MISMATCH),
                                 errmsg("patient column \"%s\" has type %s, which hccraf cannot read as %s",
                                        *n, format_type_be(att->atttypid), field_label(sp.field)),
                                 errhint("See README.md, \"The patient row\", for the accepted types.")));
                    }
                    fresh.attnum[sp.field] = att->attnum;
                    fresh.atttype[sp.field] = att->atttypid;
                }
    }
    MemoryContext old = MemoryContextSwitchTo(keep_in);
    fresh.tupdesc = CreateTupleDescCopy(desc);
    fresh.values = (Datum*)palloc(sizeof(Datum) * (desc->natts + 1));
    fresh.nulls = (bool*)palloc(sizeof(bool) * (desc->natts + 1));
    MemoryContextSwitchTo(old);
    ReleaseTupleDesc(desc);

    if (!fresh.attnum[PF_DOB] && !fresh.attnum[PF_AGE])
        ereport(
            ERROR,
            (errcode(ERRCODE_UNDEFINED_COLUMN), errmsg("patient row has no date of birth or age"),
             errhint("Add a column named dob (or date_of_birth, birth_date) of type date, or age (integer, "
                     "completed years on 1 February of the payment year).")));
    if (!fresh.attnum[PF_SEX])
        ereport(ERROR, (errcode(ERRCODE_UNDEFINED_COLUMN), errmsg("patient row has no sex"),
                        errhint("Add a column named sex or gender ('M'/'F' or '1'/'2').")));
    if (layout.tupdesc) {
        FreeTupleDesc(layout.tupdesc);
        pfree(layout.values);
        pfree(layout.nulls);
    }
    layout = fresh;
}

void read_patient(HeapTupleHeader row, const PatientLayout& layout, int payment_year, Patient& out) {
    HeapTupleData tuple;
    tuple.t_len = HeapTupleHeaderGetDatumLength(row);
    ItemPointerSetInvalid(&tuple.t_self);
    tuple.t_tableOid = InvalidOid;
    tuple.t_data = row;
    // One pass over the row (heap_getattr per field re-walks the variable-width columns).
    heap_deform_tuple(&tuple, layout.tupdesc, layout.values, layout.nulls);
    PatientFields f;
    for (int i = 0; i < PF_COUNT; ++i) {
        f.type[i] = layout.atttype[i];
        f.isnull[i] = layout.attnum[i] == 0 || layout.nulls[layout.attnum[i] - 1];
        if (!f.isnull[i]) f.value[i] = layout.values[layout.attnum[i] - 1];
    }
    decode_patient(f, payment_year, out);
}

void decode_patient(const PatientFields& f, int payment_year, Patient& out) {
    // Age: completed years on 1 February of the payment year (spec v28_rules.md §4).
    if (!f.isnull[PF_DOB]) {
        Oid t = f.type[PF_DOB];
        Datum dob = f.value[PF_DOB];
        DateADT date;
        if (t == DATEOID)
            date = DatumGetDateADT(dob);
        else if (t == TIMESTAMPOID)
            date = DatumGetDateADT(DirectFunctionCall1(timestamp_date, dob));
        else
            date = utc_date(DatumGetTimestampTz(dob));
        if (DATE_NOT_FINITE(date))
            ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                            errmsg("invalid patient dob: %s is not a date of birth",
                                   DATE_IS_NOBEGIN(date) ? "-infinity" : "infinity"),
                            errhint("%s", fields::field_hint(fields::Field::Dob))));
        int y, m, d;
        j2date(date + POSTGRES_EPOCH_JDATE, &y, &m, &d);
        // The core's age arithmetic rejects these too (by throwing); here the message names the
        // field and shows the date in ISO form whatever DateStyle says (year 0 is 1 BC).
        if (y < 1800 || y > payment_year)
            ereport(ERROR,
                    (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                     errmsg("invalid patient dob: born %04d-%02d-%02d%s, %s", y > 0 ? y : 1 - y, m, d,
                            y > 0 ? "" : " BC",
                            y < 1800 ? "before 1800" : psprintf("after payment year %d", payment_year)),
                     errhint("%s", fields::field_hint(fields::Field::Dob))));
        out.age = age_on_feb1(y, m, d, payment_year);
        if (out.age > fields::kMaxAge)
            ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                            errmsg("invalid patient dob: born %04d-%02d-%02d, age %d on 1 February %d", y, m,
                                   d, out.age, payment_year),
                            errhint("%s", fields::field_hint(fields::Field::Dob))));
        // A row with both must agree (the golden files carry both); never prefer one silently.
        if (!f.isnull[PF_AGE] && int_value(f.value[PF_AGE], f.type[PF_AGE]) != out.age)
            ereport(ERROR,
                    (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                     errmsg("patient dob and age disagree: born %04d-%02d-%02d is age %d on 1 February %d, "
                            "the age column says %lld",
                            y, m, d, out.age, payment_year,
                            (long long)int_value(f.value[PF_AGE], f.type[PF_AGE])),
                     errhint("Pass one of them, or correct the other.")));
    } else {
        if (f.isnull[PF_AGE])
            ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                            errmsg("patient has neither a date of birth nor an age"),
                            errhint("dob (or age) is required.")));
        std::optional<int> age = fields::age_from_int(int_value(f.value[PF_AGE], f.type[PF_AGE]));
        if (!age) bad_value(PF_AGE, fields::Field::Age);
        out.age = *age;
    }

    if (f.isnull[PF_SEX])
        ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("patient sex is NULL"),
                        errhint("CMS scores need sex 'M' or 'F' (or '1'/'2').")));
    out.sex = decode<Sex>(f.value[PF_SEX], f.type[PF_SEX], PF_SEX, fields::Field::Sex, fields::sex_from_text,
                          fields::sex_from_int);
    out.orec = f.isnull[PF_OREC]
                   ? ' '
                   : decode<char>(f.value[PF_OREC], f.type[PF_OREC], PF_OREC, fields::Field::Orec,
                                  fields::orec_from_text, fields::orec_from_int);
    out.dual = f.isnull[PF_DUAL] ? Dual::Non : read_dual(f.value[PF_DUAL], f.type[PF_DUAL]);
    out.institutional = !f.isnull[PF_INSTITUTIONAL] &&
                        read_flag(f.value[PF_INSTITUTIONAL], f.type[PF_INSTITUTIONAL], PF_INSTITUTIONAL);
    out.new_enrollee = !f.isnull[PF_NEW_ENROLLEE] &&
                       read_flag(f.value[PF_NEW_ENROLLEE], f.type[PF_NEW_ENROLLEE], PF_NEW_ENROLLEE);
    out.snp_new_enrollee =
        !f.isnull[PF_SNP_NEW_ENROLLEE] &&
        read_flag(f.value[PF_SNP_NEW_ENROLLEE], f.type[PF_SNP_NEW_ENROLLEE], PF_SNP_NEW_ENROLLEE);
    // A C-SNP new enrollee is a new enrollee (golden README): never score SNPNE without NE.
    if (out.snp_new_enrollee) out.new_enrollee = true;
    out.low_income =
        !f.isnull[PF_LOW_INCOME] && read_flag(f.value[PF_LOW_INCOME], f.type[PF_LOW_INCOME], PF_LOW_INCOME);
    if (!f.isnull[PF_ESRD_STATUS]) {
        char single;
        std::optional<EsrdStatus> st = fields::esrd_status_from_text(
            text_value(f.value[PF_ESRD_STATUS], f.type[PF_ESRD_STATUS], single));
        if (!st) bad_value(PF_ESRD_STATUS, fields::Field::EsrdStatus);
        out.esrd_status = *st;
    }
    if (!f.isnull[PF_MONTHS_SINCE_TRANSPLANT]) {
        std::optional<int> months = fields::months_from_int(
            int_value(f.value[PF_MONTHS_SINCE_TRANSPLANT], f.type[PF_MONTHS_SINCE_TRANSPLANT]));
        if (!months) bad_value(PF_MONTHS_SINCE_TRANSPLANT, fields::Field::Months);
        out.months_since_transplant = *months;
    }
    // RxHCC's ESRD flag: the esrd column, else "has an ESRD status" (README, "The patient row").
    out.esrd = f.isnull[PF_ESRD] ? out.esrd_status != EsrdStatus::None
                                 : read_flag(f.value[PF_ESRD], f.type[PF_ESRD], PF_ESRD);
}

}  // namespace hccraf::pg
