#!/usr/bin/env python3
"""Sign-in flood drill (Docs/security.md "3. Unauthenticated connections", Docs/reliability.md).

A signed-in caseworker runs CASE SHOW in a loop while 24 connections send AUTH lines as fast as
they are answered. Every one costs a bcrypt check: the flooders use a valid account (an insider,
or what guesses from many networks cost, which the per-(name, address) and per-network throttle
cannot stop; every client here is on loopback, one network, so the rate limit is lifted), and
only the limit on password checks running at once stands between the flood and the casework. Two servers: one with
`--sign-in-checks 2` (the default), one with 64 (as good as no limit: the pool's 8 connections
then all hash). Prints the caseworker's p50/p95 latency without and during the flood for each.

Usage: sign_in_flood_drill.py PASSAGE
"""
import asyncio, os, random, shutil, signal, statistics, subprocess, sys, tempfile, time

from console_replies import read_reply

passage = sys.argv[1]
FLOODERS, SECONDS = 24, 8


async def caseworker(port, seconds):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    await reader.readline()
    writer.write(b"AUTH demo-caseworker demo-caseworker-pass\r\n")
    assert (await read_reply(reader)).startswith("250"), "sign-in"
    writer.write(b'CASE NEW {"ref":"flood-probe-%d","current_country":"DE"}\r\n' % random.randint(0, 10**9))
    made = await read_reply(reader)
    assert made.startswith("250 case="), made
    case = made.split()[1].split("=")[1].encode()
    latencies, end = [], time.monotonic() + seconds
    while time.monotonic() < end:
        start = time.monotonic()
        writer.write(b"CASE SHOW " + case + b"\r\n")
        reply = await read_reply(reader)
        assert reply.startswith("250"), reply
        latencies.append((time.monotonic() - start) * 1000)
        await asyncio.sleep(0.02)
    writer.close()
    return latencies


async def flooder(port, stop, counts):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    await reader.readline()
    n = 0
    while not stop.is_set():
        n += 1
        writer.write(b"AUTH demo-analyst demo-analyst-pass\r\n")
        try:
            reply = await read_reply(reader)
        except ConnectionError:   # the sign-in deadline: open another
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            await reader.readline()
            continue
        counts[reply[:3]] = counts.get(reply[:3], 0) + 1
    writer.close()


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))]


async def measure(port):
    quiet = await caseworker(port, 4)
    stop, counts = asyncio.Event(), {}
    flood = [asyncio.create_task(flooder(port, stop, counts)) for _ in range(FLOODERS)]
    await asyncio.sleep(1)
    busy = await caseworker(port, SECONDS)
    stop.set()
    await asyncio.gather(*flood, return_exceptions=True)
    return quiet, busy, counts


def run(checks):
    directory = tempfile.mkdtemp(prefix="passage-sign-in-flood-", dir="/tmp")
    port = random.randint(20000, 40000)
    log = open(directory + ".log", "ab")
    server = subprocess.Popen([passage, "serve", "--data-dir", directory, "--port", str(port), "--demo",
                               "--sign-in-checks", str(checks), "--sign-in-rate", "100000"],
                              stdout=log, stderr=log, stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        for _ in range(600):
            time.sleep(0.25)
            with open(directory + ".log") as text:
                if "listening on" in text.read():
                    break
        quiet, busy, counts = asyncio.run(measure(port))
        print("sign-in checks %2d: caseworker CASE SHOW p50 %.1f ms p95 %.1f ms quiet; p50 %.1f ms p95 %.1f ms "
              "during %d flooders (%s)" % (checks, percentile(quiet, 0.5), percentile(quiet, 0.95),
                                           percentile(busy, 0.5), percentile(busy, 0.95), FLOODERS,
                                           ", ".join("%s×%d" % kv for kv in sorted(counts.items()))))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
        shutil.rmtree(directory, ignore_errors=True)
        os.remove(directory + ".log")


for checks in (2, 64):
    run(checks)
