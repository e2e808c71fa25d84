#include "reference_cache.hpp"

#include <algorithm>
#include <charconv>
#include <cctype>
#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "../core/code_set.hpp"
#include "../core/errors.hpp"
#include "guard.hpp"
#include "reference_version.hpp"
#include "release_loader.hpp"
#include "shared_images.hpp"
#include "spi_rows.hpp"

extern "C" {
#include "access/xact.h"
#include "storage/proc.h"
#include "utils/snapmgr.h"
}

namespace hccraf::pg {

namespace {

constexpr const char* kCodeSetKey = "ICD10CM";  // directory name of the code-set image

// Bytes of one compiled image: either a backend-local copy or a pointer into shared memory
// (valid while this backend pins the key it was found under, shared_images.cpp).
struct ImageBytes {
    std::string model;
    int payment_year = 0;
    std::vector<std::byte> local;
    const std::byte* bytes = nullptr;
    std::size_t size = 0;
    double build_ms = 0;  // 0 when found ready in shared memory
    bool shared = false;
};

struct CompiledRelease {
    ImageBytes b;
    ModelImage image;
    explicit CompiledRelease(ImageBytes ib) : b(std::move(ib)), image(b.bytes, b.size) {}
};

struct CompiledCodeSet {
    ImageBytes b;
    CodeSetImage image;
    explicit CompiledCodeSet(ImageBytes ib) : b(std::move(ib)), image(b.bytes, b.size) {}
};

// What identifies one statement's view of the reference data without reading anything: the
// local transaction and the snapshot. Two snapshots with equal xmin, xmax, command id and
// transaction-completion count see the same committed transactions (PostgreSQL reuses a
// snapshot on exactly that condition), hence the same reference version. A worker's restored
// snapshot carries count 0: it reads the version once per query, from the leader's snapshot.
struct StatementKey {
    LocalTransactionId lxid = InvalidLocalTransactionId;
    TransactionId xmin = InvalidTransactionId, xmax = InvalidTransactionId;
    CommandId curcid = InvalidCommandId;
    uint64 completions = 0;
    bool operator==(const StatementKey&) const = default;
};

StatementKey key_of(Snapshot s) {
    return {MyProc->lxid, s->xmin, s->xmax, s->curcid, s->snapXactCompletionCount};
}

// Backend-local state. Plain heap objects: they live for the backend's lifetime. Invariant:
// the content (registry and images) is that of `version`, compiled from a snapshot that saw it.
struct Cache {
    bool loaded = false;           // false until the registry of `version` loaded completely
    std::uint64_t generation = 0;  // bumped whenever the content is dropped
    StatementKey key;              // the statement whose snapshot saw `version`
    ReferenceVersion version;
    bool using_shared = false;  // content came from / went to shared memory
    bool pinned = false;        // shared_key() is pinned in this transaction
    std::vector<ReleaseInfo> releases;
    std::vector<std::unique_ptr<CompiledRelease>> images;
    std::unique_ptr<CompiledCodeSet> code_set;
    SharedKey shared_key() const { return {MyDatabaseId, version.relation, version.version}; }
};

Cache& cache() {
    static Cache c;
    return c;
}

// Every name is schema-qualified; spi_rows also pins search_path (see spi_rows.hpp).
constexpr const char* kRegistryQuery =
    "SELECT r.model_version, r.payment_year::pg_catalog.text, r.blend_weight::pg_catalog.text, "
    "r.normalization_factor IS NOT NULL, " FAMILY_OF_RELEASE_ROW " FROM hccraf.model_release r ORDER BY 1, 2";
constexpr const char* kCodeSetYearsQuery =
    "SELECT s.fiscal_year::pg_catalog.text FROM hccraf.icd10cm_code_set s ORDER BY 1";
// One row per billable code: bit (fiscal_year - 2000) set for each year it is billable in
// (years outside 2000..2063 are rejected before this runs).
constexpr const char* kCodeSetQuery =
    "SELECT c.code::pg_catalog.text, "
    "pg_catalog.bit_or(1::pg_catalog.int8 OPERATOR(pg_catalog.<<) "
    "(c.fiscal_year OPERATOR(pg_catalog.-) 2000))::pg_catalog.text "
    "FROM hccraf.icd10cm_code c WHERE c.billable GROUP BY c.code";

int to_int(const std::string& s) {
    int value = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc() || end != s.data() + s.size() || s.empty())
        throw DataError("\"" + s + "\" is not an integer in range");
    return value;
}

void load_registry(Cache& c) {
    for (auto& r : spi_rows(kRegistryQuery))
        c.releases.push_back({r[0], to_int(r[1]), parse_milli(r[2]), r[3] == "t", r[4]});
}

std::string upper(std::string_view s) {
    std::string out(s);
    for (auto& ch : out) ch = (char)std::toupper((unsigned char)ch);
    return out;
}

std::string models_hint(const std::vector<ReleaseInfo>& rs) {
    std::string hint = "Loaded releases:";
    std::string last;
    for (const auto& r : rs) {
        if (r.model_version != last) {
            hint += (last.empty() ? " " : "; ") + r.model_version + " ";
            last = r.model_version;
        } else {
            hint += ", ";
        }
        hint += std::to_string(r.payment_year);
    }
    return hint +
           ". \"CMS-HCC\", \"RxHCC\", \"ESRD\" and \"HHS-HCC\" mean the family's payment model of the year; "
           "\"RxHCC:PDP\" normalizes for a stand-alone PDP.";
}

const ReleaseInfo& find_release(const std::vector<ReleaseInfo>& rs, std::string_view model, int year) {
    bool model_known = false;
    for (const auto& r : rs) {
        if (r.model_version != model) continue;
        model_known = true;
        if (r.payment_year == year) return r;
    }
    if (!model_known) throw InputError("unknown model \"" + std::string(model) + "\"", models_hint(rs));
    throw InputError("model " + std::string(model) + " has no data for payment year " + std::to_string(year),
                     models_hint(rs));
}

// Finds the image in shared memory, or builds it (build() returns the bytes) and publishes it
// there when possible, else keeps it local.
template <typename Build>
ImageBytes obtain(Cache& c, const std::string& model, int year, Build&& build) {
    ImageBytes ib;
    ib.model = model;
    ib.payment_year = year;
    if (c.using_shared) {
        std::size_t size = 0;
        const SharedKey key = c.shared_key();
        const std::byte* p =
            pg_call([&]() noexcept { return find_shared_image(key, model.c_str(), year, &size); });
        if (p) {
            ib.bytes = p;
            ib.size = size;
            ib.shared = true;
            return ib;
        }
    }
    auto t0 = std::chrono::steady_clock::now();
    ib.local = build();
    ib.build_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    ib.bytes = ib.local.data();
    ib.size = ib.local.size();
    // Exact for every session that sees this version, parallel workers included (the build
    // read the version's rows on the same snapshot).
    if (c.using_shared) {
        const SharedKey key = c.shared_key();
        const std::byte* p = pg_call([&]() noexcept {
            return publish_shared_image(key, model.c_str(), year, ib.local.data(), ib.local.size(),
                                        ib.build_ms);
        });
        if (p) {
            ib.bytes = p;
            ib.shared = true;
            ib.local.clear();
            ib.local.shrink_to_fit();
        }
    }
    return ib;
}

}  // namespace

