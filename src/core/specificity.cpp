// Matching and valuing specificity rules (see specificity.hpp).
#include "specificity.hpp"

#include <algorithm>

#include "errors.hpp"
#include "gaps.hpp"
#include "interrupts.hpp"

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

// Any pattern of ps matches the code spelled `text` (CMS spelling).
bool any_match(const std::vector<CodePattern>& ps, std::string_view text) {
    for (const CodePattern& p : ps)
        if (p.matches(text)) return true;
    return false;
}

}  // namespace

bool CodePattern::matches(std::string_view text) const {
    return prefix ? text.substr(0, code.size()) == code : text == code;
}

bool CodePattern::matches(IcdKey key) const {
    return matches(format_icd(key));
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
                                                      const IcdKey* current_codes, std::size_t n_codes,
                                                      const std::vector<SpecificityRule>& rules) {
    // Distinct codes in input order, each spelled once (rules x codes pattern tests follow), and
    // a sorted copy for membership: linear per rule, n log n overall.
    const std::vector<IcdKey> current = distinct_codes(current_codes, n_codes);
    const std::size_t n = current.size();
    std::vector<std::string> text(n);
    for (std::size_t i = 0; i < n; ++i) {
        interrupts::poll_every(i);
        text[i] = format_icd(current[i]);
    }
    std::vector<IcdKey> sorted(current);
    std::sort(sorted.begin(), sorted.end());

    std::vector<SpecificityHit> hits;
    ScoreResult before;
    bool scored = false;
    for (const SpecificityRule& rule : rules) {
        interrupts::poll();
        SpecificityHit hit;
        hit.rule = &rule;
        bool applies = true;
        // Evidence: group by group, the matching codes in input order, each code once.
        std::vector<bool> is_evidence(n, false);
        for (const auto& group : rule.required) {
            bool found = false;
            for (std::size_t i = 0; i < n; ++i) {
                if (!any_match(group, text[i])) continue;
                found = true;
                if (!is_evidence[i]) hit.evidence.push_back(current[i]);
                is_evidence[i] = true;
            }
            applies = applies && found;
        }
        for (std::size_t i = 0; applies && i < n; ++i) applies = !any_match(rule.unless, text[i]);
        for (IcdKey s : rule.suggest)
            if (!std::binary_search(sorted.begin(), sorted.end(), s) &&
                std::find(hit.added.begin(), hit.added.end(), s) == hit.added.end())
                hit.added.push_back(s);
        if (!applies || hit.added.empty()) continue;

        std::vector<IcdKey> after;
        for (std::size_t i = 0; i < n; ++i) {
            if (any_match(rule.replaces, text[i]))
                hit.removed.push_back(current[i]);
            else
                after.push_back(current[i]);
        }
        after.insert(after.end(), hit.added.begin(), hit.added.end());
        if (!scored) {
            score(image, p, current.data(), n, before);
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
