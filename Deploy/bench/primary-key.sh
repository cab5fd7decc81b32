#!/usr/bin/env bash
# Primary-key lookups through the Postgres layer (4 clients) vs pgbench -S (4 clients) on the
# same scratch cluster, same run, three alternating rounds.
source "$(dirname "$0")/common.sh"
dir=$(mktemp -d /tmp/pk-XXXXXX)
"$PASSAGE" migrate --data-dir "$dir" >/dev/null 2>&1
trap 'as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1; rm -rf "$dir"' EXIT
as_pg "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -o "-c listen_addresses='' -c unix_socket_directories='$dir'" -w start >/dev/null 2>&1 || true
as_pg "$PGBIN/pgbench" -h "$dir" -U postgres -i -s 10 -q passage >/dev/null 2>&1
seconds=${SECONDS_PER_RUN:-10}
p=(); l=(); g=()
for _ in 1 2 3; do
  p+=("$("$PASSAGE_BENCH" pk --conninfo "host=$dir user=postgres dbname=passage" --clients 4 --seconds "$seconds" --mode connection-per-client)")
  l+=("$("$PASSAGE_BENCH" pk --conninfo "host=$dir user=postgres dbname=passage" --clients 4 --seconds "$seconds" --mode lease-per-lookup)")
  g+=("$(as_pg "$PGBIN/pgbench" -h "$dir" -U postgres -S -c 4 -j 2 -T "$seconds" -n passage 2>/dev/null | awk '/^tps/ {print int($3)}')")
done
pm=$(median "${p[@]}"); lm=$(median "${l[@]}"); gm=$(median "${g[@]}")
echo "primary-key connection_per_client=${p[*]} lease_per_lookup=${l[*]} pgbench=${g[*]} median_cpc=$pm median_lease=$lm median_pgbench=$gm ratio_cpc=$(ratio "$pm" "$gm") ratio_lease=$(ratio "$lm" "$gm")"
