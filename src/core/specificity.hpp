// Specificity upgrades: combinations of current codes that the ICD-10-CM guidelines code as one
// more specific combination code (E11.9 + N18.x -> E11.22 + N18.x, I10 + I50.x -> I11.0 + I50.x,
// ...). The rules are data (data/specificity_rules.csv, table hccraf.specificity_rule); this file
// matches them deterministically and values each suggestion with the scorer.
//
// A rule applies to a code list when every `requires` group matches at least one code, no
// `unless` pattern matches any code, and at least one `suggest` code is not already in the list.
// A pattern is a code in the CMS spelling ("E119", exact) or a prefix ending in '*' ("N18*").
// The suggestion removes the codes matched by `replaces`, adds the `suggest` codes, and is
// valued as gap_score(after) - gap_score(before) (gaps.hpp).
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "fixed_point.hpp"
#include "icd_code.hpp"
#include "model_image.hpp"
#include "scorer.hpp"

namespace hccraf {

struct CodePattern {
    std::string code;  // normalized (upper case, no dot)
    bool prefix = false;
    bool matches(std::string_view text) const;  // text: a code in the CMS spelling ("N1830")
    bool matches(IcdKey key) const;
    std::string text() const;  // "N18*", "E119"
};

// "n18*" -> {N18, prefix}; "E11.9" -> {E119}. Throws DataError for anything else.
CodePattern parse_code_pattern(std::string_view text);

struct SpecificityRule {
    std::string id;
    std::vector<std::vector<CodePattern>> required;  // all groups; any pattern of a group
    std::vector<CodePattern> unless;
    std::vector<CodePattern> replaces;
    std::vector<IcdKey> suggest;
    std::string reason;
    std::string reference;  // ICD-10-CM guideline section(s)
};

// Builds a rule from its text columns, each a blank-separated list (a `requires` item is a group
// "N181|N182|N183*"). Throws DataError naming the rule for a malformed item, an empty `requires`
// or `suggest`, or a suggested code that is a prefix.
SpecificityRule make_specificity_rule(std::string id, std::string_view required, std::string_view unless,
                                      std::string_view replaces, std::string_view suggest, std::string reason,
                                      std::string reference);

struct SpecificityHit {
    const SpecificityRule* rule = nullptr;
    CodeList evidence;               // distinct current codes that satisfied `requires`
    CodeList removed;                // distinct current codes matched by `replaces`
    CodeList added;                  // suggested codes not already present
    HccSet hccs_before, hccs_after;  // payment HCCs after the hierarchy
    Milli before = 0, after = 0;     // gap_score of the current list and of the suggested one
    Milli delta() const { return after - before; }
};

// Every rule that applies to current, in rule order (the caller sorts as it likes).
std::vector<SpecificityHit> find_specificity_upgrades(const ModelImage& image, const Patient& p,
                                                      const IcdKey* current, std::size_t n,
                                                      const std::vector<SpecificityRule>& rules);

}  // namespace hccraf
