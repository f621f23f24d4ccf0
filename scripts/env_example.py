#!/usr/bin/env python3
"""Writes .env.example (every environment variable lytdb reads, commented out) from `lytdb --help`.

    python3 scripts/env_example.py build/release/tools/lytdb > .env.example

The output depends only on the help text (settings whose default is one per core are written
without the machine's number). parse_help() is also what tests/docs/test_configuration_doc.py
reads the help with, so the file, docs/configuration.md and the server are checked against one
reading of it.
"""
import re
import subprocess
import sys
from dataclasses import dataclass

# Variables the server reads that are not settings (no flag with a [default; LYT_...] tag): what
# each one is. The help text must mention each; a new one fails here until it is described.
OTHER_VARIABLES = {
    "LYT_CONFIG": "TOML config file to read, like --config (which wins); none by default",
    "LYT_ADMIN_PASSWORD": "Password of user admin, read only on the first start of an empty data "
                          "directory; unset or empty: a generated one, printed once and kept in DATA_DIR/admin.password",
}


@dataclass
class Setting:
    name: str      # TOML key
    flag: str      # --name-with-dashes
    env: str       # LYT_NAME
    default: str   # as --help shows it (strings in double quotes)
    help: str      # the help text without the [default: ...] tag

    @property
    def per_core(self):
        """The default depends on the machine's cores (the help says so): --help shows this machine's."""
        return "one per core" in self.help


def help_text(lytdb):
    return subprocess.run([lytdb, "--help"], check=True, capture_output=True, text=True).stdout


def parse_help(text):
    """Returns (settings in --help order, other LYT_ variables mentioned by the help)."""
    entries, current = [], None
    for line in text.splitlines():
        if re.match(r"^  -", line):
            current = line.strip()
            entries.append(current)
        elif current is not None and line.startswith("    "):
            entries[-1] = entries[-1] + " " + line.strip()  # a wrapped help line
        else:
            current = None
    settings = []
    for entry in entries:
        m = re.match(r"^(--[a-z0-9-]+) VALUE\s+(.*) \[default: (.*); (LYT_[A-Z0-9_]+)\]$", entry)
        if not m:
            continue
        flag, help_, default, env = m.groups()
        name = flag[2:].replace("-", "_")
        settings.append(Setting(name, flag, env, default, help_.strip()))
    known = {s.env for s in settings}
    others = sorted(set(re.findall(r"\bLYT_[A-Z0-9_]+\b", text)) - known)
    return settings, others


def env_value(setting):
    """The value a .env line carries for the default: quotes dropped, nothing for per-core ones."""
    if setting.per_core:
        return ""
    value = setting.default
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    return value


def render(settings, others):
    out = [
        "# Environment variables of the LytDB server, lytdb: every one it reads, with its default.",
        "# Generated from `lytdb --help` by scripts/env_example.py; tests/docs/test_configuration_doc.py",
        "# checks it. Every line is commented out, so copying this file to .env changes nothing:",
        "# uncomment what you change. Precedence: config file < environment < flags; the meaning of",
        "# each setting, its TOML key and flag: docs/configuration.md.",
        "",
    ]
    for env in others:
        if env not in OTHER_VARIABLES:
            sys.exit(f"env_example.py: --help mentions {env}: describe it in OTHER_VARIABLES")
        out += [f"# {OTHER_VARIABLES[env]}", f"# {env}=", ""]
    for s in settings:
        meaning = s.help if s.per_core else f"{s.help} [default: {s.default}]"  # per core: the text says
        out += [f"# {meaning}", f"# {s.env}={env_value(s)}", ""]
    return "\n".join(out).rstrip("\n") + "\n"


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: scripts/env_example.py PATH-TO-LYTDB > .env.example")
    settings, others = parse_help(help_text(sys.argv[1]))
    if not settings:
        sys.exit("env_example.py: found no settings in lytdb --help")
    sys.stdout.write(render(settings, others))


if __name__ == "__main__":
    main()