void forget_shared_pin() noexcept {
    Cache& c = cache();
    if (c.pinned) unpin_shared_key();
    c.pinned = false;
}

std::uint64_t begin_reference_lookup() {
    Cache& c = cache();
    // Fast path, every call: the same statement (same snapshot) as the last lookup. (Called
    // directly, not through pg_call: no C++ object with a destructor is alive yet.)
    Snapshot snapshot = reference_snapshot();
    const StatementKey key = key_of(snapshot);
    if (c.loaded && key == c.key) return c.generation;

    // Once per statement: the version this snapshot sees (a heap read of one row).
    const ReferenceVersion version = pg_call([&]() noexcept { return read_reference_version(snapshot); });
    // Shared images are for committed data only: a transaction that changed the reference
    // tables works on images of its own, built from its own view, until it ends.
    const bool use_shared = shared_images_enabled() && !version.dirty;
    const bool known = OidIsValid(version.relation);  // false for 0.1.0 objects: reload
    if (c.loaded && known && version == c.version && use_shared == c.using_shared) {
        c.key = key;
        if (use_shared && !c.pinned) {  // a new transaction, same version
            pg_call([&]() noexcept { pin_shared_key(c.shared_key()); });
            c.pinned = true;
        }
        return c.generation;
    }
    // Invariant: the cache is marked loaded only after the registry loaded completely. A failed
    // load (statement_timeout, lock_timeout, a cancel) leaves it unloaded, so the next call
    // retries instead of answering "unknown model" for the rest of the session.
    c.loaded = false;
    c.releases.clear();
    c.images.clear();
    c.code_set.reset();
    ++c.generation;
    c.version = version;
    c.using_shared = use_shared;
    if (use_shared) {
        pg_call([&]() noexcept { pin_shared_key(c.shared_key()); });
        c.pinned = true;
    }
    load_registry(c);
    c.key = key;
    c.loaded = true;
    return c.generation;
}

