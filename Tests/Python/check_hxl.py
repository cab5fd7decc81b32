"""Parses an HXL export with libhxl and validates it against libhxl's built-in schema.

Usage: check_hxl.py FILE EXPECTED_TAG... — exits non-zero (and says why) unless the file parses,
validates without errors, and its hashtag row holds every expected tag. Prints "hxl: ok".
"""
import sys

import hxl

path, expected = sys.argv[1], sys.argv[2:]
source = hxl.data(path, hxl.InputOptions(allow_local=True))
tags = [column.display_tag for column in source.columns]
rows = list(source)  # parses every row
report = hxl.validate(hxl.data(path, hxl.InputOptions(allow_local=True)))
problems = []
# Errors fail; info and warnings (libhxl flags "possible numeric outliers" and rare spellings,
# which small tables always have) are reported but are advice, not invalidity.
errors = [issue for issue in report["issues"] if issue["severity"] == "error"]
if errors or report["stats"]["error"]:
    problems.append("validation errors: %r" % errors)
for tag in expected:
    if tag not in tags:
        problems.append("missing tag %s in %r" % (tag, tags))
if not rows:
    problems.append("no data rows")
if problems:
    print("\n".join(problems))
    sys.exit(1)
print("hxl: ok (%d rows, tags %s; %d advisory notes)" % (len(rows), " ".join(tags), len(report["issues"])))
