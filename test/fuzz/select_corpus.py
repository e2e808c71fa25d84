#!/usr/bin/env python3
"""Keeps a fuzzing corpus small: picks inputs from a libFuzzer merge control file within a byte budget.

    select_corpus.py CONTROL_FILE OUT_DIR BUDGET_BYTES

CONTROL_FILE comes from `fuzzer -merge=1 -merge_control_file=CONTROL_FILE FIRST_DIR GROWN_DIR`.
The inputs of FIRST_DIR (seeds and regression inputs) are kept as they are (they must already
be in OUT_DIR); from the others, the input that adds the most not-yet-covered features per byte
is copied to OUT_DIR (named by its SHA-1, like libFuzzer does), again and again, until nothing
adds a feature or the next pick would exceed the budget. A plain -merge=1 keeps every input
that adds a feature: for fuzz_images (every accepted image is >= 12 KB) that is 30 MB.
"""
import hashlib
import os
import shutil
import sys


def read_control(path):
    with open(path) as f:
        lines = f.read().splitlines()
    n, first = int(lines[0]), int(lines[1])
    files = lines[2:2 + n]
    sizes, features = {}, {}
    for line in lines[2 + n:]:
        parts = line.split()
        if parts and parts[0] == "STARTED":
            sizes[int(parts[1])] = int(parts[2])
        elif parts and parts[0] == "FT":
            features[int(parts[1])] = set(map(int, parts[2:]))
    return files, first, sizes, features


def main():
    control, out_dir, budget = sys.argv[1], sys.argv[2], int(sys.argv[3])
    files, first, sizes, features = read_control(control)
    covered = set()
    for i in range(first):
        covered |= features.get(i, set())
    candidates = {i for i in range(first, len(files)) if i in features and i in sizes}
    spent, picked = 0, 0
    while candidates:
        # 64 bytes of per-file overhead: among equals, fewer files.
        best = max(candidates, key=lambda i: (len(features[i] - covered) / (sizes[i] + 64), -sizes[i]))
        gain = features[best] - covered
        candidates.discard(best)
        if not gain:
            break
        if spent + sizes[best] > budget:
            continue  # a smaller input may still fit
        with open(files[best], "rb") as f:
            data = f.read()
        shutil.copyfile(files[best], os.path.join(out_dir, hashlib.sha1(data).hexdigest()))
        covered |= gain
        spent += len(data)
        picked += 1
    total = set().union(*features.values()) if features else set()
    print(f"selected {picked} inputs, {spent} bytes; features {len(covered)} of {len(total)}")


if __name__ == "__main__":
    main()
