#!/usr/bin/env bash
# passage provider export|import --hsds DIR as an administrator's script would use them: the
# directory as an Open Referral HSDS 3 tabular data package that frictionless validates against
# HSDS 3.1 (Tests/Python/check_hsds.py); locations, addresses, phones and contacts added to it
# import; export → validate → import → export gives the same bytes; a package with problems names
# each by file, line and column and imports nothing, and so does one the database refuses half-way.
# Usage: provider-hsds.sh PATH/TO/passage PATH/TO/Schema PATH/TO/check_hsds.py
set -euo pipefail
passage=${1:?usage: $0 PATH/TO/passage PATH/TO/Schema PATH/TO/check_hsds.py}
export PASSAGE_SCHEMA_DIR=${2:?usage: $0 PATH/TO/passage PATH/TO/Schema PATH/TO/check_hsds.py}
check=${3:?usage: $0 PATH/TO/passage PATH/TO/Schema PATH/TO/check_hsds.py}
work=$(mktemp -d /tmp/passage-hsds-XXXXXX)
chmod 755 "$work"   # the embedded cluster runs as postgres, which must reach its data directory
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
fail() { echo "FAIL: $1"; exit 1; }
db=(--data-dir "$work/db")

cat >"$work/start.csv" <<'CSV'
organization_name,service_types,service_areas,capacity,minimum_age,maximum_age,service_status,description
Clínica Norte,health;psychosocial,CO-ANT;CO-BOL,20,,,active,"walk-in, ""free"""
Casa Refugio,safe_shelter,CO-ANT,5,0,17,temporarily closed,children only
"=HYPERLINK(""https://evil.example/"",""call"")",legal_assistance,CO-ANT,,,,,@SUM(1+1)
CSV
"$passage" provider import "$work/start.csv" "${db[@]}" >/dev/null
# The flat file spells the status as HSDS does.
"$passage" provider export - "${db[@]}" | grep -q '^Casa Refugio,temporarily closed,' || fail "flat status not HSDS's"

"$passage" provider export --hsds "$work/p1" "${db[@]}" | grep -q "HSDS 3 data package" || fail "no package written"
python3 "$check" "$work/p1" organization service service_area taxonomy_term service_capacity || fail "first export invalid"
grep -q ',temporarily closed,' "$work/p1/services.csv" || fail "service status not HSDS's: $(cat "$work/p1/services.csv")"
grep -qF '"'"'"'=HYPERLINK(""https://evil.example/"",""call"")"' "$work/p1/organizations.csv" || fail "formula not neutralised"

# A partner adds where and how to reach Clínica Norte.
org=$(grep ',Clínica Norte,' "$work/p1/organizations.csv" | cut -d, -f1)
service=$(grep ",$org,,Clínica Norte," "$work/p1/services.csv" | cut -d, -f1)
[ -n "$org" ] && [ -n "$service" ] || fail "ids not found"
loc=4f1c2d3e-0000-4000-8000-000000000001
cp -r "$work/p1" "$work/partner"
echo "$loc,physical,,$org,Sede Medellín,,,,6.25184,-75.563591,," >>"$work/partner/locations.csv"
echo "4f1c2d3e-0000-4000-8000-000000000002,$loc,,Calle 10 # 43-12,,Medellín,,Antioquia,050021,CO,physical" >>"$work/partner/addresses.csv"
echo "4f1c2d3e-0000-4000-8000-000000000003,$service,$loc," >>"$work/partner/service_at_location.csv"
echo "4f1c2d3e-0000-4000-8000-000000000004,$loc,,$org,,,+57 604 444 1234,12,voice,reception" >>"$work/partner/phones.csv"
echo "4f1c2d3e-0000-4000-8000-000000000005,$org,,,,Ana Gómez,referral focal point,protection,ana@clinica-norte.example" >>"$work/partner/contacts.csv"
python3 "$check" "$work/partner" >/dev/null || fail "the partner's package is invalid: $(python3 "$check" "$work/partner")"

"$passage" provider import --hsds "$work/partner" "${db[@]}" | grep -q "imported 3 provider" || fail "partner package not imported"
"$passage" provider export --hsds "$work/p2" "${db[@]}" >/dev/null
python3 "$check" "$work/p2" organization service service_area location service_at_location phone contact taxonomy_term service_capacity \
  || fail "export with locations invalid"
