#!/usr/bin/env python3
"""Convert the shared golden patient files into the project's own test fixtures.

    python3 tools/convert_golden.py [--golden ../shared/golden] [--out test/fixtures]

The unit tests (test/unit/test_golden.cpp) read test/fixtures/, never ../shared: the clone a
user builds has no ../shared. This script keeps every column the tests check (inputs, segment,
demographic variables, HCCs, interactions, raw / normalized / payment scores, per model for the
blend file) plus the `note` of hand-picked rows, checks the files are what the golden README
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

INPUTS = ["patient_id", "dob", "age", "sex", "orec", "dual_status", "institutional",
          "new_enrollee", "snp_new_enrollee", "dx"]
FILES = {
    # name: (expected rows, expected output columns after the inputs)
    "golden_v28_2026.csv": (670, ["segment", "demographic_vars", "hccs_after_hierarchy",
                                  "interactions", "raw_score", "normalized_score",
                                  "payment_score", "note"]),
    "golden_v24_2026.csv": (670, ["segment", "demographic_vars", "hccs_after_hierarchy",
                                  "interactions", "raw_score", "normalized_score",
                                  "payment_score", "note"]),
    "golden_blend_2025.csv": (666, ["segment", "demographic_vars",
                                    "hccs_after_hierarchy_v24", "interactions_v24",
                                    "raw_score_v24", "normalized_score_v24",
                                    "hccs_after_hierarchy_v28", "interactions_v28",
                                    "raw_score_v28", "normalized_score_v28", "raw_score",
                                    "normalized_score", "payment_score", "note"]),
}
SCORE = re.compile(r"^\d+\.\d{3}$")
CHECKS = {
    "patient_id": re.compile(r"^(H\d\d|R\d{4})$"),
    "dob": re.compile(r"^\d{4}-\d\d-\d\d$"),
    "age": re.compile(r"^\d+$"),
    "sex": re.compile(r"^[MF]$"),
    "orec": re.compile(r"^[0-3]?$"),
    "dual_status": re.compile(r"^(full|partial|non)$"),
    "institutional": re.compile(r"^[01]$"),
    "new_enrollee": re.compile(r"^[01]$"),
    "snp_new_enrollee": re.compile(r"^[01]$"),
    "segment": re.compile(r"^(CNA|CND|CFA|CFD|CPA|CPD|INS|NE|SNPNE)$"),
}


def fail(msg):
    sys.exit(f"convert_golden: {msg}")


def convert(src, dst, expected_rows, outputs):
    with open(src, newline="", encoding="utf-8") as f:
        text = f.read()
    reader = csv.DictReader(io.StringIO(text))
    columns = INPUTS + outputs
    if reader.fieldnames != columns:
        fail(f"{src}: header {reader.fieldnames} differs from the expected {columns}")
    rows = list(reader)
    if len(rows) != expected_rows:
        fail(f"{src}: {len(rows)} rows, expected {expected_rows}")
    seen = set()
    for line, row in enumerate(rows, start=2):
        for col, rx in CHECKS.items():
            if not rx.match(row[col]):
                fail(f"{src} line {line}: {col} = {row[col]!r}")
        for col in outputs:
            if col.startswith(("raw_score", "normalized_score", "payment_score")) and row[col]:
                # blend raw_score is informational with 5 decimals; the others have 3.
                if not (SCORE.match(row[col]) or (col == "raw_score" and "blend" in src)):
                    fail(f"{src} line {line}: {col} = {row[col]!r}")
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
    for name, (n, outputs) in FILES.items():
        rows, sha = convert(os.path.join(args.golden, name), os.path.join(args.out, name), n, outputs)
        lines.append(f"| `{name}` | {rows} | `{sha}` |")
        print(f"{name}: {rows} rows")
    readme = f"""# Golden test fixtures

Copies of the reference patients of `../shared/golden/` (see its README for every column and
rule), written by `tools/convert_golden.py`; do not edit by hand, re-run the script. The unit
tests in `test/unit/test_golden.cpp` score every row with images compiled from `data/` and
require an exact match of segment, demographic variables, HCCs, interactions and the raw,
normalized and payment scores (for the blend file both models and the blend).

| file | rows | sha256 of the source file |
|---|---|---|
""" + "\n".join(lines) + "\n"
    with open(os.path.join(args.out, "README.md"), "w", encoding="utf-8") as f:
        f.write(readme)


if __name__ == "__main__":
    main()
