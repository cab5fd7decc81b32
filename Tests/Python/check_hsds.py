#!/usr/bin/env python3
"""Checks a directory Passage wrote as an Open Referral HSDS 3 tabular data package.

1. Its datapackage.json describes every table with HSDS 3.1's own fields, in HSDS's order, with
   the same types, formats and constraints, and HSDS's primary and foreign keys (a foreign key may
   be left out only where the referenced table is not in the package). The reference is the
   vendored HSDS descriptor in Tests/Python/hsds/ (hsds/SOURCE.md); for service_capacity and unit,
   which that compiled descriptor lists without their fields, the reference is built from HSDS's
   schema/service_capacity.json and schema/unit.json the way HSDS compiles the other tables.
2. frictionless (PyPI) validates the package against that descriptor: every cell's type, format
   (uuid, email, uri), required, unique, enum, and every foreign key across the tables.

Usage: check_hsds.py DIR [TABLE ...]   (TABLEs: names that must have at least one row)
Exit 0 and "ok" when valid; 1 with every problem otherwise.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REQUIRED_TABLES = ["organization", "service", "service_area", "location", "service_at_location", "phone",
                   "contact", "taxonomy_term", "service_capacity"]


def compiled_fields(schema):
    """The tabular fields of an HSDS JSON schema: its scalar properties; required and tabular_required."""
    required = set(schema.get("required", [])) | set(schema.get("tabular_required", []))
    fields = []
    for name, prop in schema["properties"].items():
        kind = prop.get("type")
        if kind not in ("string", "number", "integer", "boolean"):
            continue
        fmt = prop.get("format")
        if kind == "string" and fmt in ("date-time", "date"):
            kind, fmt = ("datetime" if fmt == "date-time" else "date"), None
        field = {"name": name, "type": kind, "constraints": {"required": name in required, "unique": name == "id"}}
        if "enum" in prop:
            field["constraints"]["enum"] = prop["enum"]
        if fmt:
            field["format"] = fmt
        fields.append(field)
    return fields


def reference():
    with open(os.path.join(HERE, "hsds", "datapackage.json")) as f:
        official = {r["name"]: r for r in json.load(f)["resources"]}
    for name in ("service_capacity", "unit"):
        with open(os.path.join(HERE, "hsds", name + ".json")) as f:
            official[name]["schema"]["fields"] = compiled_fields(json.load(f))
    return official


def essence(field):
    constraints = field.get("constraints", {})
    return (field["name"], field.get("type", "string"), field.get("format"),
            bool(constraints.get("required", False)), bool(constraints.get("unique", False)),
            tuple(constraints.get("enum", [])))


def foreign_keys(schema):
    return {(k["fields"], k["reference"]["resource"], k["reference"].get("fields", "id"))
            for k in schema.get("foreignKeys") or []}


def compare(descriptor, official):
    problems = []
    names = {r["name"] for r in descriptor["resources"]}
    for table in REQUIRED_TABLES:
        if table not in names:
            problems.append("the package has no %s table" % table)
    for resource in descriptor["resources"]:
        name = resource["name"]
        if name not in official:
            problems.append("%s is not an HSDS table" % name)
            continue
        ref = official[name]
        if resource.get("path") != ref["path"]:
            problems.append("%s: path %s, HSDS names it %s" % (name, resource.get("path"), ref["path"]))
        ours = [essence(f) for f in resource["schema"]["fields"]]
        theirs = [essence(f) for f in ref["schema"]["fields"]]
        if ours != theirs:
            for a, b in zip(ours + [None] * len(theirs), theirs + [None] * len(ours)):
                if a != b:
                    problems.append("%s: field %s, HSDS has %s" % (name, a, b))
                    break
        if resource["schema"].get("primaryKey") != ref["schema"].get("primaryKey"):
            problems.append("%s: primary key differs from HSDS's" % name)
        ours_fk, theirs_fk = foreign_keys(resource["schema"]), foreign_keys(ref["schema"])
        if not ours_fk <= theirs_fk:
            problems.append("%s: foreign keys HSDS does not have: %s" % (name, sorted(ours_fk - theirs_fk)))
        missing = {k for k in theirs_fk - ours_fk if k[1] in names}
        if missing:
            problems.append("%s: HSDS's foreign keys left out: %s" % (name, sorted(missing)))
    return problems


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    directory = sys.argv[1]
    with open(os.path.join(directory, "datapackage.json")) as f:
        descriptor = json.load(f)
    problems = compare(descriptor, reference())

    import frictionless
    descriptor_path = os.path.join(directory, "datapackage.json")
    report = frictionless.validate(descriptor_path)
    for task in report.tasks:
        for error in task.errors:
            problems.append("%s: %s" % (task.name, error.message))
    for error in report.errors:
        problems.append(error.message)

    package = frictionless.Package(descriptor_path)
    for table in sys.argv[2:]:
        if len(package.get_resource(table).read_rows()) == 0:
            problems.append("%s has no rows" % table)

    if problems:
        print("\n".join(problems))
        return 1
    print("ok: %d tables valid against HSDS %s (frictionless %s)" % (
        len(descriptor["resources"]), "3.1", frictionless.__version__))
    return 0


if __name__ == "__main__":
    sys.exit(main())
