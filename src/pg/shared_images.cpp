// Shared model images.
//
// Layout: one region "hccraf" in main shared memory, sized by hccraf.shared_memory_size
// (PGC_POSTMASTER), reserved in shmem_request_hook and initialised in shmem_startup_hook:
//
//   SharedRegion { lock, generation, used, entry_count, entries[kMaxEntries] }
//   pins[MaxBackends + 1]            per-backend pinned generation (0 = none)
//   arena[...]                       image bytes, bump-allocated, MAXALIGNed
//
// Images are pointer-free (src/core/model_image.hpp), so a copy in the arena is used in place
// by every backend. An entry is keyed by (database, model, payment year, generation): each
// database has its own reference tables, so one database's image must never answer another's. An entry is
// published fully (bytes copied) before it is added to the directory, both under the exclusive lock, so a
// half-built image is never visible; published bytes are never written again while anyone may read them.
//
// Locking protocol:
//   * `lock` (LWLock, tranche "hccraf") guards the directory, `used` and the arena allocator.
//     Readers take it shared to pin a generation or to find an entry, then read the image bytes
//     WITHOUT the lock: that is safe because of the pins below.
//   * `generation` (atomic) is bumped after the commit of any transaction that changed the
//     reference tables (xact callback, invalidation.cpp). Entries of older generations are dead:
//     no backend looks them up any more.
//   * pins[MyBackendId] holds the generation whose images the backend may be reading; it is set
//     under the shared lock together with reading `generation`, and cleared at transaction end.
//   * The arena is reset (all entries dropped) only under the exclusive lock, only when every
//     entry is dead and no backend pins an older generation. Otherwise a publisher that finds no
//     room simply does not publish; the caller keeps its backend-local copy (same answers).
//   * Builders read `generation` BEFORE taking the snapshot they build from (a fresh latest
//     snapshot, spi_rows.cpp), and publish only if it is unchanged: an image published under
//     generation g therefore reflects at least every change committed before g was set.
#include "shared_images.hpp"

#include <cstring>

#include "pg_includes.hpp"

extern "C" {
#include "port/atomics.h"
#include "storage/ipc.h"
#include "storage/lwlock.h"
#include "storage/shmem.h"
#include "utils/timestamp.h"
}

