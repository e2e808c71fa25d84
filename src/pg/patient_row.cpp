#include "patient_row.hpp"

#include <cstring>

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

// Text of a text-like or "char" value, trimmed and upper-cased into buf (at most 15 chars);
// returns false when it does not fit (such a value is never valid here).
bool text_value(Datum d, Oid t, char (&buf)[16]) {
    const char* p;
    int len;
    char single;
    if (t == CHAROID) {
        single = DatumGetChar(d);
        p = &single;
        len = single ? 1 : 0;
    } else if (t == NAMEOID) {
        p = NameStr(*DatumGetName(d));
        len = (int)strlen(p);
    } else {
        struct varlena* v = PG_DETOAST_DATUM_PACKED(d);
        p = VARDATA_ANY(v);
        len = (int)VARSIZE_ANY_EXHDR(v);
    }
    // ASCII only, no locale: libc's isspace/toupper showed up in the per-row profile.
    auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (len > 0 && blank(*p)) ++p, --len;
    while (len > 0 && blank(p[len - 1])) --len;
    if (len >= (int)sizeof(buf)) return false;
    for (int i = 0; i < len; ++i) buf[i] = (p[i] >= 'a' && p[i] <= 'z') ? (char)(p[i] - 'a' + 'A') : p[i];
    buf[len] = '\0';
    return true;
}

bool type_fits(PatientField f, Oid t) {
    switch (f) {
        case PF_DOB:
            return t == DATEOID || t == TIMESTAMPOID || t == TIMESTAMPTZOID;
        case PF_AGE:
            return is_int_type(t);
        case PF_SEX:
        case PF_OREC:
        case PF_DUAL:
            return is_text_type(t) || t == CHAROID || is_int_type(t) || (f == PF_DUAL && t == BOOLOID);
        default:
            return t == BOOLOID || is_int_type(t) || is_text_type(t) || t == CHAROID;
    }
}

[[noreturn]] void bad_value(PatientField f, const char* expected) {
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("invalid patient %s", field_label(f)),
                    errhint("%s", expected)));
    pg_unreachable();
}

bool read_flag(Datum d, Oid t, PatientField f) {
    if (t == BOOLOID) return DatumGetBool(d);
    if (is_int_type(t)) {
        int64 v = int_value(d, t);
        if (v == 0 || v == 1) return v == 1;
    } else {
        char buf[16];
        if (text_value(d, t, buf)) {
            if (!strcmp(buf, "1") || !strcmp(buf, "T") || !strcmp(buf, "TRUE") || !strcmp(buf, "Y") ||
                !strcmp(buf, "YES"))
                return true;
            if (!strcmp(buf, "0") || !strcmp(buf, "F") || !strcmp(buf, "FALSE") || !strcmp(buf, "N") ||
                !strcmp(buf, "NO") || !buf[0])
                return false;
        }
    }
    bad_value(f, "Use a boolean, 0/1, or true/false.");
}

Sex read_sex(Datum d, Oid t) {
    if (is_int_type(t)) {
        int64 v = int_value(d, t);
        if (v == 1) return Sex::Male;
        if (v == 2) return Sex::Female;
    } else {
        char buf[16];
        if (text_value(d, t, buf)) {
            if (!strcmp(buf, "M") || !strcmp(buf, "1") || !strcmp(buf, "MALE")) return Sex::Male;
            if (!strcmp(buf, "F") || !strcmp(buf, "2") || !strcmp(buf, "FEMALE")) return Sex::Female;
        }
    }
    bad_value(PF_SEX, "sex must be 'M' or 'F' (or CMS's '1' male, '2' female).");
}

char read_orec(Datum d, Oid t) {
    if (is_int_type(t)) {
        int64 v = int_value(d, t);
        if (v >= 0 && v <= 3) return (char)('0' + v);
    } else {
        char buf[16];
        if (text_value(d, t, buf)) {
            if (!buf[0]) return ' ';
            if (buf[1] == '\0' && buf[0] >= '0' && buf[0] <= '3') return buf[0];
        }
    }
    bad_value(PF_OREC,
              "OREC (original reason for entitlement) is 0 old age, 1 disability, 2 ESRD, "
              "3 disability and ESRD, or NULL/empty when unknown.");
}

// CMS MMR dual status codes: 01/03/05/06 partial-benefit, 02/04/08 full-benefit, others non.
Dual dual_from_code(int64 v, bool& ok) {
    ok = true;
    switch (v) {
        case 1:
        case 3:
        case 5:
        case 6:
            return Dual::Partial;
        case 2:
        case 4:
        case 8:
            return Dual::Full;
        case 0:
        case 9:
        case 10:
        case 99:
            return Dual::Non;
        default:
            ok = false;
            return Dual::Non;
    }
}

Dual read_dual(Datum d, Oid t) {
    bool ok = false;
    if (t == BOOLOID) return DatumGetBool(d) ? Dual::Full : Dual::Non;
    if (is_int_type(t)) {
        Dual r = dual_from_code(int_value(d, t), ok);
        if (ok) return r;
    } else {
        char buf[16];
        if (text_value(d, t, buf)) {
            if (!buf[0] || !strcmp(buf, "NON") || !strcmp(buf, "NONE") || !strcmp(buf, "N") ||
                !strcmp(buf, "NO"))
                return Dual::Non;
            if (!strcmp(buf, "FULL") || !strcmp(buf, "FBD")) return Dual::Full;
            if (!strcmp(buf, "PARTIAL") || !strcmp(buf, "PBD")) return Dual::Partial;
            if (buf[0] >= '0' && buf[0] <= '9' && strlen(buf) <= 2 &&
                (buf[1] == '\0' || (buf[1] >= '0' && buf[1] <= '9'))) {
                Dual r = dual_from_code(atoi(buf), ok);
                if (ok) return r;
            }
        }
    }
    bad_value(PF_DUAL,
              "dual_status is 'non', 'full' or 'partial', a CMS dual status code "
              "(01/03/05/06 partial, 02/04/08 full, 00/09/10/99 non), or a boolean medicaid flag "
              "(true = full-benefit dual).");
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
                if (pg_strcasecmp(NameStr(att->attname), *n) == 0 && fresh.attnum[sp.field] == 0) {
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
            date = DatumGetDateADT(DirectFunctionCall1(timestamptz_date, dob));
        if (DATE_NOT_FINITE(date)) bad_value(PF_DOB, "dob must be a finite date.");
        int y, m, d;
        j2date(date + POSTGRES_EPOCH_JDATE, &y, &m, &d);
        if (y > payment_year)
            ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                            errmsg("invalid patient dob: born %04d-%02d-%02d, after payment year %d", y, m, d,
                                   payment_year)));
        out.age = age_on_feb1(y, m, d, payment_year);
    } else {
        if (f.isnull[PF_AGE])
            ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                            errmsg("patient has neither a date of birth nor an age"),
                            errhint("dob (or age) is required.")));
        int64 a = int_value(f.value[PF_AGE], f.type[PF_AGE]);
        if (a < 0 || a > 130)
            bad_value(PF_AGE, "age is the completed years on 1 February of the payment year, 0 to 130.");
        out.age = (int)a;
    }

    if (f.isnull[PF_SEX])
        ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("patient sex is NULL"),
                        errhint("CMS scores need sex 'M' or 'F' (or '1'/'2').")));
    out.sex = read_sex(f.value[PF_SEX], f.type[PF_SEX]);
    out.orec = f.isnull[PF_OREC] ? ' ' : read_orec(f.value[PF_OREC], f.type[PF_OREC]);
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
}

}  // namespace hccraf::pg
