"""An independent classifier written from the contract's text alone (case-facts.md v2, Part A:
sections 3.1 to 3.7 and 4), used as an oracle: random valid facts are classified by it and by
`passage classify`, and every line must agree byte for byte.

Each rule is re-derived from the clause it encodes, not translated from PassageCore's Swift, so a
misreading of the contract on either side shows as a difference. The generator mixes the boundaries the rules turn on: every
asylum and unrwa value, stateless/unknown nationalities, several nationalities with and without
their protection, habitual residence beside or instead of a nationality, crossed_border agreeing
or not with the countries, the OAU and Cartagena jurisdictions, every employment kind, capacity
and state of employment, trafficking with and without means at ages 17/18, null groups.

Usage: classification_oracle.py PATH/TO/passage [SEED [COUNT]] -> prints "classification-oracle: ok".
"""
import json
import random
import subprocess
import sys

COUNTRIES = ["DE", "SY", "LB", "UA", "PL", "AF", "IR", "NE", "ML", "CO", "VE", "KE", "SO", "FR", "PS", "JO", "US", "MX", "CH"]
CAUSES = "persecution armed_conflict internal_conflict generalized_violence human_rights_violations external_aggression occupation foreign_domination public_order_disturbance natural_disaster human_made_disaster food_insecurity work family study other".split()

OAU = set("AO BF BI BJ BW CD CF CG CI CM DZ ET GA GH GM GN KE LR LS ML MR MW MZ NE NG RW SD SL SN SS TD TG TN TZ UG ZA ZM ZW".split())
CART = set("AR BO BR CL CO EC GT HN MX NI PE PY SV UY".split())
CLAIMS = {"intends", "applied", "recognized", "temporary_protection"}
NOTE_ORDER = ["outside-without-crossing", "returned-to-country", "means-missing-adult",
              "outside-presumed-from-claim", "cessation-review", "national-rights-1E", "exclusion-clause",
              "other-nationality-protection-unknown", "no-claim-lodged",
              "icrmw-3a", "icrmw-3b", "icrmw-3c", "icrmw-3d", "icrmw-3e", "icrmw-3f"]
REVIEW_NOTES = {"means-missing-adult", "outside-presumed-from-claim", "cessation-review", "national-rights-1E",
                "exclusion-clause", "other-nationality-protection-unknown"}


def is_cc(v):
    return v is not None and v not in ("stateless", "unknown")


def places(f):
    cur = f["current_country"]
    nat = f.get("nationality")
    others = f.get("other_nationalities") or []
    N = ([nat] + others) if is_cc(nat) else []
    hr = f.get("habitual_residence")
    R = N if N else ([hr] if hr else None)
    H = hr if hr else (nat if is_cc(nat) else None)
    cb = f.get("crossed_border")
    notes = []
    if R is None:
        if cb is None:
            return None, None, notes, R
        return cb, (not cb), notes, R
    outside = cur not in R
    at_home = (cur == H) and not (cb is True and outside)
    if cb is False and not at_home:
        notes.append("outside-without-crossing")
    if cb is True and at_home:
        notes.append("returned-to-country")
    return outside, at_home, notes, R


def trafficked(f):
    t = f.get("trafficking")
    if not t:
        return None, []
    acts, means, purp = t.get("acts") or [], t.get("means") or [], t.get("purposes") or []
    age = t.get("age_at_act")
    if age is None:
        age = f.get("age")
    if age is not None and age < 18:
        if acts and purp:
            return ("child", ["palermo-3c"]), []
        return None, []
    if acts and means and purp:
        return ("adult", ["palermo-3a"]), []
    if acts and purp and not means:
        return None, ["means-missing-adult"]
    return None, []