namespace hccraf::pg {

namespace {

constexpr int kMaxEntries = 64;
constexpr const char* kRegionName = "hccraf";

struct Entry {
    Oid database;  // MyDatabaseId of the publisher
    char model[16];
    int32 payment_year;
    uint64 generation;
    Size offset;  // from the start of the arena
    Size size;
    double build_ms;
    TimestampTz built_at;
};

struct SharedRegion {
    LWLock* lock;
    pg_atomic_uint64 generation;
    Size arena_size;
    Size used;
    int entry_count;
    Entry entries[kMaxEntries];
};

int shared_memory_mb = 32;  // hccraf.shared_memory_size
SharedRegion* region = nullptr;
pg_atomic_uint64* pins = nullptr;
char* arena = nullptr;
shmem_request_hook_type prev_shmem_request = nullptr;
shmem_startup_hook_type prev_shmem_startup = nullptr;

Size pins_size() {
    return MAXALIGN(sizeof(pg_atomic_uint64) * (MaxBackends + 1));
}
Size header_size() {
    return MAXALIGN(sizeof(SharedRegion)) + pins_size();
}
Size region_size() {
    return add_size(header_size(), (Size)shared_memory_mb * 1024 * 1024);
}

void shmem_request() noexcept {
    if (prev_shmem_request) prev_shmem_request();
    RequestAddinShmemSpace(region_size());
    RequestNamedLWLockTranche(kRegionName, 1);
}

void shmem_startup() noexcept {
    if (prev_shmem_startup) prev_shmem_startup();
    bool found;
    LWLockAcquire(AddinShmemInitLock, LW_EXCLUSIVE);
    char* base = (char*)ShmemInitStruct(kRegionName, region_size(), &found);
    region = (SharedRegion*)base;
    pins = (pg_atomic_uint64*)(base + MAXALIGN(sizeof(SharedRegion)));
    arena = base + header_size();
    if (!found) {
        memset(region, 0, sizeof(SharedRegion));
        region->lock = &(GetNamedLWLockTranche(kRegionName))->lock;
        pg_atomic_init_u64(&region->generation, 1);
        region->arena_size = (Size)shared_memory_mb * 1024 * 1024;
        for (int i = 0; i <= MaxBackends; ++i) pg_atomic_init_u64(&pins[i], 0);
    }
    LWLockRelease(AddinShmemInitLock);
}

// Exclusive lock held. True when the arena may be emptied.
bool arena_reclaimable(uint64 current) {
    for (int i = 0; i < region->entry_count; ++i)
        if (region->entries[i].generation >= current) return false;
    for (int i = 0; i <= MaxBackends; ++i) {
        uint64 pinned = pg_atomic_read_u64(&pins[i]);
        if (pinned != 0 && pinned < current) return false;
    }
    return true;
}

}  // namespace

void install_shared_image_hooks() noexcept {
    DefineCustomIntVariable(
        "hccraf.shared_memory_size", "Shared memory reserved for compiled model images, in megabytes.",
        "Every shipped release together needs about 3 MB; a reference change "
        "needs room for a second copy while old readers finish.",
        &shared_memory_mb, 32, 1, 4096, PGC_POSTMASTER, GUC_UNIT_MB, nullptr, nullptr, nullptr);
    prev_shmem_request = shmem_request_hook;
    shmem_request_hook = shmem_request;
    prev_shmem_startup = shmem_startup_hook;
    shmem_startup_hook = shmem_startup;
}

bool shared_images_enabled() noexcept {
    return region != nullptr;
}

uint64 current_shared_generation() noexcept {
    return pg_atomic_read_u64(&region->generation);
}

uint64 pin_shared_generation() {
    if (MyBackendId <= 0 || MyBackendId > MaxBackends)
        elog(ERROR, "hccraf: no backend id to pin images with");
    LWLockAcquire(region->lock, LW_SHARED);
    uint64 g = pg_atomic_read_u64(&region->generation);
    pg_atomic_write_u64(&pins[MyBackendId], g);
    LWLockRelease(region->lock);
    return g;
}

void unpin_shared_generation() noexcept {
    if (region && MyBackendId > 0 && MyBackendId <= MaxBackends) pg_atomic_write_u64(&pins[MyBackendId], 0);
}

const std::byte* find_shared_image(const char* model, int payment_year, uint64 generation, Size* size) {
    const std::byte* found = nullptr;
    LWLockAcquire(region->lock, LW_SHARED);
    for (int i = 0; i < region->entry_count; ++i) {
        const Entry& e = region->entries[i];
        if (e.generation == generation && e.database == MyDatabaseId && e.payment_year == payment_year &&
            strcmp(e.model, model) == 0) {
            found = (const std::byte*)(arena + e.offset);
            *size = e.size;
            break;
        }
    }
    LWLockRelease(region->lock);
    return found;
}

const std::byte* publish_shared_image(const char* model, int payment_year, uint64 generation,
                                      const std::byte* bytes, Size size, double build_ms) {
    if (strlen(model) >= sizeof(Entry::model)) return nullptr;
    const std::byte* result = nullptr;
    LWLockAcquire(region->lock, LW_EXCLUSIVE);
    uint64 current = pg_atomic_read_u64(&region->generation);
    if (generation == current) {
        for (int i = 0; i < region->entry_count && !result; ++i) {
            const Entry& e = region->entries[i];
            if (e.generation == generation && e.database == MyDatabaseId && e.payment_year == payment_year &&
                strcmp(e.model, model) == 0)
                result = (const std::byte*)(arena + e.offset);  // another backend was faster
        }
        if (!result) {
            Size need = MAXALIGN(size);
            if ((region->used + need > region->arena_size || region->entry_count == kMaxEntries) &&
                arena_reclaimable(current)) {
                region->used = 0;
                region->entry_count = 0;
            }
            if (region->used + need <= region->arena_size && region->entry_count < kMaxEntries) {
                memcpy(arena + region->used, bytes, size);
                Entry& e = region->entries[region->entry_count];
                e.database = MyDatabaseId;
                strlcpy(e.model, model, sizeof(e.model));
                e.payment_year = payment_year;
                e.generation = generation;
                e.offset = region->used;
                e.size = size;
                e.build_ms = build_ms;
                e.built_at = GetCurrentTimestamp();
                region->used += need;
                result = (const std::byte*)(arena + e.offset);
                // Readers take the lock too; the barrier only documents that the bytes are
                // complete before the entry is counted.
                pg_write_barrier();
                region->entry_count++;
            }
        }
    }
    LWLockRelease(region->lock);
    return result;
}

void bump_shared_generation() noexcept {
    if (region) pg_atomic_fetch_add_u64(&region->generation, 1);
}

int list_shared_images(SharedImageInfo* out, int max, Size* used, Size* capacity,
                       uint64* current_generation) {
    LWLockAcquire(region->lock, LW_SHARED);
    int n = 0;
    for (int i = 0; i < region->entry_count && n < max; ++i) {
        const Entry& e = region->entries[i];
        if (e.database != MyDatabaseId) continue;  // another database's images are not listed
        SharedImageInfo& info = out[n++];
        strlcpy(info.model, e.model, sizeof(info.model));
        info.payment_year = e.payment_year;
        info.generation = e.generation;
        info.bytes = e.size;
        info.build_ms = e.build_ms;
        info.built_at = e.built_at;
    }
    *used = region->used;
    *capacity = region->arena_size;
    *current_generation = pg_atomic_read_u64(&region->generation);
    LWLockRelease(region->lock);
    return n;
}

}  // namespace hccraf::pg
