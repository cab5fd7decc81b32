#!/usr/bin/env bash
# passage classify vs jq -c . on the same 1,000,000-line file, same run: wall time, CPU and
# peak memory of each (GNU time).
source "$(dirname "$0")/common.sh"
lines=${LINES:-1000000}
file=$(mktemp /tmp/pc-XXXXXX.jsonl)
trap 'rm -f "$file"' EXIT
python3 Deploy/bench/gen_facts.py --lines "$lines" --seed 7 >"$file"
measure() { /usr/bin/time -f "%e %U %M" "$@" >/dev/null 2>"$file.time"; tail -1 "$file.time"; rm -f "$file.time"; }
read -r pw pu pm <<<"$(measure "$PASSAGE" classify "$file")"
read -r jw ju jm <<<"$(measure jq -c . "$file")"
echo "classify lines=$lines passage_wall_s=$pw passage_user_s=$pu passage_peak_rss_kib=$pm jq_wall_s=$jw jq_user_s=$ju jq_peak_rss_kib=$jm speedup_wall=$(ratio "$jw" "$pw") speedup_cpu=$(ratio "$ju" "$pu")"
