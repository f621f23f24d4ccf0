#!/usr/bin/env python3
"""Bulk insert with executemany: one prepared statement, executions pipelined in a transaction.

    python3 examples/python/bulk_insert.py [URI] [ROWS]   (URI as basic.py; ROWS default 10000)
"""
import os
import sys
import time

import lytdb


def main():
    uri = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("LYT_URI", "lyt://admin@localhost/main")
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
    with lytdb.connect(uri, password=os.environ.get("LYT_PASSWORD"), connect_timeout=10) as conn:
        cur = conn.cursor()
        cur.execute("DROP TABLE IF EXISTS example_readings")
        cur.execute("CREATE TABLE example_readings (id INTEGER PRIMARY KEY, sensor TEXT, value DOUBLE, at TIMESTAMP)")
        start = time.monotonic()
        rows = ((i, "sensor-%d" % (i % 10), i * 0.5, lytdb.TimestampFromTicks(1700000000 + i)) for i in range(count))
        cur.executemany("INSERT INTO example_readings VALUES (?, ?, ?, ?)", rows)
        conn.commit()
        elapsed = time.monotonic() - start
        print("inserted %d rows in %.2f s" % (cur.rowcount, elapsed))
        cur.execute("SELECT sensor, count(*), avg(value) FROM example_readings GROUP BY sensor ORDER BY sensor LIMIT 3")
        for sensor, n, average in cur:
            print(sensor, n, round(average, 2))


if __name__ == "__main__":
    main()
