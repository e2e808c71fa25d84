#include "reference_cache.hpp"

#include <algorithm>
#include <cctype>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "../core/errors.hpp"
#include "guard.hpp"
#include "invalidation.hpp"
#include "release_loader.hpp"
#include "spi_rows.hpp"

namespace hccraf::pg {

namespace {

struct CompiledRelease {
    std::string model_version;
    int payment_year;
    std::vector<std::byte> bytes;
    ModelImage image;
    CompiledRelease(std::string m, int y, std::vector<std::byte> b)
        : model_version(std::move(m)), payment_year(y), bytes(std::move(b)),
          image(bytes.data(), bytes.size()) {}
};

// Code set: billable codes -> bit mask of fiscal years (bit = fy - kFirstFiscalYear).
constexpr int kFirstFiscalYear = 2000;
struct CodeSet {
    std::vector<std::pair<IcdKey, std::uint64_t>> codes;  // sorted by key
    std::vector<int> fiscal_years;                         // loaded, ascending
};

// Backend-local state. Plain heap objects: they live for the backend's lifetime.
struct Cache {
    bool stale = true;
    std::uint64_t generation = 0;  // bumped whenever the content is dropped
    std::vector<ReleaseInfo> releases;
    std::vector<std::unique_ptr<CompiledRelease>> images;
    std::unique_ptr<CodeSet> code_set;
};

Cache& cache() {
    static Cache c;
    return c;
}

// Loads the release registry if needed. Never drops anything (see begin_reference_lookup).
Cache& fresh_cache() {
    Cache& c = cache();
    if (c.stale && c.releases.empty()) {
        for (auto& r : spi_rows("SELECT model_version, payment_year, blend_weight::text, "
                                "normalization_factor IS NOT NULL FROM hccraf.model_release "
                                "ORDER BY 1, 2"))
            c.releases.push_back({r[0], std::stoi(r[1]), parse_milli(r[2]), r[3] == "t"});
        c.stale = false;
    }
    return c;
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
    return hint + ". \"CMS-HCC\" means the payment model of the year.";
}

const ReleaseInfo& find_release(const std::vector<ReleaseInfo>& rs, std::string_view model, int year) {
    bool model_known = false;
    for (const auto& r : rs) {
        if (r.model_version != model) continue;
        model_known = true;
        if (r.payment_year == year) return r;
    }
    if (!model_known)
        throw InputError("unknown model \"" + std::string(model) + "\"", models_hint(rs));
    throw InputError("model " + std::string(model) + " has no data for payment year " +
                         std::to_string(year),
                     models_hint(rs));
}

}  // namespace

void mark_reference_cache_stale() { cache().stale = true; }

std::uint64_t begin_reference_lookup() {
    Cache& c = cache();
    if (c.stale) {
        pg_call([] { remember_marker_relation(); });
        c.releases.clear();
        c.images.clear();
        c.code_set.reset();
        ++c.generation;
    }
    fresh_cache();
    return c.generation;
}

const std::vector<ReleaseInfo>& releases() { return fresh_cache().releases; }

const ModelImage& model_image(std::string_view model_version, int payment_year) {
    Cache& c = fresh_cache();
    const ReleaseInfo& info = find_release(c.releases, model_version, payment_year);
    for (const auto& img : c.images)
        if (img->payment_year == payment_year && img->model_version == info.model_version)
            return img->image;
    ReleaseData data = load_release_from_tables(info.model_version, payment_year);
    c.images.push_back(std::make_unique<CompiledRelease>(info.model_version, payment_year,
                                                         compile_image(data)));
    return c.images.back()->image;
}

int resolve_models(std::string_view model, int payment_year, ModelPart (&parts)[2]) {
    std::string name = upper(model);
    Cache& c = fresh_cache();
    if (name != "CMS-HCC") {
        find_release(c.releases, name, payment_year);  // throws with a hint
        parts[0] = {&model_image(name, payment_year), 1000};
        return 1;
    }
    // Collect first (model_image may compile and must not run while we iterate c.releases
    // by reference... it does not modify releases, but keep the loops separate for clarity).
    std::vector<std::pair<std::string, Milli>> chosen;
    for (const auto& r : c.releases)
        if (r.payment_year == payment_year && r.blend_weight > 0 && r.has_payment)
            chosen.emplace_back(r.model_version, r.blend_weight);
    Milli total = 0;
    for (const auto& ch : chosen) total += ch.second;
    if (chosen.empty() || chosen.size() > 2 || total != 1000)
        throw InputError("no CMS-HCC payment model is defined for payment year " +
                             std::to_string(payment_year) +
                             " (blend weights of the loaded releases must add up to 1)",
                         models_hint(c.releases));
    int n = 0;
    for (const auto& ch : chosen) parts[n++] = {&model_image(ch.first, payment_year), ch.second};
    return n;
}

bool icd_code_in_force(IcdKey key, int payment_year) {
    Cache& c = fresh_cache();
    if (!c.code_set) {
        auto set = std::make_unique<CodeSet>();
        for (auto& r : spi_rows("SELECT DISTINCT fiscal_year FROM hccraf.icd10cm_code_set ORDER BY 1"))
            set->fiscal_years.push_back(std::stoi(r[0]));
        for (auto& r : spi_rows("SELECT code, bit_or((1::bigint) << (fiscal_year - 2000))::text "
                                "FROM hccraf.icd10cm_code WHERE billable GROUP BY code ORDER BY code")) {
            auto key_opt = parse_icd(r[0]);
            if (key_opt) set->codes.emplace_back(*key_opt, std::stoull(r[1]));
        }
        std::sort(set->codes.begin(), set->codes.end());
        c.code_set = std::move(set);
    }
    const CodeSet& cs = *c.code_set;
    if (cs.fiscal_years.empty()) return true;  // no code set loaded: nothing to check against
    std::uint64_t mask = 0;
    for (int fy : {payment_year - 1, payment_year})
        if (std::find(cs.fiscal_years.begin(), cs.fiscal_years.end(), fy) != cs.fiscal_years.end())
            mask |= std::uint64_t{1} << (fy - kFirstFiscalYear);
    if (mask == 0) {
        // No code set of the data-collection year is loaded: use the nearest loaded one.
        int best = cs.fiscal_years.front();
        for (int fy : cs.fiscal_years)
            if (std::abs(fy - payment_year) < std::abs(best - payment_year)) best = fy;
        mask = std::uint64_t{1} << (best - kFirstFiscalYear);
    }
    auto it = std::lower_bound(cs.codes.begin(), cs.codes.end(), std::make_pair(key, std::uint64_t{0}));
    return it != cs.codes.end() && it->first == key && (it->second & mask) != 0;
}

}  // namespace hccraf::pg
