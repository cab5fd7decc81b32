"""Reading console replies for the asyncio drills (Docs/console-protocol.md, "Replies")."""


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
