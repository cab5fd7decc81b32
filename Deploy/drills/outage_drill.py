#!/usr/bin/env python3
"""Database outage drill against a real `passage serve` (Docs/reliability.md, "Database outage").

Rounds of: 8 clients write (CASE NEW) and read (CASE LIST) continuously; PostgreSQL is stopped
with `pg_ctl stop -m immediate` (a crash, not a clean shutdown) for a few seconds, then started
again. Checked per round: during the outage only 451 (never another error, never a dropped
connection), the server process stays up, it serves again within 5 s of the database's return
(measured from `pg_ctl start` returning to the first 250 on each client), every acknowledged
case exists once, and afterwards the server holds no more backends than its pool.

Usage: outage_drill.py PATH/TO/passage [ROUNDS]   (default 3)
"""
import glob, os, random, shutil, signal, socket, subprocess, sys, tempfile, threading, time

from console_replies import Console

passage = sys.argv[1]
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
CLIENTS, POOL = 8, 8
directory = tempfile.mkdtemp(prefix="passage-outage-", dir="/tmp")
port = random.randint(20000, 40000)
log = open(directory + ".log", "ab")
pgbin = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True).stdout.strip() \
    or sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1]
as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
options = "-c listen_addresses='' -c unix_socket_directories='%s' -c unix_socket_permissions=0700 -c max_connections=200" % directory
server = subprocess.Popen([passage, "serve", "--data-dir", directory, "--port", str(port), "--demo", "--pool-size", str(POOL)],
                          stdout=log, stderr=log, stdin=subprocess.DEVNULL, start_new_session=True)


def pg_ctl(*arguments):
    subprocess.run(as_postgres + [pgbin + "/pg_ctl", "-D", directory + "/data"] + list(arguments),
                   check=True, capture_output=True)


def sql(query):
    return subprocess.run(["psql", "-h", directory, "-U", "postgres", "-d", "passage", "-Atq", "-c", query],
                          capture_output=True, text=True, check=True).stdout.strip()


def client(number, round_number, stop, events, acknowledged):
    console = Console(port, "demo-caseworker", "demo-caseworker-pass", retry_auth=True)
    index = 0
    while not stop.is_set():
        ref = "outage-%d-%d-%d" % (round_number, number, index)
        index += 1
        code, _ = console.request('CASE NEW {"ref":"%s","current_country":"DE"}' % ref)
        events.append((time.monotonic(), number, code))
        if code == 250:
            acknowledged.append(ref)
        code, _ = console.request("CASE LIST limit=1")
        events.append((time.monotonic(), number, code))
        time.sleep(0.02)
    console.sock.close()


def main():
    for _ in range(240):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.25)
    failed = False
    worst = 0.0
    for round_number in range(1, rounds + 1):
        stop, events, acknowledged = threading.Event(), [], []
        threads = [threading.Thread(target=client, args=(n, round_number, stop, events, acknowledged)) for n in range(CLIENTS)]
        for thread in threads:
            thread.start()
        time.sleep(2)
        down_at = time.monotonic()
        pg_ctl("-m", "immediate", "stop")
        time.sleep(3)
        pg_ctl("-l", directory + "/log/startup.log", "-w", "-t", "60", "-o", options, "start")
        up_at = time.monotonic()
        time.sleep(6)
        stop.set()
        for thread in threads:
            thread.join(timeout=120)
        during = [code for at, _, code in events if down_at + 0.2 < at < up_at]
        codes_during = sorted(set(during))
        # Per client: the first 250 after the database was back.
        recovery = []
        for number in range(CLIENTS):
            firsts = [at for at, n, code in events if n == number and at >= up_at and code == 250]
            recovery.append(firsts[0] - up_at if firsts else float("inf"))
        worst = max(worst, max(recovery))
        stored = int(sql("SELECT count(*) FROM cases WHERE ref = ANY(ARRAY[%s]::text[])"
                         % ",".join("'%s'" % ref for ref in acknowledged))) if acknowledged else 0
        time.sleep(1)
        backends = int(sql("SELECT count(*) FROM pg_stat_activity WHERE datname = 'passage' AND backend_type = 'client backend' "
                           "AND pid <> pg_backend_pid()"))
        alive = server.poll() is None
        other = sorted(set(code for _, _, code in events) - {250, 451})
        print("round %d: requests=%d, during the outage %d replies with codes %s; back in %.2f s (slowest client); "
              "acknowledged cases %d, stored %d; backends after %d (pool %d); server alive %s; other codes %s"
              % (round_number, len(events), len(during), codes_during, max(recovery), len(acknowledged), stored,
                 backends, POOL, alive, other))
        failed |= (codes_during not in ([451], [250, 451], [])) or max(recovery) > 5 or stored != len(acknowledged) \
            or backends > POOL or not alive or bool(other) or 451 not in codes_during
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=60)
    shutil.rmtree(directory, ignore_errors=True)
    os.remove(directory + ".log")
    print("outage-drill: %s (slowest recovery %.2f s)" % ("FAIL" if failed else "ok", worst))
    sys.exit(1 if failed else 0)


main()
