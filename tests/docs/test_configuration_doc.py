#!/usr/bin/env python3
"""Keeps docs/configuration.md and .env.example true to `lytdb --help`.

    python3 tests/docs/test_configuration_doc.py PATH-TO-LYTDB

Checks that every setting --help lists has a row in docs/configuration.md's settings table with
its flag, environment variable and default, that the table has no other rows, that the page
names the variables that are not settings, and that .env.example lists every variable (with the
default of each setting) and nothing else, every line commented out. Prints one line per
failure and "N passed, N failed" over the checked items (each setting and variable in each of
the two files); exit status 1 when any failed.
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
sys.dont_write_bytecode = True  # no scripts/__pycache__ in the source tree
from env_example import env_value, help_text, parse_help  # noqa: E402  (the one reading of --help)


def read(relative):
    with open(os.path.join(ROOT, relative), encoding="utf-8") as f:
        return f.read()


def doc_rows(doc):
    """The settings table's rows: TOML key -> its cells (setting, flag, env, default, meaning)."""
    rows = {}
    for line in doc.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 5 and re.fullmatch(r"`[a-z0-9_]+`", cells[0]) and cells[1].startswith("`--"):
            rows[cells[0].strip("`")] = cells
    return rows


def check_doc(settings, others, doc, fail):
    rows = doc_rows(doc)
    for s in settings:
        row = rows.get(s.name)
        if row is None:
            fail(("doc", s.name), f"docs/configuration.md: no row for setting {s.name}")
            continue
        if row[1] != f"`{s.flag}`":
            fail(("doc", s.name), f"docs/configuration.md: {s.name}: flag {row[1]}, lytdb --help says {s.flag}")
        if row[2] != f"`{s.env}`":
            fail(("doc", s.name), f"docs/configuration.md: {s.name}: variable {row[2]}, lytdb --help says {s.env}")
        if s.per_core:
            if "per core" not in row[3]:
                fail(("doc", s.name), f"docs/configuration.md: {s.name}: the default should say it is one per core, not {row[3]}")
        elif row[3] != f"`{s.default}`":
            fail(("doc", s.name), f"docs/configuration.md: {s.name}: default {row[3]}, lytdb --help says `{s.default}`")
    for name in sorted(set(rows) - {s.name for s in settings}):
        fail(("doc", name), f"docs/configuration.md: row for {name}, which lytdb --help does not list")
    for env in others:
        if f"`{env}`" not in doc:
            fail(("doc", env), f"docs/configuration.md: does not name {env}")


def check_env_example(settings, others, text, fail):
    listed = {}
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            fail(("env", number), f".env.example:{number}: not commented out: {line}")
        m = re.match(r"^# (LYT_[A-Z0-9_]+)=(.*)$", line)
        if m:
            if m.group(1) in listed:
                fail(("env", m.group(1)), f".env.example:{number}: {m.group(1)} listed twice")
            listed[m.group(1)] = m.group(2)
    for s in settings:
        if s.env not in listed:
            fail(("env", s.env), f".env.example: lacks {s.env}")
        elif listed[s.env] != env_value(s):
            fail(("env", s.env), f".env.example: {s.env}={listed[s.env]}, the default is {env_value(s) or 'empty'}")
    for env in others:
        if env not in listed:
            fail(("env", env), f".env.example: lacks {env}")
    for env in sorted(set(listed) - {s.env for s in settings} - set(others)):
        fail(("env", env), f".env.example: lists {env}, which lytdb does not read")


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: test_configuration_doc.py PATH-TO-LYTDB")
    settings, others = parse_help(help_text(sys.argv[1]))
    failed = set()  # (file, item) pairs with at least one failure

    def fail(item, message):
        failed.add(item)
        print(message)

    if len(settings) < 10:
        fail(("help", ""), f"lytdb --help: only {len(settings)} settings read: has its format changed?")
    check_doc(settings, others, read("docs/configuration.md"), fail)
    check_env_example(settings, others, read(".env.example"), fail)
    items = {(f, x) for f in ("doc", "env") for x in [s.name if f == "doc" else s.env for s in settings] + others}
    print(f"{len(items - failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
