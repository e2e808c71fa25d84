"""HHS-HCC V08 (ACA individual and small-group markets) for tools/import_cms.py.

Not run on its own: `import_cms.py` reads the manifest's optional `[hhs]` table with
`parse_manifest()` and writes what `build()` returns (data/HHS_V08/<benefit year>/*.csv and the
HHS rows of data/model_releases.csv). Rules: `cms/spec/hhs_hcc_v08_rules.md` (under --shared),
§0.1 for the canonical file of every table; output layout: data/FORMAT.md, "HHS-HCC". Manifest
keys: tools/MANIFEST-FORMAT.md, "[hhs]".

Every source is a manifest `[sources.<id>]` (sha256 checked when read) of one of the formats in
SOURCE_FORMATS; this module reads them itself. Every expectation goes through import_cms.check()
(a failure writes nothing). Standard library only.
"""
from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

# Source formats read by this module (registered in import_cms.FORMATS with role "hhs"). Defined
# before the import below: import_cms reads it while it is being imported itself.
SOURCE_FORMATS = {
    "hhs_diy_table_csv": "a CMS DIY table as CSV (garthmortensen/prism cy2025_diy_tables)",
    "hhs_diy_table_json": "a CMS DIY variable-definition table as JSON (Tables 6, 7, 8)",
    "pfehlinger_hhs_map_txt": "pfehlinger code<TAB>category[<TAB>D|T] (diag, ndc, proc, acf maps)",
    "pfehlinger_hhs_weights_csv": "pfehlinger weights.csv (model,category,Platinum,...)",
    "pfehlinger_hhs_json": "pfehlinger hierarchy_definition.json / group_definition.json",
}

import import_cms as cms  # noqa: E402 (import_cms.py registers itself under this name first)

MODELS = ["Adult", "Child", "Infant"]
METALS = ["Platinum", "Gold", "Silver", "Bronze", "Catastrophic"]
SEGMENTS = [f"{m}_{metal}" for m in MODELS for metal in METALS]
SEXES = ("M", "F")
AGES = range(0, 121)

HCC_RE = re.compile(r"HHS_HCC\d{3}(?:_[12])?")
GROUP_RE = re.compile(r"G\d\d[A-Z]?")
RXC_RE = re.compile(r"RXC_\d\d")
NDC_RE = re.compile(r"[0-9A-Z]{11}")  # CMS lists 8 NDCs with a letter (00117A52902, ...)
HCPCS_RE = re.compile(r"[A-Z][0-9]{4}")
ICD_RE = re.compile(r"[A-Z][0-9A-Z]{2,6}")
KINDS = [  # factors.csv kind of an HHS variable (data/FORMAT.md, HHS-HCC)
    ("demographic", re.compile(r"[MF]AGE_LAST_\d+_(?:\d+|GT)|AGE[01]_MALE")),
    ("hcc", HCC_RE),
    ("group", GROUP_RE),
    ("rxc", RXC_RE),
    ("interaction", re.compile(r"RXC_\d\d_X_HCC[0-9_A-Z]+")),
    ("count", re.compile(r"(?:SEVERE|TRANSPLANT)_HCC_COUNT\d+(?:_\d+|PLUS)?")),
    ("duration", re.compile(r"HCC_ED[1-6]")),
    ("acf", re.compile(r"ACF_\w+")),
    ("maturity", re.compile(r"(?:EXTREMELY_IMMATURE|IMMATURE|PREMATURE_MULTIPLES|TERM|AGE1)_X_SEVERITY[1-5]")),
]
FILES = ["crosswalk", "edits", "factors", "labels", "hierarchy", "interactions", "sets", "drugs",
         "csr_factors"]
Q3 = Decimal("0.001")
Q2 = Decimal("0.01")


# === manifest ================================================================================
@dataclass(frozen=True)
class HhsModel:
    id: str
    model_family: str
    src: dict[str, cms.Source]  # role -> source (t3, t4, t6, t7, t8, t9, t11, t12, t13, cross-checks)
    expect: dict[str, Any]


@dataclass(frozen=True)
class HhsRelease:
    model: str
    benefit_year: int
    status: str
    notes: str
    src: dict[str, cms.Source]  # code_list, factors, factor_cross_check?, ndc, hcpcs, acf?
    expect: dict[str, Any]

    @property
    def name(self) -> str:
        return f"{self.model} BY{self.benefit_year}"


@dataclass(frozen=True)
class HhsManifest:
    models: dict[str, HhsModel]
    releases: list[HhsRelease]


MODEL_SOURCES = {  # manifest key -> source format
    "crosswalk_conditions": "hhs_diy_table_csv",  # T3
    "hierarchy": "hhs_diy_table_csv",  # T4
    "adult_variables": "hhs_diy_table_json",  # T6
    "child_variables": "hhs_diy_table_json",  # T7
    "infant_variables": "hhs_diy_table_json",  # T8
    "factor_names": "hhs_diy_table_csv",  # T9: CMS spelling of the variables
    "rxc_hierarchy": "hhs_diy_table_csv",  # T11
    "exclusions": "hhs_diy_table_csv",  # T12
    "csr_factors": "hhs_diy_table_csv",  # T13
    "hierarchy_cross_check": "pfehlinger_hhs_json",
    "group_cross_check": "pfehlinger_hhs_json",
}
MODEL_EXPECT = {"hccs": int, "hierarchy_rules": int, "hierarchy_edges": int, "rxcs": int,
                "interactions": list, "groups": dict, "sets": dict, "csr": list,
                "new_code_splits": list, "crosswalk_examples": list}
RELEASE_SOURCES = {
    "code_list": "pfehlinger_hhs_map_txt",
    "factors": ("hhs_diy_table_csv", "pfehlinger_hhs_weights_csv"),
    "ndc": "pfehlinger_hhs_map_txt",
    "hcpcs": "pfehlinger_hhs_map_txt",
}
RELEASE_OPTIONAL_SOURCES = {"factor_cross_check": "pfehlinger_hhs_weights_csv",
                            "acf": "pfehlinger_hhs_map_txt"}
RELEASE_EXPECT = {"codes": int, "codes_not_in_conditions": int, "condition_codes_not_in_list": int,
                  "factor_variables": dict, "ndc_codes": int, "hcpcs_codes": int, "rows": dict}


