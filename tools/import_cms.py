#!/usr/bin/env python3
"""Import the CMS-HCC source tables into hccraf's own data files (layout: data/FORMAT.md).

    python3 tools/import_cms.py --shared ../shared [--manifest tools/manifest.toml] [--out data]

What is imported is data, not code: the manifest (default `tools/manifest.toml`, keys explained
in `tools/MANIFEST-FORMAT.md`) lists every source file with its sha256, every model family and
every release (model x payment year) with its expected counts, payment figures, citations and
cross-checks, and the ICD-10-CM code sets. This file holds only the READERS of each source
format (selected by the `format` of a manifest source) and the checks that hold for every
release; a new payment year is a manifest entry plus its files.

`--shared` is the folder that holds the source files (read-only inputs; default: `../shared`
next to the repository; manifest paths are relative to it). Every source file's sha256 is
checked against the manifest when it is read. Everything is read, checked and built in memory
first; only when every assertion has passed are the files under `--out` written. MANIFEST.csv
is written last. The output depends only on the input bytes (explicit sort orders, no
timestamps), so two runs give byte-identical files. Standard library only.
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
import tomllib
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

# tools/import_hhs.py (HHS-HCC, the manifest's [hhs] table) uses this module's helpers as
# `import_cms`, also when this file runs as the script (__main__).
sys.modules.setdefault("import_cms", sys.modules[__name__])
import import_hhs  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
DEFAULT_MANIFEST = Path(__file__).resolve().parent / "manifest.toml"

# The nine CMS-HCC segments, in the sort order of factors.csv (data/FORMAT.md). A family with
# other segments (RxHCC, ESRD) lists them in its manifest (`factors.segments`).
SEGMENTS = ["CNA", "CND", "CFA", "CFD", "CPA", "CPD", "INS", "NE", "SNPNE"]
# Every `kind` of factors.csv (data/FORMAT.md).
FACTOR_KINDS = {"demographic", "new_enrollee", "hcc", "interaction", "count", "graft", "divisor",
                "normalization"}
# Interaction terms that are a property of the person, not of HCCs (member_hcc empty).
SPECIAL_TERMS = {"DISABL", "NONAGED"}
# The files of one release (data/<model>/<payment_year>/<kind>.csv), as in the README table.
RELEASE_FILES = ["crosswalk", "factors", "hierarchy", "labels", "interactions", "edits"]

CODE_RE = re.compile(r"[A-Z0-9]{3,7}")
SHA256_RE = re.compile(r"[0-9a-f]{64}")
MODEL_ID_RE = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
Q3 = Decimal("0.001")
Q2 = Decimal("0.01")


class SourceError(Exception):
    pass


class ManifestError(SourceError):
    pass


def check(cond: bool, msg: str) -> None:
    """Fail loudly: every expectation about the sources goes through here."""
    if not cond:
        raise SourceError(msg)


def require(cond: bool, msg: str) -> None:
    """Like check(), for mistakes in the manifest itself."""
    if not cond:
        raise ManifestError(msg)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def to_int(text: str, where: str) -> int:
    check(re.fullmatch(r"-?\d+", text) is not None, f"{where}: {text!r} is not an integer")
    return int(text)


def dec3(value: str, negative_ok: bool = False) -> str:
    """Decimal text with exactly three decimals; refuses values that would need rounding, and
    negative values unless the manifest lists them (ESRD's Originally_ESRD_Female)."""
    d = Decimal(value)
    check(d == d.quantize(Q3) and (d >= 0 or negative_ok), f"coefficient {value!r} is not a non-negative x.xxx")
    return str(d.quantize(Q3))


# === the manifest ============================================================================
@dataclass(frozen=True)
class Source:
    """A file under --shared: `sources.<id>` of the manifest."""
    id: str
    path: str  # relative to --shared
    sha256: str  # of the file's bytes, checked when read
    format: str  # key of FORMATS: which reader understands it
    holds_payment_year: int | None  # crosswalk files only: the payment year the file holds
    identical_to: str | None = None  # id of a source whose bytes this file must equal
    holds_service_year: int | None = None  # RA-eligible code lists: the service year the file holds


@dataclass(frozen=True)
class Use:
    """One use of a source in the manifest: the source, the filters its reader needs (`params`,
    e.g. model_version) and what the importer expects of the result (`expect`, e.g. counts).
    A filter key ending in `_source` names a further file the reader reads with the main one
    (`linked`, e.g. the NE factor table of a CE factor table)."""
    source: Source
    params: dict[str, Any]
    expect: dict[str, Any]
    where: str  # the manifest table, for messages
    role: str = ""  # which reader of the source's format (crosswalk, factors, labels, ...)
    linked: dict[str, Source] = field(default_factory=dict)  # filter key -> source


@dataclass(frozen=True)
class AddedFactor:
    """A factor row that is not in the family's factor tables (a normalization override, an
    actuarial divisor): given in the manifest, its value checked against `value_from`."""
    segments: tuple[str, ...]
    variable: str
    kind: str
    coefficient: str
    cite: str
    value_from: Use


@dataclass(frozen=True)
class EditStep:
    """One rule of a model's mandatory edit chain, in CMS order."""
    rule: str  # the rule part of the source description, e.g. "sex=2 -> CC112"
    rows: int
    codes: frozenset[str] | None  # the exact code list, when the manifest gives it
    code_prefix: str  # every code starts with this ("" = no condition)
    includes: frozenset[str]  # codes that must be in the list


@dataclass(frozen=True)
class ModelFamily:
    id: str  # V24, V28, ...: data/<id>/<payment_year>/
    model_family: str  # CMS-HCC, RxHCC, ESRD: the model_family column of model_releases.csv
    segments: list[str]  # factors.csv segments, in sort order
    added_factors: list[AddedFactor]
    factors: Use
    labels: Use
    hierarchy: Use
    hierarchy_checks: list[Use]
    interactions: Use
    edits: Use
    edit_chain: list[EditStep]


@dataclass(frozen=True)
class Release:
    model: str
    payment_year: int
    status: str
    notes: str
    crosswalk: Use
    crosswalk_checks: list[Use]
    payment: Use

    @property
    def name(self) -> str:
        return f"{self.model} PY{self.payment_year}"


@dataclass(frozen=True)
class CodeSet:
    fiscal_year: int
    use: Use  # expect: status, entries, billable, content_sha256


@dataclass(frozen=True)
class RaEligible:
    """`[ra_eligible]`: CMS's risk-adjustment-eligible CPT/HCPCS lists (one per service year) and
    the encounter-data filtering rule table of institutional bill types."""
    code_lists: list[Use]  # expect: service_year, codes, optional earlier_version / added_since_earlier
    bill_types: list[dict[str, Any]]  # prefix, setting, claim_type, requires_procedure_filter, source


@dataclass(frozen=True)
class SpecificityRules:
    path: Path  # project-authored CSV (not a --shared source, so not in SOURCES.csv)
    billable_in_fiscal_year: int


@dataclass(frozen=True)
class Manifest:
    path: Path
    readme_template: Path
    cited_root: str
    sources: dict[str, Source]
    models: dict[str, ModelFamily]
    releases: list[Release]  # sorted by model, payment year
    code_sets: list[CodeSet]  # sorted by fiscal year
    specificity_rules: SpecificityRules | None
    ra_eligible: RaEligible | None = None
    hhs: Any = None  # import_hhs.HhsManifest: the optional [hhs] table (HHS-HCC releases)

    def cited(self, source: Source) -> str:
        """How model_releases.csv names a source: its path without the `cited_root` prefix."""
        return source.path.removeprefix(self.cited_root)

    def release(self, model: str, payment_year: int) -> Release | None:
        return next((r for r in self.releases
                     if (r.model, r.payment_year) == (model, payment_year)), None)


def fields(table: Any, where: str, required: dict[str, type],
           optional: dict[str, type] | None = None) -> dict[str, Any]:
    """Check a manifest table's keys and value types; an unknown key (a typo) is an error."""
    optional = optional or {}
    require(isinstance(table, dict), f"{where}: expected a table, got {table!r}")
    missing = sorted(set(required) - set(table))
    unknown = sorted(set(table) - set(required) - set(optional))
    problems = ([f"missing key(s) {', '.join(missing)}"] if missing else []) + \
        ([f"unknown key(s) {', '.join(unknown)}"] if unknown else [])
    allowed = ", ".join(sorted({**required, **optional}))
    require(not problems, f"{where}: {'; '.join(problems)} (allowed: {allowed})")
    for key, value in table.items():
        want = {**required, **optional}[key]
        require(isinstance(value, want) and not (want is int and isinstance(value, bool)),
                f"{where}.{key}: expected {want.__name__}, got {value!r}")
    return table


def parse_source(source_id: str, table: Any) -> Source:
    where = f"sources.{source_id}"
    t = fields(table, where, {"path": str, "sha256": str, "format": str},
               {"holds_payment_year": int, "identical_to": str, "holds_service_year": int})
    require(t["format"] in FORMATS, f"{where}.format: unknown format {t['format']!r}; known: "
                                    f"{', '.join(sorted(FORMATS))}")
    require(SHA256_RE.fullmatch(t["sha256"]) is not None, f"{where}.sha256: not 64 lower-case hex digits")
    require(not Path(t["path"]).is_absolute() and ".." not in Path(t["path"]).parts,
            f"{where}.path: must be relative to the shared folder")
    return Source(source_id, t["path"], t["sha256"], t["format"], t.get("holds_payment_year"),
                  t.get("identical_to"), t.get("holds_service_year"))


def parse_use(table: Any, where: str, role: str, sources: dict[str, Source],
              required: dict[str, type] | None = None, optional: dict[str, type] | None = None) -> Use:
    """A table naming a `source` plus its reader's filter keys and the step's own keys."""
    require(isinstance(table, dict) and isinstance(table.get("source"), str),
            f"{where}: needs source = \"<id of a [sources.<id>] table>\"")
    source = sources.get(table["source"])
    require(source is not None, f"{where}.source: no [sources.{table['source']}] in the manifest")
    reader = format_for(source.format, role)
    require(reader is not None, f"{where}: source {source.id} has format {source.format} "
                                f"(a {'/'.join(roles_of(source.format))} source), this needs a {role} source")
    fields(table, where, {"source": str, **reader.params, **(required or {})}, optional)
    params = {k: table[k] for k in reader.params}
    expect = {k: v for k, v in table.items() if k != "source" and k not in reader.params}
    linked = {}
    for key in (k for k in reader.params if k.endswith("_source")):
        other = sources.get(params[key])
        require(other is not None, f"{where}.{key}: no [sources.{params[key]}] in the manifest")
        require(format_for(other.format, "table") is not None,
                f"{where}.{key}: source {other.id} (format {other.format}) is not a table format")
        linked[key] = other
    return Use(source, params, expect, where, role, linked)


def parse_edit_step(table: Any, where: str) -> EditStep:
    t = fields(table, where, {"rule": str},
               {"codes": list, "rows": int, "code_prefix": str, "includes": list})
    require(("codes" in t) != ("rows" in t), f"{where}: give either codes (the list) or rows (a count)")
    codes = frozenset(t["codes"]) if "codes" in t else None
    rows = len(codes) if codes is not None else t["rows"]
    require(rows >= 1, f"{where}: a chain rule needs at least one code")
    return EditStep(t["rule"], rows, codes, t.get("code_prefix", ""), frozenset(t.get("includes", [])))


def parse_model(model_id: str, table: Any, sources: dict[str, Source]) -> ModelFamily:
    where = f"models.{model_id}"
    require(MODEL_ID_RE.fullmatch(model_id) is not None, f"{where}: a model id names a data/ folder: "
                                                         f"letters, digits, underscore")
    t = fields(table, where, {"model_family": str,
                              **{k: dict for k in ("factors", "labels", "hierarchy", "interactions", "edits")}})
    factors = parse_use(t["factors"], f"{where}.factors", "factors", sources, {"rows_per_segment": dict},
                        {"segments": list, "negative_factors": list, "added": list})
    segments = factors.expect.get("segments", SEGMENTS)
    require(all(isinstance(x, str) for x in segments) and len(set(segments)) == len(segments) >= 1,
            f"{where}.factors.segments: a list of distinct segment names")
    require(set(factors.expect["rows_per_segment"]) == set(segments),
            f"{where}.factors.rows_per_segment: needs exactly the segments {', '.join(segments)}")
    added = [parse_added_factor(a, f"{where}.factors.added[{i}]", segments, sources)
             for i, a in enumerate(factors.expect.get("added", []))]
    hierarchy = parse_use(t["hierarchy"], f"{where}.hierarchy", "hierarchy_rules", sources,
                          {"rules": int, "edges": int}, {"cross_check": list})
    edits = parse_use(t["edits"], f"{where}.edits", "edits", sources,
                      {"chain": list, "mce_age_rows": int})
    chain = [parse_edit_step(s, f"{where}.edits.chain[{i}]") for i, s in enumerate(edits.expect["chain"])]
    require(len({s.rule for s in chain}) == len(chain), f"{where}.edits.chain: a rule is listed twice")
    return ModelFamily(
        id=model_id,
        model_family=t["model_family"],
        segments=list(segments),
        added_factors=added,
        factors=factors,
        labels=parse_use(t["labels"], f"{where}.labels", "labels", sources, {"hccs": int}),
        hierarchy=hierarchy,
        hierarchy_checks=[parse_use(c, f"{where}.hierarchy.cross_check[{i}]", "hierarchy_edges", sources)
                          for i, c in enumerate(hierarchy.expect.get("cross_check", []))],
        interactions=parse_use(t["interactions"], f"{where}.interactions", "interactions", sources),
        edits=edits,
        edit_chain=chain)


def parse_added_factor(table: Any, where: str, segments: list[str], sources: dict[str, Source]) -> AddedFactor:
    t = fields(table, where, {"segments": list, "variable": str, "kind": str, "coefficient": str,
                              "cite": str, "value_from": dict})
    require(set(t["segments"]) <= set(segments) and len(t["segments"]) >= 1,
            f"{where}.segments: not segments of the family: {t['segments']}")
    require(t["kind"] in FACTOR_KINDS, f"{where}.kind: {t['kind']!r}, one of {sorted(FACTOR_KINDS)}")
    return AddedFactor(tuple(t["segments"]), t["variable"], t["kind"], t["coefficient"], t["cite"],
                       parse_use(t["value_from"], f"{where}.value_from", "factor_value", sources))


def parse_known_duplicates(use: Use) -> None:
    for i, d in enumerate(use.expect.get("known_duplicates", [])):
        fields(d, f"{use.where}.known_duplicates[{i}]", {"code": str, "cc": int})


def parse_release(table: Any, index: int, sources: dict[str, Source]) -> Release:
    t = fields(table, f"release[{index}]", {"model": str, "payment_year": int, "status": str,
                                            "notes": str, "crosswalk": dict, "payment": dict})
    where = f"release {t['model']} PY{t['payment_year']}"
    crosswalk = parse_use(t["crosswalk"], f"{where}: crosswalk", "crosswalk", sources,
                          {"rows": int, "codes": int, "two_cc_codes": int},
                          {"known_duplicates": list, "drop_second_cc": dict, "cross_check": list,
                           "log_difference_from_payment_year": int})
    parse_known_duplicates(crosswalk)
    if "drop_second_cc" in crosswalk.expect:
        fields(crosswalk.expect["drop_second_cc"], f"{where}: crosswalk.drop_second_cc",
               {"codes": list, "drop_cc": int, "keep_cc": int, "as_in": str})
    checks = [parse_use(c, f"{where}: crosswalk.cross_check[{i}]", "crosswalk", sources, {},
                        {"known_duplicates": list})
              for i, c in enumerate(crosswalk.expect.get("cross_check", []))]
    for c in checks:
        parse_known_duplicates(c)
    payment = parse_use(t["payment"], f"{where}: payment", "payment", sources,
                        {"model": str, "normalization_factor": str, "ma_coding_adjustment": str,
                         "blend_weight": str, "citations": dict}, {"source_blend_weight": str})
    fields(payment.expect["citations"], f"{where}: payment.citations",
           {key: list for key, _, _ in CITATION_PARTS})
    return Release(t["model"], t["payment_year"], t["status"], t["notes"], crosswalk, checks, payment)


def parse_code_set(table: Any, index: int, sources: dict[str, Source]) -> CodeSet:
    where = f"code_set[{index}]"
    use = parse_use(table, where, "code_set", sources,
                    {"fiscal_year": int, "status": str, "entries": int, "billable": int,
                     "content_sha256": str})
    require(SHA256_RE.fullmatch(use.expect["content_sha256"]) is not None,
            f"{where}.content_sha256: not 64 lower-case hex digits")
    return CodeSet(use.expect["fiscal_year"], use)


BILL_TYPE_PREFIX_RE = re.compile(r"[0-9]{2}")
BILL_TYPE_SETTINGS = {"inpatient": False, "outpatient": True}  # setting -> requires_procedure_filter


def parse_ra_eligible(table: Any, sources: dict[str, Source]) -> RaEligible:
    t = fields(table, "ra_eligible", {"code_list": list, "bill_type": list})
    lists = []
    for i, c in enumerate(t["code_list"]):
        where = f"ra_eligible.code_list[{i}]"
        use = parse_use(c, where, "ra_eligible_codes", sources, {"service_year": int, "codes": int},
                        {"earlier_version": str, "added_since_earlier": int})
        year = use.expect["service_year"]
        require(use.source.holds_service_year == year,
                f"{where}: source {use.source.id} holds service year {use.source.holds_service_year} "
                f"(its holds_service_year), not {year}")
        earlier = use.expect.get("earlier_version")
        require((earlier is None) == ("added_since_earlier" not in use.expect),
                f"{where}: earlier_version and added_since_earlier go together")
        if earlier is not None:
            other = sources.get(earlier)
            require(other is not None and format_for(other.format, "ra_eligible_codes") is not None,
                    f"{where}.earlier_version: no [sources.{earlier}] of an RA-eligible list format")
            require(other.holds_service_year == year,
                    f"{where}.earlier_version: {earlier} holds service year {other.holds_service_year}, not {year}")
        lists.append(use)
    years = [u.expect["service_year"] for u in lists]
    require(len(set(years)) == len(years), "ra_eligible: a code_list service_year is listed twice")
    bill_types = []
    for i, b in enumerate(t["bill_type"]):
        where = f"ra_eligible.bill_type[{i}]"
        b = fields(b, where, {"prefix": str, "setting": str, "claim_type": str,
                              "requires_procedure_filter": bool, "source": str})
        require(BILL_TYPE_PREFIX_RE.fullmatch(b["prefix"]) is not None,
                f"{where}.prefix: two digits (facility type + bill classification), got {b['prefix']!r}")
        require(b["setting"] in BILL_TYPE_SETTINGS, f"{where}.setting: inpatient or outpatient")
        require(b["claim_type"] == "institutional", f"{where}.claim_type: only institutional claims carry a bill type")
        require(b["requires_procedure_filter"] == BILL_TYPE_SETTINGS[b["setting"]],
                f"{where}: CMS filters {b['setting']} bill types "
                f"{'with' if BILL_TYPE_SETTINGS[b['setting']] else 'without'} the CPT/HCPCS list")
        require(b["source"].strip() != "", f"{where}.source: cite where the rule comes from")
        bill_types.append(b)
    prefixes = [b["prefix"] for b in bill_types]
    require(len(set(prefixes)) == len(prefixes), "ra_eligible: a bill_type prefix is listed twice")
    return RaEligible(sorted(lists, key=lambda u: u.expect["service_year"]),
                      sorted(bill_types, key=lambda b: b["prefix"]))


def all_uses(models: dict[str, ModelFamily], releases: list[Release], code_sets: list[CodeSet],
             ra_eligible: RaEligible | None = None) -> list[Use]:
    uses = [c.use for c in code_sets] + (ra_eligible.code_lists if ra_eligible else [])
    for m in models.values():
        uses += [m.factors, m.labels, m.hierarchy, *m.hierarchy_checks, m.interactions, m.edits,
                 *(a.value_from for a in m.added_factors)]
    for r in releases:
        uses += [r.crosswalk, *r.crosswalk_checks, r.payment]
    return uses


def check_manifest_consistency(m: Manifest) -> None:
    """Cross-references: every release's model exists, every model and source is used, etc."""
    keys = [(r.model, r.payment_year) for r in m.releases]
    require(len(set(keys)) == len(keys), f"{m.path.name}: a release (model, payment_year) is listed twice")
    for r in m.releases:
        require(r.model in m.models, f"release {r.name}: no [models.{r.model}] in the manifest")
        other = r.crosswalk.expect.get("log_difference_from_payment_year")
        require(other is None or m.release(r.model, other) is not None,
                f"release {r.name}: log_difference_from_payment_year = {other} is not a {r.model} release")
    for model_id in m.models:
        require(model_id in {r.model for r in m.releases}, f"models.{model_id}: no [[release]] uses it")
    years = [c.fiscal_year for c in m.code_sets]
    require(len(set(years)) == len(years), f"{m.path.name}: a code_set fiscal_year is listed twice")
    if m.specificity_rules:
        require(m.specificity_rules.billable_in_fiscal_year in years,
                "specificity_rules.suggested_codes_billable_in: no [[code_set]] of that fiscal year")
    paths = Counter(s.path for s in m.sources.values())
    require(max(paths.values(), default=1) == 1, f"{m.path.name}: a source path is listed twice")
    used = {s.id for u in all_uses(m.models, m.releases, m.code_sets, m.ra_eligible)
            for s in (u.source, *u.linked.values())}
    if m.ra_eligible:
        used |= {u.expect["earlier_version"] for u in m.ra_eligible.code_lists if "earlier_version" in u.expect}
    if m.hhs:
        used |= import_hhs.used_sources(m.hhs)
        clash = {mid for mid in m.hhs.models} & set(m.models)
        require(not clash, f"{m.path.name}: model id(s) {sorted(clash)} in both [models] and [hhs.models]")
    for s in m.sources.values():
        if s.identical_to is not None:
            other = m.sources.get(s.identical_to)
            require(other is not None and other.id != s.id,
                    f"sources.{s.id}.identical_to: no other [sources.{s.identical_to}] in the manifest")
            require(other.sha256 == s.sha256, f"sources.{s.id}.identical_to {other.id}: the two sha256 differ")
            used.add(s.id)  # read for the identity check
    unused = sorted(set(m.sources) - used)
    require(not unused, f"{m.path.name}: source(s) {', '.join(unused)} listed but never used")


def load_manifest(path: Path) -> Manifest:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise ManifestError(f"cannot read manifest {path}: {e}") from e
    t = fields(raw, path.name, {"format_version": int, "readme_template": str, "cited_root": str,
                                "sources": dict, "models": dict, "release": list, "code_set": list},
               {"specificity_rules": dict, "ra_eligible": dict, "hhs": dict})
    require(t["format_version"] == 1, f"{path.name}: format_version {t['format_version']}, this importer reads 1")
    sources = {sid: parse_source(sid, s) for sid, s in t["sources"].items()}
    specificity = None
    if "specificity_rules" in t:
        s = fields(t["specificity_rules"], "specificity_rules",
                   {"source": str, "suggested_codes_billable_in": int})
        specificity = SpecificityRules(path.parent / s["source"], s["suggested_codes_billable_in"])
    manifest = Manifest(
        path=path,
        readme_template=path.parent / t["readme_template"],
        cited_root=t["cited_root"],
        sources=sources,
        models={mid: parse_model(mid, m, sources) for mid, m in sorted(t["models"].items())},
        releases=sorted((parse_release(r, i, sources) for i, r in enumerate(t["release"])),
                        key=lambda r: (r.model, r.payment_year)),
        code_sets=sorted((parse_code_set(c, i, sources) for i, c in enumerate(t["code_set"])),
                         key=lambda c: c.fiscal_year),
        specificity_rules=specificity,
        ra_eligible=parse_ra_eligible(t["ra_eligible"], sources) if "ra_eligible" in t else None,
        hhs=import_hhs.parse_manifest(t["hhs"], sources) if "hhs" in t else None)
    check_manifest_consistency(manifest)
    return manifest


# === reading sources (every file read is recorded for SOURCES.csv) ===========================
class Shared:
    def __init__(self, root: Path):
        self.root = root
        self.read_files: dict[str, bytes] = {}
        self.derived: dict[str, Any] = {}  # derived results per source path (ESRD mapping)
        self._csv_cache: dict[str, tuple[list[str], list[dict[str, str]]]] = {}

    def read(self, source: Source) -> bytes:
        if source.path not in self.read_files:
            path = self.root / source.path
            check(path.is_file(), f"missing source file {path} (manifest sources.{source.id})")
            data = path.read_bytes()
            actual = sha256(data)
            check(actual == source.sha256, f"source file {source.path}: sha256 is {actual}, the manifest "
                                           f"(sources.{source.id}) expects {source.sha256}")
            self.read_files[source.path] = data
        return self.read_files[source.path]

    def text(self, source: Source) -> str:
        return self.read(source).decode("utf-8")

    def csv_rows(self, source: Source, columns: list[str]) -> list[dict[str, str]]:
        # newline="" semantics: the csv module handles CRLF sources (ra_dx_edits.csv) itself.
        if source.path not in self._csv_cache:
            # TRAP: the CMS 2026 package tables start with a UTF-8 BOM (it would stick to the
            # first column name) and end lines with CRLF.
            reader = csv.DictReader(io.StringIO(self.text(source).removeprefix("\ufeff"), newline=""))
            rows = list(reader)
            self._csv_cache[source.path] = (list(reader.fieldnames or []), rows)
        header, rows = self._csv_cache[source.path]
        missing = [c for c in columns if c not in header]
        check(not missing, f"{source.path}: missing column(s) {', '.join(missing)}")
        return rows


# --- crosswalk formats: each returns every (code, CC) row, duplicates kept -------------------
def read_tuva_mappings(sh: Shared, use: Use) -> list[tuple[str, int]]:
    # tuva has one row per (payment_year, code, CC pair): a code that maps to two CCs appears on
    # two rows, each carrying one V24 CC and one V28 CC. Filter on the model's flag column.
    col, year = use.params["column"], str(use.params["payment_year"])
    rows = sh.csv_rows(use.source, ["payment_year", "diagnosis_code", col, col + "_flag"])
    return [(r["diagnosis_code"], to_int(r[col], f"{use.source.path} {r['diagnosis_code']}"))
            for r in rows if r["payment_year"] == year and r[col + "_flag"] == "Yes"]


def read_pfehlinger_diag_map(sh: Shared, use: Use) -> list[tuple[str, int]]:
    # Lines "code<TAB>cc" or "code<TAB>cc<TAB>D" (D marks a code's second CC).
    pairs = []
    for line in sh.text(use.source).splitlines():
        fields_ = line.split("\t")
        check(2 <= len(fields_) <= 3, f"bad line in {use.source.path}: {line!r}")
        pairs.append((fields_[0], to_int(fields_[1], f"{use.source.path} {line!r}")))
    return pairs


def read_mimilabs_dx_to_cc(sh: Shared, use: Use) -> list[tuple[str, int]]:
    rows = sh.csv_rows(use.source, ["diagnosis_code", "cc", "model_name"])
    return [(r["diagnosis_code"], to_int(r["cc"], f"{use.source.path} {r['diagnosis_code']}"))
            for r in rows if r["model_name"] == use.params["model_name"]]


def read_hccpy_crosswalk(sh: Shared, use: Use) -> list[tuple[str, int]]:
    pairs = []
    for line in sh.text(use.source).splitlines():
        # "code<TAB>cc<TAB>" or "code<TAB>cc<TAB>D" (D: the code's second CC); a stray TAB ends
        # the one-CC lines.
        fields_ = [f for f in line.split("\t") if f]
        check(len(fields_) in (2, 3), f"bad line in {use.source.path}: {line!r}")
        pairs.append((fields_[0], to_int(fields_[1], f"{use.source.path} {line!r}")))
    return pairs


# --- factor, label, hierarchy, interaction and edit formats ----------------------------------
def read_mimilabs_coefficients(sh: Shared, use: Use) -> list[tuple[str, str]]:
    rows = sh.csv_rows(use.source, ["coefficient", "value", "model_version"])
    return [(r["coefficient"], r["value"]) for r in rows if r["model_version"] == use.params["model_version"]]


def read_mimilabs_factor_rows(sh: Shared, use: Use) -> list[tuple[str, str, str, str]]:
    """(segment, variable, kind, value) of the CMS-HCC families: names `<segment>_<variable>`."""
    rows = []
    for name, value in read_mimilabs_coefficients(sh, use):
        seg, var = split_coefficient_name(name)
        rows.append((seg, var, factor_kind(seg, var), value))
    return rows


def read_hccpy_labels(sh: Shared, use: Use) -> list[tuple[int, str]]:
    rows = sh.csv_rows(use.source, ["hcc", "label"])
    return [(to_int(r["hcc"], f"{use.source.path} hcc"), r["label"]) for r in rows]


def read_spec_rules_md(sh: Shared, use: Use) -> list[tuple[int, int, str, int]]:
    """The hierarchy rule table of a spec rules file (v28_rules.md §11, v24_rules.md §6), in CMS
    file order: (rule, parent HCC, parent label as written, child HCC) per edge.

    Table rows: | # | line(s) ... | block | <parent> <label> | <child>, <child>, ... |
    """
    text, heading = sh.text(use.source), "\n" + use.params["section"]
    check(heading in text, f"{use.source.path}: no section starting {use.params['section']!r}")
    start = text.index(heading)
    end = text.find("\n## ", start + 1)
    edges = []
    for line in text[start:end if end >= 0 else len(text)].splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("|") or not cells[0].isdigit():
            continue
        rule = int(cells[0])
        check(" " in cells[-2], f"{use.source.path} rule {rule}: parent cell {cells[-2]!r} is not '<HCC> <label>'")
        parent_num, parent_label = cells[-2].split(" ", 1)
        for child in cells[-1].split(","):
            edges.append((rule, to_int(parent_num, f"{use.source.path} rule {rule}"), parent_label,
                          to_int(child.strip(), f"{use.source.path} rule {rule}")))
    return edges


def read_mimilabs_hierarchies(sh: Shared, use: Use) -> set[tuple[int, int]]:
    rows = sh.csv_rows(use.source, ["cc_parent", "cc_child", "model_domain", "model_version"])
    return {(to_int(r["cc_parent"], use.source.path), to_int(r["cc_child"], use.source.path)) for r in rows
            if r["model_domain"] == use.params["model_domain"] and r["model_version"] == use.params["model_version"]}


def read_hccpy_hierarchy(sh: Shared, use: Use) -> set[tuple[int, int]]:
    rows = sh.csv_rows(use.source, ["hcc_parent", "hcc_child"])
    return {(to_int(r["hcc_parent"], use.source.path), to_int(r["hcc_child"], use.source.path)) for r in rows}


INTERACTION_KINDS = {"disease_interaction", "disabled_interaction", "institutional_disease_interaction"}
SPEC_SEGMENT_COLUMNS = ["CNA", "CND", "CFA", "CFD", "CPA", "CPD", "INS"]


def read_spec_interactions(sh: Shared, use: Use) -> list[dict[str, str]]:
    # Skipped kinds: demographic_interaction (OriginallyDisabled_*), payment_hcc_count(_base)
    # (D1..D10P): the engine computes those from the person and the HCC count.
    rows = sh.csv_rows(use.source, ["model", "variable", "variable_kind", "component", "member_hcc",
                                    "segments_in_sas_regression_list", *SPEC_SEGMENT_COLUMNS])
    return [r for r in rows if r["model"] == use.params["model"] and r["variable_kind"] in INTERACTION_KINDS]


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


@dataclass(frozen=True)
class Edit:
    kind: str  # "mandatory" or "mce_age"
    rule: str  # description without the model prefix; names the step of the mandatory chain
    code: str
    sex: str
    age_min: str
    age_max: str
    action: str
    cc: str


def translate_edit(r: dict[str, str], prefix: str) -> Edit:
    check(r["sex"] in ("", "1", "2"), f"edit {r['icd10']}: sex {r['sex']!r}")
    check(r["action"] in ("invalid", "override"), f"edit {r['icd10']}: action {r['action']!r}")
    sex = {"": "", "1": "M", "2": "F"}[r["sex"]]
    age_min, age_max = translate_bounds(r["age_min"], r["age_max"])
    action = "drop" if r["action"] == "invalid" else "cc"
    cc = r["cc_override"] if action == "cc" else ""
    check(r["description"].startswith(prefix), f"edit {r['icd10']}: description {r['description']!r}")
    rule = r["description"][len(prefix):]
    translated = (sex, age_min, age_max, action, cc)
    check(translated == expected_from_description(rule),
          f"{prefix}edit {r['icd10']}: translated {translated} disagrees with {r['description']!r}")
    kind = "mce_age" if r["edit_type"] == "mce_age" else "mandatory"
    return Edit(kind, rule, r["icd10"], sex, age_min, age_max, action, cc)


def read_mimilabs_dx_edits(sh: Shared, use: Use) -> list[Edit]:
    rows = sh.csv_rows(use.source, ["icd10", "edit_type", "sex", "age_min", "age_max", "action",
                                    "cc_override", "model_name", "description"])
    return [translate_edit(r, use.params["description_prefix"]) for r in rows
            if r["model_name"] == use.params["model_name"]]


# --- payment figures (normalization factor, MA coding adjustment, blend weight) --------------
# (manifest citation key, label in model_releases.csv, column of normalization.csv it must occur in)
CITATION_PARTS = [("normalization_factor", "NF", "normalization_source"),
                  ("ma_coding_adjustment", "MA", "ma_coding_source"),
                  ("blend_weight", "weight", "blend_weight_source")]


@dataclass(frozen=True)
class PaymentRow:
    normalization_factor: str
    ma_coding_adjustment: str
    blend_weight: str
    cited_in: dict[str, str]  # manifest citation key -> source text the citation must occur in
    confidence: str


def read_spec_normalization(sh: Shared, use: Use) -> dict[tuple[str, int], PaymentRow]:
    """spec/normalization.csv, keyed by (model column, payment year)."""
    rows = sh.csv_rows(use.source, ["model", "payment_year", "normalization_factor", "ma_coding_adjustment",
                                    "blend_weight", "confidence", *[c for _, _, c in CITATION_PARTS]])
    out = {}
    for r in rows:
        key = (r["model"], to_int(r["payment_year"], f"{use.source.path} payment_year"))
        check(key not in out, f"{use.source.path}: two rows for {key}")
        out[key] = PaymentRow(r["normalization_factor"], r["ma_coding_adjustment"], r["blend_weight"],
                              {key_: r[column] for key_, _, column in CITATION_PARTS},
                              r["confidence"].split(":")[0].split(" (")[0])  # "medium (...)": "medium"
    return out


# --- ICD-10-CM code set formats: (entries (code, billable, long description), content read) --
def parse_order_file(text: str, where: str) -> list[tuple[str, str, str]]:
    """Fixed-width CMS order file (icd10cm/PROVENANCE.md): code l[6:13], flag l[14], long l[77:]."""
    out = []
    for n, line in enumerate(text.split("\r\n"), 1):
        if not line:
            continue
        check(len(line) > 77 and line[0:5] == f"{n:05d}" and line[5] == " " and line[13] == " "
              and line[14] in "01" and line[76] == " ",
              f"{where}: order file line {n} breaks the layout: {line[:30]!r}")
        out.append((line[6:13].strip(), line[14], line[77:]))
    return out


def read_cms_order_txt(sh: Shared, use: Use) -> tuple[list[tuple[str, str, str]], bytes]:
    raw = sh.read(use.source)
    return parse_order_file(raw.decode("ascii"), use.source.path), raw


def read_cms_order_zip(sh: Shared, use: Use) -> tuple[list[tuple[str, str, str]], bytes]:
    # A CMS zip as published (e.g. FY2025, kept only zipped; icd10cm/PROVENANCE.md): read the
    # order file member.
    archive = zipfile.ZipFile(io.BytesIO(sh.read(use.source)))
    member = use.params["member"]
    check(member in archive.namelist(), f"{use.source.path}: no member {member}")
    content = archive.read(member)
    return parse_order_file(content.decode("ascii"), f"{use.source.path} member {member}"), content


def read_icd10cm_derived_csv_gz(sh: Shared, use: Use) -> tuple[list[tuple[str, str, str]], bytes]:
    # A derived code set (e.g. FY2027): gzip CSV code, billable, short, long, change.
    content = gzip.decompress(sh.read(use.source))
    rows = csv.DictReader(io.StringIO(content.decode("utf-8"), newline=""))
    missing = {"code", "billable", "long_description"} - set(rows.fieldnames or [])
    check(not missing, f"{use.source.path}: missing column(s) {', '.join(sorted(missing))}")
    return [(r["code"], r["billable"], r["long_description"]) for r in rows], content


# --- CMS 2026 model-software tables (RxHCC V08 X/T, ESRD V24; spec/rxhcc_v08_rules.md,
# spec/esrd_v24_rules.md). Files have a BOM, CRLF, "5.0" for CC 5 and trailing blanks in some
# variable names and labels: every name and label is trimmed.
def cms_cc(text: str, where: str) -> int:
    # CMS writes CCs as floats ("5.0", "115.0"); anything but a whole number is an error.
    m = re.fullmatch(r"(\d+)(\.0)?", text.strip())
    check(m is not None, f"{where}: CC {text!r} is not a whole number")
    return int(m[1])


def age_range(condition: str, where: str) -> tuple[int, int | None]:
    """A CMS age condition as the range of ages where it holds: (lo, hi), hi None = no upper
    bound. Blank = always. Any other wording is an error (it would otherwise be ignored)."""
    text = condition.strip()
    if not text:
        return 0, None
    for pattern, make in ((r"age < (\d+)", lambda m: (0, int(m[1]) - 1)),
                          (r"age >= (\d+)", lambda m: (int(m[1]), None)),
                          (r"age = (\d+)", lambda m: (int(m[1]), int(m[1]))),
                          (r"(\d+) <= age <= (\d+)", lambda m: (int(m[1]), int(m[2])))):
        m = re.fullmatch(pattern, text)
        if m:
            return make(m)
    raise SourceError(f"{where}: unknown age condition {condition!r}")


def in_range(rng: tuple[int, int | None], age: int) -> bool:
    return rng[0] <= age and (rng[1] is None or age <= rng[1])


def mce_edit(code: str, condition: str) -> Edit:
    """The MCE age validity of one code as an `mce_age` edit. The description wording of
    ra_dx_edits.csv is reused, so only its three forms ('age = n', 'a <= age <= b',
    'age >= n') are accepted; any other condition text fails."""
    rule = f"MCE valid '{condition.strip()}'"
    try:
        sex, age_min, age_max, action, cc = expected_from_description(rule)
    except SourceError:
        raise SourceError(f"{code}: unknown MCE_AGE_CONDITION {condition!r}") from None
    return Edit("mce_age", rule, code, sex, age_min, age_max, action, cc)


def read_cms_rxhcc_mappings(sh: Shared, use: Use) -> list[tuple[str, int]]:
    # ICD10,CC,MCE_AGE_CONDITION: one row per (code, RxCC); the MCE column is read as edits.
    rows = sh.csv_rows(use.source, ["ICD10", "CC", "MCE_AGE_CONDITION"])
    return [(r["ICD10"].strip(), cms_cc(r["CC"], f"{use.source.path} {r['ICD10']}")) for r in rows]


def mce_conditions(sh: Shared, source: Source) -> dict[str, str]:
    """code -> its MCE age condition (one per code; blank = none)."""
    out: dict[str, str] = {}
    for r in sh.csv_rows(source, ["ICD10", "MCE_AGE_CONDITION"]):
        code, cond = r["ICD10"].strip(), r["MCE_AGE_CONDITION"].strip()
        check(out.get(code, cond) == cond, f"{source.path}: {code} has two MCE conditions")
        out[code] = cond
    return out


def read_cms_rxhcc_mce_edits(sh: Shared, use: Use) -> list[Edit]:
    # RxHCC V08 has no mandatory edits (rxhcc_v08_rules.md §5): only MCE age rows.
    return [mce_edit(code, cond) for code, cond in sorted(mce_conditions(sh, use.source).items()) if cond]


# ESRD V24: the crosswalk and the mandatory edits come from one table whose rows carry age and
# sex conditions (esrd_v24_rules.md §4-§5). They are re-expressed in FORMAT.md terms (crosswalk
# + one-chain mandatory edits + MCE drops), and the result is re-evaluated against the table for
# every code, every age 0..120 and both sexes: any difference fails the import.
AGE_GRID = range(0, 121)
SEXES = ("M", "F")
CMS_SEX = {"": "", "1.0": "M", "2.0": "F", "1": "M", "2": "F"}


@dataclass(frozen=True)
class CmsMappingRow:
    cc: int
    ages: tuple[int, int | None]  # AGE_EDIT_CONDITION as a range
    sex: str  # "" (both), "M", "F"


@dataclass(frozen=True)
class DerivedMapping:
    crosswalk: set[tuple[str, int]]
    edits: list[Edit]


def cms_table_ccs(rows: list[CmsMappingRow], mce: tuple[int, int | None] | None,
                  age: int, sex: str) -> frozenset[int]:
    """The CMS table's semantics: every row whose conditions hold gives its CC; then a code
    outside its MCE age range gives nothing."""
    if mce is not None and not in_range(mce, age):
        return frozenset()
    return frozenset(r.cc for r in rows if in_range(r.ages, age) and r.sex in ("", sex))


def edit_fires(e: Edit, age: int, sex: str) -> bool:
    """data/FORMAT.md: sex empty or equal, and (both bounds empty, or age outside them)."""
    if e.sex and e.sex != sex:
        return False
    if not e.age_min and not e.age_max:
        return True
    return (e.age_min != "" and age < int(e.age_min)) or (e.age_max != "" and age > int(e.age_max))


def format_ccs(crosswalk: frozenset[int], edits: list[Edit], age: int, sex: str) -> frozenset[int]:
    """data/FORMAT.md's semantics: the first firing mandatory edit replaces the crosswalk
    (cc: that CC only; drop: nothing); then a firing mce_age edit drops the code."""
    result = crosswalk
    for e in (e for e in edits if e.kind == "mandatory"):
        if edit_fires(e, age, sex):
            result = frozenset([int(e.cc)]) if e.action == "cc" else frozenset()
            break
    if any(edit_fires(e, age, sex) for e in edits if e.kind == "mce_age"):
        result = frozenset()
    return result


def describe_edit(sex: str, age_min: str, age_max: str, action: str, cc: str) -> str:
    """The ra_dx_edits.csv wording of a mandatory edit (so the manifest's chain names it the way
    it names the V24 chain), checked by parsing it back."""
    target = f"CC{cc}" if action == "cc" else "invalid"
    if sex == "F" and not age_min and not age_max:
        rule = f"sex=2 -> {target}"
    elif not sex and age_min not in ("", "0") and not age_max:
        rule = f"age<{age_min} -> {target}"
    elif not sex and age_min == "0" and age_max and action == "drop":
        rule = f"age>={int(age_max) + 1} -> invalid"
    elif not sex and age_min and age_max and action == "drop":
        rule = f"invalid outside age {age_min}-{age_max} -> invalid"
    else:
        raise SourceError(f"no edit wording for {(sex, age_min, age_max, action, cc)}")
    check(expected_from_description(rule) == (sex, age_min, age_max, action, cc), f"edit wording {rule!r}")
    return rule


def edit_for_exceptions(f: dict[tuple[int, str], frozenset[int]],
                        base: frozenset[int]) -> tuple[str, str, str, str, str] | None | bool:
    """The one mandatory edit that turns `base` into f at every grid point: None if f == base
    everywhere, False if no single edit does it. The points where f differs must share one value
    (one CC: action cc; none: drop), cover one sex or both alike, and leave a contiguous valid
    age range."""
    diff = {(a, s) for (a, s), v in f.items() if v != base}
    if not diff:
        return None
    values = {f[p] for p in diff}
    if len(values) != 1 or len(next(iter(values))) > 1:
        return False
    value = next(iter(values))
    sexes = {s for _, s in diff}
    ages = {s: {a for a, s2 in diff if s2 == s} for s in sexes}
    if len(sexes) == 2 and ages["M"] != ages["F"]:
        return False
    sex = "" if len(sexes) == 2 else next(iter(sexes))
    valid = [a for a in AGE_GRID if a not in ages[next(iter(sexes))]]
    if valid and valid != list(range(valid[0], valid[-1] + 1)):
        return False
    age_min = age_max = ""
    if valid:  # an empty valid range = the edit always fires for that sex
        age_min = str(valid[0])
        age_max = "" if valid[-1] == AGE_GRID[-1] else str(valid[-1])
    action, cc = ("cc", str(next(iter(value)))) if value else ("drop", "")
    return sex, age_min, age_max, action, cc


def derive_code(code: str, rows: list[CmsMappingRow]) -> tuple[frozenset[int], Edit | None]:
    """Crosswalk CCs and mandatory edit (or none) of one code. The crosswalk value is the
    non-empty value of the table that, with one edit, gives every other point; if two do
    (D66/D67: male 46, female 48), the one covering more points, then the male value at 65
    (CMS's edit macro names the female override: D66/D67 female -> CC48)."""
    f = {(a, s): cms_table_ccs(rows, None, a, s) for a in AGE_GRID for s in SEXES}
    coverage = Counter(v for v in f.values() if v)
    candidates = []
    for value in sorted(coverage, key=sorted):
        edit = edit_for_exceptions(f, value)
        if edit is not False:
            candidates.append((value, edit))
    check(bool(candidates), f"{code}: the CMS rows cannot be expressed as a crosswalk plus one edit")
    candidates.sort(key=lambda c: (-coverage[c[0]], c[0] != f[(65, "M")]))
    base, edit = candidates[0]
    if edit is None:
        return base, None
    return base, Edit("mandatory", describe_edit(*edit), code, *edit)


def derive_esrd_mapping(sh: Shared, source: Source) -> DerivedMapping:
    cached = sh.derived.get(source.path)
    if cached is not None:
        return cached
    rows = sh.csv_rows(source, ["ICD10", "CC", "MCE_AGE_CONDITION", "AGE_EDIT_CONDITION", "SEX_EDIT_CONDITION"])
    by_code: dict[str, list[CmsMappingRow]] = {}
    for r in rows:
        code, where = r["ICD10"].strip(), f"{source.path} {r['ICD10']}"
        check(r["SEX_EDIT_CONDITION"].strip() in CMS_SEX, f"{where}: sex condition {r['SEX_EDIT_CONDITION']!r}")
        by_code.setdefault(code, []).append(CmsMappingRow(
            cms_cc(r["CC"], where), age_range(r["AGE_EDIT_CONDITION"], where), CMS_SEX[r["SEX_EDIT_CONDITION"].strip()]))
    mce = mce_conditions(sh, source)
    crosswalk: set[tuple[str, int]] = set()
    edits: list[Edit] = []
    for code in sorted(by_code):
        base, edit = derive_code(code, by_code[code])
        crosswalk |= {(code, cc) for cc in base}
        code_edits = ([edit] if edit else []) + ([mce_edit(code, mce[code])] if mce[code] else [])
        edits += code_edits
        mce_range = age_range(mce[code], f"{source.path} {code} MCE") if mce[code] else None
        for age in AGE_GRID:  # the check: the derived form scores like the CMS table
            for sex in SEXES:
                ours = format_ccs(base, code_edits, age, sex)
                theirs = cms_table_ccs(by_code[code], mce_range, age, sex)
                check(ours == theirs, f"{source.path} {code} age {age} sex {sex}: CMS table gives "
                                      f"{sorted(theirs)}, crosswalk + edits give {sorted(ours)}")
    sh.derived[source.path] = DerivedMapping(crosswalk, edits)
    return sh.derived[source.path]


def read_cms_esrd_crosswalk(sh: Shared, use: Use) -> list[tuple[str, int]]:
    return sorted(derive_esrd_mapping(sh, use.source).crosswalk)


def read_cms_esrd_edits(sh: Shared, use: Use) -> list[Edit]:
    return derive_esrd_mapping(sh, use.source).edits


def read_cms_hierarchy(sh: Shared, use: Use) -> list[tuple[int, int, str | None, int]]:
    """HCC_Hierarchies.csv / V24_HCC_Hierarchies.csv: one row per HCC, the first column the
    superior, the `Secondary*` columns its subordinates. TRAP: the row order is the CMS rule
    order (rxhcc_v08_rules.md §7: 84 -> 317 after 81/82/83); rule numbers count the rows that
    have a subordinate. No label in the file (None)."""
    text = sh.text(use.source).removeprefix("\ufeff")
    records = list(csv.reader(io.StringIO(text, newline="")))
    header, prefix = records[0], use.params["value_prefix"]
    check(all(h.startswith("Secondary") for h in header[1:]), f"{use.source.path}: header {header}")
    value_re = re.compile(re.escape(prefix) + r"(\d+)")

    def hcc(cell: str) -> int:
        m = value_re.fullmatch(cell.strip())
        check(m is not None, f"{use.source.path}: {cell!r} is not {prefix}<number>")
        return int(m[1])
    edges, rule = [], 0
    for rec in records[1:]:
        children = [hcc(c) for c in rec[1:] if c.strip()]
        if children:
            rule += 1
            edges += [(rule, hcc(rec[0]), None, child) for child in children]
    return edges


def factor_table(sh: Shared, source: Source) -> tuple[list[str], list[dict[str, str]]]:
    """A CMS wide factor table: `Variable,Label,<segment>...`; names and labels trimmed.
    TRAP: V24_CE_Relative_Factors.csv has trailing blanks in some names (`LTI_Aged `)."""
    rows = sh.csv_rows(source, ["Variable", "Label"])
    header = list(rows[0].keys()) if rows else []
    out = [{k: (v or "").strip() for k, v in r.items()} for r in rows]
    names = [r["Variable"] for r in out]
    check(len(set(names)) == len(names), f"{source.path}: a variable is listed twice")
    return header[2:], out


def score_table(sh: Shared, source: Source, columns: list[str]) -> list[tuple[str, str]]:
    """A CMS add-on table (`<name>,Label,Score`): (trimmed name, score)."""
    rows = sh.csv_rows(source, columns)
    return [(r[columns[0]].strip(), r[columns[-1]].strip()) for r in rows]


def read_cms_factor_labels(sh: Shared, use: Use) -> list[tuple[int, str]]:
    # The Label column of the CE factor table, for the rows named <variable_prefix><number>.
    _, rows = factor_table(sh, use.source)
    hcc_re = re.compile(re.escape(use.params["variable_prefix"]) + r"(\d+)")
    return [(int(m[1]), r["Label"]) for r in rows if (m := hcc_re.fullmatch(r["Variable"]))]


# RxHCC V08 variable lists per segment (rxhcc_v08_rules.md §4, SAS M08 253-302).
RX_AGED_CELL = re.compile(r"[FM](65_69|70_74|75_79|80_84|85_89|90_94|95_GT)")
RX_NONAGED_CELL = re.compile(r"[FM](0_34|35_44|45_54|55_59|60_64)")
RX_HCC = re.compile(r"RXHCC\d+")
RX_NONAGED_INTERACTION = re.compile(r"NONAGED_RXHCC(\d+)")
RX_NE_CELL = re.compile(r"(NESRD|ESRD)_(NORIGDIS|ORIGDIS)_X_[FM]\d+(_\d+|_GT)?")


def rxhcc_kind(segment: str, variable: str) -> str | None:
    """The kind of a variable in an RxHCC segment's list, or None if the list lacks it."""
    aged, nonaged = RX_AGED_CELL.fullmatch(variable), RX_NONAGED_CELL.fullmatch(variable)
    if segment.startswith("NE_"):
        return "new_enrollee" if RX_NE_CELL.fullmatch(variable) else None
    if RX_HCC.fullmatch(variable):
        return "hcc"
    if segment == "CE_LTI":
        if aged or nonaged or variable == "OD65":
            return "demographic"
        return "interaction" if RX_NONAGED_INTERACTION.fullmatch(variable) else None
    if segment.endswith("_NonAged"):
        return "demographic" if nonaged else None
    return "demographic" if aged or variable in ("F65OD", "M65OD") else None


def wide_factor_rows(sh: Shared, source: Source, kind_of: Callable[[str, str], str | None],
                     blank_is_zero: bool) -> list[tuple[str, str, str, str]]:
    """(segment, variable, kind, value) from a wide table. RxHCC: a variable is in a segment
    iff its list has it; a blank cell of a listed variable is 0 (M65OD in X CE_NonLow_Aged).
    ESRD: a variable is in a column iff its cell is non-blank (its zeros are written "0").
    Either way a non-blank cell outside the segment's list is an error."""
    segments, rows = factor_table(sh, source)
    out = []
    for r in rows:
        for seg in segments:
            kind, value = kind_of(seg, r["Variable"]), r[seg]
            check(kind is not None or value == "",
                  f"{source.path}: {r['Variable']} has a factor in {seg}, which does not list it")
            if kind is not None and (value or blank_is_zero):
                out.append((seg, r["Variable"], kind, value or "0"))
    return out


def read_cms_rxhcc_factors(sh: Shared, use: Use) -> list[tuple[str, str, str, str]]:
    return (wide_factor_rows(sh, use.source, rxhcc_kind, True)
            + wide_factor_rows(sh, use.linked["ne_source"], rxhcc_kind, True))


def read_cms_rxhcc_interactions(sh: Shared, use: Use) -> "FlatInteractions":
    # NONAGED_RXHCCn = NonAged x RXHCCn (rxhcc_v08_rules.md §8), from the variable names.
    _, rows = factor_table(sh, use.source)
    out = []
    for r in rows:
        m = RX_NONAGED_INTERACTION.fullmatch(r["Variable"])
        if m:
            out += [(r["Variable"], "NONAGED", None), (r["Variable"], f"RXHCC{m[1]}", int(m[1]))]
    return FlatInteractions(out)


# ESRD V24 (esrd_v24_rules.md §2-§3, §9).
ESRD_DEMOGRAPHIC = re.compile(r"[FM]\d+_(\d+|GT)|ORIGDIS|OriginallyDisabled_(Female|Male)"
                              r"|Originally_ESRD_(Female|Male)|LTI_(Aged|NonAged)"
                              r"|(FB|PB)Dual_(Female|Male)_(Aged|NonAged)")
ESRD_NE_CELL = re.compile(r"(ND_PBD|FBD)_(NORIGDIS|ORIGDIS)_(G_)?NE[FM]\d+(_\d+|_GT)?")
ESRD_DURATION = re.compile(r"(GE65|LT65)_(DUR4_9|DUR10PL)_(ND_PBD|FBD)")
ESRD_PBD_FLAG = re.compile(r"PBD_(GE65|LT65)_flag")
ESRD_INST_ADDON = re.compile(r"FGI_(GE65|LT65)_(DUR4_9|DUR10PL)_(ND_PBD|FBD)|FGI_PBD_(GE65|LT65)_flag|LTI_(GE65|LT65)")
ESRD_TRANSPLANT = re.compile(r"TRANSPLANT_KIDNEY_ONLY_([123])M")


def esrd_kind(segment: str, variable: str) -> str:
    if segment.endswith("_NE"):
        check(ESRD_NE_CELL.fullmatch(variable) is not None, f"ESRD {segment}: {variable!r} is not an NE cell")
        return "new_enrollee"
    if HCC_RE.fullmatch(variable):
        return "hcc"
    return "demographic" if ESRD_DEMOGRAPHIC.fullmatch(variable) else "interaction"


def esrd_graft_addons(sh: Shared, use: Use) -> list[tuple[str, str, str, str]]:
    """The add-ons of esrd_v24_rules.md §9 as `graft` rows, under E24's names: duration scores
    FGC_<name> in the G_COMM segment of their age and dual status (and the 8 non-flag ones in
    GRAFT_NE), the institutional scores in GRAFT_INST, the transplant months in TRANSPLANT_nM."""
    out = []
    for name, score in score_table(sh, use.linked["graft_duration_source"], ["Graft Duration", "Label", "Score"]):
        dur, flag = ESRD_DURATION.fullmatch(name), ESRD_PBD_FLAG.fullmatch(name)
        check(dur is not None or flag is not None, f"graft duration score {name!r}: unknown name")
        age, dual = (dur[1], dur[3]) if dur else (flag[1], "ND_PBD")
        out.append((f"G_COMM_{dual}_{age}", f"FGC_{name}", "graft", score))
        if dur:
            out.append(("GRAFT_NE", f"FGC_{name}", "graft", score))
    for name, score in score_table(sh, use.linked["institutional_graft_source"], ["Graft Duration", "Label", "Score"]):
        check(ESRD_INST_ADDON.fullmatch(name) is not None, f"institutional graft score {name!r}: unknown name")
        out.append(("GRAFT_INST", name, "graft", score))
    for name, score in score_table(sh, use.linked["transplant_source"], ["Variable", "Label", "Score"]):
        m = ESRD_TRANSPLANT.fullmatch(name)
        check(m is not None, f"transplant score {name!r}: unknown name")
        out.append((f"TRANSPLANT_{m[1]}M", name, "graft", score))
    return out


def read_cms_esrd_factors(sh: Shared, use: Use) -> list[tuple[str, str, str, str]]:
    rows = wide_factor_rows(sh, use.source, esrd_kind, False)
    for key in ("ne_dialysis_source", "ne_graft_source"):
        rows += wide_factor_rows(sh, use.linked[key], esrd_kind, False)
    return rows + esrd_graft_addons(sh, use)


@dataclass(frozen=True)
class FlatInteractions:
    """Interaction definitions already in the interactions.csv shape: (interaction, term,
    member HCC or None for a special term)."""
    rows: list[tuple[str, str, int | None]]


def read_cms_esrd_interactions(sh: Shared, use: Use) -> FlatInteractions:
    """V24_Interactions.csv (`interaction,var_1,var_2`) with the groups of
    V24_Diagnosis_Categories.csv (`diag_category,hcc_1..`), flattened: a group is a term listing
    its HCCs, `HCCn` a term of one HCC, `NonAged` the special term NONAGED, and an interaction
    used as a term (NONAGED_gSubUseDs_gPsych = NonAged x gSubUseDs_gPsych_V24) contributes its
    own terms (an AND of ANDs is one AND)."""
    groups: dict[str, list[int]] = {}
    categories = use.linked["categories_source"]
    for r in sh.csv_rows(categories, ["diag_category"]):
        members = []
        for member in (v.strip() for k, v in r.items() if k != "diag_category" and v and v.strip()):
            m = HCC_RE.fullmatch(member)
            check(m is not None, f"{categories.path}: group member {member!r} is not HCC<number>")
            members.append(int(m[1]))
        groups[r["diag_category"].strip()] = members
    parts = {r["interaction"].strip(): [r["var_1"].strip(), r["var_2"].strip()]
             for r in sh.csv_rows(use.source, ["interaction", "var_1", "var_2"])}

    def terms(name: str, depth: int = 0) -> list[tuple[str, int | None]]:
        check(depth < 5, f"{use.source.path}: interaction {name} nests too deep")
        if name == "NonAged":
            return [("NONAGED", None)]
        if name in groups:
            return [(name, m) for m in groups[name]]
        if HCC_RE.fullmatch(name):
            return [(name, int(HCC_RE.fullmatch(name)[1]))]
        check(name in parts, f"{use.source.path}: term {name!r} is no group, HCC, NonAged or interaction")
        return [t for p in parts[name] for t in terms(p, depth + 1)]
    return FlatInteractions([(name, t, m) for name in parts for t, m in terms(name)])


def read_factor_value_normalization(sh: Shared, use: Use) -> str:
    row = read_spec_normalization(sh, use).get((use.params["model"], use.params["payment_year"]))
    check(row is not None, f"{use.where}: no row {use.params['model']!r} {use.params['payment_year']} "
                           f"in {use.source.path}")
    return row.normalization_factor


def read_factor_value_mimilabs(sh: Shared, use: Use) -> str:
    values = [v for name, v in read_mimilabs_coefficients(sh, use) if name == use.params["coefficient"]]
    check(len(values) == 1, f"{use.where}: {len(values)} rows {use.params['coefficient']} "
                            f"model_version={use.params['model_version']} in {use.source.path}")
    return values[0]


RA_CODE_RE = re.compile(r"[0-9A-Z]{5}")


def read_mimilabs_ra_eligible(sh: Shared, use: Use) -> list[str]:
    """mimilabs `ra_eligible_cpt_hcpcs_*.csv`: one column `cpt_hcpcs_code`, CMS spelling (five
    characters, leading zeros kept: `00100`, `0071T`, `C7544`)."""
    rows = sh.csv_rows(use.source, ["cpt_hcpcs_code"])
    codes = [r["cpt_hcpcs_code"] for r in rows]
    for code in codes:
        check(RA_CODE_RE.fullmatch(code) is not None,
              f"{use.source.path}: {code!r} is not a five-character CPT/HCPCS code")
    return codes


def read_table(sh: Shared, use: Use) -> None:
    raise SourceError(f"{use.where}: a linked table is read by the use that links it")


# --- the format registry: manifest `format` -> reader ----------------------------------------
@dataclass(frozen=True)
class Format:
    role: str  # which manifest step may use it (crosswalk, factors, labels, ...)
    read: Callable[[Shared, Use], Any]
    params: dict[str, type]  # filter keys the manifest gives at each use
    describe: Callable[[Use, str], str] | None = None  # (use, cited path) -> model_releases.csv text
    # Readers of the same file for other steps (a CMS mapping table is both the crosswalk and the
    # edits; a CMS factor table also holds the labels): role -> Format.
    more: dict[str, "Format"] = field(default_factory=dict)


FORMATS: dict[str, Format] = {
    "tuva_mappings_csv": Format(
        "crosswalk", read_tuva_mappings, {"payment_year": int, "column": str},
        lambda u, p: f"{p} payment_year={u.params['payment_year']} {u.params['column']}_flag=Yes "
                     f"(column {u.params['column']})"),
    "pfehlinger_diag_map_txt": Format("crosswalk", read_pfehlinger_diag_map, {}, lambda u, p: p),
    "mimilabs_dx_to_cc_csv": Format("crosswalk", read_mimilabs_dx_to_cc, {"model_name": str},
                                    lambda u, p: f"{p} model_name={u.params['model_name']}"),
    "hccpy_crosswalk_txt": Format("crosswalk", read_hccpy_crosswalk, {}, lambda u, p: p),
    "mimilabs_coefficients_csv": Format(
        "factors", read_mimilabs_factor_rows, {"model_version": str},
        lambda u, p: f"{p} model_version={u.params['model_version']}",
        more={"factor_value": Format("factor_value", read_factor_value_mimilabs,
                                     {"model_version": str, "coefficient": str})}),
    "hccpy_labels_csv": Format("labels", read_hccpy_labels, {}),
    "spec_rules_md": Format("hierarchy_rules", read_spec_rules_md, {"section": str}),
    "mimilabs_hierarchies_csv": Format("hierarchy_edges", read_mimilabs_hierarchies,
                                       {"model_domain": str, "model_version": str}),
    "hccpy_hierarchy_csv": Format("hierarchy_edges", read_hccpy_hierarchy, {}),
    "spec_interactions_csv": Format("interactions", read_spec_interactions, {"model": str}),
    "mimilabs_dx_edits_csv": Format("edits", read_mimilabs_dx_edits,
                                    {"model_name": str, "description_prefix": str}),
    "spec_normalization_csv": Format(
        "payment", read_spec_normalization, {},
        more={"factor_value": Format("factor_value", read_factor_value_normalization,
                                     {"model": str, "payment_year": int})}),
    # CMS PY2026 model-software tables (saehwanpark-risk-compose/; rxhcc_v08_rules.md,
    # esrd_v24_rules.md). `*_source` filter keys name the further tables read with the main one.
    "cms_rxhcc_mappings_csv": Format(
        "crosswalk", read_cms_rxhcc_mappings, {}, lambda u, p: f"{p} (ICD10, CC)",
        more={"edits": Format("edits", read_cms_rxhcc_mce_edits, {})}),
    "cms_esrd_mappings_csv": Format(
        "crosswalk", read_cms_esrd_crosswalk, {},
        lambda u, p: f"{p} (rows with AGE_EDIT/SEX_EDIT conditions resolved into edits.csv; checked over ages 0-120, both sexes)",
        more={"edits": Format("edits", read_cms_esrd_edits, {})}),
    "cms_hierarchy_csv": Format("hierarchy_rules", read_cms_hierarchy, {"value_prefix": str}),
    "cms_rxhcc_factors_csv": Format(
        "factors", read_cms_rxhcc_factors, {"ne_source": str}, lambda u, p: p,
        more={"labels": Format("labels", read_cms_factor_labels, {"variable_prefix": str}),
              "interactions": Format("interactions", read_cms_rxhcc_interactions, {})}),
    "cms_esrd_factors_csv": Format(
        "factors", read_cms_esrd_factors,
        {"ne_dialysis_source": str, "ne_graft_source": str, "graft_duration_source": str,
         "institutional_graft_source": str, "transplant_source": str}, lambda u, p: p,
        more={"labels": Format("labels", read_cms_factor_labels, {"variable_prefix": str})}),
    "cms_esrd_interactions_csv": Format("interactions", read_cms_esrd_interactions,
                                        {"categories_source": str}),
    "mimilabs_ra_eligible_csv": Format("ra_eligible_codes", read_mimilabs_ra_eligible, {}),
    "cms_table_csv": Format("table", read_table, {}),  # read only through a `*_source` key
    "cms_order_txt": Format("code_set", read_cms_order_txt, {}),
    "cms_order_zip": Format("code_set", read_cms_order_zip, {"member": str}),
    "icd10cm_derived_csv_gz": Format("code_set", read_icd10cm_derived_csv_gz, {}),
}


def read_hhs_source(sh: Shared, use: Use) -> None:
    raise SourceError(f"{use.where}: an HHS source is read by tools/import_hhs.py")


# HHS-HCC sources: named only by the manifest's [hhs] table and read by tools/import_hhs.py.
FORMATS.update({name: Format("hhs", read_hhs_source, {}) for name in import_hhs.SOURCE_FORMATS})


def format_for(name: str, role: str) -> Format | None:
    """The reader of format `name` for a step of `role`, or None if the format has none."""
    fmt = FORMATS[name]
    return fmt if fmt.role == role else fmt.more.get(role)


def roles_of(name: str) -> list[str]:
    return [FORMATS[name].role, *FORMATS[name].more]


def read(sh: Shared, use: Use) -> Any:
    return format_for(use.source.format, use.role).read(sh, use)


def describe(manifest: Manifest, use: Use, added: list[AddedFactor] = ()) -> str:
    """The source of a release's crosswalk or factors as model_releases.csv names it."""
    text = format_for(use.source.format, use.role).describe(use, manifest.cited(use.source))
    if use.linked:
        text += " + " + " + ".join(manifest.cited(s) for s in use.linked.values())
    by_source: dict[str, list[str]] = {}
    for a in added:  # manifest-given rows, with the file that confirms each value and a citation
        key = f"{manifest.cited(a.value_from.source)}; {a.cite}"
        by_source.setdefault(key, [])
        if a.variable not in by_source[key]:
            by_source[key].append(a.variable)
    for key, variables in by_source.items():
        text += f"; {'/'.join(variables)} from the manifest (checked against {key})"
    fix = use.expect.get("drop_second_cc")
    if fix:
        text += f" minus {'/'.join(fix['codes'])} -> CC{fix['drop_cc']} ({fix['as_in']})"
    return text


# === building the data files =================================================================
# --- crosswalk -------------------------------------------------------------------------------
def check_known_duplicates(pairs: list[tuple[str, int]], use: Use) -> None:
    # TRAP: tuva's V24 PY2026 has one exact duplicate row (Z992 -> 134). Duplicate rows are
    # dropped, but only those the manifest lists (known_duplicates), so a new one is noticed.
    found = sorted(p for p, n in Counter(pairs).items() if n > 1)
    listed = sorted((d["code"], d["cc"]) for d in use.expect.get("known_duplicates", []))
    check(found == listed, f"{use.where}: duplicate rows {found} in {use.source.path}, "
                           f"the manifest's known_duplicates lists {listed}")


def check_holds_payment_year(use: Use, release: Release) -> None:
    # TRAP: mimilabs ra_dx_to_cc_YYYY.csv holds the mapping of payment year YYYY-1 (PROVENANCE
    # "Name trap"). The manifest states the year a file holds; it must be the release's.
    held = use.source.holds_payment_year
    check(held is None or held == release.payment_year,
          f"{use.where}: {use.source.path} holds PY{held} (manifest holds_payment_year), "
          f"not PY{release.payment_year}")


def drop_second_cc(pairs: set[tuple[str, int]], fix: dict[str, Any], where: str) -> None:
    # TRAP (PROVENANCE §7.3): pfehlinger's 2027 map gives C50A0/A1/A2 both CC22 and CC23; tuva
    # (and CMS's age < 50 edit) keep CC23 only. The manifest says for which release and codes.
    drop, keep = fix["drop_cc"], fix["keep_cc"]
    for code in fix["codes"]:
        check((code, drop) in pairs and (code, keep) in pairs, f"{where}: {code} not {drop}+{keep}")
        pairs.discard((code, drop))


def read_crosswalk(sh: Shared, use: Use, release: Release) -> set[tuple[str, int]]:
    check_holds_payment_year(use, release)
    rows = read(sh, use)
    check_known_duplicates(rows, use)
    pairs = set(rows)
    if "drop_second_cc" in use.expect:
        drop_second_cc(pairs, use.expect["drop_second_cc"], use.where)
    return pairs


def crosswalk_counts(pairs: set[tuple[str, int]]) -> tuple[int, int, int]:
    per_code = Counter(code for code, _ in pairs)
    check(max(per_code.values(), default=0) <= 2, "a code maps to more than two CCs")
    return len(pairs), len(per_code), sum(1 for n in per_code.values() if n == 2)


def build_crosswalk(sh: Shared, release: Release, labels: dict[int, str], log) -> set[tuple[str, int]]:
    pairs = read_crosswalk(sh, release.crosswalk, release)
    counts = crosswalk_counts(pairs)
    expected = tuple(release.crosswalk.expect[k] for k in ("rows", "codes", "two_cc_codes"))
    check(counts == expected, f"{release.name} crosswalk rows/codes/two-CC = {counts}, expected {expected}")
    for code, cc in pairs:
        check(CODE_RE.fullmatch(code) is not None, f"bad ICD-10 code {code!r} in {release.name}")
        check(cc in labels, f"{release.name}: {code} maps to CC{cc}, not a payment HCC")
    log(f"crosswalk {release.name}: {counts[0]} rows, {counts[1]} codes, {counts[2]} two-CC codes")
    return pairs


def crosswalk_rows(pairs: set[tuple[str, int]]) -> list[list]:
    return [["icd10_code", "cc"]] + [[c, cc] for c, cc in sorted(pairs)]


def compare_crosswalks(name: str, ours: set, theirs: set, log) -> None:
    only_ours, only_theirs = sorted(ours - theirs), sorted(theirs - ours)
    log(f"cross-check {name}: {len(only_ours)} rows only in ours, {len(only_theirs)} only in theirs")
    check(not only_ours and not only_theirs,
          f"{name} differs: ours-only {only_ours[:10]}, theirs-only {only_theirs[:10]}")


def cross_check_crosswalks(sh: Shared, manifest: Manifest, built: dict, log) -> None:
    """Second sources for the crosswalks (PROVENANCE: they are identical; fatal if not), and
    the informational difference from another payment year of the same model."""
    for release in manifest.releases:
        ours = built[(release.model, release.payment_year)]
        for use in release.crosswalk_checks:
            filters = "".join(f" {k}={v}" for k, v in use.params.items())
            compare_crosswalks(f"{release.name} vs {Path(use.source.path).name}{filters}",
                               ours, read_crosswalk(sh, use, release), log)
        other = release.crosswalk.expect.get("log_difference_from_payment_year")
        if other is not None:
            diff = ours ^ built[(release.model, other)]
            log(f"cross-check {release.name} vs PY{other}: {len(diff)} differing rows")


# --- factors ---------------------------------------------------------------------------------
DEMOGRAPHIC_RE = re.compile(r"[FM]\d+_(\d+|GT)|OriginallyDisabled_(Female|Male)|LTIMCAID|ORIGDS")
COUNT_RE = re.compile(r"D[1-9]|D10P")
# Payment HCC variables: `HCC38` (CMS-HCC, ESRD) or `RXHCC31` (RxHCC: CMS spelling kept).
HCC_RE = re.compile(r"(?:RX)?HCC(\d+)")


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


def added_factor_rows(sh: Shared, family: ModelFamily) -> list[tuple[str, str, str, str]]:
    """The manifest's added rows (normalization overrides, divisors), each value confirmed by
    its `value_from` source."""
    rows = []
    for a in family.added_factors:
        found = read(sh, a.value_from)
        check(dec3(found) == dec3(a.coefficient), f"{a.value_from.where}: {a.value_from.source.path} gives "
                                                   f"{found}, the manifest {a.coefficient}")
        rows += [(seg, a.variable, a.kind, a.coefficient) for seg in a.segments]
    return rows


def build_factors(sh: Shared, family: ModelFamily) -> list[list]:
    out, seen = [], set()
    # TRAP: ESRD DIAL Originally_ESRD_Female is -0.024, the only negative factor; a negative
    # value is refused unless the manifest lists it ("<segment> <variable>").
    negative_ok = set(family.factors.expect.get("negative_factors", []))
    negatives = set()
    for seg, var, kind, value in read(sh, family.factors) + added_factor_rows(sh, family):
        check(seg in family.segments, f"{family.id}: factor {var} of unknown segment {seg}")
        check(kind in FACTOR_KINDS, f"{family.id}: factor {seg} {var} of unknown kind {kind}")
        check((seg, var) not in seen, f"{family.id}: duplicate factor {seg} {var}")
        seen.add((seg, var))
        check(not value.strip().startswith("-") or f"{seg} {var}" in negative_ok,
              f"{family.id}: factor {seg} {var} is negative ({value}) and not in the manifest's negative_factors")
        coefficient = dec3(value, negative_ok=f"{seg} {var}" in negative_ok)
        if coefficient.startswith("-"):
            negatives.add(f"{seg} {var}")
        out.append([seg, var, kind, coefficient])
    check(negatives == negative_ok, f"{family.id}: negative factors {sorted(negatives)}, the manifest's "
                                    f"negative_factors lists {sorted(negative_ok)}")
    per_seg = Counter(row[0] for row in out)
    expected = family.factors.expect["rows_per_segment"]
    check(dict(per_seg) == expected, f"{family.id} factor rows per segment {dict(per_seg)}, expected {expected}")
    out.sort(key=lambda row: (family.segments.index(row[0]), row[2], row[1]))
    return [["segment", "variable", "kind", "coefficient"]] + out


# --- labels ----------------------------------------------------------------------------------
def read_labels(sh: Shared, family: ModelFamily) -> dict[int, str]:
    rows = read(sh, family.labels)
    labels = dict(rows)
    expected = family.labels.expect["hccs"]
    check(len(labels) == len(rows) == expected, f"{family.id}: {len(labels)} labels, expected {expected}")
    return labels


def build_labels(labels: dict[int, str]) -> list[list]:
    return [["hcc", "label"]] + [[h, labels[h]] for h in sorted(labels)]


def check_labels_vs_factors(model: str, labels: dict[int, str], factors: list[list]) -> None:
    hccs = {int(HCC_RE.fullmatch(r[1]).group(1)) for r in factors[1:] if r[2] == "hcc"}
    check(hccs == set(labels), f"{model}: HCC factors vs labels differ: {sorted(hccs ^ set(labels))}")


# --- hierarchy -------------------------------------------------------------------------------
def spec_hierarchy(sh: Shared, family: ModelFamily, labels: dict[int, str]) -> list[tuple[int, int, int]]:
    use, model = family.hierarchy, family.id
    edges = []
    for rule, parent, parent_label, child in read(sh, use):
        # the label in the spec table must be the CMS label of that HCC (guards the parsing);
        # CMS hierarchy tables carry no label (None)
        check(parent_label is None or labels.get(parent) == parent_label,
              f"{model} hierarchy rule {rule}: label {parent_label!r} != {labels.get(parent)!r}")
        edges.append((rule, parent, child))
    n_rules, n_edges = use.expect["rules"], use.expect["edges"]
    check(sorted({e[0] for e in edges}) == list(range(1, n_rules + 1)), f"{model} hierarchy rules not 1..{n_rules}")
    check(len({(p, c) for _, p, c in edges}) == len(edges) == n_edges,
          f"{model} hierarchy: {len(edges)} edges, expected {n_edges}")
    check(len({(r, p) for r, p, _ in edges}) == n_rules, f"{model}: one parent per rule expected")
    return edges


def build_hierarchy(sh: Shared, family: ModelFamily, labels: dict[int, str], log) -> list[list]:
    edges = spec_hierarchy(sh, family, labels)
    ours = {(p, c) for _, p, c in edges}
    for use in family.hierarchy_checks:
        other = read(sh, use)
        check(ours == other, f"{family.id} hierarchy differs from {use.source.path}: {sorted(ours ^ other)}")
    for p, c in ours:
        check(p in labels and c in labels, f"{family.id} hierarchy edge {p}->{c} not payment HCCs")
    log(f"hierarchy {family.id}: {len({r for r, _, _ in edges})} rules, {len(edges)} edges"
        + "".join(f" = {Path(u.source.path).name}" for u in family.hierarchy_checks))
    return [["rule_order", "superior_hcc", "subordinate_hcc"]] + sorted(
        [list(e) for e in edges], key=lambda e: (e[0], e[2]))


# --- interactions ----------------------------------------------------------------------------
def build_flat_interactions(family: ModelFamily, flat: FlatInteractions, labels: dict[int, str],
                            factors: list[list]) -> list[list]:
    """Definitions already flat (CMS tables): keep those that are factor variables; every
    interaction factor must have one."""
    model = family.id
    with_factor = {f[1] for f in factors[1:] if f[2] == "interaction"}
    defined = {v for v, _, _ in flat.rows}
    check(with_factor <= defined, f"{model}: interaction factors without definition {sorted(with_factor - defined)}")
    rows = set()
    for variable, term, member in flat.rows:
        check((term in SPECIAL_TERMS) == (member is None), f"{model} {variable}: term {term} member {member}")
        check(member is None or member in labels, f"{model} {variable}: member {member} not a payment HCC")
        if variable in with_factor:
            rows.add((variable, term, -1 if member is None else member))
    out = sorted(rows)  # interaction, term, member (a special term's empty member sorts first as -1)
    return [["interaction", "term", "member_hcc"]] + [[v, t, "" if m < 0 else m] for v, t, m in out]


def build_interactions(sh: Shared, family: ModelFamily, labels: dict[int, str], factors: list[list]) -> list[list]:
    model, spec = family.id, read(sh, family.interactions)
    if isinstance(spec, FlatInteractions):
        return build_flat_interactions(family, spec, labels, factors)
    rows = set()
    for r in spec:
        term, member = r["component"], r["member_hcc"]
        check((term == "DISABL") == (member == ""), f"{model} {r['variable']}: term {term} member {member!r}")
        if member:
            check(to_int(member, r["variable"]) in labels,
                  f"{model} {r['variable']}: member {member} not a payment HCC")
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
def edit_order(edit: Edit, family: ModelFamily) -> int:
    """Position in the mandatory chain (1-based, CMS order); 0 for MCE age edits."""
    if edit.kind == "mce_age":
        return 0
    rules = [step.rule for step in family.edit_chain]
    check(edit.rule in rules, f"{family.id} edit {edit.code}: rule {edit.rule!r} is not in the manifest's "
                              f"edit chain {rules}")
    return rules.index(edit.rule) + 1


def check_edit_lists(family: ModelFamily, codes: dict[tuple[str, int], set[str]]) -> None:
    """The code list of each chain rule as the manifest (from the spec) describes it."""
    expected = {("mandatory", i): step.rows for i, step in enumerate(family.edit_chain, 1)}
    if family.edits.expect["mce_age_rows"]:
        expected[("mce_age", 0)] = family.edits.expect["mce_age_rows"]
    sizes = {key: len(cs) for key, cs in codes.items()}
    check(sizes == expected, f"{family.id} edit counts {sizes}, expected {expected}")
    for i, step in enumerate(family.edit_chain, 1):
        got = codes[("mandatory", i)]
        check(step.codes is None or got == step.codes,
              f"{family.id} edit {i} ({step.rule}) codes differ from the manifest: "
              f"{sorted(got ^ (step.codes or set()))}")
        check(all(c.startswith(step.code_prefix) for c in got),
              f"{family.id} edit {i} codes not all {step.code_prefix}*")
        check(step.includes <= got, f"{family.id} edit {i} lacks {sorted(step.includes - got)}")


def build_edits(sh: Shared, family: ModelFamily) -> list[list]:
    rows = [[edit_order(e, family), e.kind, e.code, e.sex, e.age_min, e.age_max, e.action, e.cc]
            for e in read(sh, family.edits)]
    codes: dict[tuple[str, int], set[str]] = {}
    for order, kind, code, *_ in rows:
        check(CODE_RE.fullmatch(code) is not None, f"bad edit code {code!r}")
        codes.setdefault((kind, order), set()).add(code)
    check(len({(k, c) for (k, _), cs in codes.items() for c in cs}) == len(rows),
          f"{family.id}: a code appears twice in one edit kind")
    check_edit_lists(family, codes)
    rows.sort(key=lambda e: (e[1], e[0], e[2]))
    return [["edit_order", "edit_kind", "icd10_code", "sex", "age_min", "age_max", "action", "cc"]] + rows


# --- releases --------------------------------------------------------------------------------
def quantized(value: str, quantum: Decimal) -> str:
    return str(Decimal(value).quantize(quantum)) if value else ""


def citation_text(release: Release, row: PaymentRow) -> str:
    """"NF a, b; MA c; weight d": the manifest's short citations, each checked against the
    source. The last word of a citation must occur as a whole token (":35" != ":352") in the
    matching column of the payment source, so a citation cannot drift from its source."""
    parts = []
    citations = release.payment.expect["citations"]
    for key, label, column in CITATION_PARTS:
        for cite in citations[key]:
            token = re.escape(cite.split()[-1]) + r"(?![\w.])"
            check(re.search(token, row.cited_in[key]) is not None,
                  f"{release.name}: citation {cite!r} not in {Path(release.payment.source.path).name} {column}")
        if citations[key]:
            parts.append(f"{label} {', '.join(citations[key])}")
    return "; ".join(parts)


def build_release_row(sh: Shared, manifest: Manifest, release: Release) -> list:
    """One row of model_releases.csv. `source_blend_weight` (optional): the source's blend weight when
    the release deliberately writes another (RxHCC T: PACE's 0.90, hccraf does not blend PACE)."""
    pay = release.payment
    file_name = Path(pay.source.path).name
    row = read(sh, pay).get((pay.expect["model"], release.payment_year))
    check(row is not None, f"{release.name}: no row model={pay.expect['model']!r} "
                           f"payment_year={release.payment_year} in {pay.source.path}")
    figures = (quantized(row.normalization_factor, Q3), quantized(row.ma_coding_adjustment, Q3),
               quantized(row.blend_weight, Q2))
    expected = tuple(pay.expect.get("source_blend_weight", pay.expect[k]) if k == "blend_weight" else pay.expect[k]
                     for k in ("normalization_factor", "ma_coding_adjustment", "blend_weight"))
    check(figures == expected, f"{release.name}: {file_name} gives {figures}, expected {expected}")
    figures = (*figures[:2], pay.expect["blend_weight"])
    family = manifest.models[release.model]
    return [release.model, release.payment_year, *figures, release.status,
            describe(manifest, release.crosswalk), describe(manifest, family.factors, family.added_factors),
            f"{manifest.cited(pay.source)} {release.model} {release.payment_year}: {citation_text(release, row)}",
            f"{release.notes} Confidence ({file_name}): {row.confidence}.", family.model_family]


def build_releases(sh: Shared, manifest: Manifest) -> list[list]:
    """model_releases.csv: the registry of every release (what CREATE EXTENSION loads)."""
    return [["model_version", "payment_year", "normalization_factor", "ma_coding_adjustment",
             "blend_weight", "status", "crosswalk_source", "factor_source", "normalization_source",
             "notes", "model_family"]] + [build_release_row(sh, manifest, r) for r in manifest.releases]


def legacy_releases(model_releases: list[list]) -> list[list]:
    """releases.csv: the CMS-HCC rows in the registry's format before model families (no
    model_family column). Trap: the install scripts of hccraf 0.1.0 and 0.2.0, which every
    upgrade test starts from, read this file with its exact 10-column header and load every row
    into tables whose CHECKs know only CMS-HCC; they must keep working with today's data/."""
    family = model_releases[0].index("model_family")
    return [model_releases[0][:family]] + [r[:family] for r in model_releases[1:] if r[family] == "CMS-HCC"]


# --- ICD-10-CM code sets ---------------------------------------------------------------------
def build_code_sets(sh: Shared, manifest: Manifest, log) -> tuple[dict[int, list[list]], list[list]]:
    files, index = {}, [["fiscal_year", "effective_from", "effective_to", "status", "source", "sha256"]]
    for code_set in manifest.code_sets:
        fy, use = code_set.fiscal_year, code_set.use
        entries, content = read(sh, use)
        digest, pinned = sha256(content), use.expect["content_sha256"]
        check(digest == pinned, f"FY{fy} code set sha256 {digest} != pinned {pinned} (manifest content_sha256)")
        codes = [c for c, _, _ in entries]
        billable = sum(1 for _, b, _ in entries if b == "1")
        expected = (use.expect["entries"], use.expect["billable"])
        check((len(entries), billable) == expected,
              f"FY{fy}: {len(entries)} rows / {billable} billable, expected {expected[0]} / {expected[1]}")
        check(len(set(codes)) == len(codes), f"FY{fy}: duplicate codes")
        for code, flag, desc in entries:
            check(CODE_RE.fullmatch(code) is not None and flag in ("0", "1") and desc == desc.strip() != "",
                  f"FY{fy}: bad entry {code!r}")
        files[fy] = [["code", "billable", "description"]] + sorted([list(e) for e in entries])
        source = use.source.path + (f" (member {use.params['member']})" if "member" in use.params else "")
        # The US federal fiscal year FY runs from October 1 of FY-1 to September 30 of FY.
        index.append([fy, f"{fy - 1}-10-01", f"{fy}-09-30", use.expect["status"], source, digest])
        log(f"ICD-10-CM FY{fy}: {len(entries)} entries, {billable} billable ({use.expect['status']})")
    return files, index


# --- RA-eligible CPT/HCPCS lists and bill types (data/FORMAT.md) ----------------------------
def build_ra_eligible(sh: Shared, ra: RaEligible, sources: dict[str, Source], log) -> dict[str, list[list]]:
    """ra_eligible/cpt_hcpcs.csv (service_year, code) and ra_eligible/bill_types.csv."""
    rows = []
    for use in ra.code_lists:
        year = use.expect["service_year"]
        codes = read(sh, use)
        check(len(set(codes)) == len(codes), f"{use.source.path}: duplicate codes")
        check(len(codes) == use.expect["codes"],
              f"{use.where}: {use.source.path} has {len(codes)} codes, expected {use.expect['codes']}")
        note = ""
        if "earlier_version" in use.expect:
            other = sources[use.expect["earlier_version"]]
            earlier = read(sh, Use(other, {}, {}, use.where, "ra_eligible_codes"))
            missing = sorted(set(earlier) - set(codes))
            added = sorted(set(codes) - set(earlier))
            check(not missing, f"{use.where}: {other.path} (an earlier version of the service year {year} "
                               f"list) has codes {', '.join(missing[:10])} that {use.source.path} lacks")
            check(len(added) == use.expect["added_since_earlier"],
                  f"{use.where}: {use.source.path} adds {len(added)} codes to {other.path}, expected "
                  f"{use.expect['added_since_earlier']}")
            note = f" (= {other.path} + {len(added)} codes)"
        rows += [[year, c] for c in codes]
        log(f"RA-eligible CPT/HCPCS, service year {year}: {len(codes)} codes from {use.source.path}{note}")
    bill_types = [[b["prefix"], b["setting"], b["claim_type"], "true" if b["requires_procedure_filter"] else "false",
                   b["source"]] for b in ra.bill_types]
    return {"ra_eligible/cpt_hcpcs.csv": [["service_year", "code"]] + sorted(rows),
            "ra_eligible/bill_types.csv": [["bill_type_prefix", "setting", "claim_type",
                                            "requires_procedure_filter", "source"]] + bill_types}


# --- specificity rules (project-authored; data/FORMAT.md) -----------------------------------
SPECIFICITY_HEADER = ["rule_id", "requires", "unless", "replaces", "suggest", "reason",
                      "guideline_reference"]
PATTERN_RE = re.compile(r"[A-Z][0-9A-Z]{2,6}\*?")


def build_specificity_rules(rules: SpecificityRules, code_set_files: dict[int, list[list]]) -> list[list]:
    """The project's rules CSV, checked: header, sorted unique rule ids, pattern syntax,
    every `replaces` pattern is one of the rule's `requires` patterns, every suggested code is a
    billable code of the manifest's code set and is not a prefix, reason and an ICD-10-CM
    guideline section given."""
    name, fy = rules.path.name, rules.billable_in_fiscal_year
    check(rules.path.is_file(), f"specificity rules {rules.path} not found")
    rows = list(csv.reader(io.StringIO(rules.path.read_text(encoding="utf-8"), newline="")))
    check(bool(rows) and rows[0] == SPECIFICITY_HEADER, f"{name}: header must be {','.join(SPECIFICITY_HEADER)}")
    billable = {r[0] for r in code_set_files[fy][1:] if r[1] == "1"}
    ids = []
    for r in rows[1:]:
        check(len(r) == len(SPECIFICITY_HEADER), f"{name}: bad row {r[:1]}")
        rule_id, requires, unless, replaces, suggest, reason, reference = r
        where = f"{name} rule {rule_id!r}"
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
            check(code in billable, f"{where}: suggested code {code} is not a billable FY{fy} ICD-10-CM code")
        check(reason.strip() != "" and re.search(r"Section I\.[A-C]\.", reference) is not None,
              f"{where}: needs a reason and an ICD-10-CM guideline section (Section I.x.y)")
    check(ids == sorted(ids) and len(set(ids)) == len(ids), f"{name}: rule ids not sorted or repeated")
    return rows


# === output ==================================================================================
def render_csv(rows: list[list]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def render_readme(manifest: Manifest, outputs: dict[str, list[list]], sources: list[list],
                  code_sets: list[list]) -> bytes:
    lines = ["| release | " + " | ".join(RELEASE_FILES) + " |", "|---|" + "---:|" * len(RELEASE_FILES)]
    for r in manifest.releases:
        counts = [f"{len(outputs[f'{r.model}/{r.payment_year}/{k}.csv']) - 1:,}" for k in RELEASE_FILES]
        lines.append(f"| {r.name} | " + " | ".join(counts) + " |")
    lines += import_hhs.readme_lines(manifest, outputs)
    lines += ["", "| code set | status | entries | billable |", "|---|---|---:|---:|"]
    for row in code_sets[1:]:
        fy, status = row[0], row[3]
        entries = outputs[f"icd10cm/fy{fy}.csv"][1:]
        lines.append(f"| FY{fy} ({row[1]} .. {row[2]}) | {status} | {len(entries):,} | "
                     f"{sum(1 for e in entries if e[1] == '1'):,} |")
    if "ra_eligible/cpt_hcpcs.csv" in outputs:
        per_year = Counter(r[0] for r in outputs["ra_eligible/cpt_hcpcs.csv"][1:])
        lines += ["", "| RA-eligible CPT/HCPCS list | codes |", "|---|---:|"]
        lines += [f"| service year {y} | {n:,} |" for y, n in sorted(per_year.items())]
        lines += ["", "| bill type | setting | CPT/HCPCS filter |", "|---|---|---|"]
        lines += [f"| {b[0]}X | {b[1]} | {'yes' if b[3] == 'true' else 'no'} |"
                  for b in outputs["ra_eligible/bill_types.csv"][1:]]
    rel_lines = ["| release | status | normalization | MA adjustment | blend weight |", "|---|---|---:|---:|---:|"]
    for r in outputs["model_releases.csv"][1:]:
        rel_lines.append(f"| {r[0]} PY{r[1]} | {r[5]} | {r[2] or '-'} | {r[3] or '-'} | {r[4]} |")
    src = ["| source file (under `../shared/`) | bytes | sha256 |", "|---|---:|---|"]
    src += [f"| `{f}` | {int(b):,} | `{h}` |" for f, h, b in sources[1:]]
    check(manifest.readme_template.is_file(), f"README template {manifest.readme_template} not found")
    template = string.Template(manifest.readme_template.read_text(encoding="utf-8"))
    return template.substitute(releases="\n".join(rel_lines), row_counts="\n".join(lines),
                               sources="\n".join(src)).encode("utf-8")


def build_model_files(sh: Shared, family: ModelFamily, log) -> tuple[dict[int, str], dict[str, list[list]]]:
    """The files every payment year of a model shares: factors, hierarchy, labels, interactions
    (the same C24/C28 set and definitions for every year) and edits (same lists every year)."""
    labels = read_labels(sh, family)
    factors = build_factors(sh, family)
    check_labels_vs_factors(family.id, labels, factors)
    return labels, {
        "factors": factors,
        "hierarchy": build_hierarchy(sh, family, labels, log),
        "labels": build_labels(labels),
        "interactions": build_interactions(sh, family, labels, factors),
        "edits": build_edits(sh, family),
    }


def check_identical_sources(sh: Shared, manifest: Manifest, log) -> None:
    """`identical_to`: e.g. the RxHCC T package's crosswalk and hierarchy must be the X
    package's, byte for byte (rxhcc_v08_rules.md §1)."""
    for s in manifest.sources.values():
        if s.identical_to is not None:
            other = manifest.sources[s.identical_to]
            check(sh.read(s) == sh.read(other), f"{s.path} differs from {other.path} (manifest identical_to)")
            log(f"identical: {s.path} = {other.path}")


def build_all(sh: Shared, manifest: Manifest, log) -> tuple[dict[str, list[list]], list[list], list[list]]:
    check_identical_sources(sh, manifest, log)
    registry = build_releases(sh, manifest)
    if manifest.hhs:  # HHS-HCC releases: tools/import_hhs.py (their own files, registry rows)
        hhs_files, hhs_rows = import_hhs.build(sh, manifest, log)
        registry = registry[:1] + sorted(registry[1:] + hhs_rows, key=lambda r: (r[0], r[1]))
    outputs: dict[str, list[list]] = {"model_releases.csv": registry, "releases.csv": legacy_releases(registry)}
    if manifest.hhs:
        outputs.update(hhs_files)
    crosswalks = {}
    for family in manifest.models.values():
        labels, per_model = build_model_files(sh, family, log)
        for release in (r for r in manifest.releases if r.model == family.id):
            key = (release.model, release.payment_year)
            crosswalks[key] = build_crosswalk(sh, release, labels, log)
            outputs[f"{release.model}/{release.payment_year}/crosswalk.csv"] = crosswalk_rows(crosswalks[key])
            for kind, rows in per_model.items():
                outputs[f"{release.model}/{release.payment_year}/{kind}.csv"] = rows
    cross_check_crosswalks(sh, manifest, crosswalks, log)
    code_set_files, code_sets = build_code_sets(sh, manifest, log)
    for fy, rows in code_set_files.items():
        outputs[f"icd10cm/fy{fy}.csv"] = rows
    outputs["icd10cm/code_sets.csv"] = code_sets
    if manifest.ra_eligible:
        outputs.update(build_ra_eligible(sh, manifest.ra_eligible, manifest.sources, log))
    if manifest.specificity_rules:
        outputs["specificity_rules.csv"] = build_specificity_rules(manifest.specificity_rules, code_set_files)
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
                    help="folder holding the source files named in the manifest (default: ../shared "
                         "next to the repo)")
    ap.add_argument("--manifest", type=Path, default=DEFAULT_MANIFEST,
                    help="what to import: sources, model families, releases, code sets "
                         "(default: tools/manifest.toml; keys in tools/MANIFEST-FORMAT.md)")
    ap.add_argument("--out", type=Path, default=DATA,
                    help="where to write (default: data/ of this repository; CI writes to a "
                         "scratch folder and compares)")
    ap.add_argument("--quiet", action="store_true", help="print only errors")
    args = ap.parse_args(argv)
    log = (lambda msg: None) if args.quiet else (lambda msg: print(msg))
    try:
        manifest = load_manifest(args.manifest.resolve())
        sh = Shared(args.shared.resolve())
        outputs, sources, code_sets = build_all(sh, manifest, log)
        readme = render_readme(manifest, outputs, sources, code_sets)
    except ManifestError as e:
        print(f"import_cms: FAILED, nothing written: manifest {args.manifest}: {e}", file=sys.stderr)
        return 1
    except SourceError as e:
        print(f"import_cms: FAILED, nothing written: {e}", file=sys.stderr)
        return 1
    write_outputs(outputs, readme, args.out)
    log(f"wrote {len(outputs) + 1} CSV files and README.md under {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
