"""Joins an HXL output with an HDX-style reference table the way HDX tools do: on a hashtag
pattern, with libhxl's merge_data (HXL Proxy's "merge" filter).

Usage: hdx_join.py FILE REFERENCE KEY_PATTERN VALUE_PATTERN — merges REFERENCE's VALUE_PATTERN column
into FILE's rows keyed by KEY_PATTERN (e.g. #country+code+v_iso3, #adm1+code+v_pcode). Exits
non-zero unless every row with a key got the reference's value and at least one row joined.
Prints "join: ok (N rows joined on KEY)".
"""
import sys

import hxl

path, reference, key, value = sys.argv[1:5]
options = hxl.InputOptions(allow_local=True)
merged = hxl.data(path, options).merge_data(hxl.data(reference, options), keys=key, tags=value)
key_pattern, value_pattern = hxl.model.TagPattern.parse(key), hxl.model.TagPattern.parse(value)
joined, missed = 0, []
for row in merged:
    keys = [v for v in row.get_all(key_pattern) if v]
    if not keys:
        continue
    # merge_data appends the reference's column after the file's own: the last match is the joined one.
    got = row.get_all(value_pattern)
    if got and got[-1]:
        joined += 1
    else:
        missed.append(keys)
if missed or joined == 0:
    print("not joined on %s: %r (%d joined)" % (key, missed, joined))
    sys.exit(1)
print("join: ok (%d rows joined on %s)" % (joined, key))
