#include "support.hpp"

#include <map>
#include <memory>

#include "icd_code.hpp"

namespace hccraf::test {

namespace {

struct Cached {
    std::vector<std::byte> bytes;
    std::unique_ptr<ModelImage> view;
};

}  // namespace

const ModelImage& release_image(const std::string& model, int payment_year) {
    static std::map<std::pair<std::string, int>, Cached> cache;
    auto& c = cache[{model, payment_year}];
    if (!c.view) {
        c.bytes = compile_image(load_release_dir(HCCRAF_DATA_DIR, model, payment_year));
        c.view = std::make_unique<ModelImage>(c.bytes.data(), c.bytes.size());
    }
    return *c.view;
}

OwnedImage::OwnedImage(const ReleaseData& data)
    : bytes(compile_image(data)), view(bytes.data(), bytes.size()) {}

Patient person(int age, Sex sex, char orec, Dual dual) {
    Patient p;
    p.age = age;
    p.sex = sex;
    p.orec = orec;
    p.dual = dual;
    return p;
}

ScoreResult score_codes(const ModelImage& image, const Patient& p,
                        std::initializer_list<const char*> codes) {
    std::vector<IcdKey> keys;
    for (const char* c : codes)
        if (auto k = parse_icd(c)) keys.push_back(*k);
    ScoreResult r;
    score(image, p, keys.data(), keys.size(), r);
    return r;
}

std::set<int> hcc_numbers(const ModelImage& image, const HccSet& set) {
    std::set<int> out;
    for (int s = 0; s < image.hcc_slot_count(); ++s)
        if (set.test(s)) out.insert(image.hcc_number(s));
    return out;
}

std::set<std::string> demographic_names(const ModelImage& image, const ScoreResult& r) {
    std::set<std::string> out;
    for (int id : r.demographic_vars)
        if (id >= 0) out.insert(demographic_name(image, id));
    return out;
}

std::set<std::string> interaction_names(const ModelImage& image, const ScoreResult& r) {
    std::set<std::string> out;
    for (int i = 0; i < image.interaction_count(); ++i)
        if (r.interactions & (1u << i)) out.insert(std::string(image.interaction_name(i)));
    if (r.count_variable) out.insert(count_variable_name(r.count_variable));
    return out;
}

Milli m(const char* text) { return parse_milli(text); }

}  // namespace hccraf::test
