#!/usr/bin/env bash
# passage provider import|export as an administrator's script would use them: a bad file lists
# every problem with line and column and imports nothing (exit 1); a good file imports; the
# export neutralises formulas (=HYPERLINK…) and imports back to the same export.
# Usage: provider-csv.sh PATH/TO/passage PATH/TO/Schema
set -euo pipefail
passage=${1:?usage: $0 PATH/TO/passage PATH/TO/Schema}
export PASSAGE_SCHEMA_DIR=${2:?usage: $0 PATH/TO/passage PATH/TO/Schema}
work=$(mktemp -d /tmp/passage-providers-XXXXXX)
chmod 755 "$work"   # the embedded cluster runs as postgres, which must reach its data directory
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $1"; exit 1; }

cat >"$work/bad.csv" <<'CSV'
organization_name,service_types,service_areas,capacity
Nuevo,health;astrology,CO-ANT,x
Otro,,Antioquia,3
CSV
cat >"$work/good.csv" <<'CSV'
organization_name,service_types,service_areas,capacity,minimum_age,maximum_age,service_status,description
Clínica Norte,health;psychosocial,CO-ANT;CO-BOL,20,,,active,"walk-in, ""free"""
Casa Refugio,safe_shelter,CO-ANT,5,0,17,,children only
"=HYPERLINK(""https://evil.example/"",""call"")",legal_assistance,CO-ANT,,,,,@SUM(1+1)
CSV

set +e
"$passage" provider import "$work/bad.csv" --data-dir "$work/db" >"$work/bad.out" 2>"$work/bad.err"
status=$?
set -e
[ "$status" -eq 1 ] || fail "a bad file must exit 1 (got $status)"
grep -q "line 2, column service_types: unknown service type astrology" "$work/bad.err" || fail "unknown service not named: $(cat "$work/bad.err")"
grep -q "line 2, column capacity:" "$work/bad.err" || fail "bad capacity not named"
grep -q "line 3, column service_areas: Antioquia" "$work/bad.err" || fail "bad area not named"
grep -q "nothing imported" "$work/bad.err" || fail "all-or-nothing not said"
[ "$("$passage" provider export - --data-dir "$work/db" | wc -l)" -eq 1 ] || fail "a refused file imported something"

"$passage" provider import "$work/good.csv" --data-dir "$work/db" | grep -q "imported 3 provider" || fail "good file not imported"
"$passage" provider export "$work/out.csv" --data-dir "$work/db" >/dev/null
grep -q '^Clínica Norte,active,health;psychosocial,CO-ANT;CO-BOL,20,,,"walk-in, ""free"""$' "$work/out.csv" || fail "export row: $(cat "$work/out.csv")"
# Formula injection (Docs/security.md): a name or description a spreadsheet would run gets a quote in front, inside double quotes.
grep -qxF '"'"'"'=HYPERLINK(""https://evil.example/"",""call"")",active,legal_assistance,CO-ANT,,,,"'"'"'@SUM(1+1)"' "$work/out.csv" || fail "formula not neutralised: $(cat "$work/out.csv")"
if cut -c1 "$work/out.csv" | grep -q '[=+@-]'; then fail "a line begins with a formula character"; fi
"$passage" provider import "$work/out.csv" --data-dir "$work/db" >/dev/null
"$passage" provider export - --data-dir "$work/db" | cmp -s - "$work/out.csv" || fail "export → import → export differs"
echo "provider-csv: ok"
