// hccraf.hcc_map(icd text, model text, payment_year int) RETURNS text[]
#include <string>

#include "../core/errors.hpp"
#include "../core/icd_code.hpp"
#include "guard.hpp"
#include "reference_cache.hpp"
#include "settings.hpp"
#include "sql_values.hpp"

namespace {

enum class MapOutcome { Mapped, NoHcc, Unknown };

struct MapAnswer {
    MapOutcome outcome = MapOutcome::Unknown;
    int numbers[hccraf::ModelImage::kMaxMappedCcs] = {};
    int n = 0;
    hccraf::Family family = hccraf::Family::CmsHcc;  // spelling of the HCC names
    const char* code_sets = nullptr;                 // palloc'd, for the message about an unknown code
};

// The C++ part (may throw; its PostgreSQL calls go through pg_call).
MapAnswer map_one(const char* icd, const char* model, int payment_year) {
    hccraf::pg::begin_reference_lookup();
    auto key = hccraf::parse_icd(icd);
    if (!key)
        throw hccraf::InputError(std::string("\"") + icd + "\" is not an ICD-10-CM code",
                                 "A code is a letter followed by 2 to 6 letters or digits, with "
                                 "or without the dot after the third character: E11.9, e119, I50.22.");
    hccraf::pg::ModelPart parts[2];
    if (hccraf::pg::resolve_models(model, payment_year, parts) != 1)
        throw hccraf::InputError(std::string("model \"") + model +
                                     "\" is a blend of two models in payment year " +
                                     std::to_string(payment_year),
                                 "Ask hcc_map for one model at a time, e.g. 'V24' or 'V28'.");
    MapAnswer a;
    // HHS-HCC: every CC the code can map to (hhs_explain shows the age / sex conditions).
    a.n = parts[0].image->map_code_any(*key, a.numbers);
    a.family = parts[0].image->family();
    if (a.n > 0)
        a.outcome = MapOutcome::Mapped;
    else
        a.outcome =
            hccraf::pg::icd_code_in_force(*key, payment_year) ? MapOutcome::NoHcc : MapOutcome::Unknown;
    if (a.outcome == MapOutcome::Unknown) {
        std::string years = hccraf::pg::code_sets_in_force(payment_year);
        a.code_sets = hccraf::pg::pg_call([&]() noexcept { return pstrdup(years.c_str()); });
    }
    return a;
}

}  // namespace

HCCRAF_FUNCTION(hccraf_hcc_map) {
    char* icd = text_to_cstring(PG_GETARG_TEXT_PP(0));
    char* model = text_to_cstring(PG_GETARG_TEXT_PP(1));
    int32 year = PG_GETARG_INT32(2);
    const MapAnswer a = map_one(icd, model, year);  // trivially destructible: ereport may follow
    if (a.outcome == MapOutcome::Unknown) {
        using namespace hccraf::pg;
        if (unknown_code_action != UNKNOWN_CODE_IGNORE)
            ereport(
                unknown_code_action == UNKNOWN_CODE_ERROR ? ERROR : WARNING,
                (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                 errmsg("\"%s\" is not in the ICD-10-CM code sets in force for payment year %d", icd, year),
                 errhint("Valid codes are the billable codes (not category headers) of the ICD-10-CM "
                         "code sets of %s; see hccraf.icd10cm_code.",
                         a.code_sets)));
        PG_RETURN_NULL();
    }
    PG_RETURN_ARRAYTYPE_P(hccraf::pg::hcc_number_array(a.family, a.numbers, a.n));
}
