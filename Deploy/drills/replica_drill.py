#!/usr/bin/env python3
"""Replica drill against real `passage serve` processes on the Patroni cluster of Deploy/ha.

Writes go to the multi-host URL (target_session_attrs=read-write); the read pool is the
cluster's asynchronous standby (`--read-database-url`, `--read-max-lag 5`). Two servers run on
the same database: one with `--read-lag-policy fallback` (the default), one with `refuse`.
4 clients send REFER to the first server throughout (each need once, idempotency key); a policy
client asks STATS and GAPS (each GAPS a new question, so it is counted, not served from memory)
of both servers, and the drill reads the `replica …` info line of each reply. Phases:
  healthy  — the standby replays: every answer `replica lag=…` (on the standby);
  paused   — pg_wal_replay_pause() on the standby (Patroni in maintenance mode meanwhile, as it
             resumes a paused replay otherwise): once the lag passes 5 s the fallback server
             answers `replica primary reason=standby-behind …`, the refusing one 451;
  resumed  — replay resumed: back on the standby;
  stopped  — the standby's Patroni stopped (its PostgreSQL with it): `reason=standby-unreachable`
             on the fallback server, 451 on the refusing one;
  restarted — the standby back (Deploy/ha/start.sh): on the standby again.
At the end: REFER acknowledged and refused (casework errors: anything but 250 and 451), and per
phase the answers by source, the lags shown and the STATS/GAPS times.

Usage: replica_drill.py PATH/TO/passage
Environment: HA_DIR, HA_PORT (as Deploy/ha/start.sh; replica.sh sets /tmp/phr and 55530).
"""
import os, re, signal, statistics, subprocess, sys, threading, time

from drill_world import ClusterDrill, make_world
from console_replies import Console, final_status

passage = sys.argv[1]
CLIENTS = 4
MAX_LAG = 5
drill = ClusterDrill("replica", "/tmp/phr", 55530)
NEEDS = 200_000
CAUGHT_UP_OR_BEHIND = r"replica lag=|replica primary reason=standby-behind lag=[0-9.]+s max=%d\.0s" % MAX_LAG


class ReplyConsole(Console):
    def ask(self, text):
        """Sends one line; returns (code, final text, info lines)."""
        self.sock.sendall(text.encode() + b"\r\n")
        in_data, info = False, []
        while True:
            line = self.file.readline().decode(errors="replace").rstrip("\r\n")
            if not line:
                raise ConnectionError("closed by the server")
            if not in_data and len(line) >= 4 and line[3] == "-":
                info.append(line[4:])
            in_data, final = final_status(line, in_data)
            if final:
                return final[0], final[1], info


def patronictl(action):
    """`patronictl pause|resume --wait`: Patroni's maintenance mode on or off."""
    subprocess.run(["patronictl", "-c", "%s/n1.yml" % drill.ha_dir, action, "--wait"],
                   stdout=drill.log, stderr=drill.log, check=True)


def wait_for(condition, seconds, step=0.5):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    return None


def healthy_replica():
    """The asynchronous standby (role replica, streaming) of a healthy cluster: (name, port)."""
    members = drill.cluster()
    roles = [m["role"] for m in members]
    if "leader" not in roles or "sync_standby" not in roles:
        return None
    for m in members:
        # Caught up (Patroni's lag in bytes 0): a standby still replaying a backlog starts behind.
        if m["role"] == "replica" and m.get("state") in ("running", "streaming") and m.get("lag") == 0:
            return m["name"], int(m["port"])
    return None


def refer_client(number, world, stop, acknowledged, errors, codes):
    console, index = None, 0
    while not stop.is_set():
        need = world["first_need"] + number + CLIENTS * index
        while not stop.is_set():
            try:
                if console is None:
                    console = Console(drill.port, "drill-caseworker", "drill-caseworker-pass", retry_auth=True)
                code, text = console.request("REFER %d %d %d consent=yes key=rd-%s-%d"
                                             % (world["case"], need, world["provider"], drill.run_id, need))
            except (OSError, ConnectionError):
                console = None
                time.sleep(0.2)
                continue
            codes[code] = codes.get(code, 0) + 1
            if code == 250:
                acknowledged.append(need)
                break
            if code == 451:
                time.sleep(0.1)
                continue
            errors.append("need %d: %d %s" % (need, code, text))
            break
        index += 1


def start_server(listen_port, read_url, policy):
    server = subprocess.Popen([passage, "serve", "--database-url", drill.url, "--pii-key-file", drill.key,
                               "--audit-anchors", drill.root + "/audit-anchors-%d" % listen_port,
                               "--audit-anchor-key-file", drill.root + "/anchor.key",
                               "--port", str(listen_port), "--no-http", "--metrics-listen", "off",
                               "--gaps-refresh", "0", "--bulk-rows-per-minute", "0",
                               "--read-database-url", read_url, "--read-max-lag", str(MAX_LAG),
                               "--read-lag-policy", policy],
                              stdout=drill.log, stderr=drill.log, stdin=subprocess.DEVNULL, start_new_session=True,
                              env=drill.environment)
    drill.wait_listening(server, listen_port)
    return server


