// One copy of each compiled image per server, in main shared memory (with
// shared_preload_libraries = 'hccraf'). Protocol and layout: see shared_images.cpp.
#pragma once
#include <cstddef>
#include <cstdint>

namespace hccraf::pg {

// Called from _PG_init while shared_preload_libraries is processed: defines
// hccraf.shared_memory_size (a PGC_POSTMASTER setting cannot be created later, so without
// preloading it does not exist) and installs the shared-memory hooks.
void install_shared_image_hooks() noexcept;

// True when the region exists (the library was preloaded).
bool shared_images_enabled() noexcept;

// The current generation, read without the lock (to decide whether a re-pin is needed).
std::uint64_t current_shared_generation() noexcept;

// The current generation, which this backend also pins (its images stay readable until it
// unpins at transaction end). Shared lock.
std::uint64_t pin_shared_generation();
void unpin_shared_generation() noexcept;

// Looks up an image of the given generation; nullptr when absent. Shared lock.
const std::byte* find_shared_image(const char* model, int payment_year, std::uint64_t generation,
                                   std::size_t* size);

// Copies an image into the region when `generation` is still current and there is room
// (reclaiming space of older generations that nobody pins); returns the shared copy, or nullptr
// when it was not published (the caller keeps its local copy). Exclusive lock.
const std::byte* publish_shared_image(const char* model, int payment_year, std::uint64_t generation,
                                      const std::byte* bytes, std::size_t size, double build_ms);

// Called at commit of a transaction that changed reference data.
void bump_shared_generation() noexcept;

struct SharedImageInfo {
    char model[16];
    int payment_year;
    std::uint64_t generation;
    std::size_t bytes;
    double build_ms;
    std::int64_t built_at;  // TimestampTz
};
// Copies up to max directory entries of this database; returns how many were copied. Also
// reports region usage (all databases).
int list_shared_images(SharedImageInfo* out, int max, std::size_t* used, std::size_t* capacity,
                       std::uint64_t* current_generation);

}  // namespace hccraf::pg