def refugee(f, outside):
    asylum = f.get("asylum", "none")
    unrwa = f.get("unrwa", "none")
    notes = []
    claim = asylum in CLAIMS
    if outside is True:
        pass
    elif outside is None and claim:
        notes.append("outside-presumed-from-claim")
    elif outside is False and asylum in ("recognized", "temporary_protection"):
        return None, ["cessation-review"]
    else:
        return None, []
    excl = False
    if f.get("national_rights") is True:
        notes.append("national-rights-1E"); excl = True
    if f.get("excluded") is True:
        notes.append("exclusion-clause"); excl = True
    if excl:
        return None, notes
    if asylum == "recognized":
        return ("refugee", ["recognized-status"]), notes
    if asylum == "temporary_protection":
        return ("refugee", ["temporary-protection"]), notes
    if asylum in ("applied", "intends"):
        return ("asylum_seeker", ["asylum-claim"]), notes
    causes = f.get("causes") or []
    basis = []
    if "persecution" in causes and (f.get("persecution_grounds") or []) and f.get("state_protection") is not True \
            and unrwa != "receiving":
        basis.append("1951-convention-1A2")
    if unrwa == "ceased":
        basis.append("1951-convention-1D")
    if unrwa == "receiving":
        basis.append("unrwa-mandate")
    cur = f["current_country"]
    forced = f.get("forced") is True
    if cur in OAU and forced and any(c in causes for c in ["external_aggression", "occupation", "foreign_domination",
                                                           "public_order_disturbance", "armed_conflict",
                                                           "internal_conflict", "generalized_violence"]):
        basis.append("oau-1969-I2")
    if cur in CART and forced and any(c in causes for c in ["generalized_violence", "external_aggression",
                                                            "internal_conflict", "armed_conflict",
                                                            "human_rights_violations", "public_order_disturbance"]):
        basis.append("cartagena-1984-III3")
    if not basis:
        return None, notes
    if f.get("other_nationalities"):
        onp = f.get("other_nationality_protection")
        if onp is True:
            return None, notes
        if onp is None:
            return None, notes + ["other-nationality-protection-unknown"]
    if asylum == "none" and basis != ["unrwa-mandate"]:
        notes.append("no-claim-lodged")
    return ("refugee", basis), notes


def idp(f, at_home):
    if at_home is not True or f.get("left_home") is not True or f.get("forced") is not True:
        return None
    causes = f.get("causes") or []
    groups = [("conflict", ["armed_conflict", "internal_conflict", "generalized_violence", "human_rights_violations",
                            "persecution", "public_order_disturbance", "external_aggression", "occupation",
                            "foreign_domination"]),
              ("disaster", ["natural_disaster", "human_made_disaster"]),
              ("food_insecurity", ["food_insecurity"])]
    for name, cs in groups:
        if any(c in causes for c in cs):
            return (name, ["guiding-principles-2"])
    return None


def worker(f, outside, R, is_ref):
    e = f.get("employment")
    if not e or e.get("status") is None:
        return None, [], None, None
    ec = e.get("country")
    cur = f["current_country"]
    if ec is not None and ec != cur:
        soe = False if R is None else (ec not in R)
    elif ec is None and e.get("kind") in ("frontier", "itinerant"):
        soe = True
    elif ec is None and e.get("status") == "formerly_engaged" and f.get("crossed_border") is True and outside is False:
        soe = True
    else:
        soe = outside is True
    if not soe or is_ref:
        return None, [], None, None
    cap = e.get("capacity")
    causes = f.get("causes") or []
    notes = []
    if cap == "official_functions": notes.append("icrmw-3a")
    if cap == "cooperation_programme": notes.append("icrmw-3b")
    if cap == "investor": notes.append("icrmw-3c")
    if f.get("nationality") == "stateless": notes.append("icrmw-3d")
    if cap in ("student", "trainee") or (cap is None and "study" in causes and "work" not in causes):
        notes.append("icrmw-3e")
    if e.get("kind") in ("seafarer", "offshore") and e.get("admitted_to_reside") is not True:
        notes.append("icrmw-3f")
    if notes:
        return None, notes, None, None
    sl = e.get("skill_level")
    sub = "skilled" if sl in (3, 4) else "unskilled" if sl in (1, 2) else "unspecified"
    return (sub, ["icrmw-2-1"]), [], e.get("authorized"), e.get("sponsored")


def classify(f):
    outside, at_home, notes, R = places(f)
    cats = []
    t, n = trafficked(f); notes += n
    if t: cats.append(("trafficked",) + t)
    r, n = refugee(f, outside); notes += n
    if r: cats.append(("refugee_asylum",) + r)
    i = idp(f, at_home)
    if i: cats.append(("idp",) + i)
    w, n, reg, inst = worker(f, outside, R, r is not None); notes += n
    if w: cats.append(("migrant_worker",) + w)
    notes.sort(key=NOTE_ORDER.index)
    nothing = not cats
    review = nothing or any(x in REVIEW_NOTES for x in notes) or (w is not None and w[0] == "unspecified")
    missing = []
    if outside is None: missing.append("crossed_border")
    if nothing:
        for k in ["causes", "employment", "forced", "left_home", "trafficking"]:
            if k not in f: missing.append(k)
    missing.sort()
    res = {"ref": f["ref"], "primary": cats[0][0] if cats else "unclassified",
           "categories": [c[0] for c in cats], "subcategories": {c[0]: c[1] for c in cats},
           "basis": {c[0]: c[2] for c in cats}, "regular": reg if w else None,
           "institutional": inst if w else None, "review": review, "notes": notes, "missing": missing}
    return json.dumps(res, separators=(",", ":"), ensure_ascii=False)


