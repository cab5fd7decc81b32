#!/usr/bin/env python3
"""Failover drill against a real `passage serve` on the Patroni cluster of Deploy/ha.

Passage runs with --database-url 'postgresql://passage@h:p1,h:p2,h:p3/passage?target_session_attrs=read-write'.
4 clients send REFER continuously, each on its own needs, each with an idempotency key
(`key=`): a REFER answered 451 or cut by a dropped connection is sent again with the same key,
as a client is told to (Docs/console-protocol.md). Per kill: the cluster healthy (a leader, a
synchronous standby, three members running), 3 s of load, kill -9 of the leader's postmaster,
then the time from the kill to the first acknowledged REFER sent after it (necessarily on the
new primary: the old one's backends cannot acknowledge without their synchronous standby),
and the wait until Patroni has the old primary back as a standby. At the end: every
acknowledged referral present on the primary (lost), no need referred twice (duplicates),
replies other than 250 and 451 (casework errors).

Usage: failover_drill.py PATH/TO/passage [KILLS]
Environment: HA_DIR (default /tmp/pha), HA_PORT (default 55430), as Deploy/ha/start.sh.
"""
import os, signal, statistics, subprocess, sys, threading, time

from drill_world import ClusterDrill, make_world
from console_replies import Console

passage = sys.argv[1]
kills = int(sys.argv[2]) if len(sys.argv) > 2 else 20
CLIENTS = 4
drill = ClusterDrill("failover", "/tmp/pha", 55430)
NEEDS = 200_000


def healthy():
    members = drill.cluster()
    roles = [m["role"] for m in members]
    running = [m for m in members if m.get("state") in ("running", "streaming")]
    leaders = [m["name"] for m in members if m["role"] == "leader" and m.get("state") == "running"]
    if len(running) == 3 and leaders and "sync_standby" in roles:
        return leaders[0]
    return None