def _source(sources: dict[str, cms.Source], where: str, key: str, sid: str, fmt) -> cms.Source:
    s = sources.get(sid)
    cms.require(s is not None, f"{where}.{key}: no [sources.{sid}] in the manifest")
    allowed = fmt if isinstance(fmt, tuple) else (fmt,)
    cms.require(s.format in allowed, f"{where}.{key}: source {sid} has format {s.format}, needs {' or '.join(allowed)}")
    return s


def parse_manifest(table: Any, sources: dict[str, cms.Source]) -> HhsManifest:
    t = cms.fields(table, "hhs", {"models": dict, "release": list})
    models = {}
    for mid, m in sorted(t["models"].items()):
        where = f"hhs.models.{mid}"
        cms.require(cms.MODEL_ID_RE.fullmatch(mid) is not None, f"{where}: letters, digits, underscore")
        m = cms.fields(m, where, {"model_family": str, **{k: str for k in MODEL_SOURCES}, **MODEL_EXPECT})
        src = {k: _source(sources, where, k, m[k], f) for k, f in MODEL_SOURCES.items()}
        models[mid] = HhsModel(mid, m["model_family"], src, {k: m[k] for k in MODEL_EXPECT})
    releases = []
    for i, r in enumerate(t["release"]):
        where = f"hhs.release[{i}]"
        r = cms.fields(r, where, {"model": str, "benefit_year": int, "status": str, "notes": str,
                                  **{k: str for k in RELEASE_SOURCES}, **RELEASE_EXPECT},
                       {**{k: str for k in RELEASE_OPTIONAL_SOURCES}, "acf_codes": dict})
        cms.require(r["model"] in models, f"{where}.model: no [hhs.models.{r['model']}]")
        cms.require(("acf" in r) == ("acf_codes" in r), f"{where}: acf and acf_codes go together")
        src = {k: _source(sources, where, k, r[k], f) for k, f in
               {**RELEASE_SOURCES, **RELEASE_OPTIONAL_SOURCES}.items() if k in r}
        cms.require(set(r["rows"]) == set(FILES), f"{where}.rows: needs exactly {', '.join(FILES)}")
        cms.require(set(r["factor_variables"]) == set(MODELS), f"{where}.factor_variables: needs {MODELS}")
        expect = {k: r[k] for k in RELEASE_EXPECT}
        expect["acf_codes"] = r.get("acf_codes", {})
        releases.append(HhsRelease(r["model"], r["benefit_year"], r["status"], r["notes"], src, expect))
    keys = [(r.model, r.benefit_year) for r in releases]
    cms.require(len(set(keys)) == len(keys), "hhs.release: a (model, benefit_year) is listed twice")
    for mid in models:
        cms.require(mid in {r.model for r in releases}, f"hhs.models.{mid}: no [[hhs.release]] uses it")
    return HhsManifest(models, sorted(releases, key=lambda r: (r.model, r.benefit_year)))


def used_sources(h: HhsManifest) -> set[str]:
    return {s.id for m in h.models.values() for s in m.src.values()} | \
        {s.id for r in h.releases for s in r.src.values()}


# === small parsers ===========================================================================
def hhs_name(text: str, where: str) -> str:
    """A CC / HCC as CMS writes it in T3 (`3.0`, `35.1`, `22`), T4/T12 (`35_1`) or pfehlinger
    (`35.1`) -> `HHS_HCC003`, `HHS_HCC035_1`."""
    m = re.fullmatch(r"(\d{1,3})(?:[._]([0-9]))?", text.strip())
    cms.check(m is not None, f"{where}: {text!r} is not an HHS CC number")
    number, sub = int(m.group(1)), m.group(2)
    return f"HHS_HCC{number:03d}" + (f"_{sub}" if sub not in (None, "0") else "")


def short(name: str) -> str:
    """`HHS_HCC035_1` -> `35_1` (the spec's notation, used by the manifest's expected sets)."""
    return str(int(name[7:10])) + name[10:] if HCC_RE.fullmatch(name) else name


AGE_CONDITIONS = [  # CMS age condition -> (lo, hi) where it holds; None = unbounded
    (re.compile(r"age\s*=\s*(\d+)"), lambda a: (a, a)),
    (re.compile(r"age\s*<\s*(\d+)"), lambda a: (None, a - 1)),
    (re.compile(r"age\s*<=\s*(\d+)"), lambda a: (None, a)),
    (re.compile(r"age\s*>=\s*(\d+)"), lambda a: (a, None)),
    (re.compile(r"age\s*>\s*(\d+)"), lambda a: (a + 1, None)),
    (re.compile(r"(\d+)\s*<=\s*age\s*<=\s*(\d+)"), lambda a, b: (a, b)),
]


def age_bounds(condition: str, where: str) -> tuple[int | None, int | None]:
    for rx, f in AGE_CONDITIONS:
        m = rx.fullmatch(condition.strip())
        if m:
            lo, hi = f(*(int(g) for g in m.groups()))
            cms.check(lo is None or hi is None or lo <= hi, f"{where}: empty age range {condition!r}")
            return lo, hi
    raise cms.SourceError(f"{where}: unknown age condition {condition!r}")


def holds(lo: int | None, hi: int | None, age: int) -> bool:
    return (lo is None or age >= lo) and (hi is None or age <= hi)


def bound_text(b: int | None) -> str:
    return "" if b is None else str(b)


def coefficient(value: str, where: str) -> str:
    d = Decimal(value.strip())
    cms.check(d == d.quantize(Q3), f"{where}: {value!r} has more than three decimals")
    text = str(d.quantize(Q3))
    return "0.000" if text == "-0.000" else text


def factor_kind(variable: str) -> str:
    for kind, rx in KINDS:
        if rx.fullmatch(variable):
            return kind
    raise cms.SourceError(f"HHS factor variable {variable!r} fits no kind")


def csv_table(sh: cms.Shared, source: cms.Source, header: list[str]) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(sh.text(source).removeprefix("\ufeff"), newline="")))
    cms.check(bool(rows) and rows[0] == header, f"{source.path}: header {rows[:1]}, expected {header}")
    for i, r in enumerate(rows[1:], 2):
        cms.check(len(r) == len(header), f"{source.path} line {i}: {len(r)} fields, expected {len(header)}")
    return rows[1:]


def tab_map(sh: cms.Shared, source: cms.Source) -> list[list[str]]:
    text = sh.text(source)
    cms.check(text.endswith("\n") and "\r" not in text, f"{source.path}: expected \\n-terminated lines")
    rows = [line.split("\t") for line in text.splitlines()]
    for i, r in enumerate(rows, 1):
        cms.check(len(r) in (2, 3) and all(x == x.strip() != "" for x in r),
                  f"{source.path} line {i}: {r!r} is not code<TAB>category[<TAB>mark]")
    return rows


