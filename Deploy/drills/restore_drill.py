#!/usr/bin/env python3
"""Restore drill against a real `passage serve` on the embedded cluster (Docs/reliability.md,
"Backup and restore").

1. `passage demo --cases N` loads a synthetic population; `passage backup setup` makes an
   encrypted pgBackRest repository beside it (not inside the data directory) and turns on WAL
   archiving; the personal-data key lives outside the data directory too.
2. `passage serve` runs; 4 clients send REFER continuously (each on another need), recording
   every referral the server acknowledged (250 referral=<id>); meanwhile `passage backup --full`.
   More load, then `passage backup --incremental`.
3. Two known referrals: A, a gap of 3 s, B; the moment T in the middle of the gap.
4. The server stops (SIGTERM), the data directory is destroyed (rm -r: cluster, log, anchors).
5. `passage restore --latest`: every acknowledged referral (A and B among them) present, and
   AUDIT VERIFY intact, with the server started on the restored directory.
6. `passage restore --to T --delta`: A present, B absent, AUDIT VERIFY intact.
With ANCHOR=1 (default at 1,000,000 cases and more), pg_basebackup (uncompressed tar) of the
same cluster is timed beside the full backup.

Usage: restore_drill.py PATH/TO/passage [CASES]   (default 2000)
Prints one `figures` line and `restore-drill: ok` or `FAIL`; exit status 1 on failure.
"""
import datetime, glob, os, random, shutil, signal, socket, subprocess, sys, tempfile, threading, time

from console_replies import Console
from drill_world import make_world

passage = sys.argv[1]
cases = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
CLIENTS = 4
anchor = os.environ.get("ANCHOR", "1" if cases >= 1_000_000 else "0") == "1"
# REUSE=DIR: the directory of an earlier run kept with KEEP=1 (its population, backup set-up and
# REFER world loaded), so the 1,000,000-case figures need not load the population again.
reuse = os.environ.get("REUSE")
root = reuse or tempfile.mkdtemp(prefix="passage-restore-", dir=os.environ.get("DRILL_DIR", "/tmp"))
os.chmod(root, 0o755)   # the cluster's user (postgres, when run as root) reaches the files below
data, repo, config, key = root + "/data", root + "/repo", root + "/backup.conf", root + "/pii.key"
port = random.randint(20000, 40000)
log = open(root + "/drill.log", "ab")
as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
pgbin = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True).stdout.strip() \
    or sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1]
environment = dict(os.environ, PASSAGE_CONFIG="/dev/null")
common = ["--data-dir", data, "--pii-key-file", key]
backup_options = common + ["--backup-config", config]
figures = {}
failures = []
busy = []   # REFERs answered 451 under load (not committed; a client would retry)

# The REFER world (drill_world.make_world, as the failover and replica drills make it): in
# organisation 'drill', the case 'drill-1' with enough open needs for every REFER of the run,
# and the provider 'drill-provider-1' offering legal assistance.
needs = 400_000 if cases >= 1_000_000 else 60_000


def run(*arguments, timed=None):
    started = time.monotonic()
    result = subprocess.run([passage] + list(arguments), capture_output=True, text=True, env=environment)
    seconds = time.monotonic() - started
    log.write(("$ passage %s\n%s%s\n" % (" ".join(arguments), result.stdout, result.stderr)).encode())
    log.flush()
    if result.returncode != 0:
        print(result.stdout + result.stderr, file=sys.stderr)
        raise SystemExit("passage %s failed (exit status %d)" % (arguments[0], result.returncode))
    if timed:
        figures[timed] = round(seconds, 1)
    return result.stdout


def sql(query):
    # On standard input: the acknowledged ids of a 1,000,000-case run exceed an argument's length.
    return subprocess.run(as_postgres + [pgbin + "/psql", "-h", data, "-U", "postgres", "-d", "passage", "-AtqX",
                                         "-v", "ON_ERROR_STOP=1"],
                          input=query, capture_output=True, text=True, check=True).stdout.strip()


def size_of(path):
    return int(subprocess.run(["du", "-sb", path], capture_output=True, text=True, check=True).stdout.split()[0])


running = []   # the server started last, stopped if the drill ends early


