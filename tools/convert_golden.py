#!/usr/bin/env python3
"""Convert the shared golden patient files into the project's own test fixtures.

    python3 tools/convert_golden.py [--golden ../shared/golden] [--out test/fixtures]

The unit tests (test/unit/test_golden.cpp) read test/fixtures/, never ../shared: the clone a
user builds has no ../shared. This script keeps every column the tests check (inputs, segment,
demographic variables, HCCs, interactions, raw / normalized / payment scores, per model for the
blend file; for RxHCC V08 also the PDP-normalized and T-coefficient scores, for ESRD V24 also the
ESRD status, graft duration and add-ons and the normalization factor; for HHS-HCC V08 every
column) plus the `note` of hand-picked rows, checks the files are what the golden README
describes (header, row counts, value domains), and writes them as plain RFC 4180 CSV with `\\n`
line ends, plus test/fixtures/README.md recording the source checksums.

Nothing is recomputed here: expected values are copied verbatim, so a fixture can only be as
right as the golden file it came from.
"""
import argparse
import csv
import hashlib
import io
import os
import re
import sys

# CMS-HCC files (V28, V24, blend): inputs shared by the three.
INPUTS = ["patient_id", "dob", "age", "sex", "orec", "dual_status", "institutional",
          "new_enrollee", "snp_new_enrollee", "dx"]
CMS_OUTPUTS = ["segment", "demographic_vars", "hccs_after_hierarchy", "interactions",
               "raw_score", "normalized_score", "payment_score", "note"]
# RxHCC V08 and ESRD V24 (golden README, section "RxHCC V08 and ESRD V24"): own columns.
RXHCC_COLUMNS = ["patient_id", "dob", "age", "sex", "orec", "esrd", "low_income", "institutional",
                 "new_enrollee", "dx", "segment", "demographic_vars", "hccs_after_hierarchy",
                 "interactions", "raw_score", "normalized_score", "normalized_score_pdp",
                 "payment_score", "raw_score_t", "normalized_score_t", "note"]
ESRD_COLUMNS = ["patient_id", "dob", "age", "sex", "orec", "dual_status", "institutional",
                "new_enrollee", "esrd_status", "months_since_transplant", "dx", "segment",
                "graft_duration", "demographic_vars", "hccs_after_hierarchy", "interactions",
                "graft_vars", "raw_score", "normalization_factor", "normalized_score",
                "payment_score", "note"]

SCORE = re.compile(r"^\d+\.\d{3}$")  # 3 decimals, never negative
FLAG = re.compile(r"^[01]$")
COMMON_CHECKS = {
    "dob": re.compile(r"^\d{4}-\d\d-\d\d$"),
    "age": re.compile(r"^\d+$"),
    "sex": re.compile(r"^[MF]$"),
    "orec": re.compile(r"^[0-3]?$"),
}
CMS_CHECKS = {
    "patient_id": re.compile(r"^(H\d\d|R\d{4})$"),
    **COMMON_CHECKS,
    "dual_status": re.compile(r"^(full|partial|non)$"),
    "institutional": FLAG,
    "new_enrollee": FLAG,
    "snp_new_enrollee": FLAG,
    "segment": re.compile(r"^(CNA|CND|CFA|CFD|CPA|CPD|INS|NE|SNPNE)$"),
}
RXHCC_CHECKS = {
    "patient_id": re.compile(r"^(PH\d\d|P\d{4})$"),
    **COMMON_CHECKS,
    "esrd": FLAG,
    "low_income": FLAG,
    "institutional": FLAG,
    "new_enrollee": FLAG,
    "segment": re.compile(r"^(CE_NonLow_Aged|CE_NonLow_NonAged|CE_Low_Aged|CE_Low_NonAged|CE_LTI"
                          r"|NE_NonLow_Community|NE_Low_Community|NE_LTI)$"),
    "interactions": re.compile(r"^(NONAGED_RXHCC(1|130|131|132|133|159|163)"
                               r"(\|NONAGED_RXHCC(1|130|131|132|133|159|163))*)?$"),
}
ESRD_CHECKS = {
    "patient_id": re.compile(r"^(EH\d\d|E\d{4})$"),
    **COMMON_CHECKS,
    "dual_status": re.compile(r"^(full|partial|non)$"),
    "institutional": FLAG,
    "new_enrollee": FLAG,
    "esrd_status": re.compile(r"^(dialysis|graft)$"),
    "months_since_transplant": re.compile(r"^([1-9]\d*)?$"),
    "segment": re.compile(r"^(DIAL|DIAL_NE|TRANSPLANT_[123]M|GRAFT_NE|GRAFT_INST"
                          r"|G_COMM_(FBD|ND_PBD)_(GE65|LT65))$"),
    "graft_duration": re.compile(r"^(DUR4_9|DUR10PL)?$"),
    "normalization_factor": re.compile(r"^(1\.062|1\.104)$"),
}
SCORE5 = re.compile(r"^\d+\.\d{5}$")  # blend raw_score: informational, exact, 5 decimals
# HHS-HCC V08 (golden README, section "HHS-HCC V08"): every column is checked by the tests.
HHS_COLUMNS = ["patient_id", "benefit_year", "dob", "last_enrollment_date", "age_last", "sex", "metal",
               "csr_indicator", "enrollment_days", "dx", "ndc", "hcpcs", "model", "enrollment_months",
               "demographic_vars", "hccs_after_hierarchy", "rxcs", "groups", "hcc_cnt", "interactions",
               "score_platinum", "score_gold", "score_silver", "score_bronze", "score_catastrophic",
               "raw_score", "csr_factor", "csr_adjusted_score_exact", "csr_adjusted_score", "csr_tie",
               "note"]
