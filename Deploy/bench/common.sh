# Shared by the benchmark scripts: the deployment build of passage (release, Swift standard
# library linked statically: one self-contained binary, and 5 MB less resident memory than
# loading the shared Swift libraries), and helpers.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source Deploy/swift-env.sh
bash Deploy/install-deps.sh
# BUILD_DIR: another scratch path of Deploy/build-release.sh (a benchmark beside other builds).
build_dir=${BUILD_DIR:-.build-static}
if [ -z "${PASSAGE_BENCH_NO_BUILD:-}" ]; then
  Deploy/build-release.sh "$build_dir" >&2
fi
build_dir=$(cd "$build_dir" && pwd)
PASSAGE=$build_dir/release/passage
PASSAGE_BENCH=$build_dir/release/passage-bench   # the load drivers: passage-bench ping|pk|refer|latency
PGBIN=$(pg_config --bindir 2>/dev/null || ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)

# as_pg CMD…: run a PostgreSQL client tool as the cluster's owner when we are root.
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

wait_port() {  # wait_port PORT PID
  for _ in $(seq 1 240); do
    nc -z 127.0.0.1 "$1" 2>/dev/null && return 0
    kill -0 "$2" 2>/dev/null || { echo "process $2 exited before listening on $1" >&2; return 1; }
    sleep 0.25
  done
  echo "nothing listens on $1" >&2; return 1
}

ratio() { python3 -c "import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); print(f'{a/b:.2f}')" "$1" "$2"; }
median() { python3 -c "import sys,statistics; print(statistics.median(float(x) for x in sys.argv[1:]))" "$@"; }
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
