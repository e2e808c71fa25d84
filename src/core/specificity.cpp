// Matching and valuing specificity rules (see specificity.hpp).
#include "specificity.hpp"

#include <algorithm>

#include "errors.hpp"
#include "gaps.hpp"

namespace hccraf {

namespace {

std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i <= s.size()) {
        std::size_t j = s.find(sep, i);
        if (j == std::string_view::npos) j = s.size();
        if (j > i) out.push_back(s.substr(i, j - i));
        i = j + 1;
    }
    return out;
}

std::vector<CodePattern> patterns(std::string_view list, const std::string& rule, const char* column) {
    std::vector<CodePattern> out;
    for (std::string_view item : split(list, ' ')) {
        try {
            out.push_back(parse_code_pattern(item));
        } catch (const DataError& e) {
            throw DataError("specificity rule " + rule + ", " + column + ": " + e.what(), e.hint);
        }
    }
    return out;
}

bool any_match(const std::vector<CodePattern>& ps, IcdKey key) {
    for (const CodePattern& p : ps)
        if (p.matches(key)) return true;
    return false;
}

void add_distinct(std::vector<IcdKey>& v, IcdKey k) {
    if (std::find(v.begin(), v.end(), k) == v.end()) v.push_back(k);
}

}  // namespace

bool CodePattern::matches(IcdKey key) const {
    const std::string c = format_icd(key);
    return prefix ? c.compare(0, code.size(), code) == 0 : c == code;
}

std::string CodePattern::text() const {
    return prefix ? code + "*" : code;
}

CodePattern parse_code_pattern(std::string_view text) {
    CodePattern p;
    if (!text.empty() && text.back() == '*') {
        p.prefix = true;
        text.remove_suffix(1);
    }
    char buf[8];
    std::size_t n = normalize_icd(text, buf);
    if (n == 0)
        throw DataError("\"" + std::string(text) + (p.prefix ? "*" : "") + "\" is not a code pattern",
                        "A pattern is an ICD-10-CM code (E119) or a code prefix of 3+ characters "
                        "followed by * (N18*).");
    p.code.assign(buf, n);
    return p;
}

SpecificityRule make_specificity_rule(std::string id, std::string_view required, std::string_view unless,
                                      std::string_view replaces, std::string_view suggest, std::string reason,
                                      std::string reference) {
    SpecificityRule r;
    r.id = std::move(id);
    for (std::string_view group : split(required, ' ')) {
        std::string g(group);
        for (char& c : g)
            if (c == '|') c = ' ';
        r.required.push_back(patterns(g, r.id, "requires"));
    }
    r.unless = patterns(unless, r.id, "unless");
    r.replaces = patterns(replaces, r.id, "replaces");
    for (const CodePattern& s : patterns(suggest, r.id, "suggest")) {
        if (s.prefix)
            throw DataError("specificity rule " + r.id + ": suggest lists a prefix (" + s.text() + ")",
                            "Suggest complete, billable codes.");
        r.suggest.push_back(pack_icd(s.code));
    }
    if (r.required.empty() || r.suggest.empty())
        throw DataError("specificity rule " + r.id + ": requires and suggest must not be empty");
    r.reason = std::move(reason);
    r.reference = std::move(reference);
    return r;
}

std::vector<SpecificityHit> find_specificity_upgrades(const ModelImage& image, const Patient& p,
                                                      const IcdKey* current, std::size_t n,
                                                      const std::vector<SpecificityRule>& rules) {
    std::vector<SpecificityHit> hits;
    ScoreResult before;
    bool scored = false;
    for (const SpecificityRule& rule : rules) {
        SpecificityHit hit;
        hit.rule = &rule;
        bool applies = true;
        for (const auto& group : rule.required) {
            bool found = false;
            for (std::size_t i = 0; i < n; ++i)
                if (any_match(group, current[i])) {
                    add_distinct(hit.evidence, current[i]);
                    found = true;
                }
            applies = applies && found;
        }
        for (std::size_t i = 0; applies && i < n; ++i) applies = !any_match(rule.unless, current[i]);
        for (IcdKey s : rule.suggest)
            if (std::find(current, current + n, s) == current + n) hit.added.push_back(s);
        if (!applies || hit.added.empty()) continue;

        std::vector<IcdKey> after;
        for (std::size_t i = 0; i < n; ++i) {
            if (any_match(rule.replaces, current[i]))
                add_distinct(hit.removed, current[i]);
            else
                after.push_back(current[i]);
        }
        after.insert(after.end(), hit.added.begin(), hit.added.end());
        if (!scored) {
            score(image, p, current, n, before);
            scored = true;
        }
        ScoreResult r;
        score(image, p, after.data(), after.size(), r);
        hit.hccs_before = before.hccs;
        hit.hccs_after = r.hccs;
        hit.before = before.has_payment ? before.payment : before.raw;
        hit.after = r.has_payment ? r.payment : r.raw;
        hits.push_back(std::move(hit));
    }
    return hits;
}

}  // namespace hccraf
