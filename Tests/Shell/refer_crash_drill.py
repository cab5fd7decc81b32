#!/usr/bin/env python3
"""Crash drill for REFER's idempotency keys (Docs/reliability.md, "Crash drill").

Each iteration: 8 clients send `NEED ADD` + `REFER … key=<own key>` as fast as they can while
`passage serve` is killed with SIGKILL at a random moment. After a restart:
  - every referral acknowledged with 250 exists exactly once, with the id it was given;
  - retrying each unacknowledged REFER with its key gives 250 and creates no duplicate
    (if the first attempt had committed before the crash, the retry returns that referral);
  - over all iterations, referrals = distinct keys = keys sent.

Usage: refer_crash_drill.py PATH/TO/passage ITERATIONS
Prints "refer-crash-drill: ok …" with the figures, or "FAIL: …" and exits 1.
"""
import os, random, re, shutil, signal, socket, subprocess, sys, tempfile, threading, time

CLIENTS = 8
passage, iterations = sys.argv[1], int(sys.argv[2])
directory = tempfile.mkdtemp(prefix="passage-kill-", dir="/tmp")
log_path = directory + ".log"
server = None


def free_port():
    """A port nothing holds now. A port drawn at random could be some connection's local port
    (CI once lost a run to that: "Address already in use"); one the kernel just handed out is
    free, and start() draws again in the rare case something takes it in between."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


port = free_port()


def fail(message):
    print("FAIL: " + message)
    try:
        print("".join(open(log_path, encoding="utf-8", errors="replace").readlines()[-15:]))
    except OSError:
        pass
    stop_and_clean()
    sys.exit(1)


def start():
    global server, port
    for attempt in range(5):
        offset = os.path.getsize(log_path) if os.path.exists(log_path) else 0
        log = open(log_path, "ab")
        server = subprocess.Popen([passage, "serve", "--data-dir", directory, "--port", str(port), "--demo"],
                                  stdout=log, stderr=log, stdin=subprocess.DEVNULL, start_new_session=True)
        for _ in range(240):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return
            except OSError:
                if server.poll() is not None:
                    with open(log_path, "rb") as written:
                        written.seek(offset)
                        taken = b"Address already in use" in written.read()
                    if taken and attempt < 4:
                        port = free_port()  # the clients read `port` when they connect
                        break
                    fail("passage serve exited on start")
                time.sleep(0.25)
        else:
            fail("passage serve did not listen")
    fail("passage serve found no free port")


def kill():
    server.send_signal(signal.SIGKILL)
    server.wait()


def stop_and_clean():
    if server is not None and server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
    shutil.rmtree(directory, ignore_errors=True)
    if os.path.exists(log_path):
        os.remove(log_path)


def sql(query):
    """One value from the embedded cluster (trust on its private socket)."""
    out = subprocess.run(["psql", "-h", directory, "-U", "postgres", "-d", "passage", "-Atq", "-c", query],
                         capture_output=True, text=True)
    if out.returncode != 0:
        fail("psql: " + out.stderr.strip())
    return out.stdout.strip()


class Console:
    """A console client that reads whole replies; raises OSError when the server is gone."""

    def __init__(self, user):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=60)
        self.buffer = b""
        greeting = self.line()
        if not greeting.startswith("220 "):
            raise OSError("greeting: " + greeting)
        code, text = self.request("AUTH %s %s-pass" % (user, user))
        if code != 250:
            raise OSError("AUTH: %d %s" % (code, text))

    def line(self):
        while b"\n" not in self.buffer:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise OSError("closed")
            self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\n", 1)
        return raw.rstrip(b"\r").decode("utf-8", "replace")

    def request(self, text):
        self.sock.sendall(text.encode() + b"\r\n")
        in_data = False
        while True:
            line = self.line()
            if in_data:
                in_data = line != "."
            elif len(line) >= 4 and line[3] == "+":
                in_data = True
            elif len(line) >= 4 and line[3] == " ":
                return int(line[:3]), line[4:]

    def close(self):
        self.sock.close()


def field(text, name):
    match = re.search(r"\b%s=(\d+)" % name, text)
    return int(match.group(1)) if match else None


def client(number, iteration, case, provider, sent, acknowledged, lock):
    try:
        console = Console("demo-caseworker")
    except OSError:
        return
    try:
        for index in range(1_000_000):
            code, text = console.request("NEED ADD %d LP-ND" % case)
            need = field(text, "need")
            if code != 250 or need is None:
                return
            key = "it%d-c%d-%d" % (iteration, number, index)
            with lock:
                sent[key] = need
            code, text = console.request("REFER %d %d %d consent=yes key=%s" % (case, need, provider, key))
            if code != 250:
                if code != 451:
                    with lock:
                        acknowledged[key] = ("refused", code, text)
                return
            with lock:
                acknowledged[key] = field(text, "referral")
    except OSError:
        return
    finally:
        console.close()


def main():
    start()
    admin = Console("demo-admin")
    code, text = admin.request("PROVIDER ADD drill-clinic services=legal_assistance areas=CO-ANT")
    provider = field(text, "provider")
    if code != 250 or provider is None:
        fail("PROVIDER ADD: %d %s" % (code, text))
    admin.close()
    worker = Console("demo-caseworker")
    code, text = worker.request('CASE NEW {"ref":"crash-drill","current_country":"CO","current_area":"CO-ANT","age":30}')
    case = field(text, "case")
    if code != 250 or case is None:
        fail("CASE NEW: %d %s" % (code, text))
    worker.close()

    totals = {"sent": 0, "acknowledged": 0, "unacknowledged": 0, "committed_before_crash": 0}
    for iteration in range(iterations):
        sent, acknowledged, lock = {}, {}, threading.Lock()
        threads = [threading.Thread(target=client, args=(n, iteration, case, provider, sent, acknowledged, lock))
                   for n in range(CLIENTS)]
        for thread in threads:
            thread.start()
        time.sleep(random.uniform(0.05, 1.5))
        kill()
        for thread in threads:
            thread.join(timeout=120)
            if thread.is_alive():
                fail("a client did not notice the crash")
        start()
        refused = {k: v for k, v in acknowledged.items() if isinstance(v, tuple)}
        if refused:
            fail("REFER refused before the crash: %r" % list(refused.items())[:3])
        for key, referral in acknowledged.items():
            rows = sql("SELECT count(*) || ' ' || min(id) FROM referrals WHERE idempotency_key = '%s'" % key)
            if rows != "1 %d" % referral:
                fail("iteration %d: acknowledged %s (referral %d) found as [%s]" % (iteration, key, referral, rows))
        retry = Console("demo-caseworker")
        for key in sorted(set(sent) - set(acknowledged)):
            before = int(sql("SELECT count(*) FROM referrals WHERE idempotency_key = '%s'" % key))
            code, text = retry.request("REFER %d %d %d consent=yes key=%s" % (case, sent[key], provider, key))
            if code != 250:
                fail("iteration %d: retry of %s → %d %s" % (iteration, key, code, text))
            after = sql("SELECT count(*) || ' ' || min(id) FROM referrals WHERE idempotency_key = '%s'" % key)
            if after != "1 %d" % field(text, "referral"):
                fail("iteration %d: after the retry of %s: [%s]" % (iteration, key, after))
            totals["committed_before_crash"] += before
        retry.close()
        totals["sent"] += len(sent)
        totals["acknowledged"] += len(acknowledged)
        totals["unacknowledged"] += len(sent) - len(acknowledged)
        counts = sql("SELECT count(*) || ' ' || count(DISTINCT idempotency_key) FROM referrals WHERE idempotency_key LIKE 'it%'")
        if counts != "%d %d" % (totals["sent"], totals["sent"]):
            fail("iteration %d: referrals/keys %s, keys sent %d" % (iteration, counts, totals["sent"]))
    stop_and_clean()
    print("refer-crash-drill: ok iterations=%d clients=%d referrals=%d acknowledged=%d unacknowledged=%d "
          "(of which committed before the crash: %d) duplicates=0 lost=0"
          % (iterations, CLIENTS, totals["sent"], totals["acknowledged"], totals["unacknowledged"],
             totals["committed_before_crash"]))


if __name__ == "__main__":
    main()