def maybe(p=0.5): return rnd.random() < p
def sample(lst, k=None):
    k = rnd.randint(0, min(3, len(lst))) if k is None else k
    return rnd.sample(lst, k)
def gen(i):
    f = {"ref": f"z{i}", "current_country": rnd.choice(COUNTRIES)}
    if maybe(): f["age"] = rnd.choice([5, 15, 17, 18, 19, 30, 60])
    if maybe(0.7): f["nationality"] = rnd.choice(COUNTRIES + ["stateless", "unknown"] * 3)
    nat = f.get("nationality")
    if nat and nat not in ("stateless", "unknown") and maybe(0.3):
        f["other_nationalities"] = [c for c in sample(COUNTRIES, rnd.randint(0,2)) if c != nat]
        if f["other_nationalities"] and maybe(0.6): f["other_nationality_protection"] = maybe()
    if maybe(0.5): f["habitual_residence"] = rnd.choice(COUNTRIES)
    if maybe(0.6): f["crossed_border"] = maybe()
    if maybe(0.7): f["left_home"] = maybe(0.8)
    if maybe(0.7): f["forced"] = maybe(0.7)
    if maybe(0.8): f["causes"] = sample(CAUSES)
    if maybe(0.4): f["persecution_grounds"] = sample(["race","religion","nationality","social_group","political_opinion"])
    if maybe(0.3): f["state_protection"] = maybe()
    if maybe(0.6): f["asylum"] = rnd.choice(["none","intends","applied","recognized","rejected","temporary_protection"])
    if maybe(0.3): f["unrwa"] = rnd.choice(["none","receiving","ceased"])
    if maybe(0.2): f["national_rights"] = maybe()
    if maybe(0.2): f["excluded"] = maybe()
    if maybe(0.5):
        if maybe(0.1): f["employment"] = None
        else:
            e = {}
            if maybe(0.85): e["status"] = rnd.choice(["seeking","engaged","formerly_engaged"])
            if maybe(): e["skill_level"] = rnd.randint(1,4)
            if maybe(): e["authorized"] = maybe()
            if maybe(): e["sponsored"] = maybe()
            if maybe(): e["kind"] = rnd.choice("frontier seasonal seafarer offshore itinerant project_tied specified_employment self_employed general".split())
            if maybe(0.4): e["country"] = rnd.choice(COUNTRIES)
            if maybe(0.3): e["capacity"] = rnd.choice("worker student trainee investor official_functions cooperation_programme".split())
            if maybe(0.3): e["admitted_to_reside"] = maybe()
            f["employment"] = e
    if maybe(0.4):
        if maybe(0.1): f["trafficking"] = None
        else:
            t = {}
            if maybe(0.8): t["acts"] = sample(["recruitment","transportation","transfer","harbouring","receipt"])
            if maybe(0.7): t["means"] = sample(["threat","force","coercion","abduction","fraud","deception","abuse_of_power","abuse_of_vulnerability","payments"])
            if maybe(0.8): t["purposes"] = sample(["sexual_exploitation","forced_labour","slavery","servitude","organ_removal","other_exploitation"])
            if maybe(0.4):
                a = rnd.choice([10, 16, 17, 18, 25])
                if "age" in f and a > f["age"]: a = f["age"]
                t["age_at_act"] = a
            f["trafficking"] = t
    if maybe(0.2): f["smuggled"] = maybe()
    return f


def main():
    passage = sys.argv[1]
    global rnd
    rnd = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 12)
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 20000
    facts = [gen(i) for i in range(count)]
    lines = "".join(json.dumps(f, separators=(",", ":")) + "\n" for f in facts)
    run = subprocess.run([passage, "classify"], input=lines.encode(), capture_output=True)
    out = run.stdout.decode().splitlines()
    if run.returncode != 0 or len(out) != count:
        sys.exit(f"passage classify: status {run.returncode}, {len(out)} lines for {count}: {run.stderr.decode()[:500]}")
    differences = [(f, o) for f, o in zip(facts, out) if classify(f) != o]
    for f, o in differences[:5]:
        print("facts:   ", json.dumps(f, separators=(",", ":")))
        print("contract:", classify(f))
        print("passage: ", o)
    if differences:
        sys.exit(f"{len(differences)} of {count} results differ from the contract's rules")
    print(f"classification-oracle: ok ({count} random cases)")


if __name__ == "__main__":
    main()