# === DIY variable tables (T6, T7, T8) ========================================================
def diy_blocks(entries: list[dict[str, Any]], where: str) -> dict[str, list[list[str]]]:
    """variable -> its definition lines split into blocks: the first block is the variable's own
    definition (definition + continuation lines); a continuation item with a `description` starts
    a further block (T8's "Impose hierarchy", "Assign as IHCC_AGE1 if needed", ...)."""
    out: dict[str, list[list[str]]] = {}
    for e in entries:
        var = e["variable"]
        cms.check(var not in out, f"{where}: variable {var} defined twice")
        blocks = [[e["definition"]] if e["definition"] else []]
        for c in e["continuation"]:
            if "description" in c:
                blocks.append([c["definition"]] if c.get("definition") else [])
            elif c.get("definition"):
                blocks[-1].append(c["definition"])
        out[var] = [[" ".join(line.split()) for line in b] for b in blocks]
    return out


def members_of(lines: list[str], target: str, where: str) -> list[str]:
    """`if X = 1 then TARGET = 1;` lines -> [X, ...]; any other line mentioning an HCC fails."""
    rx = re.compile(rf"if (\w+) = 1 then {re.escape(target)} = 1;")
    out = []
    for line in lines:
        m = rx.fullmatch(line)
        cms.check(m is not None, f"{where}: cannot read {target} line {line!r}")
        out.append(m.group(1))
    cms.check(len(set(out)) == len(out) >= 1, f"{where}: {target} members {out}")
    return out


def group_members(blocks: dict[str, list[list[str]]], where: str) -> dict[str, list[str]]:
    groups = {}
    for var, b in blocks.items():
        if not GROUP_RE.fullmatch(var):
            continue
        members = []
        for line in b[0]:
            m = re.fullmatch(r"if (HHS_HCC\w+) = 1 then do; (HHS_HCC\w+) = 0; (\w+) = 1; end;", line)
            cms.check(m is not None and m.group(1) == m.group(2) and m.group(3) == var,
                      f"{where} {var}: cannot read group line {line!r}")
            members.append(m.group(1))
        groups[var] = members
    return groups


def read_interactions(blocks: dict[str, list[list[str]]], where: str) -> dict[str, list[tuple[str, list[str]]]]:
    """T6 `if RXC_09 = 1 and (HHS_HCC056 = 1 or HHS_HCC057 = 1) and (...) then V = 1;` ->
    V -> [(term, [members])]: the RXC term first, then one term per parenthesis, named after
    the variable's name (`HCC056_057`, `HCC048_041`); checked against the name."""
    out = {}
    for var, b in blocks.items():
        m = re.fullmatch(r"(RXC_\d\d)_X_HCC(\w+)", var)
        if not m:
            continue
        cms.check(len(b) == 1 and len(b[0]) == 1, f"{where} {var}: one definition line expected")
        d = re.fullmatch(rf"if (.*) then {var} = 1;", b[0][0])
        cms.check(d is not None, f"{where} {var}: cannot read {b[0][0]!r}")
        clauses = re.split(r" and (?![^()]*\))", d.group(1))
        parsed = []
        for c in clauses:
            names = [x.strip() for x in c.strip().strip("()").split(" or ")]
            cms.check(all(re.fullmatch(r"\w+ = 1", x) for x in names), f"{where} {var}: clause {c!r}")
            parsed.append([x.split()[0] for x in names])
        cms.check(parsed[0] == [m.group(1)], f"{where} {var}: first clause must be {m.group(1)}")
        name_terms = m.group(2).split("_AND_")
        cms.check(len(name_terms) == len(parsed) - 1, f"{where} {var}: {len(parsed) - 1} HCC clauses, name has {name_terms}")
        terms = [(m.group(1), [m.group(1)])]
        for term, members in zip(name_terms, parsed[1:]):
            expected = [f"HHS_HCC{x}" for x in re.findall(r"\d{3}(?:_[12](?!\d))?", term)]
            cms.check("_".join(x[7:] for x in expected) == term and members == expected,
                      f"{where} {var}: members {members} do not match the name part {term}")
            terms.append((f"HCC{term}", members))
        out[var] = terms
    return out


def csr_chain(entries: list[dict[str, Any]], model: str, where: str) -> dict[int, tuple[str, str]]:
    """The CSR_ADJUSTED_SCORE IF/ELSE chain of T6/T7/T8 -> indicator -> (metal, factor)."""
    text = " ".join(" ".join(([e["definition"] or ""] + [c.get("definition") or "" for c in e["continuation"]]))
                    for e in entries)
    text = " ".join(text.split())
    out = {}
    for ind, metal, metal2, factor in re.findall(
            rf"if CSR_INDICATOR = (\d+) then CSR_ADJUSTED_SCORE_{model}_(\w+) = SCORE_{model}_(\w+) x ([\d.]+);", text):
        cms.check(metal == metal2 and int(ind) not in out, f"{where}: CSR line for indicator {ind}")
        out[int(ind)] = (metal.lower(), str(Decimal(factor).quantize(Q2)))
    rest = re.findall(rf"CSR_ADJUSTED_SCORE_{model}_(\w+) = SCORE_{model}_(\w+) x 1\.00;", text)
    cms.check(sorted(m.lower() for m, _ in rest) == sorted(x.lower() for x in METALS),
              f"{where}: the else branch must keep every metal at 1.00")
    out[1] = ("any", "1.00")
    return out


# === model files (same for both benefit years) ===============================================
@dataclass
class ModelData:
    labels: dict[str, str]
    hccs: set[str]
    hierarchy: list[tuple[int, str, str]]
    groups: dict[str, list[str]]  # adult and child (checked equal where both)
    adult_groups: set[str]
    child_groups: set[str]
    interactions: dict[str, list[tuple[str, list[str]]]]
    sets: dict[str, list[str]]
    csr: list[tuple[int, str, str]]
    t3: dict[str, list[list[str]]]  # code -> T3 rows


def expect_set(model: HhsModel, name: str, got: list[str]) -> None:
    want = model.expect["sets"].get(name)
    cms.check(want is not None, f"hhs.models.{model.id}.sets: no expected list for {name}")
    cms.check(sorted(short(x) for x in got) == sorted(want),
              f"{model.id} set {name}: DIY tables give {sorted(short(x) for x in got)}, the manifest "
              f"(spec) {sorted(want)}")


