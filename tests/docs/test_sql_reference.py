#!/usr/bin/env python3
"""Keeps docs/sql-reference.md true to the engine.

    tests/docs/test_sql_reference.py LYTDB     check (CTest sql_reference_doc)
    tests/docs/test_sql_reference.py --write-test
                                               write tests/sql/docs/reference.test from the page

The checks:
  1. Every function the engine knows is documented in a function table of the page, and every
     function documented there exists. There is no SQL way to list functions, so they are read
     from the source tree: the scalar functions from the files of src/exec/functions/ whose
     Register*Functions src/exec/function_registry.cc calls (every lower-case identifier in
     double quotes, but the few in NOT_FUNCTIONS), the aggregates and coalesce/ifnull from
     src/plan/binder_expr.cc, the window functions from src/plan/binder_window.cc.
  2. tests/sql/docs/reference.test is what --write-test makes of the page: its examples in page
     order, the ```sql blocks (with the ```text result block after one, if any) and the rows of
     the tables with `example` and `result` columns. lyt-slt runs that file (CTest sql/docs/...).
  3. The table examples (self-contained expressions and queries) run against LYTDB over its
     HTTP API, as `SELECT (example)::text`, and give the results the page shows. LYTDB is
     started by tests/http's fixture (free loopback ports, a temporary data directory).

Page conventions: a ```sql block preceded by `<!-- not tested: REASON -->` is left out. A result
block is the lyt shell's table (an empty cell is NULL) or an `ERROR:  SQLSTATE: message` line.
A result cell of a table holds one `code span` per row; `NULL` is the null value.
"""
import os
import re
import sys

SOURCE_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DOC = os.path.join(SOURCE_DIR, "docs", "sql-reference.md")
TEST_FILE = os.path.join(SOURCE_DIR, "tests", "sql", "docs", "reference.test")

# Lower-case identifiers in double quotes in src/exec/functions/*.cc that are not function names:
# type names in error messages and the 't'/'f' that concat() prints for booleans.
NOT_FUNCTIONS = {"bigint", "date", "f", "integer", "interval", "smallint", "t"}


# --- the page ---------------------------------------------------------------------------------

class Example:
    """One example: SQL statements and the result of the last one."""

    def __init__(self, line, statements, result=None, error=None, from_table=False):
        self.line = line
        self.statements = statements  # SQL texts without the final ';'
        self.result = result          # list of rows (lists of cell texts), or None
        self.error = error            # expected error text, or None
        self.from_table = from_table


def code_spans(cell):
    return re.findall(r"`([^`]*)`", cell)


def split_row(line):
    """The cells of a Markdown table row, with `\\|` unescaped."""
    cells = re.split(r"(?<!\\)\|", line.strip())[1:-1]
    return [c.strip().replace("\\|", "|") for c in cells]


def split_statements(sql):
    """Statements of a block; each ends with ';' at the end of a line (a `-- comment` may follow)."""
    statements, current = [], []
    for line in sql.split("\n"):
        current.append(line)
        code = re.sub(r"--.*$", "", line).rstrip()
        if code.endswith(";"):
            text = "\n".join(current).rstrip()
            text = re.sub(r";\s*(--.*)?$", "", text)
            statements.append(text.strip("\n"))
            current = []
    if "\n".join(current).strip():
        statements.append("\n".join(current).strip("\n"))
    return statements


def parse_result_block(lines, where):
    """(rows, error) of a ```text result block in the shell's table layout."""
    if lines and lines[0].startswith("ERROR:"):
        return None, lines[0][len("ERROR:"):].strip()
    if len(lines) < 3 or not re.fullmatch(r"-+(\+-+)*", lines[1]):
        raise SystemExit(f"{where}: a result block must be a shell table or an ERROR line")
    columns = len(lines[0].split("|"))
    rows = []
    for line in lines[2:]:
        if re.fullmatch(r"\(\d+ rows?\)", line.strip()):
            count = int(re.search(r"\d+", line).group())
            if count != len(rows):
                raise SystemExit(f"{where}: the table says {line.strip()} but shows {len(rows)}")
            return rows, None
        cells = line.split("|")
        if len(cells) != columns:
            raise SystemExit(f"{where}: row with {len(cells)} cells, expected {columns}: {line}")
        rows.append([cell_value(c) for c in cells])
    raise SystemExit(f"{where}: a result table must end with its (N rows) line")