std::uint64_t current_reference_version() {
    begin_reference_lookup();
    return cache().version.version;
}

const std::vector<ReleaseInfo>& releases() {
    return cache().releases;
}

const ModelImage& model_image(std::string_view model_version, int payment_year) {
    Cache& c = cache();
    const ReleaseInfo& info = find_release(c.releases, model_version, payment_year);
    for (const auto& img : c.images)
        if (img->b.payment_year == payment_year && img->b.model == info.model_version) return img->image;
    std::string model = info.model_version;
    ImageBytes ib = obtain(c, model, payment_year,
                           [&] { return compile_image(load_release_from_tables(model, payment_year)); });
    c.images.push_back(std::make_unique<CompiledRelease>(std::move(ib)));
    return c.images.back()->image;
}

namespace {

bool same_ignoring_case(std::string_view a, std::string_view b) {
    return a.size() == b.size() && upper(a) == upper(b);
}

// The release a user's spelling names: exact, else the one case-insensitive match ("v28").
std::string release_name(const std::vector<ReleaseInfo>& rs, std::string_view model) {
    std::string found;
    for (const auto& r : rs) {
        if (r.model_version == model) return r.model_version;
        if (same_ignoring_case(r.model_version, model)) found = r.model_version;
    }
    return found;
}

// The family's payment releases of the year: blend weight > 0 and a normalization factor.
int family_parts(const std::vector<ReleaseInfo>& rs, const std::string& family, int payment_year,
                 ModelPart (&parts)[2]) {
    std::vector<std::pair<std::string, Milli>> chosen;
    for (const auto& r : rs)
        if (r.family == family && r.payment_year == payment_year && r.blend_weight > 0 && r.has_payment)
            chosen.emplace_back(r.model_version, r.blend_weight);
    Milli total = 0;
    for (const auto& ch : chosen) total += ch.second;
    const std::size_t most = family == "CMS-HCC" ? 2 : 1;  // only CMS-HCC blends two models
    if (chosen.empty() || chosen.size() > most || total != 1000)
        throw InputError("no " + family + " payment model is defined for payment year " +
                             std::to_string(payment_year) + " (the blend weights of its loaded releases" +
                             (most == 1 ? " must name one release with weight 1)" : " must add up to 1)"),
                         models_hint(rs));
    int n = 0;
    for (const auto& ch : chosen) parts[n++] = {&model_image(ch.first, payment_year), ch.second};
    return n;
}

// HHS-HCC has no payment weights: "HHS-HCC" means the one release of the benefit year.
int hhs_release(const std::vector<ReleaseInfo>& rs, int year, ModelPart (&parts)[2]) {
    std::string found;
    for (const auto& r : rs)
        if (r.family == "HHS-HCC" && r.payment_year == year) {
            if (!found.empty())
                throw InputError("two HHS-HCC releases are loaded for benefit year " + std::to_string(year),
                                 "Name the release (e.g. HHS_V08). " + models_hint(rs));
            found = r.model_version;
        }
    if (found.empty())
        throw InputError("no HHS-HCC release is loaded for benefit year " + std::to_string(year),
                         models_hint(rs));
    parts[0] = {&model_image(found, year), 1000};
    return 1;
}

}  // namespace

