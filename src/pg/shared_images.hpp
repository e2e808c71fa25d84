// One copy of each compiled image per server, in main shared memory (with
// shared_preload_libraries = 'hccraf'). Protocol and layout: see shared_images.cpp.
#pragma once
#include <cstddef>
#include <cstdint>

#include "pg_includes.hpp"

namespace hccraf::pg {

// A committed state of one database's reference data: hccraf.reference_version (its relation
// oid changes with DROP/CREATE EXTENSION) at a version. Every session whose snapshot sees that
// version sees exactly the same reference rows, so their images are interchangeable.
struct SharedKey {
    Oid database = InvalidOid;
    Oid relation = InvalidOid;
    std::uint64_t version = 0;
    bool operator==(const SharedKey&) const = default;
};

// Called from _PG_init while shared_preload_libraries is processed: defines
// hccraf.shared_memory_size (a PGC_POSTMASTER setting cannot be created later, so without
// preloading it does not exist) and installs the shared-memory hooks.
void install_shared_image_hooks() noexcept;

// True when the region exists (the library was preloaded).
bool shared_images_enabled() noexcept;

// Pins key for this backend: images of key are not reclaimed until unpin (at transaction end).
// Shared lock.
void pin_shared_key(const SharedKey& key);
void unpin_shared_key() noexcept;

// Looks up an image of key; nullptr when absent. Shared lock. Pin key first.
const std::byte* find_shared_image(const SharedKey& key, const char* model, int payment_year,
                                   std::size_t* size);

// Copies an image of key into the region when there is room (reclaiming an arena no backend
// pins); returns the shared copy, or nullptr when it was not published (the caller keeps its
// local copy). Only for images of committed data. Exclusive lock.
const std::byte* publish_shared_image(const SharedKey& key, const char* model, int payment_year,
                                      const std::byte* bytes, std::size_t size, double build_ms);

struct SharedImageInfo {
    char model[16];
    int payment_year;
    Oid relation;
    std::uint64_t version;
    std::size_t bytes;
    double build_ms;
    std::int64_t built_at;  // TimestampTz
};
// Copies up to max directory entries of this database; returns how many were copied. Also
// reports region usage (all databases).
int list_shared_images(SharedImageInfo* out, int max, std::size_t* used, std::size_t* capacity);

}  // namespace hccraf::pg
