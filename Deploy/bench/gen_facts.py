#!/usr/bin/env python3
"""Generate varied, valid case facts as JSON Lines (contract case-facts.md v1) for benchmarks.

    python3 Deploy/bench/gen_facts.py --lines 1000000 --seed 7 > big.jsonl

The same --lines and --seed always give the same file. Every line is valid, so a classifier
that refuses any of them has a bug; the mix exercises every rule (trafficking, refugee
definitions in OAU and Cartagena countries, internal displacement, migrant work)."""
import argparse
import json
import random
import sys

COUNTRIES = ("AF AO AR BD BF BI BR CD CF CM CN CO DE EC EG ER ES ET FR GB GT HN HT IN IQ IR IT KE "
             "LB LY MM MX MY NG NI NP PE PH PK PL SD SO SS SV SY TD TH TR UA UG US VE VN YE ZA").split()
CAUSES = ["persecution", "armed_conflict", "internal_conflict", "generalized_violence",
          "human_rights_violations", "external_aggression", "occupation", "foreign_domination",
          "public_order_disturbance", "natural_disaster", "human_made_disaster", "food_insecurity",
          "work", "family", "study", "other"]
GROUNDS = ["race", "religion", "nationality", "social_group", "political_opinion"]
ASYLUM = ["none", "intends", "applied", "recognized", "rejected"]
STATUS = ["seeking", "engaged", "formerly_engaged"]
KINDS = ["frontier", "seasonal", "seafarer", "offshore", "itinerant", "project_tied",
         "specified_employment", "self_employed", "general"]
ACTS = ["recruitment", "transportation", "transfer", "harbouring", "receipt"]
MEANS = ["threat", "force", "coercion", "abduction", "fraud", "deception", "abuse_of_power",
         "abuse_of_vulnerability", "payments"]
PURPOSES = ["sexual_exploitation", "forced_labour", "slavery", "servitude", "organ_removal",
            "other_exploitation"]


def some(rng, values, most=3):
    return rng.sample(values, rng.randint(1, most))


def facts(rng, number):
    nationality = rng.choice(COUNTRIES)
    inside = rng.random() < 0.3
    current = nationality if inside else rng.choice(COUNTRIES)
    case = {"ref": f"bench-{number:08d}", "age": rng.randint(0, 90),
            "sex": rng.choice(["female", "male", "other", "unknown"])}
    roll = rng.random()
    if roll < 0.05:
        case["nationality"] = "stateless"
        if rng.random() < 0.7:
            case["habitual_residence"] = rng.choice(COUNTRIES)
    elif roll < 0.08:
        case["nationality"] = "unknown"
    else:
        case["nationality"] = nationality
    if rng.random() < 0.4:
        case["origin_area"] = f"{nationality}-{rng.randint(1, 99):02d}"
    case["current_country"] = current
    if rng.random() < 0.4:
        case["current_area"] = f"{current}-{rng.choice(['ANT', 'N', '7', 'DC', '11'])}"
    if rng.random() < 0.2:
        case["crossed_border"] = not inside
    case["left_home"] = rng.random() < 0.85
    if rng.random() < 0.9:
        case["forced"] = rng.random() < 0.6
    case["causes"] = some(rng, CAUSES)
    if "persecution" in case["causes"] or rng.random() < 0.2:
        case["persecution_grounds"] = some(rng, GROUNDS, 2)
        case["persecution_agent"] = rng.choice(["state", "non_state"])
        case["state_protection"] = rng.random() < 0.2
    if rng.random() < 0.7:
        case["asylum"] = rng.choice(ASYLUM)
    if rng.random() < 0.03:
        case["excluded"] = True
    if rng.random() < 0.45:
        employment = {"status": rng.choice(STATUS)}
        if rng.random() < 0.8:
            employment["skill_level"] = rng.randint(1, 4)
        employment["authorized"] = rng.random() < 0.5
        if rng.random() < 0.7:
            employment["sponsored"] = rng.random() < 0.4
        if rng.random() < 0.6:
            employment["kind"] = rng.choice(KINDS)
        case["employment"] = employment
    if rng.random() < 0.2:
        trafficking = {"acts": some(rng, ACTS, 2), "purposes": some(rng, PURPOSES, 2)}
        if rng.random() < 0.7:
            trafficking["means"] = some(rng, MEANS, 2)
        if rng.random() < 0.5:
            trafficking["age_at_act"] = rng.randint(0, case["age"])
        case["trafficking"] = trafficking
    if rng.random() < 0.1:
        case["smuggled"] = True
    return case


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()
    rng = random.Random(arguments.seed)
    out = sys.stdout
    for number in range(arguments.lines):
        out.write(json.dumps(facts(rng, number), separators=(",", ":")))
        out.write("\n")


if __name__ == "__main__":
    main()
