#!/usr/bin/env python3
"""Runs every command of docs/getting-started.md and checks the output the page shows.

    tests/docs/test_getting_started.py LYTDB LYT

The page marks each fenced block with an HTML comment on the line before it:

    <!-- run: start-server -->  `bash scripts/start.sh`: instead (it would install and build), the
                                test starts LYTDB in the copy's directory (below)
    <!-- run: sh -->            shell commands, run by bash in the copy's directory; variables a
                                block exports reach the later blocks
    <!-- run: sql-shell -->     the shell command that the `run: sql` blocks after it are piped into
    <!-- run: sql -->           SQL, piped into that command
    <!-- file: NAME -->         saved as NAME in the copy's directory
    <!-- output -->             lines that must appear, in this order, in the output of the last run
                                block ("…" stands for any text; blank lines are ignored)
    <!-- not run: REASON -->    left alone

A fenced block without a marker is an error, so that no command escapes the test.

Substitutions, the only differences between the page and what runs:
  - The commands run in a temporary directory laid out like a clone: `build/release/tools/lytdb`
    and `build/release/tools/lyt` are symbolic links to LYTDB and LYT, `clients/python` is a copy
    of the source tree's (pip builds in it).
  - The ports 7878, 7879 and 7880 are replaced everywhere (commands, files, expected output) by
    three free loopback ports; lytdb gets them through LYT_LISTEN, LYT_HTTP and LYT_RESP.
  - HOME is a temporary directory and PATH is Debian's default, as in a newcomer's shell; LYT_*,
    REDISCLI_AUTH and PYTHONPATH are removed from the environment.

Every wait is bounded; the server and the directory are removed at the end.
"""
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

SOURCE_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DOC = os.path.join(SOURCE_DIR, "docs", "getting-started.md")
DEBIAN_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
DOC_PORTS = ("7878", "7879", "7880")  # lyt protocol, HTTP, Redis protocol
STEP_TIMEOUT_S = 180  # the longest one block may run (pip install is the slowest)
START_TIMEOUT_S = 20

MARKER = re.compile(r"^<!--\s*(run: (start-server|sh|sql-shell|sql)|file: (\S+)|output|not run: .+?)\s*-->$")


class Block:
    def __init__(self, kind, arg, text, line):
        self.kind = kind  # start-server, sh, sql-shell, sql, file, output, not-run
        self.arg = arg    # the file name of a `file:` block
        self.text = text
        self.line = line


