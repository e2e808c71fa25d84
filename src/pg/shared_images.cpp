// Shared model images.
//
// Layout: one region "hccraf" in main shared memory, sized by hccraf.shared_memory_size
// (PGC_POSTMASTER), reserved in shmem_request_hook and initialised in shmem_startup_hook:
//
//   SharedRegion { lock, active arena, arenas[2] { used }, entry_count, entries[kMaxEntries] }
//   pins[MaxBackends + 1]            per-backend pinned key (version 0 = none)
//   arena 0, arena 1                 image bytes, bump-allocated, MAXALIGNed (half the size each)
//
// Images are pointer-free (src/core/model_image.hpp), so a copy in an arena is used in place by
// every backend. An entry is keyed by SharedKey (database, hccraf.reference_version's relation,
// version) plus model and payment year. The version is part of the reference data itself:
// every statement that changes a reference table increments it in the same transaction, so a
// snapshot that sees version v sees exactly the rows every image of v was compiled from. That
// makes publishing and finding exact without any generation counter: a backend publishes only
// images of committed data (never of its own uncommitted changes), under the version its
// snapshot saw.
//
// Locking protocol:
//   * `lock` (LWLock, tranche "hccraf") guards the directory and the arena allocators. Readers
//     take it shared to pin a key and to find an entry, then read the image bytes WITHOUT the
//     lock: safe because of the pins below.
//   * pins[MyBackendId] holds the key whose images the backend may be reading. The backend
//     writes its own slot while holding the lock shared (no two backends write one slot), and
//     clears the version (atomically, without the lock) at transaction end.
//   * Space is reclaimed a whole arena at a time, under the exclusive lock, and only when no
//     backend pins the key of any entry in it. Publishing fills the active arena; when it is full
//     the other arena becomes active if it can be reclaimed. Otherwise a publisher simply does
//     not publish; the caller keeps its backend-local copy (same answers).
//   * An entry becomes visible only once its bytes are complete (both under the exclusive lock);
//     published bytes are never written again while a pin may cover them.
#include "shared_images.hpp"

#include <cstring>

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
    SharedKey key;
    char model[16];
    int32 payment_year;
    int arena;    // 0 or 1
    Size offset;  // from the start of that arena
    Size size;
    double build_ms;
    TimestampTz built_at;
};

struct Arena {
    Size used;
};

struct Pin {
    Oid database;  // written by the owner under the shared lock
    Oid relation;
    pg_atomic_uint64 version;  // 0 = nothing pinned
};

struct SharedRegion {
    LWLock* lock;
    Size arena_size;  // of each arena
    int active;
    Arena arenas[2];
    int entry_count;
    Entry entries[kMaxEntries];
};

int shared_memory_mb = 32;  // hccraf.shared_memory_size
SharedRegion* region = nullptr;
Pin* pins = nullptr;
char* arena_base[2] = {nullptr, nullptr};
shmem_request_hook_type prev_shmem_request = nullptr;
shmem_startup_hook_type prev_shmem_startup = nullptr;

Size pins_size() {
    return MAXALIGN(sizeof(Pin) * (MaxBackends + 1));
}
Size header_size() {
    return MAXALIGN(sizeof(SharedRegion)) + pins_size();
}
Size arena_size() {
    return MAXALIGN((Size)shared_memory_mb * 1024 * 1024 / 2);
}
Size region_size() {
    return add_size(header_size(), mul_size(arena_size(), 2));
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
    pins = (Pin*)(base + MAXALIGN(sizeof(SharedRegion)));
    arena_base[0] = base + header_size();
    arena_base[1] = arena_base[0] + arena_size();
    if (!found) {
        memset(static_cast<void*>(region), 0, sizeof(SharedRegion));  // plain bytes in shared memory
        region->lock = &(GetNamedLWLockTranche(kRegionName))->lock;
        region->arena_size = arena_size();
        for (int i = 0; i <= MaxBackends; ++i) {
            pins[i].database = InvalidOid;
            pins[i].relation = InvalidOid;
            pg_atomic_init_u64(&pins[i].version, 0);
        }
    }
    LWLockRelease(AddinShmemInitLock);
}

// Exclusive lock held. True when some backend pins key.
bool pinned(const SharedKey& key) {
    for (int i = 0; i <= MaxBackends; ++i) {
        uint64 v = pg_atomic_read_u64(&pins[i].version);
        if (v == key.version && pins[i].database == key.database && pins[i].relation == key.relation)
            return true;
    }
    return false;
}

// Exclusive lock held. Empties arena a (dropping its entries) when no backend pins any of them.
bool reclaim_arena(int a) {
    for (int i = 0; i < region->entry_count; ++i)
        if (region->entries[i].arena == a && pinned(region->entries[i].key)) return false;
    int kept = 0;
    for (int i = 0; i < region->entry_count; ++i)
        if (region->entries[i].arena != a) region->entries[kept++] = region->entries[i];
    region->entry_count = kept;
    region->arenas[a].used = 0;
    return true;
}