class Server:
    def __init__(self):
        running[:] = [self]
        self.process = subprocess.Popen(
            [passage, "serve", "--port", str(port), "--no-http", "--gaps-refresh", "0", "--bulk-rows-per-minute", "0"]
            + common, stdout=log, stderr=log, stdin=subprocess.DEVNULL, start_new_session=True, env=environment)
        for _ in range(1200):
            if self.process.poll() is not None:
                raise SystemExit("passage serve exited (status %s): see %s/drill.log" % (self.process.returncode, root))
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.25)
        raise SystemExit("passage serve did not listen on %d" % port)

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=300)


def refer(console, world, need):
    """(reply code, the referral's id when acknowledged with 250, else None)."""
    code, text = console.request("REFER %d %d %d consent=yes" % (world["case"], need, world["provider"]))
    if code != 250:
        return code, None
    return code, int(text.split("referral=")[1].split()[0])


def load(world, first_need, stop, acknowledged, errors):
    """4 clients, each on its own needs (need = first + client + 4·i), until `stop`."""
    def client(number):
        console = Console(port, "drill-caseworker", "drill-caseworker-pass", timeout=120)
        index = 0
        while not stop.is_set():
            need = first_need + number + CLIENTS * index
            index += 1
            try:
                code, referral = refer(console, world, need)
            except Exception as error:   # a dropped connection counts, and ends the client
                errors.append(repr(error))
                return
            if code == 451:   # the database busy: nothing committed, a client retries
                busy.append(need)
            elif referral is None:
                errors.append("need %d refused with %d" % (need, code))
            else:
                acknowledged.append(referral)
        console.close()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    return threads


def audit_verify():
    console = Console(port, "drill-admin", "drill-admin-pass", timeout=120)
    code, text = console.request("AUDIT VERIFY")
    console.close()
    return code, text


def present(ids):
    if not ids:
        return 0
    return int(sql("SELECT count(*) FROM referrals WHERE id = ANY('{%s}'::bigint[])" % ",".join(map(str, ids))))


def main():
    if not reuse:
        prepare()
    server = Server()
    if reuse:
        case_id, provider_id, last_need = map(int, sql(
            "SELECT (SELECT id FROM cases WHERE ref = 'drill-1'), (SELECT p.id FROM providers p JOIN organisations o "
            "ON o.id = p.organisation_id WHERE o.name IN ('drill-provider-1', 'drill-provider') ORDER BY p.id LIMIT 1), "
            "(SELECT max(id) FROM needs WHERE identified_by = 'drill')"
        ).split("|"))
        # Needs above every one referred before are free; more when too few are left.
        first_need = int(sql("SELECT max(need_id) FROM referrals WHERE case_id = %d" % case_id)) + 1
        if last_need - first_need < needs * 3 // 4:
            last_need = int(sql(
                "WITH n AS (INSERT INTO needs (case_id, organisation_id, code, priority, identified_by) "
                "SELECT id, organisation_id, 'LP', 'urgent', 'drill' FROM cases, generate_series(1, %d) WHERE id = %d "
                "RETURNING id) SELECT max(id) FROM n" % (needs, case_id)))
            first_need = last_need - needs + 1
    else:
        made = make_world(sql, "drill", "1", needs)
        case_id, provider_id, first_need, last_need = (
            made["case"], made["provider"], made["first_need"], made["last_need"])
        sql("VACUUM ANALYZE")
    world = {"case": case_id, "provider": provider_id}
    acknowledged, errors = [], []
    run_drill(server, world, first_need, last_need, acknowledged, errors)


def prepare():
    subprocess.run(["sh", "-c", "umask 077; od -An -N32 -tx1 /dev/urandom | tr -d ' \\n' > %s" % key], check=True)
    run("demo", "--cases", str(cases), "--seed", "7", "--data-dir", data, timed="demo_load_s")
    run("backup", "setup", "--backup-repo", repo, *backup_options)
    for user, role in (("drill-caseworker", "caseworker"), ("drill-admin", "admin")):
        added = subprocess.run([passage, "user", "add", user, "--role", role, "--org", "drill", "--password-stdin",
                                "--data-dir", data], input=user + "-pass\n", capture_output=True, text=True, env=environment)
        if added.returncode != 0:
            raise SystemExit("passage user add %s failed: %s" % (user, added.stderr.strip().splitlines()[-1:]))


