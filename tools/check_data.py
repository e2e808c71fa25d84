#!/usr/bin/env python3
"""Verify data/MANIFEST.csv: every listed file exists with the listed row count and sha256.

    python3 tools/check_data.py [--data DIR]

Needs only the repository (not ../shared). Also fails when a CSV under data/ is not in the
manifest, when a release of model_releases.csv lacks one of its six files (nine for HHS-HCC:
plus sets, drugs, csr_factors), or when a file is not plain UTF-8 CSV with `\\n` line ends.
Prints every difference; exit status 1 if there is any.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import io
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RELEASE_FILES = ["crosswalk", "factors", "hierarchy", "labels", "interactions", "edits"]
# Files a release of a model family has besides RELEASE_FILES (data/FORMAT.md, HHS-HCC).
FAMILY_FILES = {"HHS-HCC": ["sets", "drugs", "csr_factors"]}


def count_rows(data: bytes) -> int:
    """Data rows = CSV records minus the header line (quoted fields may hold commas)."""
    records = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    return max(len(records) - 1, 0)


def check_file(data_dir: Path, rel: str, rows: str, digest: str) -> list[str]:
    path = data_dir / rel
    if not path.is_file():
        return [f"{rel}: listed in MANIFEST.csv but missing"]
    data = path.read_bytes()
    problems = []
    actual = hashlib.sha256(data).hexdigest()
    if actual != digest:
        problems.append(f"{rel}: sha256 {actual}, MANIFEST says {digest}")
    if b"\r" in data:
        problems.append(f"{rel}: contains CR characters (expected \\n line ends)")
    try:
        n = count_rows(data)
    except (UnicodeDecodeError, csv.Error) as e:
        return problems + [f"{rel}: not readable as UTF-8 CSV: {e}"]
    if str(n) != rows:
        problems.append(f"{rel}: {n} data rows, MANIFEST says {rows}")
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=REPO / "data", help="data folder (default: data/)")
    args = ap.parse_args(argv)
    data_dir = args.data
    manifest_path = data_dir / "MANIFEST.csv"
    if not manifest_path.is_file():
        print(f"check_data: {manifest_path} not found", file=sys.stderr)
        return 1
    with manifest_path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames != ["file", "rows", "sha256"]:
            print(f"check_data: MANIFEST.csv header is {reader.fieldnames}", file=sys.stderr)
            return 1
        entries = list(reader)

    problems: list[str] = []
    listed = [e["file"] for e in entries]
    if listed != sorted(listed) or len(set(listed)) != len(listed):
        problems.append("MANIFEST.csv: files not sorted or listed twice")
    for e in entries:
        problems += check_file(data_dir, e["file"], e["rows"], e["sha256"])

    on_disk = {p.relative_to(data_dir).as_posix() for p in data_dir.rglob("*.csv")}
    for rel in sorted(on_disk - set(listed) - {"MANIFEST.csv"}):
        problems.append(f"{rel}: CSV file under data/ not listed in MANIFEST.csv")

    releases = data_dir / "model_releases.csv"
    if releases.is_file():
        with releases.open(encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                for kind in RELEASE_FILES + FAMILY_FILES.get(r.get("model_family") or "", []):
                    rel = f"{r['model_version']}/{r['payment_year']}/{kind}.csv"
                    if rel not in listed:
                        problems.append(f"{rel}: release in model_releases.csv but file not in MANIFEST.csv")

    for p in problems:
        print(f"check_data: {p}", file=sys.stderr)
    if problems:
        print(f"check_data: FAILED, {len(problems)} problem(s) in {data_dir}", file=sys.stderr)
        return 1
    total = sum(int(e["rows"]) for e in entries)
    print(f"check_data: OK, {len(entries)} files, {total} rows match MANIFEST.csv")
    return 0


if __name__ == "__main__":
    sys.exit(main())
