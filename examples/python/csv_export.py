#!/usr/bin/env python3
"""Export a query to CSV with the standard csv module, streaming: rows are written as they arrive,
so the result never has to fit in memory.

    python3 examples/python/csv_export.py [URI] [SQL] [FILE]
        URI as basic.py; SQL default: SHOW TABLES; FILE default: standard output
"""
import csv
import os
import sys

import lytdb


def export(cur, sql, out):
    """Writes the header and every row of ``sql`` to ``out``; returns the number of rows."""
    cur.execute(sql)
    writer = csv.writer(out)
    writer.writerow(column[0] for column in cur.description)
    count = 0
    while True:
        rows = cur.fetchmany(1000)
        if not rows:
            return count
        writer.writerows(["" if value is None else value for value in row] for row in rows)
        count += len(rows)


def main():
    uri = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("LYT_URI", "lyt://admin@localhost/main")
    sql = sys.argv[2] if len(sys.argv) > 2 else "SHOW TABLES"
    with lytdb.connect(uri, password=os.environ.get("LYT_PASSWORD"), connect_timeout=10, autocommit=True) as conn:
        cur = conn.cursor()
        if len(sys.argv) > 3:
            with open(sys.argv[3], "w", newline="", encoding="utf-8") as out:
                count = export(cur, sql, out)
            print("wrote %d rows to %s" % (count, sys.argv[3]), file=sys.stderr)
        else:
            export(cur, sql, sys.stdout)


if __name__ == "__main__":
    main()