class Asker:
    """The policy client: STATS and GAPS of both servers, each reply's replica line kept."""

    def __init__(self):
        self.fallback = ReplyConsole(drill.port, "drill-policy", "drill-policy-pass")
        self.refusing = ReplyConsole(drill.port + 1, "drill-policy", "drill-policy-pass")
        self.days = 0
        self.results = []   # (phase, server, command, code, replica line or text, seconds)

    def ask(self, phase, server, command):
        console = self.fallback if server == "fallback" else self.refusing
        started = time.monotonic()
        code, text, info = console.ask(command)
        took = time.monotonic() - started
        replica = next((line for line in info if line.startswith("replica ")), None)
        self.results.append((phase, server, command.split()[0], code, replica if code == 250 else text, took))
        return code, replica, text

    def round(self, phase):
        """STATS and a new GAPS question of each server."""
        outcome = []
        for server in ("fallback", "refusing"):
            self.days += 1
            outcome.append(self.ask(phase, server, "STATS by=origin"))
            outcome.append(self.ask(phase, server, "GAPS unmet by=origin days=%d" % self.days))
        return outcome


def lag_of(replica):
    match = re.match(r"replica lag=([0-9.]+)s", replica or "")
    return float(match.group(1)) if match else None


def main():
    drill.write_key()
    standby = wait_for(healthy_replica, 300)
    if not standby:
        raise SystemExit("the Patroni cluster has no leader, synchronous standby and replica (Deploy/ha/start.sh)")
    standby_name, standby_port = standby
    read_url = "postgresql://passage@127.0.0.1:%d/passage" % standby_port
    subprocess.run([passage, "migrate", "--database-url", drill.url, "--pii-key-file", drill.key],
                   check=True, stdout=drill.log, stderr=drill.log, env=drill.environment)
    for user, role in (("drill-caseworker", "caseworker"), ("drill-policy", "policy")):
        subprocess.run([passage, "user", "add", user, "--role", role, "--org", "drill", "--password-stdin",
                        "--database-url", drill.url], input=("%s-pass\n" % user).encode(),
                       stdout=drill.log, stderr=drill.log, env=drill.environment)   # present from an earlier run: fine
    # Something to count: the demo population (refused, harmlessly, when an earlier run loaded it).
    started = time.monotonic()
    if subprocess.run([passage, "demo", "--cases", "20000", "--database-url", drill.url],
                      stdout=drill.log, stderr=drill.log, env=drill.environment).returncode == 0:
        print("demo population: 20,000 cases loaded in %.1f s" % (time.monotonic() - started), flush=True)
    world = make_world(drill.sql, "replica", drill.run_id, NEEDS)
    servers = [start_server(drill.port, read_url, "fallback"), start_server(drill.port + 1, read_url, "refuse")]
    print("standby for reads: %s (port %d); --read-max-lag %d" % (standby_name, standby_port, MAX_LAG), flush=True)

    stop, acknowledged, errors, codes = threading.Event(), [], [], {}
    threads = [threading.Thread(target=refer_client, args=(n, world, stop, acknowledged, errors, codes))
               for n in range(CLIENTS)]
    load_started = time.monotonic()
    for thread in threads:
        thread.start()
    asker = Asker()
    failed = []

    def expect(phase, outcome, fallback_pattern, refusing_code, refusing_pattern, refused_behind=False):
        for index, (code, replica, text) in enumerate(outcome):
            server = "fallback" if index < 2 else "refusing"
            if refused_behind and server == "refusing" and code == 451 and "behind the primary" in text:
                continue
            if server == "fallback" or refusing_code == 250:
                if code != 250 or not re.match(fallback_pattern, replica or ""):
                    failed.append("%s %s: %d %s" % (phase, server, code, replica or text))
            elif code != refusing_code or not re.search(refusing_pattern, text):
                failed.append("%s %s: %d %s" % (phase, server, code, text))

    def on_standby(phase):
        if not any(r[0] == phase and r[3] == 250 and (r[4] or "").startswith("replica lag=") for r in asker.results):
            failed.append("%s: no answer from the standby" % phase)

    # healthy: 10 rounds, every answer from the standby.
    time.sleep(2)
    for _ in range(10):
        expect("healthy", asker.round("healthy"), r"replica lag=", 250, "")
        time.sleep(0.5)

    # paused: replay stops on the standby while REFER goes on.
    # Patroni resumes a paused replay within a loop (10 s): its maintenance mode leaves it alone.
    standby_url = "postgresql://postgres@127.0.0.1:%d/passage" % standby_port
    patronictl("pause")
    drill.sql("SELECT pg_wal_replay_pause()", standby_url)
    paused_at = time.monotonic()
    moved = wait_for(lambda: (asker.ask("pausing", "fallback", "STATS by=origin")[1] or "").startswith("replica primary"),
                     60, step=0.5)
    print("replay paused: first answer from the primary after %.1f s (the bound is %d s)"
          % (time.monotonic() - paused_at, MAX_LAG) if moved else "replay paused: still on the standby after 60 s",
          flush=True)
    if not moved:
        failed.append("paused: never fell back")
    for _ in range(5):
        expect("paused", asker.round("paused"), r"replica primary reason=standby-behind lag=[0-9.]+s max=%d\.0s" % MAX_LAG,
               451, r"behind the primary")
    drill.sql("SELECT pg_wal_replay_resume()", standby_url)
    patronictl("resume")
    resumed_at = time.monotonic()
    back = wait_for(lambda: (asker.ask("resuming", "fallback", "STATS by=origin")[1] or "").startswith("replica lag="),
                    60, step=0.5)
    print("replay resumed: back on the standby after %.1f s" % (time.monotonic() - resumed_at) if back
          else "replay resumed: not back on the standby within 60 s", flush=True)
    # Catching up under load the lag may pass the bound again for a moment: then the documented
    # fallback (or 451) is the right answer, and at least one answer must come from the standby.
    for _ in range(5):
        expect("resumed", asker.round("resumed"), CAUGHT_UP_OR_BEHIND, 250, "", refused_behind=True)
    on_standby("resumed")

    # stopped: the standby's Patroni (and with it its PostgreSQL) stopped.
    pid_file = "%s/%s.pid" % (drill.ha_dir, standby_name)
    with open(pid_file) as file:
        patroni = int(file.read().strip())
    os.kill(patroni, signal.SIGTERM)
    # Its pid file goes once it has stopped (start.sh also checks the pid is that node's Patroni).
    wait_for(lambda: not os.path.exists("/proc/%d" % patroni), 60)
    os.remove(pid_file)
    gone = wait_for(lambda: subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p", str(standby_port)]).returncode != 0,
                    60)
    print("standby %s stopped%s" % (standby_name, "" if gone else " (still answering after 60 s!)"), flush=True)
    for _ in range(5):
        expect("stopped", asker.round("stopped"), r"replica primary reason=standby-unreachable$", 451, r"unreachable")
    subprocess.run([os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ha", "start.sh")],
                   stdout=drill.log, stderr=drill.log, check=True)
    wait_for(healthy_replica, 180)
    restarted_at = time.monotonic()
    back = wait_for(lambda: (asker.ask("restarting", "fallback", "STATS by=origin")[1] or "").startswith("replica lag="),
                    120, step=1)
    print("standby restarted: answers from it again after %.1f s" % (time.monotonic() - restarted_at) if back
          else "standby restarted: no answer from it within 120 s", flush=True)
    for _ in range(5):
        expect("restarted", asker.round("restarted"), CAUGHT_UP_OR_BEHIND, 250, "", refused_behind=True)
    on_standby("restarted")

    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    load_seconds = time.monotonic() - load_started
    for server in servers:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)

    print("figures: REFER acknowledged=%d in %.0f s (%.0f/s) replies=%s casework_errors=%d"
          % (len(acknowledged), load_seconds, len(acknowledged) / load_seconds, dict(sorted(codes.items(), key=str)),
             len(errors)), flush=True)
    for phase in ("healthy", "paused", "resumed", "stopped", "restarted"):
        rows = [r for r in asker.results if r[0] == phase]
        for server in ("fallback", "refusing"):
            mine = [r for r in rows if r[1] == server]
            kinds = {}
            for _, _, command, code, replica, _ in mine:
                label = "%s %d %s" % (command, code, re.sub(r"lag=[0-9.]+s", "lag=…", replica or "")
                                      if code == 250 else "refused")
                kinds[label] = kinds.get(label, 0) + 1
            lags = [lag_of(r[4]) for r in mine if lag_of(r[4]) is not None]
            times = [r[5] for r in mine if r[3] == 250]
            print("figures: %-9s %-8s answers=%s%s%s" % (
                phase, server, dict(sorted(kinds.items())),
                "; lag shown median %.1f s max %.1f s" % (statistics.median(lags), max(lags)) if lags else "",
                "; answer time median %.0f ms max %.0f ms" % (statistics.median(times) * 1000, max(times) * 1000)
                if times else ""), flush=True)
    behind = [r[4] for r in asker.results if r[0] == "paused" and r[1] == "fallback"]
    if behind:
        print("figures: a fallback answer while paused:", behind[-1])
    refused = [r[4] for r in asker.results if r[0] == "stopped" and r[1] == "refusing"]
    if refused:
        print("figures: a refusal while stopped: 451", refused[-1])
    for error in errors[:10]:
        print("casework error:", error)
    for problem in failed[:20]:
        print("unexpected:", problem)
    ok = not failed and not errors
    print("replica-drill: %s (log: %s/drill.log)" % ("ok" if ok else "FAIL", drill.root))
    sys.exit(0 if ok else 1)


main()