def build_model(sh: cms.Shared, model: HhsModel, log) -> ModelData:
    src, exp, mid = model.src, model.expect, model.id
    # --- T4 hierarchy and labels
    t4 = csv_table(sh, src["hierarchy"], ["obs", "v08_hcc", "hccs_to_zero", "hcc_label"])
    labels, hierarchy, rule = {}, [], 0
    for obs, hcc, zero, label in t4:
        name = hhs_name(hcc, f"T4 obs {obs}")
        cms.check(name not in labels and label.strip() != "", f"T4 obs {obs}: {name} twice or unlabelled")
        labels[name] = label.strip()
        children = [hhs_name(x, f"T4 obs {obs}") for x in zero.split(",") if x.strip()]
        if children:
            rule += 1
            hierarchy += [(rule, name, c) for c in children]
    hccs = set(labels)
    cms.check(len(hccs) == exp["hccs"], f"{mid}: T4 has {len(hccs)} HCCs, expected {exp['hccs']}")
    for _, p, c in hierarchy:
        cms.check(c in hccs, f"{mid} hierarchy {p} -> {c}: not a T4 HCC")
    edges = {(p, c) for _, p, c in hierarchy}
    for p, c in edges:  # spec §5.1: transitively closed, so the rule order does not matter
        for c2 in (y for x, y in edges if x == c):
            cms.check((p, c2) in edges, f"{mid} hierarchy not transitively closed: {p} -> {c} -> {c2}, no {p} -> {c2}")
    # --- T11 RXC labels and hierarchy (after the HCC rules)
    t11 = csv_table(sh, src["rxc_hierarchy"], ["rxc", "set_to_0_rxcs_(users_should_set_the_rxcs_in_this_column_to_0_when_a_person_has_the_rxc_listed_in_column_a.)", "rxc_label"])
    rxc_rule = rule
    for rxc, zero, label in t11:
        name = f"RXC_{int(rxc):02d}"
        labels[name] = label.strip()
        children = [f"RXC_{int(x):02d}" for x in zero.split(",") if x.strip()]
        if children:
            rxc_rule += 1
            hierarchy += [(rxc_rule, name, c) for c in children]
    rxcs = sorted(k for k in labels if RXC_RE.fullmatch(k))
    cms.check(rxcs == [f"RXC_{i:02d}" for i in range(1, exp["rxcs"] + 1)], f"{mid}: T11 RXCs {rxcs}")
    n_rules = len({r for r, _, _ in hierarchy})
    cms.check((n_rules, len(hierarchy)) == (exp["hierarchy_rules"], exp["hierarchy_edges"]),
              f"{mid} hierarchy: {n_rules} rules / {len(hierarchy)} edges, expected "
              f"{exp['hierarchy_rules']} / {exp['hierarchy_edges']}")
    pf_h = json.loads(sh.text(src["hierarchy_cross_check"]))
    pf_edges = {(p, c) for p, d in pf_h.items() for c in d["remove_code"]}
    cms.check(pf_edges == {(p, c) for _, p, c in hierarchy},
              f"{mid} hierarchy differs from {src['hierarchy_cross_check'].path}: "
              f"{sorted(pf_edges ^ {(p, c) for _, p, c in hierarchy})}")
    log(f"hierarchy {mid}: {n_rules} rules ({rule} T4 parents + RXC), {len(hierarchy)} edges, "
        f"transitively closed, = {Path(src['hierarchy_cross_check'].path).name}")

    # --- T6 / T7 / T8
    tables = {m: json.loads(sh.text(src[k])) for m, k in
              (("Adult", "adult_variables"), ("Child", "child_variables"), ("Infant", "infant_variables"))}
    for m, entries in tables.items():
        cms.check(all(e.get("model") == m for e in entries), f"{mid}: {m} table holds rows of another model")
    blocks = {m: diy_blocks(e, f"T {m}") for m, e in tables.items()}
    adult_groups = group_members(blocks["Adult"], "T6")
    child_groups = group_members(blocks["Child"], "T7")
    for g in set(adult_groups) & set(child_groups):
        cms.check(adult_groups[g] == child_groups[g], f"{mid} group {g}: T6 {adult_groups[g]} != T7 {child_groups[g]}")
    groups = {**adult_groups, **child_groups}
    cms.check((len(adult_groups), len(child_groups)) == (exp["groups"]["adult"], exp["groups"]["child"]),
              f"{mid}: {len(adult_groups)} adult / {len(child_groups)} child groups, expected {exp['groups']}")
    pf_g = json.loads(sh.text(src["group_cross_check"]))
    for m, ours in (("Adult", adult_groups), ("Child", child_groups)):
        flat = {h: g for g, hs in ours.items() for h in hs}
        cms.check(pf_g.get(m) == flat, f"{mid} {m} groups differ from {src['group_cross_check'].path}")
    for g, hs in groups.items():
        for h in hs:
            cms.check(h in hccs, f"{mid} group {g}: member {h} not a T4 HCC")
    sets: dict[str, list[str]] = dict(groups)
    for name, members in groups.items():
        expect_set(model, name, members)
    for m, sfx in (("Adult", "ADULT"), ("Child", "CHILD")):
        for var in ("SEVERE", "TRANSPLANT"):
            sets[f"{var}_{sfx}"] = members_of(blocks[m][var][0], var, f"{m} {var}")
    for lvl in range(1, 6):
        sets[f"SEVERITY{lvl}"] = members_of(blocks["Infant"][f"IHCC_SEVERITY{lvl}"][0], f"IHCC_SEVERITY{lvl}", "T8")
    maturity = ["EXTREMELY_IMMATURE", "IMMATURE", "PREMATURE_MULTIPLES", "TERM"]
    for mat in maturity:
        b = blocks["Infant"][f"IHCC_{mat}"][0]
        cms.check(len(b) == 1, f"T8 IHCC_{mat}: one definition line expected")
        d = re.fullmatch(rf"if AGE_LAST = 0 and \(?(.*?)\)? then IHCC_{mat} = 1;", b[0])
        cms.check(d is not None, f"T8 IHCC_{mat}: cannot read {b[0]!r}")
        sets[mat] = [x.split()[0] for x in d.group(1).split(" or ")]
        cms.check(all(re.fullmatch(r"HHS_HCC\w+ = 1", x) for x in d.group(1).split(" or ")), f"T8 IHCC_{mat}")
    # T8's "Assign as IHCC_AGE1 if needed": exactly the union of the maturity sets
    age1 = [line for blist in blocks["Infant"]["IHCC_TERM"][1:] for line in blist if "then IHCC_AGE1 = 1;" in line]
    cms.check(len(age1) == 1 and set(re.findall(r"HHS_HCC\w+(?= = 0)", age1[0])) ==
              {h for mat in maturity for h in sets[mat]}, "T8: the AGE1 rule does not list the maturity HCCs")
    t12 = csv_table(sh, src["exclusions"], ["v08_hhs-hcc", "v07_hhs-hcc_label",
                                            "payment_hccs_excluded_from_adult_model",
                                            "payment_hccs_excluded_from_child_model",
                                            "payment_hccs_excluded_from_infant_model"])
    for col, m in ((2, "ADULT"), (3, "CHILD"), (4, "INFANT")):
        cms.check({r[col] for r in t12} <= {"", "X"}, f"T12: column {col + 1} holds other than X / blank")
        sets[f"EXCLUDED_{m}"] = [hhs_name(r[0], "T12") for r in t12 if r[col] == "X"]
    for name, members in sets.items():
        if not GROUP_RE.fullmatch(name):
            expect_set(model, name, members)
        for x in members:
            cms.check(x in hccs or x in groups, f"{mid} set {name}: member {x} is no HCC or group")
    cms.check(set(model.expect["sets"]) == set(sets),
              f"{mid}: manifest sets {sorted(set(model.expect['sets']) ^ set(sets))} not built (or not expected)")
    interactions = read_interactions(blocks["Adult"], "T6")
    cms.check(sorted(interactions) == sorted(exp["interactions"]),
              f"{mid}: T6 interactions {sorted(interactions)} != manifest {sorted(exp['interactions'])}")
    for var, terms in interactions.items():
        for _, members in terms[1:]:
            for h in members:
                cms.check(h in hccs, f"{mid} {var}: member {h} not a T4 HCC")
    for m in ("Child", "Infant"):
        cms.check(not read_interactions(blocks[m], m), f"{mid}: {m} table has RXC interactions")

    # --- T13 CSR factors, checked against the CSR chains of T6/T7/T8 and the manifest (spec §8)
    t13 = csv_table(sh, src["csr_factors"], ["hios_variant_id", "cost-sharing_reduction_(csr)_level",
                                             "ra_software_person-level_csr_indicator", "csr_ra_factor"])
    per_ind: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for _, level, ind, factor in t13:
        metals = re.findall(r"\b(Bronze|Silver|Gold|Platinum)\b", level)
        cms.check(len(metals) <= 1, f"T13: {level!r} names two metals")
        per_ind[int(ind)].append((metals[0].lower() if metals else "any", str(Decimal(factor).quantize(Q2))))
    csr = []
    for ind in sorted(per_ind):
        factors = {f for _, f in per_ind[ind]}
        cms.check(len(factors) == 1, f"T13: indicator {ind} has factors {sorted(factors)}")
        metals = {m for m, _ in per_ind[ind]}
        metal = "any" if "any" in metals else metals.pop()
        cms.check(metal == "any" or not metals, f"T13: indicator {ind} spans metals {sorted(metals | {metal})}")
        csr.append((ind, metal, factors.pop()))
    want = [(c["indicator"], c["metal"], c["factor"]) for c in exp["csr"]]
    cms.check(csr == want, f"{mid}: T13 CSR factors {csr} != manifest (spec §8) {want}")
    for m, entries in tables.items():
        chain = csr_chain(entries, m.upper(), f"{m} CSR chain")
        cms.check(chain == {i: (metal, f) for i, metal, f in csr}, f"{mid}: the {m} table's CSR chain {chain} != T13")
    log(f"{mid}: {len(adult_groups)} adult / {len(child_groups)} child groups (= T6/T7 where both, "
        f"= {Path(src['group_cross_check'].path).name}), {len(interactions)} RXC interactions, "
        f"{len(sets) - len(groups)} other sets, {len(csr)} CSR indicators (T13 = T6/T7/T8 chains)")

    # --- T3 rows by code
    t3 = csv_table(sh, src["crosswalk_conditions"],
                   ["obs", "icd10", "icd10_label", "valid_fy", "valid_fy", "mce_age_condition",
                    "mce_sex_condition", "cc_age_split", "cc_sex_split", "cc", "second_cc", "third_cc", "footnote"])
    by_code: dict[str, list[list[str]]] = defaultdict(list)
    for r in t3:
        cms.check(ICD_RE.fullmatch(r[1]) is not None, f"T3 obs {r[0]}: code {r[1]!r}")
        cms.check(r[6] == "", f"T3 obs {r[0]}: MCE sex condition {r[6]!r} (none expected in V08)")
        cms.check(r[8] in ("", "male", "female"), f"T3 obs {r[0]}: sex split {r[8]!r}")
        by_code[r[1]].append(r)
    for code, rows in by_code.items():
        cms.check(len({r[5] for r in rows}) == 1, f"T3 {code}: rows with different MCE conditions")
        for r in rows:
            for cc in r[9:12]:
                if cc:
                    cms.check(hhs_name(cc, f"T3 {code}") in hccs, f"T3 {code}: CC {cc} not a T4 HCC")
    return ModelData(labels, hccs, hierarchy, groups, set(adult_groups), set(child_groups),
                     interactions, sets, csr, dict(by_code))


