// hccraf.images() and hccraf.shared_memory_usage(): what is compiled, where it lives
// (like pg_shmem_allocations for hccraf).
#include <string>
#include <vector>

#include "guard.hpp"
#include "reference_cache.hpp"
#include "reference_version.hpp"
#include "shared_images.hpp"

extern "C" {
#include "utils/timestamp.h"
}

namespace {

constexpr int kMaxListed = 64;

}  // namespace

// Shared directory entries of this database first, then the images this backend holds
// privately. "shared": of the reference version this statement uses; "shared (other version)":
// of another one (older, or an open transaction's snapshot), reclaimed when no one pins it.
HCCRAF_FUNCTION(hccraf_images) {
    InitMaterializedSRF(fcinfo, 0);
    ReturnSetInfo* rsinfo = (ReturnSetInfo*)fcinfo->resultinfo;
    Datum values[7];
    bool nulls[7];
    const uint64 current = hccraf::pg::current_reference_version();

    if (hccraf::pg::shared_images_enabled()) {
        hccraf::pg::SharedImageInfo* infos =
            (hccraf::pg::SharedImageInfo*)palloc(sizeof(hccraf::pg::SharedImageInfo) * kMaxListed);
        Size used, capacity;
        int n = hccraf::pg::list_shared_images(infos, kMaxListed, &used, &capacity);
        for (int i = 0; i < n; ++i) {
            memset(nulls, 0, sizeof nulls);
            const bool mine =
                infos[i].version == current && infos[i].relation == hccraf::pg::reference_version_relid();
            values[0] = CStringGetTextDatum(infos[i].model);
            values[1] = Int32GetDatum(infos[i].payment_year);
            values[2] = CStringGetTextDatum(mine ? "shared" : "shared (other version)");
            values[3] = Int64GetDatum((int64)infos[i].bytes);
            values[4] = Float8GetDatum(infos[i].build_ms);
            values[5] = Int64GetDatum((int64)infos[i].version);
            values[6] = TimestampTzGetDatum(infos[i].built_at);
            tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
        }
    }

    // This backend's private copies (all of them when not preloaded).
    int count = 0;
    char** models = nullptr;
    int* years = nullptr;
    int64* sizes = nullptr;
    double* build = nullptr;
    {
        // C++ objects are alive in this block: PostgreSQL is called only through pg_call.
        std::vector<hccraf::pg::LocalImageInfo> local = hccraf::pg::backend_images();
        hccraf::pg::pg_call([&]() noexcept {
            models = (char**)palloc(sizeof(char*) * (local.size() + 1));
            years = (int*)palloc(sizeof(int) * (local.size() + 1));
            sizes = (int64*)palloc(sizeof(int64) * (local.size() + 1));
            build = (double*)palloc(sizeof(double) * (local.size() + 1));
            for (const auto& l : local) {
                if (l.shared) continue;
                models[count] = pstrdup(l.model.c_str());
                years[count] = l.payment_year;
                sizes[count] = (int64)l.bytes;
                build[count] = l.build_ms;
                ++count;
            }
        });
    }
    for (int i = 0; i < count; ++i) {
        memset(nulls, 0, sizeof nulls);
        values[0] = CStringGetTextDatum(models[i]);
        values[1] = Int32GetDatum(years[i]);
        values[2] = CStringGetTextDatum("local");
        values[3] = Int64GetDatum(sizes[i]);
        values[4] = Float8GetDatum(build[i]);
        values[5] = Int64GetDatum((int64)current);
        nulls[6] = true;
        tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
    }
    return (Datum)0;
}

HCCRAF_FUNCTION(hccraf_shared_memory_usage) {
    TupleDesc desc;
    if (get_call_result_type(fcinfo, nullptr, &desc) != TYPEFUNC_COMPOSITE)
        elog(ERROR, "hccraf: shared_memory_usage must return a composite");
    Datum values[5];
    bool nulls[5] = {};
    values[0] = BoolGetDatum(hccraf::pg::shared_images_enabled());
    if (hccraf::pg::shared_images_enabled()) {
        Size used, capacity;
        hccraf::pg::SharedImageInfo* infos =
            (hccraf::pg::SharedImageInfo*)palloc(sizeof(hccraf::pg::SharedImageInfo) * kMaxListed);
        int n = hccraf::pg::list_shared_images(infos, kMaxListed, &used, &capacity);
        values[1] = Int64GetDatum((int64)capacity);
        values[2] = Int64GetDatum((int64)used);
        values[3] = Int32GetDatum(n);
    } else {
        nulls[1] = nulls[2] = nulls[3] = true;
    }
    values[4] = Int64GetDatum((int64)hccraf::pg::current_reference_version());
    PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(desc), values, nulls)));
}
