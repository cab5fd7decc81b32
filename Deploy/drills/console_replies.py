"""Reading console replies (Docs/console-protocol.md, "Replies"): for the asyncio drills
(read_reply), and a blocking signed-in client for the drills that run one thread a client
(Console: the outage, restore and failover drills)."""

import socket
import time


async def read_reply(reader):
    """Reads one whole reply and returns its final status line; a data block is skipped."""
    in_data = False
    while True:
        line = (await reader.readline()).decode(errors="replace").rstrip("\r\n")
        if not line:
            raise ConnectionError("closed")
        if in_data:
            in_data = line != "."
        elif len(line) >= 4 and line[3] == "+":
            in_data = True
        elif len(line) >= 4 and line[3] == " ":
            return line


def final_status(line, in_data):
    """One line of a reply: (in_data, (code, text) when it is the final line, else None)."""
    if in_data:
        return line != ".", None
    if len(line) >= 4 and line[3] == "+":
        return True, None
    if len(line) >= 4 and line[3] == " ":
        return False, (int(line[:3]), line[4:])
    return False, None


class Console:
    """A blocking console connection signed in as `user`. With `retry_auth`, an AUTH answered
    otherwise than 250 (451 while the database is away or no primary is elected) is sent again
    every 0.2 s; without it, the drill stops with the reply."""

    def __init__(self, port, user, password, timeout=60, retry_auth=False):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.file = self.sock.makefile("rb")
        self.file.readline()
        while True:
            code, text = self.request("AUTH %s %s" % (user, password))
            if code == 250:
                break
            if not retry_auth:
                raise SystemExit("AUTH %s: %d %s" % (user, code, text))
            time.sleep(0.2)

    def request(self, text):
        """Sends one line; returns the reply's final (code, text), a data block skipped."""
        self.sock.sendall(text.encode() + b"\r\n")
        in_data = False
        while True:
            line = self.file.readline().decode(errors="replace").rstrip("\r\n")
            if not line:
                raise ConnectionError("closed by the server")
            in_data, final = final_status(line, in_data)
            if final:
                return final

    def close(self):
        self.sock.close()