def model_files(md: ModelData) -> dict[str, list[list]]:
    labels = dict(md.labels)
    for g, members in md.groups.items():
        labels[g] = f"Group {g}: {', '.join(members)}"
    inter = [["interaction", "term", "member_hcc"]]
    for var in sorted(md.interactions):  # terms in CMS order (the RXC first), members as CMS lists them
        inter += [[var, term, h] for term, members in md.interactions[var] for h in members]
    return {
        "labels": [["hcc", "label"]] + [[k, labels[k]] for k in sorted(labels)],
        "hierarchy": [["rule_order", "superior_hcc", "subordinate_hcc"]] + [
            list(e) for e in sorted(md.hierarchy, key=lambda e: (e[0], e[2]))],
        "interactions": inter,
        "sets": [["set", "member"]] + sorted([s, m] for s, ms in md.sets.items() for m in ms),
        "csr_factors": [["csr_indicator", "metal", "factor"]] + [list(c) for c in md.csr],
    }


# === per benefit year ========================================================================
@dataclass(frozen=True)
class Split:
    order: int
    lo: int | None
    hi: int | None
    sex: str
    ccs: tuple[str, ...]


def t3_ccs(rows: list[list[str]], age: int, sex: str, code: str, mce: bool) -> frozenset[str]:
    """What T3 gives directly (spec §4): MCE age edit, then every row whose split holds."""
    if mce and rows[0][5] and not holds(*age_bounds(rows[0][5], code), age):
        return frozenset()
    out = set()
    for r in rows:
        if r[7] and not holds(*age_bounds(r[7], code), age):
            continue
        if r[8] and {"male": "M", "female": "F"}[r[8]] != sex:
            continue
        out |= {hhs_name(cc, code) for cc in r[9:12] if cc}
    return frozenset(out)