HHS_SCORE = re.compile(r"^-?\d+\.\d{3}$")  # exact sums of 3-decimal factors, some negative
HHS_METALS = ["platinum", "gold", "silver", "bronze", "catastrophic"]


def hhs_checks(year):
    return {
        "patient_id": re.compile(r"^(H\d\d|R\d{4})$"),
        "benefit_year": re.compile(rf"^{year}$"),
        "dob": COMMON_CHECKS["dob"],
        "last_enrollment_date": re.compile(rf"^{year}-\d\d-\d\d$"),
        "age_last": re.compile(r"^\d+$"),
        "sex": COMMON_CHECKS["sex"],
        "metal": re.compile(r"^(platinum|gold|silver|bronze|catastrophic)$"),
        "csr_indicator": re.compile(r"^([1-9]|1[01])$"),
        "enrollment_days": re.compile(r"^\d{1,3}$"),
        "model": re.compile(r"^(Adult|Child|Infant)$"),
        "enrollment_months": re.compile(r"^([1-9]|1[0-2])$"),
        "hcc_cnt": re.compile(r"^\d*$"),
        **{f"score_{m}": HHS_SCORE for m in HHS_METALS},
        "raw_score": HHS_SCORE,
        "csr_factor": re.compile(r"^\d\.\d\d$"),
        "csr_adjusted_score_exact": re.compile(r"^-?\d+\.\d{5}$"),
        "csr_adjusted_score": HHS_SCORE,
        "csr_tie": FLAG,
    }


def hhs_invariants(row):
    # README: raw_score is the score of the row's metal; the model follows age_last.
    if row["raw_score"] != row[f"score_{row['metal']}"]:
        return "raw_score is not the score of the row's metal"
    age = int(row["age_last"])
    model = "Adult" if age >= 21 else "Child" if age >= 2 else "Infant"
    if row["model"] != model:
        return f"model {row['model']} for age_last {age}"
    if (row["model"] == "Infant") != (row["hcc_cnt"] == ""):
        return "hcc_cnt must be empty exactly for infants"
    return None
CMS_SCORES = {"raw_score": SCORE, "normalized_score": SCORE, "payment_score": SCORE}


def rxhcc_invariants(row):
    # README: payment_score = normalized_score (MA-PD; Part D has no MA coding adjustment).
    if row["payment_score"] != row["normalized_score"]:
        return "payment_score differs from normalized_score"
    return None


def esrd_invariants(row):
    graft_segment = row["segment"].startswith(("GRAFT_", "G_COMM_"))
    if (row["esrd_status"] == "dialysis") != (row["months_since_transplant"] == ""):
        return "months_since_transplant must be empty exactly for dialysis rows"
    if (row["esrd_status"] == "dialysis") != row["segment"].startswith("DIAL"):
        return f"segment {row['segment']} does not fit esrd_status {row['esrd_status']}"
    if graft_segment != (row["graft_duration"] != ""):
        return "graft_duration must be set exactly for graft segments"
    if row["normalization_factor"] != ("1.104" if graft_segment else "1.062"):
        return f"normalization_factor {row['normalization_factor']} for segment {row['segment']}"
    return None