def wait_healthy(seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        leader = healthy()
        if leader:
            return leader
        time.sleep(0.5)
    return None


def client(number, world, stop, acknowledged, events, errors):
    console = None
    index = 0
    while not stop.is_set():
        need = world["first_need"] + number + CLIENTS * index
        if need > world["last_need"]:
            errors.append("client %d ran out of needs" % number)
            return
        while not stop.is_set():   # the same need, the same key, until acknowledged or refused
            sent = time.monotonic()
            try:
                if console is None:
                    console = Console(drill.port, "drill-caseworker", "drill-caseworker-pass", retry_auth=True)
                code, text = console.request("REFER %d %d %d consent=yes key=fo-%s-%d"
                                             % (world["case"], need, world["provider"], drill.run_id, need))
            except (OSError, ConnectionError) as error:
                events.append((sent, time.monotonic(), number, "dropped"))
                console = None
                time.sleep(0.2)
                continue
            events.append((sent, time.monotonic(), number, code))
            if code == 250:
                acknowledged.append((need, int(text.split("referral=")[1].split()[0])))
                break
            if code == 451:
                time.sleep(0.1)
                continue
            errors.append("need %d: %d %s" % (need, code, text))
            break
        index += 1


def postmaster_pid(name):
    with open("%s/%s/data/postmaster.pid" % (drill.ha_dir, name)) as file:
        return int(file.readline())


def main():
    drill.write_key()
    if not wait_healthy(300):
        raise SystemExit("the Patroni cluster has no leader with a synchronous standby (Deploy/ha/start.sh)")
    subprocess.run([passage, "migrate", "--database-url", drill.url, "--pii-key-file", drill.key],
                   check=True, stdout=drill.log, stderr=drill.log, env=drill.environment)
    subprocess.run([passage, "user", "add", "drill-caseworker", "--role", "caseworker", "--org", "drill",
                    "--password-stdin", "--database-url", drill.url], input=b"drill-caseworker-pass\n",
                   stdout=drill.log, stderr=drill.log, env=drill.environment)   # present from an earlier run: fine
    world = make_world(drill.sql, "failover", drill.run_id, NEEDS)
    server = subprocess.Popen([passage, "serve", "--database-url", drill.url, "--pii-key-file", drill.key,
                               "--audit-anchors", drill.root + "/audit-anchors",
                               "--audit-anchor-key-file", drill.root + "/anchor.key",
                               "--port", str(drill.port), "--no-http", "--gaps-refresh", "0", "--bulk-rows-per-minute", "0"],
                              stdout=drill.log, stderr=drill.log, stdin=subprocess.DEVNULL, start_new_session=True,
                              env=drill.environment)
    drill.wait_listening(server, drill.port)
    stop, acknowledged, events, errors = threading.Event(), [], [], []
    threads = [threading.Thread(target=client, args=(n, world, stop, acknowledged, events, errors)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    recoveries, rejoins, results = [], [], []
    failed = False
    for number in range(1, kills + 1):
        leader = wait_healthy(180)
        if not leader:
            print("kill %d: the cluster did not become healthy again within 180 s" % number, flush=True)
            failed = True
            break
        time.sleep(3)
        before = len(acknowledged)
        synchronous = [m["name"] for m in drill.cluster() if m["role"] == "sync_standby"]
        killed_at = time.monotonic()
        os.kill(postmaster_pid(leader), signal.SIGKILL)
        first = None
        deadline = killed_at + 60
        while time.monotonic() < deadline and first is None:
            time.sleep(0.1)
            after = [answered for sent, answered, _, code in list(events) if code == 250 and sent > killed_at]
            first = min(after) - killed_at if after else None
        new_leader = wait_healthy(180)
        rejoined = time.monotonic() - killed_at
        window = [code for sent, _, _, code in list(events) if sent > killed_at and (first is None or sent < killed_at + first)]
        print("kill %d: %s killed; first acknowledged REFER after %s; new primary %s (the synchronous standby before the kill: %s); old primary back as a standby "
              "after %.1f s; meanwhile %d × 451, %d dropped connections; acknowledged so far %d (+%d this round)"
              % (number, leader, "%.2f s" % first if first is not None else "none within 60 s", new_leader, "yes" if new_leader in synchronous else "NO", rejoined,
                 window.count(451), window.count("dropped"), len(acknowledged), len(acknowledged) - before), flush=True)
        if first is None:
            failed = True
            break
        failed |= new_leader not in synchronous
        recoveries.append(first)
        rejoins.append(rejoined)
    time.sleep(2)
    stop.set()
    for thread in threads:
        thread.join(timeout=120)
    ids = [referral for _, referral in acknowledged]
    present = int(drill.sql("SELECT count(*) FROM referrals WHERE id = ANY('{%s}'::bigint[])"
                            % ",".join(map(str, ids)))) if ids else 0
    duplicates = int(drill.sql("SELECT count(*) FROM (SELECT need_id FROM referrals WHERE case_id = %d GROUP BY need_id "
                               "HAVING count(*) > 1) d" % world["case"]))
    stored = int(drill.sql("SELECT count(*) FROM referrals WHERE case_id = %d" % world["case"]))
    codes = {}
    for _, _, _, code in events:
        codes[code] = codes.get(code, 0) + 1
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=60)
    lost = len(ids) - present
    print("figures: kills=%d acknowledged=%d lost=%d stored=%d duplicates=%d casework_errors=%d replies=%s"
          % (len(recoveries), len(ids), lost, stored, duplicates, len(errors),
             dict(sorted(codes.items(), key=str))))
    if recoveries:
        print("figures: kill to first acknowledged REFER: median %.2f s, max %.2f s; kill to old primary back as "
              "standby: median %.1f s, max %.1f s" % (statistics.median(recoveries), max(recoveries),
                                                      statistics.median(rejoins), max(rejoins)))
    for error in errors[:10]:
        print("casework error:", error)
    failed |= lost != 0 or duplicates != 0 or bool(errors) or len(recoveries) < kills or stored != len(ids) \
        or (bool(recoveries) and max(recoveries) >= 15)
    print("failover-drill: %s (log: %s/drill.log)" % ("FAIL" if failed else "ok", drill.root))
    sys.exit(1 if failed else 0)


main()