int resolve_models(std::string_view spec, int payment_year, ModelPart (&parts)[2]) {
    Cache& c = cache();
    const std::size_t colon = spec.find(':');
    const std::string_view model = spec.substr(0, colon);
    const std::string basis = colon == std::string_view::npos ? "" : upper(spec.substr(colon + 1));
    int n = 0;
    if (std::string name = release_name(c.releases, model); !name.empty()) {
        parts[0] = {&model_image(name, payment_year), 1000};
        n = 1;
    } else {
        std::string family;
        for (const char* f : {"CMS-HCC", "RxHCC", "ESRD", "HHS-HCC"})
            if (same_ignoring_case(model, f)) family = f;
        if (family.empty()) model_image(model, payment_year);  // throws "unknown model" with the hint
        n = family == "HHS-HCC" ? hhs_release(c.releases, payment_year, parts)
                                : family_parts(c.releases, family, payment_year, parts);
    }
    if (colon != std::string_view::npos) {
        std::string_view own = parts[0].image->alternative_basis();
        if (n != 1 || basis.empty() || !same_ignoring_case(own, basis))
            throw InputError("model " + std::string(model) + " has no normalization basis \"" + basis + "\"",
                             own.empty() ? "Only RxHCC models have an alternative basis: \"RxHCC:PDP\"."
                                         : "Its alternative basis is " + std::string(own) + ": \"" +
                                               std::string(model) + ":" + std::string(own) + "\".");
        parts[0].alternative = true;
    }
    return n;
}

namespace {

const CodeSetImage& code_set_image() {
    Cache& c = cache();
    if (!c.code_set) {
        ImageBytes ib = obtain(c, kCodeSetKey, 0, [] {
            std::vector<int> years;
            for (auto& r : spi_rows(kCodeSetYearsQuery)) years.push_back(to_int(r[0]));
            check_code_set_years(years);  // before the query shifts by them
            std::vector<CodeSetEntry> entries;
            for (auto& r : spi_rows(kCodeSetQuery)) {
                auto key_opt = parse_icd(r[0]);
                if (key_opt) entries.push_back({*key_opt, static_cast<std::uint64_t>(std::stoll(r[1]))});
            }
            return compile_code_set(std::move(entries), years);
        });
        c.code_set = std::make_unique<CompiledCodeSet>(std::move(ib));
    }
    return c.code_set->image;
}

}  // namespace

bool icd_code_in_force(IcdKey key, int payment_year) {
    return code_set_image().in_force(key, payment_year);
}

std::string code_sets_in_force(int payment_year) {
    auto fy = [](std::int64_t y) { return "FY" + std::to_string(y); };
    std::vector<int> years = code_set_image().fiscal_years_in_force(payment_year);
    if (years.empty()) return "none (no ICD-10-CM code set is loaded)";
    const bool own = years.front() >= payment_year - 1 && years.back() <= payment_year;
    if (own) return years.size() == 1 ? fy(years[0]) : fy(years[0]) + " and " + fy(years[1]);
    return fy(years[0]) + " (standing in for " + fy(std::int64_t{payment_year} - 1) + " and " +
           fy(payment_year) + ", which are not loaded)";
}

std::vector<LocalImageInfo> backend_images() {
    std::vector<LocalImageInfo> out;
    const Cache& c = cache();
    for (const auto& img : c.images)
        out.push_back({img->b.model, img->b.payment_year, img->b.size, img->b.build_ms, img->b.shared,
                       c.version.version});
    if (c.code_set)
        out.push_back({kCodeSetKey, 0, c.code_set->b.size, c.code_set->b.build_ms, c.code_set->b.shared,
                       c.version.version});
    return out;
}

}  // namespace hccraf::pg