grep -q "^$loc,physical,,$org,Sede Medellín,,,,6.251840,-75.563591,,$" "$work/p2/locations.csv" || fail "location: $(cat "$work/p2/locations.csv")"
grep -q ",Calle 10 # 43-12,,Medellín,,Antioquia,050021,CO,physical$" "$work/p2/addresses.csv" || fail "address: $(cat "$work/p2/addresses.csv")"
# A phone number begins with +: the formula guard quotes it, as in every CSV Passage writes.
grep -qF ",$loc,,$org,,,\"'+57 604 444 1234\",12,voice,reception" "$work/p2/phones.csv" || fail "phone: $(cat "$work/p2/phones.csv")"
grep -q ",Ana Gómez,referral focal point,protection,ana@clinica-norte.example$" "$work/p2/contacts.csv" || fail "contact"

# export → validate → import → export: the same bytes, file by file.
"$passage" provider import --hsds "$work/p2" "${db[@]}" >/dev/null
"$passage" provider export --hsds "$work/p3" "${db[@]}" >/dev/null
diff -r "$work/p2" "$work/p3" >/dev/null || fail "export → import → export differs: $(diff -r "$work/p2" "$work/p3" | head -20)"

# A package with problems: each named by file, line and column; nothing imported.
cp -r "$work/p2" "$work/bad"
sed -i 's/,temporarily closed,/,temporarily_closed,/' "$work/bad/services.csv"
sed -i "s/,6.251840,-75.563591,/,96.1,-75.563591,/" "$work/bad/locations.csv"
echo "4f1c2d3e-0000-4000-8000-000000000009,,,$org,,,12,,walkie-talkie," >>"$work/bad/phones.csv"
set +e
"$passage" provider import --hsds "$work/bad" "${db[@]}" >"$work/bad.out" 2>"$work/bad.err"
status=$?
set -e
[ "$status" -eq 1 ] || fail "a bad package must exit 1 (got $status): $(cat "$work/bad.err")"
grep -q 'services.csv line 3, column status: must be one of "active", "inactive", "defunct", "temporarily closed" (got "temporarily_closed")' "$work/bad.err" \
  || fail "bad status not named: $(cat "$work/bad.err")"
grep -q "locations.csv line 2, column latitude: expected decimal degrees from -90 to 90" "$work/bad.err" || fail "bad latitude not named"
grep -q "phones.csv line 3, column number: expected 3 to 30 digits" "$work/bad.err" || fail "bad phone not named"
grep -q "phones.csv line 3, column type: must be one of text, voice" "$work/bad.err" || fail "bad phone type not named"
grep -q "nothing imported" "$work/bad.err" || fail "all-or-nothing not said"
"$passage" provider export --hsds "$work/after-bad" "${db[@]}" >/dev/null
diff -r "$work/p2" "$work/after-bad" >/dev/null || fail "a refused package changed the directory"

# A package the database refuses half-way: Casa Refugio is changed first, then Otra claims the
# location id of Clínica Norte, which the package leaves out; Casa Refugio's change is rolled back too.
cat >"$work/other.csv" <<'CSV'
organization_name,service_types,service_areas
Otra,health,CO-BOL
CSV
"$passage" provider import "$work/other.csv" "${db[@]}" >/dev/null
"$passage" provider export --hsds "$work/p4" "${db[@]}" >/dev/null
cp -r "$work/p4" "$work/half"
otra=$(grep ',Otra,' "$work/half/organizations.csv" | cut -d, -f1)
[ -n "$otra" ] || fail "Otra not exported"
for table in organizations services attributes service_areas service_capacity addresses service_at_location phones contacts; do
  # Clínica Norte's rows out (its location's address stays, with the location).
  grep -v -F -e "$org" -e "$service" "$work/half/$table.csv" >"$work/half/t" || true
  mv "$work/half/t" "$work/half/$table.csv"
done
grep -q "$loc" "$work/half/addresses.csv" || cp "$work/p4/addresses.csv" "$work/half/addresses.csv"
sed -i "s/^$loc,physical,,$org,/$loc,physical,,$otra,/" "$work/half/locations.csv"
sed -i 's/,children only,/,changed,/' "$work/half/services.csv"
grep -q ',changed,' "$work/half/services.csv" || fail "test setup: Casa Refugio not changed"
set +e
"$passage" provider import --hsds "$work/half" "${db[@]}" >"$work/half.out" 2>"$work/half.err"
status=$?
set -e
[ "$status" -ne 0 ] || fail "a package taking another provider's location must be refused"
grep -q "Otra: an identifier of its locations is another provider's" "$work/half.err" || fail "refusal not explained: $(cat "$work/half.err")"
"$passage" provider export --hsds "$work/after-half" "${db[@]}" >/dev/null
diff -r "$work/p4" "$work/after-half" >/dev/null || fail "a package refused half-way changed the directory: $(diff -r "$work/p4" "$work/after-half" | head)"
echo "provider-hsds: ok"