def file_ccs(cross: set[str], splits: list[Split], mce: tuple | None, age: int, sex: str) -> frozenset[str]:
    """What the engine computes from our files (data/FORMAT.md, HHS-HCC)."""
    if mce is not None and not holds(*mce, age):
        return frozenset()
    out = set(cross)
    for s in splits:
        if holds(s.lo, s.hi, age) and s.sex in ("", sex):
            out |= set(s.ccs)
    return frozenset(out)


def build_crosswalk(sh: cms.Shared, model: HhsModel, md: ModelData, rel: HhsRelease, log):
    where, exp = rel.name, rel.expect
    pf: dict[str, list[str]] = defaultdict(list)
    for row in tab_map(sh, rel.src["code_list"]):
        code = row[0]
        cms.check(ICD_RE.fullmatch(code) is not None, f"{rel.src['code_list'].path}: code {code!r}")
        cms.check(len(row) == 2 or row[2] in ("D", "T"), f"{rel.src['code_list'].path}: mark {row[2:]}")
        cc = hhs_name(row[1], f"{rel.src['code_list'].path} {code}")
        cms.check(cc not in pf[code], f"{rel.src['code_list'].path}: {code} -> {cc} twice")
        pf[code].append(cc)
    cms.check(len(pf) == exp["codes"], f"{where}: {len(pf)} codes in the code list, expected {exp['codes']}")
    new_splits: dict[str, list[tuple[str, str]]] = defaultdict(list)  # code -> [(age split, cc)]
    for i, ns in enumerate(model.expect["new_code_splits"]):
        cms.fields(ns, f"hhs.models.{model.id}.new_code_splits[{i}]", {"codes": list, "age_split": str, "cc": str})
        for code in ns["codes"]:
            new_splits[code].append((ns["age_split"], ns["cc"]))
    cross: dict[str, set[str]] = defaultdict(set)
    splits: dict[str, list[Split]] = defaultdict(list)
    mce: dict[str, tuple] = {}
    not_in_t3 = 0
    for code in sorted(pf):
        pf_ccs = set(pf[code])
        for cc in pf_ccs:
            cms.check(cc in md.hccs, f"{where}: {code} -> {cc}, not a T4 HCC")
        rows = md.t3.get(code)
        if rows is None:
            not_in_t3 += 1
            cms.check(code not in new_splits or len(new_splits[code]) >= 2, f"{where}: {code} split")
            if code in new_splits:  # spec §0.1: C50A0-2 split by age like the other C50 codes
                for order, (cond, cc) in enumerate(new_splits[code], 1):
                    lo, hi = age_bounds(cond, code)
                    splits[code].append(Split(order, lo, hi, "", (hhs_name(cc, code),)))
                union = {c for s in splits[code] for c in s.ccs}
                cms.check(pf_ccs <= union, f"{where}: {code}: the code list's CCs {sorted(pf_ccs)} not among the split's {sorted(union)}")
            else:
                cross[code] |= pf_ccs
            continue
        cms.check(code not in new_splits, f"{where}: {code} has T3 rows and a manifest split")
        if rows[0][5]:
            mce[code] = age_bounds(rows[0][5], code)
        for order, r in enumerate(rows, 1):
            ccs = tuple(hhs_name(cc, code) for cc in r[9:12] if cc)
            cms.check(len(ccs) == len(set(ccs)) >= 1, f"T3 {code} row {order}: CCs {r[9:12]}")
            if r[7] or r[8]:
                lo, hi = age_bounds(r[7], code) if r[7] else (None, None)
                splits[code].append(Split(order, lo, hi, {"": "", "male": "M", "female": "F"}[r[8]], ccs))
            else:
                cross[code] |= set(ccs)
        union = {c for r in rows for c in r[9:12] if c}
        union = {hhs_name(c, code) for c in union}
        if code not in splits:  # cross-check: T3 and the flat code list agree on unconditional codes
            cms.check(cross[code] == pf_ccs, f"{where}: {code}: T3 {sorted(cross[code])} != code list {sorted(pf_ccs)}")
        else:
            cms.check(pf_ccs <= union, f"{where}: {code}: code list CCs {sorted(pf_ccs)} not in T3's {sorted(union)}")
    skipped = sorted(set(md.t3) - set(pf))
    cms.check((not_in_t3, len(skipped)) == (exp["codes_not_in_conditions"], exp["condition_codes_not_in_list"]),
              f"{where}: {not_in_t3} codes not in T3, {len(skipped)} T3 codes not in the list; expected "
              f"{exp['codes_not_in_conditions']}, {exp['condition_codes_not_in_list']}")
    # The requested check: for every code with cc_split rows, crosswalk + the split rows that hold
    # give exactly T3's CCs (or the manifest split's) at every age 0-120 and both sexes, with and
    # without the MCE edit.
    for code in splits:
        for age in AGES:
            for sex in SEXES:
                ours = file_ccs(cross.get(code, set()), splits[code], None, age, sex)
                if code in md.t3:
                    want = t3_ccs(md.t3[code], age, sex, code, mce=False)
                    with_mce = file_ccs(cross.get(code, set()), splits[code], mce.get(code), age, sex)
                    cms.check(with_mce == t3_ccs(md.t3[code], age, sex, code, mce=True),
                              f"{where}: {code} age {age} {sex}: MCE + splits differ from T3")
                else:
                    want = frozenset(hhs_name(cc, code) for cond, cc in new_splits[code]
                                     if holds(*age_bounds(cond, code), age))
                cms.check(ours == want, f"{where}: {code} age {age} {sex}: files give {sorted(ours)}, T3 {sorted(want)}")
    for code in mce:  # MCE-only codes: the valid range is the condition's
        if code not in splits:
            for age in AGES:
                ours = file_ccs(cross.get(code, set()), [], mce[code], age, "F")
                cms.check(ours == t3_ccs(md.t3[code], age, "F", code, mce=True), f"{where}: {code} age {age}: MCE")
    for i, ex in enumerate(model.expect["crosswalk_examples"]):
        ex = cms.fields(ex, f"hhs.models.{model.id}.crosswalk_examples[{i}]",
                        {"code": str, "age": int, "sex": str, "ccs": list})
        code = ex["code"].replace(".", "").upper()
        got = file_ccs(cross.get(code, set()), splits.get(code, []), mce.get(code), ex["age"], ex["sex"])
        want = {hhs_name(x, "example") for x in ex["ccs"]}
        cms.check(got == want, f"{where}: spec §4 example {ex['code']} age {ex['age']} {ex['sex']}: "
                               f"files give {sorted(short(x) for x in got)}, the spec {sorted(ex['ccs'])}")
    cross = {c: ccs for c, ccs in cross.items() if ccs}
    crosswalk = [["icd10_code", "cc"]] + sorted([c, cc] for c, ccs in cross.items() for cc in ccs)
    edits = [[0, "mce_age", c, "", bound_text(lo), bound_text(hi), "drop", ""] for c, (lo, hi) in mce.items()]
    # edit_order numbers a code's cc_split rows 1, 2, ... (T3 row order, then CC order): it is part
    # of the key of hccraf.hcc_edit, and a T3 row with two or three CCs gives one edit row per CC.
    for code, ss in splits.items():
        k = 0
        for s in ss:
            for cc in s.ccs:
                k += 1
                edits.append([k, "cc_split", code, s.sex, bound_text(s.lo), bound_text(s.hi), "cc", cc])
    edits.sort(key=lambda e: (e[1], e[0], e[2], e[3], e[7]))
    # FORMAT.md's order (edit_kind, edit_order, icd10_code) plus sex and cc for the ties
    log(f"crosswalk {where}: {len(crosswalk) - 1} unconditional rows ({len(cross)} codes), "
        f"{len(splits)} codes with cc_split rows, {len(mce)} MCE age codes; {not_in_t3} codes not in T3, "
        f"{len(skipped)} T3 codes not in the list ({', '.join(skipped)}); "
        f"{len(model.expect['crosswalk_examples'])} spec §4 examples ok")
    return crosswalk, [["edit_order", "edit_kind", "icd10_code", "sex", "age_min", "age_max", "action", "cc"]] + edits