def run_drill(server, world, first_need, last_need, acknowledged, errors):
    # A full backup under REFER load.
    stop = threading.Event()
    threads = load(world, first_need, stop, acknowledged, errors)
    time.sleep(2)
    before_full = len(acknowledged)
    run("backup", "--full", *backup_options, timed="full_backup_s")
    figures["refers_during_full"] = len(acknowledged) - before_full
    time.sleep(3)
    stop.set()
    for thread in threads:
        thread.join(timeout=120)
    if anchor:
        # The anchor: pg_basebackup, PostgreSQL's own copy of a running cluster (uncompressed
        # tar, WAL fetched), same cluster, same moment; pgBackRest compresses and encrypts.
        target = root + "/basebackup"
        os.makedirs(target, mode=0o700)
        if as_postgres:
            shutil.chown(target, "postgres", "postgres")
        started = time.monotonic()
        subprocess.run(as_postgres + [pgbin + "/pg_basebackup", "-h", data, "-U", "postgres", "-D", target, "-Ft",
                                      "-Xfetch", "-c", "fast"], check=True, capture_output=True)
        figures["pg_basebackup_s"] = round(time.monotonic() - started, 1)
        figures["pg_basebackup_bytes"] = size_of(target)
        shutil.rmtree(target)
    figures["repo_bytes_after_full"] = size_of(repo)
    figures["cluster_bytes"] = size_of(data + "/data")

    # More load, then an incremental backup, still under load.
    stop = threading.Event()
    threads = load(world, first_need + 200_000 if needs > 200_000 else first_need + 30_000, stop, acknowledged, errors)
    time.sleep(3)
    run("backup", "--incremental", *backup_options, timed="incremental_backup_s")
    time.sleep(1)
    stop.set()
    for thread in threads:
        thread.join(timeout=120)
    figures["repo_bytes_after_incremental"] = size_of(repo)
    listing = run("backup", "list", *backup_options)

    # Two known referrals around a gap; T is the middle of the gap.
    console = Console(port, "drill-caseworker", "drill-caseworker-pass", timeout=120)
    known = first_need + (150_000 if needs > 200_000 else 25_000)   # beyond the first load, before the second
    referral_a = refer(console, world, known)[1]
    after_a = datetime.datetime.now(datetime.timezone.utc)
    time.sleep(3)
    before_b = datetime.datetime.now(datetime.timezone.utc)
    referral_b = refer(console, world, known + 1)[1]
    console.close()
    if referral_a is None or referral_b is None:
        raise SystemExit("the known referrals were refused")
    acknowledged += [referral_a, referral_b]
    moment = after_a + (before_b - after_a) / 2
    target = moment.strftime("%Y-%m-%d %H:%M:%S.%f+00")
    figures["acknowledged"] = len(acknowledged)
    figures["load_errors"] = len(errors)
    figures["busy_451"] = len(busy)

    # Disaster: the server stops, the data directory is gone.
    server.stop()
    shutil.rmtree(data)

    # Restore everything: every acknowledged referral, an intact audit chain.
    output = run("restore", "--latest", *backup_options, timed="restore_latest_s")
    server = Server()
    figures["lost_latest"] = len(acknowledged) - present(acknowledged)
    code, text = audit_verify()
    figures["audit_latest"] = code
    server.stop()
    if figures["lost_latest"] != 0:
        failures.append("%d acknowledged referrals missing after restore --latest" % figures["lost_latest"])
    if code != 250:
        failures.append("AUDIT VERIFY after restore --latest: %d %s" % (code, text))

    # Point in time: between the two known referrals.
    run("restore", "--to", target, "--delta", *backup_options, timed="restore_pitr_s")
    server = Server()
    a_present, b_present = present([referral_a]), present([referral_b])
    figures["pitr_exact"] = a_present == 1 and b_present == 0
    code, text = audit_verify()
    figures["audit_pitr"] = code
    server.stop()
    if not figures["pitr_exact"]:
        failures.append("restore --to %s: referral A present=%d (want 1), B present=%d (want 0)" % (target, a_present, b_present))
    if code != 250:
        failures.append("AUDIT VERIFY after restore --to: %d %s" % (code, text))
    if errors:
        failures.append("%d REFERs failed under load (first: %s)" % (len(errors), errors[0]))

    print(listing.rstrip())
    print("figures cases=%d " % cases + " ".join("%s=%s" % item for item in figures.items()))
    for failure in failures:
        print("FAIL: " + failure)
    print("restore-drill: %s" % ("FAIL" if failures else "ok"))
    if not failures and os.environ.get("KEEP") != "1" and not reuse:
        shutil.rmtree(root, ignore_errors=True)
    else:
        print("kept %s (drill.log there)" % root)
    sys.exit(1 if failures else 0)


try:
    main()
finally:
    for server in running:
        if server.process.poll() is None:
            server.stop()