FILES = {
    # name: expected rows, full header, value checks on every row (regex per column; scores:
    # 3 decimals, never negative), columns allowed to be empty, row invariants stated by the README
    "golden_v28_2026.csv": dict(rows=670, columns=INPUTS + CMS_OUTPUTS,
                                checks={**CMS_CHECKS, **CMS_SCORES}),
    "golden_v24_2026.csv": dict(rows=670, columns=INPUTS + CMS_OUTPUTS,
                                checks={**CMS_CHECKS, **CMS_SCORES},
                                # V24 2026: raw score only
                                optional=["normalized_score", "payment_score"]),
    "golden_blend_2025.csv": dict(
        rows=666,
        columns=INPUTS + ["segment", "demographic_vars", "hccs_after_hierarchy_v24",
                          "interactions_v24", "raw_score_v24", "normalized_score_v24",
                          "hccs_after_hierarchy_v28", "interactions_v28", "raw_score_v28",
                          "normalized_score_v28", "raw_score", "normalized_score",
                          "payment_score", "note"],
        checks={**CMS_CHECKS, "raw_score_v24": SCORE, "normalized_score_v24": SCORE,
                "raw_score_v28": SCORE, "normalized_score_v28": SCORE, "raw_score": SCORE5,
                "normalized_score": SCORE, "payment_score": SCORE}),
    "golden_rxhcc_v08_2026.csv": dict(
        rows=626, columns=RXHCC_COLUMNS,
        checks={**RXHCC_CHECKS, "raw_score": SCORE, "normalized_score": SCORE,
                "normalized_score_pdp": SCORE, "payment_score": SCORE, "raw_score_t": SCORE,
                "normalized_score_t": SCORE},
        invariants=rxhcc_invariants),
    "golden_esrd_v24_2026.csv": dict(
        rows=626, columns=ESRD_COLUMNS,
        checks={**ESRD_CHECKS, "raw_score": SCORE, "normalized_score": SCORE,
                "payment_score": SCORE},
        invariants=esrd_invariants),
    "golden_hhs_hcc_2026.csv": dict(rows=647, columns=HHS_COLUMNS, checks=hhs_checks(2026),
                                    invariants=hhs_invariants),
    "golden_hhs_hcc_2025.csv": dict(rows=441, columns=HHS_COLUMNS, checks=hhs_checks(2025),
                                    invariants=hhs_invariants),
}


def fail(msg):
    sys.exit(f"convert_golden: {msg}")


def convert(src, dst, expected_rows, columns, checks, optional=(), invariants=None):
    with open(src, newline="", encoding="utf-8") as f:
        text = f.read()
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames != columns:
        fail(f"{src}: header {reader.fieldnames} differs from the expected {columns}")
    rows = list(reader)
    if len(rows) != expected_rows:
        fail(f"{src}: {len(rows)} rows, expected {expected_rows}")
    seen = set()
    for line, row in enumerate(rows, start=2):
        if None in row or None in row.values():
            fail(f"{src} line {line}: {len(reader.fieldnames)} columns expected")
        for col, rx in checks.items():
            if col in optional and row[col] == "":
                continue
            if not rx.match(row[col]):
                fail(f"{src} line {line}: {col} = {row[col]!r}")
        if invariants:
            problem = invariants(row)
            if problem:
                fail(f"{src} line {line} ({row['patient_id']}): {problem}")
        if row["patient_id"] in seen:
            fail(f"{src} line {line}: duplicate patient {row['patient_id']}")
        seen.add(row["patient_id"])
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    with open(dst, "w", newline="", encoding="utf-8") as f:
        f.write(out.getvalue())
    return len(rows), hashlib.sha256(text.encode("utf-8")).hexdigest()


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(here)
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--golden", default=os.path.join(root, "..", "shared", "golden"))
    ap.add_argument("--out", default=os.path.join(root, "test", "fixtures"))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    lines = []
    for name, spec in FILES.items():
        rows, sha = convert(os.path.join(args.golden, name), os.path.join(args.out, name),
                            spec["rows"], spec["columns"], spec["checks"],
                            spec.get("optional", ()), spec.get("invariants"))
        lines.append(f"| `{name}` | {rows} | `{sha}` |")
        print(f"{name}: {rows} rows")
    readme = f"""# Golden test fixtures

Copies of the reference patients of `../shared/golden/` (see its README for every column and
rule), written by `tools/convert_golden.py`; do not edit by hand, re-run the script. The unit
tests in `test/unit/test_golden.cpp` score every row with images compiled from `data/` and
require an exact match of segment, demographic variables, HCCs, interactions and the raw,
normalized and payment scores (for the blend file both models and the blend). The RxHCC V08
file also carries the PDP-normalized score and the T-coefficient (PACE legacy) raw and normalized
scores; the ESRD V24 file the ESRD status, months since transplant, graft duration, graft add-on
variables and normalization factor. The HHS-HCC V08 files (benefit years 2026 and 2025) are
copied with every column (all are checked): inputs, model, enrollment months, demographic
variables, HCCs, RXCs, groups, HCC count, the other variables, the five metal scores, the raw
score, the CSR factor and the exact and rounded CSR-adjusted scores.

| file | rows | sha256 of the source file |
|---|---|---|
""" + "\n".join(lines) + "\n"
    with open(os.path.join(args.out, "README.md"), "w", encoding="utf-8") as f:
        f.write(readme)


if __name__ == "__main__":
    main()