def read_factor_table(sh: cms.Shared, source: cms.Source) -> dict[tuple[str, str], list[str]]:
    """(model, variable as written) -> the five metal values, from T9 or a pfehlinger weights.csv."""
    if source.format == "hhs_diy_table_csv":
        rows = csv_table(sh, source, ["model", "variable", "variable_used_in_risk_score_formula?",
                                      "platinum_level", "gold_level", "silver_level", "bronze_level",
                                      "catastrophic_level"])
        used = Counter(r[2] for r in rows)
        # T9's "used in formula" column: every row says Yes (data/FORMAT.md); a No would need a rule.
        cms.check(set(used) == {"Yes"}, f"{source.path}: variable_used_in_risk_score_formula? holds {dict(used)}")
        table = [(r[0], r[1], r[3:]) for r in rows]
    else:
        rows = csv_table(sh, source, ["model", "category", *METALS])
        table = [(r[0], r[1], r[2:]) for r in rows]
    out = {}
    for model, var, values in table:
        cms.check(model in MODELS, f"{source.path}: model {model!r}")
        cms.check((model, var.upper()) not in {(m, v.upper()) for m, v in out}, f"{source.path}: {model} {var} twice")
        out[(model, var)] = values
    return out


def build_factors(sh: cms.Shared, model: HhsModel, md: ModelData, rel: HhsRelease, log) -> list[list]:
    where = rel.name
    cms_names = {(m, v.upper()): v for m, v in read_factor_table(sh, model.src["factor_names"])}
    table = read_factor_table(sh, rel.src["factors"])
    if "factor_cross_check" in rel.src:  # T9 = pfehlinger BY2025 (spec §0.1: 0 differences)
        other = {(m, v.upper()): vals for (m, v), vals in read_factor_table(sh, rel.src["factor_cross_check"]).items()}
        ours = {(m, v.upper()): vals for (m, v), vals in table.items()}
        cms.check(set(other) == set(ours), f"{where}: factor variables differ from {rel.src['factor_cross_check'].path}")
        diff = [k for k in ours if [Decimal(x) for x in ours[k]] != [Decimal(x) for x in other[k]]]
        cms.check(not diff, f"{where}: factor values differ from {rel.src['factor_cross_check'].path}: {diff[:5]}")
        log(f"factors {where}: = {rel.src['factor_cross_check'].path} ({len(ours)} variables, 0 differences)")
    rows, per_model = [], Counter()
    for (m, var), values in table.items():
        name = cms_names.get((m, var.upper()))
        if name is None:  # only the BY2026 ACF variables are not in T9: keep their own spelling
            cms.check(var.upper().startswith("ACF_"), f"{where}: {m} {var} is not a Table 9 variable")
            name = var
        kind = factor_kind(name)
        per_model[m] += 1
        for metal, value in zip(METALS, values):
            rows.append([f"{m}_{metal}", name, kind, coefficient(value, f"{where} {m} {var} {metal}")])
    cms.check(dict(per_model) == rel.expect["factor_variables"],
              f"{where}: factor variables per model {dict(per_model)}, expected {rel.expect['factor_variables']}")
    # consistency with the model files
    by_model = {m: {(r[1], r[2]) for r in rows if r[0].startswith(m + "_")} for m in MODELS}
    for m, excluded, groups in (("Adult", "EXCLUDED_ADULT", md.adult_groups), ("Child", "EXCLUDED_CHILD", md.child_groups),
                                ("Infant", "EXCLUDED_INFANT", set())):
        hcc_vars = {v for v, k in by_model[m] if k == "hcc"}
        cms.check(hcc_vars <= md.hccs, f"{where}: {m} HCC factors not in T4: {sorted(hcc_vars - md.hccs)}")
        cms.check(not hcc_vars & set(md.sets[excluded]), f"{where}: {m} has factors for excluded {sorted(hcc_vars & set(md.sets[excluded]))}")
        cms.check({v for v, k in by_model[m] if k == "group"} == groups, f"{where}: {m} group factors != its groups")
        want_inter = set(md.interactions) if m == "Adult" else set()
        cms.check({v for v, k in by_model[m] if k == "interaction"} == want_inter,
                  f"{where}: {m} interaction factors differ from the T6 definitions")
    for g, members in md.groups.items():  # spec §5.5: member HCCs carry 0.000 where the group is used
        for r in rows:
            if r[1] in members and r[0].split("_")[0] in ("Adult", "Child") and \
                    g in (md.adult_groups if r[0].startswith("Adult") else md.child_groups):
                cms.check(r[3] == "0.000", f"{where}: {r[0]} {r[1]} (member of {g}) has {r[3]}, expected 0.000")
    rows.sort(key=lambda r: (SEGMENTS.index(r[0]), r[2], r[1]))
    return [["segment", "variable", "kind", "coefficient"]] + rows


