#!/usr/bin/env bash
# Import the fixture release of test/importer/manifest.toml (made-up model family T01, payment
# years 2027 and 2028; sources under test/importer/shared/) from the manifest alone, and compare
# every written file with the hand-written files under test/importer/expected/. Then check that
# broken manifests (wrong sha256, wrong expected count, ...) make the importer fail, naming the
# problem, and write nothing. Needs only the repository and python3 (no ../shared).
#
#   test/importer/run.sh        prints "importer fixture: ok", or the failure and exits 1
set -u

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
importer=$repo/tools/import_cms.py
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() {
    echo "importer fixture: FAILED: $*" >&2
    exit 1
}

# --- 1. the fixture imports to exactly the expected files ------------------------------------
python3 "$importer" --quiet --shared "$here/shared" --manifest "$here/manifest.toml" \
    --out "$tmp/out" 2>"$tmp/stderr" || fail "import of the fixture failed: $(cat "$tmp/stderr")"
diff -r "$here/expected" "$tmp/out" >"$tmp/diff" ||
    fail "output differs from test/importer/expected (< expected, > written):
$(head -40 "$tmp/diff")"
python3 "$repo/tools/check_data.py" --data "$tmp/out" >/dev/null 2>"$tmp/stderr" ||
    fail "check_data.py rejects the fixture output: $(cat "$tmp/stderr")"

# --- 2. a broken manifest fails, names the problem and writes nothing --------------------------
# expect_failure NAME SED-SCRIPT MESSAGE...: copy the manifest (and the files it names beside
# it), edit it with sed, run the importer and require exit status 1, no output folder, and
# every MESSAGE in its error output.
expect_failure() {
    local name=$1 edit=$2
    shift 2
    local dir=$tmp/$name
    mkdir -p "$dir"
    cp "$here/data_README.template.md" "$here/specificity_rules.csv" "$dir/"
    sed -e "$edit" "$here/manifest.toml" >"$dir/manifest.toml"
    ! cmp -s "$here/manifest.toml" "$dir/manifest.toml" || fail "$name: the sed script changed nothing"
    python3 "$importer" --quiet --shared "$here/shared" --manifest "$dir/manifest.toml" \
        --out "$dir/out" 2>"$dir/stderr"
    local status=$?
    [ "$status" -eq 1 ] || fail "$name: importer exit status $status, expected 1"
    [ ! -e "$dir/out" ] || fail "$name: importer wrote $dir/out although it failed"
    for message in "$@"; do
        grep -qF -- "$message" "$dir/stderr" ||
            fail "$name: error output lacks '$message': $(cat "$dir/stderr")"
    done
}

labels_sha=098997dfe5784400631b4608923f05daefd6d782b95aabe696088becfb5c8589
zeros=0000000000000000000000000000000000000000000000000000000000000000

# A source file whose sha256 differs from the manifest's: the error names the file, the digest
# the manifest expects and the actual one.
expect_failure wrong_checksum "s/$labels_sha/$zeros/" \
    "cms/hccpy/T01L.labels.csv" "expects $zeros" "sha256 is $labels_sha"

# A wrong expected count (the PY2027 crosswalk has 11 rows).
expect_failure wrong_count 's/^rows = 11$/rows = 12/' \
    "T01 PY2027 crosswalk rows/codes/two-CC = (11, 10, 1), expected (12, 10, 1)"

# A wrong expected factor count of one segment.
expect_failure wrong_segment_rows 's/CPD = 1,/CPD = 2,/' \
    "T01 factor rows per segment" "'CPD': 2"

# A wrong pinned ICD-10-CM content digest.
expect_failure wrong_code_set_digest \
    "s/3effc1c535a3551585d3a6a0b19669ba0c374a3d69815649ca2c77776c9b9b5c/$zeros/" \
    "FY2028 code set sha256 3effc1c535a3551585d3a6a0b19669ba0c374a3d69815649ca2c77776c9b9b5c != pinned $zeros"

# The mimilabs name trap: the file named _2028 holds PY2027; claiming otherwise is refused.
expect_failure name_trap '/^\[sources.mimilabs_dx_to_cc_2028\]/,/^holds_payment_year/ s/= 2027/= 2028/' \
    "cms/mimilabs/ra_dx_to_cc_2028.csv holds PY2028 (manifest holds_payment_year), not PY2027"

# An exact duplicate row that the manifest does not list (known_duplicates) is not dropped silently.
expect_failure unlisted_duplicate '/^known_duplicates = /d' \
    "duplicate rows [('C3490', 18)] in cms/tuva/cms_hcc__icd_10_cm_mappings.csv"

# A misspelt key is an error, not ignored.
expect_failure unknown_key 's/^two_cc_codes = 1$/two_cc_code = 1/' \
    "missing key(s) two_cc_codes" "unknown key(s) two_cc_code"

# Every model names its family (the model_family column of model_releases.csv).
expect_failure missing_model_family '/^model_family = /d' \
    "models.T01: missing key(s) model_family"

echo "importer fixture: ok"