// Exclusive lock held. True when an image of `need` bytes fits in the active arena, switching
// to the other arena (reclaimed) when the active one is full.
bool make_room(Size need) {
    auto fits = [&]() {
        return region->entry_count < kMaxEntries &&
               region->arenas[region->active].used + need <= region->arena_size;
    };
    if (fits()) return true;
    int other = 1 - region->active;
    if (!reclaim_arena(other)) return false;
    region->active = other;
    return fits();
}

const Entry* find_entry(const SharedKey& key, const char* model, int payment_year) {
    for (int i = 0; i < region->entry_count; ++i) {
        const Entry& e = region->entries[i];
        if (e.key == key && e.payment_year == payment_year && strcmp(e.model, model) == 0) return &e;
    }
    return nullptr;
}

}  // namespace

void install_shared_image_hooks() noexcept {
    DefineCustomIntVariable(
        "hccraf.shared_memory_size", "Shared memory reserved for compiled model images, in megabytes.",
        "Two arenas of half the size each; every shipped release together needs about 3 MB, and a "
        "reference change needs room for a second copy while old readers finish.",
        &shared_memory_mb, 32, 2, 4096, PGC_POSTMASTER, GUC_UNIT_MB, nullptr, nullptr, nullptr);
    prev_shmem_request = shmem_request_hook;
    shmem_request_hook = shmem_request;
    prev_shmem_startup = shmem_startup_hook;
    shmem_startup_hook = shmem_startup;
}

bool shared_images_enabled() noexcept {
    return region != nullptr;
}

void pin_shared_key(const SharedKey& key) {
    if (MyBackendId <= 0 || MyBackendId > MaxBackends)
        elog(ERROR, "hccraf: no backend id to pin images with");
    Pin& pin = pins[MyBackendId];
    LWLockAcquire(region->lock, LW_SHARED);
    pin.database = key.database;
    pin.relation = key.relation;
    pg_atomic_write_u64(&pin.version, key.version);
    LWLockRelease(region->lock);
}

void unpin_shared_key() noexcept {
    if (region && MyBackendId > 0 && MyBackendId <= MaxBackends)
        pg_atomic_write_u64(&pins[MyBackendId].version, 0);
}

const std::byte* find_shared_image(const SharedKey& key, const char* model, int payment_year, Size* size) {
    const std::byte* found = nullptr;
    LWLockAcquire(region->lock, LW_SHARED);
    if (const Entry* e = find_entry(key, model, payment_year)) {
        found = (const std::byte*)(arena_base[e->arena] + e->offset);
        *size = e->size;
    }
    LWLockRelease(region->lock);
    return found;
}

const std::byte* publish_shared_image(const SharedKey& key, const char* model, int payment_year,
                                      const std::byte* bytes, Size size, double build_ms) {
    if (strlen(model) >= sizeof(Entry::model)) return nullptr;
    const std::byte* result = nullptr;
    LWLockAcquire(region->lock, LW_EXCLUSIVE);
    if (const Entry* e = find_entry(key, model, payment_year)) {
        result = (const std::byte*)(arena_base[e->arena] + e->offset);  // another backend was faster
    } else if (make_room(MAXALIGN(size))) {
        Arena& a = region->arenas[region->active];
        memcpy(arena_base[region->active] + a.used, bytes, size);
        Entry& e = region->entries[region->entry_count];
        e.key = key;
        strlcpy(e.model, model, sizeof(e.model));
        e.payment_year = payment_year;
        e.arena = region->active;
        e.offset = a.used;
        e.size = size;
        e.build_ms = build_ms;
        e.built_at = GetCurrentTimestamp();
        a.used += MAXALIGN(size);
        result = (const std::byte*)(arena_base[e.arena] + e.offset);
        region->entry_count++;  // visible from here on (readers take the lock)
    }
    LWLockRelease(region->lock);
    return result;
}

int list_shared_images(SharedImageInfo* out, int max, Size* used, Size* capacity) {
    LWLockAcquire(region->lock, LW_SHARED);
    int n = 0;
    for (int i = 0; i < region->entry_count && n < max; ++i) {
        const Entry& e = region->entries[i];
        if (e.key.database != MyDatabaseId) continue;  // another database's images are not listed
        SharedImageInfo& info = out[n++];
        strlcpy(info.model, e.model, sizeof(info.model));
        info.payment_year = e.payment_year;
        info.relation = e.key.relation;
        info.version = e.key.version;
        info.bytes = e.size;
        info.build_ms = e.build_ms;
        info.built_at = e.built_at;
    }
    *used = region->arenas[0].used + region->arenas[1].used;
    *capacity = 2 * region->arena_size;
    LWLockRelease(region->lock);
    return n;
}

}  // namespace hccraf::pg