def parse_blocks(path):
    """The fenced blocks of the page with their markers, in order."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    blocks, i = [], 0
    while i < len(lines):
        if not lines[i].startswith("```"):
            i += 1
            continue
        start = i
        marker = MARKER.match(lines[i - 1].strip()) if i > 0 else None
        i += 1
        body = []
        while i < len(lines) and lines[i].rstrip() != "```":
            body.append(lines[i])
            i += 1
        if i == len(lines):
            raise SystemExit(f"{path}:{start + 1}: unterminated code block")
        i += 1
        if not marker:
            raise SystemExit(f"{path}:{start + 1}: code block without a marker (<!-- run: sh -->, <!-- output -->, ...)")
        kind = marker.group(2) or ("file" if marker.group(3) else marker.group(1).split(":")[0].replace(" ", "-"))
        blocks.append(Block(kind, marker.group(3), "\n".join(body) + "\n", start + 1))
    return blocks


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def expect_lines(expected, output, where):
    """Every non-blank expected line must match a line of the output, in order."""
    out_lines = [line.rstrip() for line in output.split("\n")]
    pos = 0
    for want in expected.split("\n"):
        if not want.strip():
            continue
        pattern = re.compile(".*".join(re.escape(part) for part in want.rstrip().split("…")))
        while pos < len(out_lines) and not pattern.fullmatch(out_lines[pos]):
            pos += 1
        if pos == len(out_lines):
            raise AssertionError(f"{where}: expected line not found (in order):\n  {want}\n--- actual output ---\n{output}")
        pos += 1


class Walkthrough:
    def __init__(self, lytdb, lyt):
        self.tmp = tempfile.mkdtemp(prefix="lyt-getting-started-")
        self.clone = os.path.join(self.tmp, "lytdb")
        self.home = os.path.join(self.tmp, "home")
        self.state = os.path.join(self.tmp, "exported.sh")
        os.makedirs(os.path.join(self.clone, "build", "release", "tools"))
        os.makedirs(self.home)
        for name, binary in (("lytdb", lytdb), ("lyt", lyt)):
            os.symlink(os.path.abspath(binary), os.path.join(self.clone, "build", "release", "tools", name))
        shutil.copytree(os.path.join(SOURCE_DIR, "clients", "python"), os.path.join(self.clone, "clients", "python"),
                        ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__", "tests"))
        self.ports = {doc: str(free_port()) for doc in DOC_PORTS}
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith("LYT_") and k not in ("REDISCLI_AUTH", "PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
        self.env.update(HOME=self.home, PATH=DEBIAN_PATH)
        self.server = None
        self.server_log = os.path.join(self.tmp, "lytdb.out")
        self.sql_shell = None
        self.last_output = None

    def substitute(self, text):
        return re.sub(r"\b(7878|7879|7880)\b", lambda m: self.ports[m.group(1)], text)

    def run(self, blocks):
        for block in blocks:
            where = f"{DOC}:{block.line}"
            text = self.substitute(block.text)
            if block.kind == "start-server":
                if text.strip() != "bash scripts/start.sh":
                    raise AssertionError(f"{where}: the start-server block must be `bash scripts/start.sh`")
                self.last_output = self.start_server()
            elif block.kind == "sh":
                self.last_output = self.bash(text, where)
            elif block.kind == "sql-shell":
                self.sql_shell = text.strip()
            elif block.kind == "sql":
                if not self.sql_shell:
                    raise AssertionError(f"{where}: a run: sql block before any run: sql-shell block")
                self.last_output = self.bash(f"{self.sql_shell} <<'LYT_SQL_END'\n{text}LYT_SQL_END\n", where)
            elif block.kind == "file":
                with open(os.path.join(self.clone, block.arg), "w", encoding="utf-8") as f:
                    f.write(text)
            elif block.kind == "output":
                if self.last_output is None:
                    raise AssertionError(f"{where}: an output block before any run block")
                expect_lines(text, self.last_output, where)
            print(f"ok   {where} ({block.kind})", flush=True)

    def bash(self, commands, where):
        script = (f"set -eo pipefail\ncd {self.clone}\n[ -f {self.state} ] && source {self.state}\n"
                  f"{commands}\nexport -p > {self.state}\n")
        try:
            done = subprocess.run(["bash", "-c", script], env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL, timeout=STEP_TIMEOUT_S, start_new_session=True)
        except subprocess.TimeoutExpired as e:
            raise AssertionError(f"{where}: still running after {STEP_TIMEOUT_S} s:\n{commands}") from e
        output = done.stdout.decode("utf-8", "replace")
        if done.returncode != 0:
            raise AssertionError(f"{where}: exit status {done.returncode}:\n{commands}--- output ---\n{output}")
        return output

    def start_server(self):
        env = dict(self.env, LYT_LISTEN=f"127.0.0.1:{self.ports['7878']}", LYT_HTTP=f"127.0.0.1:{self.ports['7879']}",
                   LYT_RESP=f"127.0.0.1:{self.ports['7880']}")
        with open(self.server_log, "w") as log:
            self.server = subprocess.Popen([os.path.join(self.clone, "build", "release", "tools", "lytdb")], cwd=self.clone,
                                           env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.time() + START_TIMEOUT_S
        while time.time() < deadline:
            if self.server.poll() is not None:
                raise AssertionError("lytdb exited at start:\n" + self.server_output())
            if "connect with:" in self.server_output():
                return self.server_output()
            time.sleep(0.05)
        raise AssertionError(f"lytdb did not start within {START_TIMEOUT_S} s:\n" + self.server_output())

    def server_output(self):
        with open(self.server_log, encoding="utf-8", errors="replace") as f:
            return f.read()

    def check_password_and_dashboard(self):
        """The printed password is the stored one; the dashboard's page and login answer."""
        with open(os.path.join(self.clone, "lytdb-data", "admin.password")) as f:
            password = f.read().strip()
        printed = re.search(r"created user admin with password (\S+) ", self.server_output())
        assert printed and printed.group(1) == password, "the printed password is not the one in lytdb-data/admin.password"
        base = f"http://127.0.0.1:{self.ports['7879']}"
        with urllib.request.urlopen(base + "/", timeout=10) as response:
            page = response.read().decode()
            assert response.status == 200 and "<title>LytDB</title>" in page, page[:200]
        login = urllib.request.Request(base + "/v1/login", method="POST", headers={"Content-Type": "application/json"},
                                       data=json.dumps({"user": "admin", "password": password}).encode())
        with urllib.request.urlopen(login, timeout=10) as response:
            body = json.loads(response.read())
            assert response.status == 200 and body["user"] == "admin" and len(body["token"]) == 64, body
        print("ok   dashboard: / and /v1/login answer; the printed password is the stored one", flush=True)

    def close(self):
        if self.server and self.server.poll() is None:
            self.server.send_signal(signal.SIGTERM)
            try:
                self.server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.server.kill()
                self.server.wait(timeout=10)
        shutil.rmtree(self.tmp, ignore_errors=True)


def main():
    if len(sys.argv) != 3:
        raise SystemExit("usage: test_getting_started.py LYTDB LYT")
    blocks = parse_blocks(DOC)
    walkthrough = Walkthrough(sys.argv[1], sys.argv[2])
    try:
        walkthrough.run(blocks)
        walkthrough.check_password_and_dashboard()
    except (AssertionError, urllib.error.URLError, OSError) as e:
        print(f"FAIL {e}", file=sys.stderr)
        if walkthrough.server:
            print("--- lytdb output ---\n" + walkthrough.server_output(), file=sys.stderr)
        return 1
    finally:
        walkthrough.close()
    print(f"getting-started.md: {len(blocks)} blocks checked")
    return 0


if __name__ == "__main__":
    sys.exit(main())
