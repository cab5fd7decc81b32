#!/usr/bin/env python3
"""Flood drill against a real `passage serve` (Docs/reliability.md, "Floods").

Rounds of 5,000 concurrent connection attempts (each admitted one is held until the round
ends), beside 8 signed-in sessions and 50 slowloris clients dribbling a byte a second. Reports
per round: admitted, refused with 421, errors, whether the sessions kept working, and the
server's resident memory (VmRSS) before and after. Memory is bounded when it stops growing
from round to round.

Usage: flood_drill.py PATH/TO/passage [ROUNDS]   (default 3)
"""
import asyncio, os, random, re, shutil, signal, socket, subprocess, sys, tempfile, time

from console_replies import read_reply

passage = sys.argv[1]
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
ATTEMPTS, LIMIT, SESSIONS, SLOW = 5000, 256, 8, 50
# Long enough that no held flood connection idles out while a round floods (which would free
# its slot and blur the count); the slow clients are cut at this timeout after the flood.
IDLE = 20
directory = tempfile.mkdtemp(prefix="passage-flood-", dir="/tmp")
port = random.randint(20000, 40000)
log = open(directory + ".log", "ab")
server = subprocess.Popen([passage, "serve", "--data-dir", directory, "--port", str(port), "--demo",
                           "--max-connections", str(LIMIT), "--idle-timeout", str(IDLE),
                           # The drill measures the connection limit: every client is on loopback (one
                           # network), so the limits on connections not signed in are raised to it, and
                           # the sessions' sign-ins are not rate-limited (tests hold those limits).
                           "--max-unauthenticated", str(LIMIT), "--max-unauthenticated-per-network", str(LIMIT),
                           "--sign-in-rate", "100000"],
                          stdout=log, stderr=log, stdin=subprocess.DEVNULL, start_new_session=True)


def rss_kib():
    with open("/proc/%d/status" % server.pid) as status:
        return int(re.search(r"VmRSS:\s+(\d+)", status.read()).group(1))


def cleanup():
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    shutil.rmtree(directory, ignore_errors=True)
    os.remove(directory + ".log")


async def session():
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    await reader.readline()
    writer.write(b"AUTH demo-caseworker demo-caseworker-pass\r\n")
    assert (await read_reply(reader)).startswith("250"), "sign-in"
    return reader, writer


async def attempt(tally, release, in_flight):
    async with in_flight:
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            greeting = (await reader.readline()).decode(errors="replace")
        except OSError:
            tally["errors"] += 1
            return
    if greeting.startswith("220 "):
        tally["admitted"] += 1
        await release.wait()
    elif greeting.startswith("421 "):
        tally["refused"] += 1
    else:
        tally["errors"] += 1
    writer.close()


async def slowloris(connection, stop, tally):
    """Dribbles one byte a second of a line that never ends; counts the 421 idle timeouts."""
    reader, writer = connection
    try:
        while not stop.is_set():
            writer.write(b"x")
            await writer.drain()
            try:
                line = await asyncio.wait_for(reader.readline(), 1.0)
                if line.startswith(b"421 idle timeout"):
                    tally["slow_cut"] += 1
                    break
                if not line:
                    break
            except asyncio.TimeoutError:
                pass
        writer.close()
    except OSError:
        pass


HEALTH = {"checks": 0, "failures": 0}


async def keep_sessions_busy(sessions, done):
    """The signed-in sessions work all along: PING and CASE LIST on each, every second."""
    while True:
        for reader, writer in sessions:
            writer.write(b"PING\r\nCASE LIST limit=5\r\n")
            try:
                first, second = await read_reply(reader), await read_reply(reader)
                ok = first.startswith("250") and second.startswith("250")
            except ConnectionError:
                ok = False
            HEALTH["checks"] += 1
            HEALTH["failures"] += not ok
        if done.is_set():
            return
        await asyncio.sleep(1)


async def flood_round(sessions):
    tally = {"admitted": 0, "refused": 0, "errors": 0, "slow_cut": 0}
    release, stop = asyncio.Event(), asyncio.Event()
    in_flight = asyncio.Semaphore(256)
    connections = [await asyncio.open_connection("127.0.0.1", port) for _ in range(SLOW)]
    for reader, _ in connections:
        assert (await reader.readline()).startswith(b"220 "), "slow client not admitted"
    slow = [asyncio.create_task(slowloris(connection, stop, tally)) for connection in connections]
    checks_before, failures_before = HEALTH["checks"], HEALTH["failures"]
    started = time.monotonic()
    tasks = [asyncio.create_task(attempt(tally, release, in_flight)) for _ in range(ATTEMPTS)]
    while tally["admitted"] + tally["refused"] + tally["errors"] < ATTEMPTS:
        await asyncio.sleep(0.05)
    seconds = time.monotonic() - started
    peak = rss_kib()
    await asyncio.sleep(1.5)   # at least one more round of session checks with the flood's connections held
    checks, failures = HEALTH["checks"] - checks_before, HEALTH["failures"] - failures_before
    release.set()
    await asyncio.gather(*tasks)
    try:   # the slow clients end when cut at the idle timeout (guard: two minutes)
        await asyncio.wait_for(asyncio.gather(*slow), 120)
    except asyncio.TimeoutError:
        stop.set()
        await asyncio.gather(*slow)
    return tally, seconds, peak, checks, failures


async def main():
    for _ in range(240):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.25)
    sessions = [await session() for _ in range(SESSIONS)]
    done = asyncio.Event()
    keeper = asyncio.create_task(keep_sessions_busy(sessions, done))
    await asyncio.sleep(1)
    baseline = rss_kib()
    print("flood drill: %d attempts per round, limit %d, %d sessions, %d slow clients (idle timeout %d s)"
          % (ATTEMPTS, LIMIT, SESSIONS, SLOW, IDLE))
    print("rss at start: %.1f MiB" % (baseline / 1024))
    failed = False
    for number in range(1, rounds + 1):
        tally, seconds, peak, checks, failures = await flood_round(sessions)
        await asyncio.sleep(1)
        after = rss_kib()
        # Every slot not held by a session or a slow client, and not one more — unless the flood
        # outlasted the idle timeout (a loaded machine): held and slow connections are then cut,
        # and each later generation may take every slot but the sessions'.
        free = LIMIT - SESSIONS - SLOW
        generations = 1 + int(seconds // IDLE)
        admitted_range = range(free, free + (generations - 1) * (LIMIT - SESSIONS) + 1)
        print("round %d: admitted=%d refused=%d errors=%d in %.1f s; session checks during it %d (failed %d); slow clients cut %d/%d; "
              "rss peak %.1f MiB, after %.1f MiB"
              % (number, tally["admitted"], tally["refused"], tally["errors"], seconds, checks, failures,
                 tally["slow_cut"], SLOW, peak / 1024, after / 1024))
        failed |= failures != 0 or tally["errors"] != 0 or tally["slow_cut"] != SLOW or tally["admitted"] not in admitted_range
    done.set()
    await keeper
    if server.poll() is not None:
        failed = True
        print("FAIL: passage serve died")
    cleanup()
    print("flood-drill: " + ("FAIL" if failed else "ok"))
    sys.exit(1 if failed else 0)


asyncio.run(main())
