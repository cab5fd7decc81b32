#!/usr/bin/env bash
# passage classify as a partner's script would use it: byte-identical results for the public
# examples; bad lines give an error line naming the key and the line number on stdout, a
# message on stderr, the good lines are still classified, and the exit status is non-zero.
# Usage: classify-cli.sh PATH/TO/passage DIR
# DIR holds the contract's examples.jsonl and examples.expected.jsonl (the repository keeps them
# in Tests/PassageCoreTests/Fixtures/contract).
set -euo pipefail
passage=${1:?usage: $0 PATH/TO/passage DIR-WITH-examples.jsonl}
spec=${2:?usage: $0 PATH/TO/passage DIR-WITH-examples.jsonl}
work=$(mktemp -d /tmp/passage-classify-XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $1"; exit 1; }

"$passage" classify "$spec/examples.jsonl" >"$work/out" || fail "exit status on the public examples"
cmp -s "$work/out" "$spec/examples.expected.jsonl" || fail "public examples differ: $(diff "$work/out" "$spec/examples.expected.jsonl" | head -5)"
"$passage" classify - <"$spec/examples.jsonl" | cmp -s - "$spec/examples.expected.jsonl" || fail "standard input differs"
[ "$(wc -l <"$spec/examples.jsonl")" -eq 23 ] || fail "the contract has 23 public examples"
version=$("$passage" classify --version) || fail "--version exit status"
[ "$version" = "passage-classifier/2" ] || fail "--version prints $version"

{
  sed -n 1p "$spec/examples.jsonl"
  echo '{"ref":"bad-age","current_country":"DE","age":200}'
  echo '{"ref":"bad-key","current_country":"DE","colour":"blue"}'
  echo '{"ref":"bad-nested","current_country":"DE","employment":{"status":"engaged","skill_level":7}}'
  echo '{"ref":"no-country"}'
  echo 'not json at all'
  sed -n 2p "$spec/examples.jsonl"
  echo '{"ref":"dual","current_country":"NL","nationality":"IQ","other_nationalities":["IQ"]}'
  echo '{"ref":"unrwa","current_country":"SE","unrwa":"assisted"}'
  echo '{"ref":"capacity","current_country":"DE","employment":{"status":"engaged","capacity":"tourist"}}'
  echo '{"ref":"protection","current_country":"NL","nationality":"IQ","other_nationality_protection":true}'
} >"$work/mixed.jsonl"
set +e
"$passage" classify "$work/mixed.jsonl" >"$work/mixed.out" 2>"$work/mixed.err"
status=$?
set -e
[ "$status" -ne 0 ] || fail "bad lines must end with a non-zero status"
[ "$(wc -l <"$work/mixed.out")" -eq 11 ] || fail "one output line per input line: $(cat "$work/mixed.out")"
[ "$(sed -n 1p "$work/mixed.out")" = "$(sed -n 1p "$spec/examples.expected.jsonl")" ] || fail "good line 1 not classified"
[ "$(sed -n 7p "$work/mixed.out")" = "$(sed -n 2p "$spec/examples.expected.jsonl")" ] || fail "good line 7 not classified"
check() {  # check LINE KEY
  local line; line=$(sed -n "$1p" "$work/mixed.out")
  echo "$line" | grep -q "\"line\":$1" || fail "line $1 error does not give its line number: $line"
  echo "$line" | grep -q "\"error\":\"$2" || fail "line $1 error does not name $2: $line"
}
check 2 age; check 3 colour; check 4 employment.skill_level; check 5 current_country
check 8 other_nationalities; check 9 unrwa; check 10 employment.capacity; check 11 other_nationality_protection
sed -n 6p "$work/mixed.out" | grep -q '"line":6,"error"' || fail "line 6 (not JSON) error: $(sed -n 6p "$work/mixed.out")"
[ -s "$work/mixed.err" ] || fail "no message on standard error"
"$passage" classify "$work/does-not-exist.jsonl" >/dev/null 2>&1 && fail "a missing file must fail"
echo "classify-cli: ok"