def cell_value(cell):
    """A shell table cell's value: numbers are right-aligned, text left-aligned after one blank
    (its own leading blanks, as in EXPLAIN's indentation, are kept); empty is NULL."""
    stripped = cell.strip()
    if not stripped:
        return "NULL"
    if re.fullmatch(r"-?[0-9.e+]+|NaN|-?Infinity", stripped):
        return stripped
    return cell[1:].rstrip() if cell.startswith(" ") else cell.rstrip()


def parse_page(path):
    """(examples in page order, documented function names with their lines)."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    examples, functions = [], {}
    i, header = 0, None
    while i < len(lines):
        line = lines[i]
        where = f"{path}:{i + 1}"
        if line.startswith("```"):
            info = line[3:].strip()
            end = i + 1
            while end < len(lines) and lines[end].rstrip() != "```":
                end += 1
            body = lines[i + 1:end]
            skipped = i > 0 and lines[i - 1].startswith("<!-- not tested:")
            if info == "sql" and not skipped:
                example = Example(i + 1, split_statements("\n".join(body)))
                after = end + 1
                while after < len(lines) and not lines[after].strip():
                    after += 1
                if after < len(lines) and lines[after].strip() == "```text":
                    result_end = after + 1
                    while result_end < len(lines) and lines[result_end].rstrip() != "```":
                        result_end += 1
                    example.result, example.error = parse_result_block(lines[after + 1:result_end], where)
                    end = result_end
                examples.append(example)
            i = end + 1
            header = None
            continue
        if line.startswith("|"):
            cells = split_row(line)
            if header is None:
                header = cells
            elif not all(re.fullmatch(r":?-+:?", c) for c in cells):
                row = dict(zip(header, cells))
                if "function" in row:
                    for span in code_spans(row["function"]):
                        name = re.match(r"[a-z_][a-z0-9_]*", span)
                        if name:
                            functions.setdefault(name.group(), where)
                if "example" in row and "result" in row:
                    example_sql = code_spans(row["example"])
                    results = code_spans(row["result"])
                    if len(example_sql) != 1 or not results:
                        raise SystemExit(f"{where}: an example row needs one `example` and a `result` per row")
                    examples.append(Example(i + 1, [example_sql[0]], [[r] for r in results], from_table=True))
        else:
            header = None
        i += 1
    return examples, functions


def is_query(sql):
    return re.match(r"\s*(select|with|values)\b", sql, re.IGNORECASE) is not None


def table_example_sql(example):
    sql = example.statements[0]
    return sql if is_query(sql) else "SELECT " + sql


# --- reference.test ---------------------------------------------------------------------------

def slt_value(text):
    return "(empty)" if text == "" else text


def make_test_file(examples):
    out = ["# The examples of docs/sql-reference.md, in its order. Generated by",
           "# tests/docs/test_sql_reference.py --write-test: edit the page, then run that; CTest",
           "# sql_reference_doc fails while this file and the page differ.", ""]
    for example in examples:
        statements = [table_example_sql(example)] if example.from_table else example.statements
        for n, sql in enumerate(statements):
            out.append(f"# docs/sql-reference.md:{example.line}")
            last = n == len(statements) - 1
            if last and example.error:
                out += [f"statement error {example.error}", sql, ""]
            elif last and example.result is not None:
                width = len(example.result[0]) if example.result else 1
                out += [f"query {'T' * width}", sql, "----"]
                out += ["\t".join(slt_value(v) for v in row) for row in example.result]
                out.append("")
            else:
                out += ["statement ok", sql, ""]
    return "\n".join(out)


# --- functions the engine knows ---------------------------------------------------------------

def read(relative):
    with open(os.path.join(SOURCE_DIR, relative), encoding="utf-8") as f:
        return f.read()


def engine_functions():
    """Function name -> where it is defined, read from the source tree."""
    found = {}
    registry = read("src/exec/function_registry.cc")
    groups = re.findall(r"Register(\w+)Functions\(r\)", registry)
    if not groups:
        raise SystemExit("no Register*Functions calls in src/exec/function_registry.cc: update this checker")
    function_dir = os.path.join("src", "exec", "functions")
    for group in groups:
        files = [name for name in sorted(os.listdir(os.path.join(SOURCE_DIR, function_dir)))
                 if f"void Register{group}Functions(" in read(os.path.join(function_dir, name))]
        if len(files) != 1:
            raise SystemExit(f"Register{group}Functions is defined in {len(files)} files of {function_dir}: update this checker")
        relative = os.path.join(function_dir, files[0])
        for name in re.findall(r'"([a-z_][a-z0-9_]*)"', read(relative)):
            if name not in NOT_FUNCTIONS:
                found.setdefault(name, relative)
    binder = read("src/plan/binder_expr.cc")
    aggregates = re.search(r"kNames\[\] = \{([^}]*)\}", binder)
    coalesce = re.search(r"if \(([^)]*)\) return BindCoalesce", binder)
    windows = re.findall(r'\{"(\w+)", WindowKind::', read("src/plan/binder_window.cc"))
    if not aggregates or not coalesce or not windows:
        raise SystemExit("could not read the aggregates, coalesce or window functions from src/plan: update this checker")
    for name in re.findall(r'"(\w+)"', aggregates.group(1)) + re.findall(r'"(\w+)"', coalesce.group(1)):
        found.setdefault(name, "src/plan/binder_expr.cc")
    for name in windows:
        found.setdefault(name, "src/plan/binder_window.cc")
    return found


# --- the server -------------------------------------------------------------------------------

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(SOURCE_DIR, "tests", "http"))
import test_http_api as http_fixture  # noqa: E402  (its Server: lytdb on free loopback ports)


def query_text(server, sql):
    """The rows of `sql` (one column) as text, or the error."""
    wrapped = f"SELECT (q.c)::text FROM ({sql}) AS q(c)" if is_query(sql) else f"SELECT ({sql[len('SELECT '):]})::text"
    status, body, _ = server.request("POST", "/v1/query", {"sql": wrapped},
                                     http_fixture.basic("admin", http_fixture.PASSWORD))
    if status != 200:
        return f"ERROR {body['error']['code']}: {body['error']['message']}"
    return [["NULL" if v is None else v for v in row] for row in body["rows"]]


# --- main -------------------------------------------------------------------------------------

def check_functions(documented):
    engine = engine_functions()
    failures = [f"{name} ({where}) is not documented in docs/sql-reference.md" for name, where in sorted(engine.items())
                if name not in documented]
    failures += [f"{where}: {name} is documented but the engine has no such function" for name, where in sorted(documented.items())
                 if name not in engine]
    print(f"functions: {len(engine)} in the engine, {len(documented)} documented")
    return failures


def check_test_file(examples):
    with open(TEST_FILE, encoding="utf-8") as f:
        current = f.read()
    if current != make_test_file(examples):
        return [f"{TEST_FILE} differs from the examples of docs/sql-reference.md: run "
                "tests/docs/test_sql_reference.py --write-test (and check the results it shows)"]
    return []


def check_on_server(binary, examples):
    failures = []
    http_fixture.LYTDB = binary
    server = http_fixture.Server("--http-rate-limit", "0")
    try:
        table_examples = [e for e in examples if e.from_table]
        for example in table_examples:
            sql = table_example_sql(example)
            got = query_text(server, sql)
            if got != example.result:
                failures.append(f"{DOC}:{example.line}: {sql}\n    shown: {example.result}\n    lytdb: {got}")
        print(f"examples: {len(table_examples)} run on lytdb, {len(examples)} in reference.test")
    finally:
        server.stop()
    return failures


def main():
    examples, documented = parse_page(DOC)
    if sys.argv[1:] == ["--write-test"]:
        os.makedirs(os.path.dirname(TEST_FILE), exist_ok=True)
        with open(TEST_FILE, "w", encoding="utf-8") as f:
            f.write(make_test_file(examples))
        print(f"wrote {TEST_FILE}: {len(examples)} examples")
        return 0
    if len(sys.argv) != 2:
        raise SystemExit("usage: test_sql_reference.py LYTDB | --write-test")
    failures = check_functions(documented) + check_test_file(examples) + check_on_server(sys.argv[1], examples)
    for failure in failures:
        print("FAIL " + failure, file=sys.stderr)
    if not failures:
        print("sql-reference.md: ok")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
