"""Parses an HXL export with libhxl, validates it against libhxl's built-in schema and every
hashtag and attribute against the HXL core dictionary (hxl-core-dictionary.json beside this file).

Usage: check_hxl.py FILE EXPECTED_TAG... — exits non-zero (and says why) unless the file parses,
validates without errors, uses only core hashtags and core (or listed Passage) attributes, and its
hashtag row holds every expected tag. With --columns first, the hashtag row must be exactly the
expected tags, in order. Prints "hxl: ok".
"""
import json
import os
import re
import sys

import hxl

# Attributes Passage coins, beside the core dictionary's (HXL allows any attribute; these are the
# ones a reader needs explained — Docs/anonymisation.md lists them). Anything else fails.
PASSAGE_ATTRIBUTES = {
    "total": "the count over every row's group (not a sub-total)",
    "needs": "counted: protection needs", "referrals": "counted: referrals",
    "suppressed": "true where disclosure control withheld the count",
    "category": "movement category", "subcategory": "movement subcategory",
    "sex": "sex group", "age": "age band", "year": "period is a year", "quarter": "period is a quarter",
    "referral": "referral status", "response": "referral answered in time, late or not (referral_response)",
    "human_security": "human-security dimension",
    "migrants": "migrant workers", "trafficked": "trafficked people",
    "provider": "service provider", "priority": "priority", "freedom": "freedom dimension", "gap": "gap label",
    "measure": "outcome measured", "reason": "outcome reason",
    # vocabularies: ISO 3166-1 alpha-2 and ISO 3166-2 (the dictionary names +v_iso3 and +v_pcode)
    "v_iso2": "ISO 3166-1 alpha-2 country codes", "v_iso3166_2": "ISO 3166-2 subdivision codes",
}
# GAPS' measure columns carry their column name (unmet, median_hours, ...): lower-case words.
GAPS_MEASURE = re.compile(r"^[a-z][a-z0-9_]*$")
AGE_RANGE = re.compile(r"^age\d+(_\d+|plus)$")  # HXL's age-range convention: +age12_17, +age60plus


def dictionary_problems(columns):
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "hxl-core-dictionary.json"), encoding="utf-8") as f:
        core = json.load(f)
    vocabularies = {t["default_vocabulary"] for t in core["hashtags"].values() if t["default_vocabulary"]}
    problems = []
    for column in columns:
        if column.tag is None:
            continue
        hashtag = column.tag.lstrip("#")
        if hashtag not in core["hashtags"]:
            problems.append("%s: #%s is not a core hashtag" % (column.display_tag, hashtag))
        for attribute in column.attributes:
            if attribute in core["attributes"] or attribute in vocabularies or attribute in PASSAGE_ATTRIBUTES:
                continue
            if AGE_RANGE.match(attribute):
                continue
            # A GAPS measure: only on #indicator/#output/#capacity counts, named like a column.
            if hashtag in ("indicator", "output", "capacity") and GAPS_MEASURE.match(attribute):
                continue
            problems.append("%s: +%s is neither a core attribute nor one Passage lists" % (column.display_tag, attribute))
    return problems


exact = sys.argv[1] == "--columns"
arguments = sys.argv[2:] if exact else sys.argv[1:]
path, expected = arguments[0], arguments[1:]
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
problems += dictionary_problems(source.columns)
if exact and tags != expected:
    problems.append("columns %r, expected %r" % (tags, expected))
for tag in expected:
    if tag not in tags:
        problems.append("missing tag %s in %r" % (tag, tags))
if not rows:
    problems.append("no data rows")
if problems:
    print("\n".join(problems))
    sys.exit(1)
print("hxl: ok (%d rows, tags %s; %d advisory notes)" % (len(rows), " ".join(tags), len(report["issues"])))