def build_drugs(sh: cms.Shared, rel: HhsRelease, log) -> list[list]:
    where, out = rel.name, []
    for key, system, rx in (("ndc", "ndc", NDC_RE), ("hcpcs", "hcpcs", HCPCS_RE)):
        src = rel.src[key]
        codes = set()
        for row in tab_map(sh, src):
            cms.check(len(row) == 2 and rx.fullmatch(row[0]) is not None and re.fullmatch(r"\d{1,2}", row[1]) is not None,
                      f"{src.path}: bad row {row!r}")
            cms.check(row[0] not in codes, f"{src.path}: {row[0]} listed twice")
            codes.add(row[0])
            variable = f"RXC_{int(row[1]):02d}"
            cms.check(1 <= int(row[1]) <= 10, f"{src.path}: {row!r}")
            out.append([system, row[0], variable])
        cms.check(len(codes) == rel.expect[f"{key}_codes"],
                  f"{where}: {src.path} has {len(codes)} codes, expected {rel.expect[f'{key}_codes']}")
    rxc_codes = {r[1] for r in out}
    if "acf" in rel.src:
        src, seen = rel.src["acf"], Counter()
        for row in tab_map(sh, src):
            system = "ndc" if re.fullmatch(r"\d{11}", row[0]) else "hcpcs" if HCPCS_RE.fullmatch(row[0]) else None
            cms.check(len(row) == 2 and system is not None and row[1].startswith("ACF_"), f"{src.path}: bad row {row!r}")
            cms.check(row[0] not in rxc_codes, f"{src.path}: {row[0]} is also an RXC code (spec §0.1: none is)")
            out.append([system, row[0], row[1]])
            seen[(row[1], system)] += 1
        want = {(v, s): n for v, d in rel.expect["acf_codes"].items() for s, n in d.items()}
        cms.check(dict(seen) == want, f"{where}: {src.path} counts {dict(seen)}, expected {want}")
    cms.check(len({tuple(r) for r in out}) == len(out), f"{where}: duplicate drug rows")
    letters = sorted(r[1] for r in out if r[0] == "ndc" and not r[1].isdigit())
    log(f"drugs {where}: {sum(1 for r in out if r[0] == 'ndc')} NDC + {sum(1 for r in out if r[0] == 'hcpcs')} "
        f"HCPCS rows ({len(letters)} NDCs with a letter, kept as written: {', '.join(letters)})")
    return [["code_system", "code", "variable"]] + sorted(out)


def release_row(manifest, rel: HhsRelease, model: HhsModel) -> list:
    cite = manifest.cited
    crosswalk = (f"{cite(rel.src['code_list'])} (code list; CCs of the codes not in Table 3) + "
                 f"{cite(model.src['crosswalk_conditions'])} (CCs, MCE age and CC age/sex splits of every "
                 f"listed code it has; rows of unlisted codes ignored); C50A0-C50A2 split at age 50 "
                 f"(hhs_hcc_v08_rules.md §0.1)")
    factors = cite(rel.src["factors"])
    if rel.src["factors"].format == "pfehlinger_hhs_weights_csv":
        factors += f" (variable names as in {cite(model.src['factor_names'])})"
    if "factor_cross_check" in rel.src:
        factors += f" (checked = {cite(rel.src['factor_cross_check'])})"
    drugs = f"; RXC/ACF codes {cite(rel.src['ndc'])}, {Path(rel.src['hcpcs'].path).name}"
    if "acf" in rel.src:
        drugs += f", {Path(rel.src['acf'].path).name}"
    normalization = "none: the HHS-HCC enrollee score has no normalization factor or coding adjustment (hhs_hcc_v08_rules.md)"
    return [model.id, rel.benefit_year, "", "", "0.00", rel.status, crosswalk + drugs, factors,
            normalization, rel.notes, model.model_family]


def build(sh: cms.Shared, manifest, log) -> tuple[dict[str, list[list]], list[list]]:
    """(files under data/, model_releases.csv rows) of every HHS release."""
    h: HhsManifest = manifest.hhs
    files, registry = {}, []
    for mid, model in h.models.items():
        md = build_model(sh, model, log)
        shared = model_files(md)
        for rel in (r for r in h.releases if r.model == mid):
            per = dict(shared)
            per["crosswalk"], per["edits"] = build_crosswalk(sh, model, md, rel, log)
            per["factors"] = build_factors(sh, model, md, rel, log)
            per["drugs"] = build_drugs(sh, rel, log)
            counts = {k: len(v) - 1 for k, v in per.items()}
            cms.check(counts == rel.expect["rows"], f"{rel.name}: rows per file {counts}, expected {rel.expect['rows']}")
            for kind, rows in per.items():
                files[f"{mid}/{rel.benefit_year}/{kind}.csv"] = rows
            registry.append(release_row(manifest, rel, model))
            log(f"{rel.name}: " + ", ".join(f"{k} {n}" for k, n in counts.items()))
    return files, registry


def readme_lines(manifest, outputs: dict[str, list[list]]) -> list[str]:
    """The HHS table of data/README.md's row counts."""
    if manifest.hhs is None:
        return []
    lines = ["", "| HHS release | " + " | ".join(FILES) + " |", "|---|" + "---:|" * len(FILES)]
    for r in manifest.hhs.releases:
        counts = [f"{len(outputs[f'{r.model}/{r.benefit_year}/{k}.csv']) - 1:,}" for k in FILES]
        lines.append(f"| {r.model} BY{r.benefit_year} | " + " | ".join(counts) + " |")
    return lines
