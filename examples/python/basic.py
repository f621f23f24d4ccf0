#!/usr/bin/env python3
"""Connect, create a table, insert with parameters, query.

    python3 examples/python/basic.py [URI]     (default: $LYT_URI, else lyt://admin@localhost/main
                                                with the password in $LYT_PASSWORD)
"""
import os
import sys

import lytdb


def server_uri():
    return sys.argv[1] if len(sys.argv) > 1 else os.environ.get("LYT_URI", "lyt://admin@localhost/main")


def main():
    with lytdb.connect(server_uri(), password=os.environ.get("LYT_PASSWORD"), connect_timeout=10) as conn:
        cur = conn.cursor()
        cur.execute("CREATE TABLE IF NOT EXISTS example_users (id INTEGER PRIMARY KEY, name TEXT, joined DATE)")
        cur.execute("DELETE FROM example_users")
        cur.execute("INSERT INTO example_users VALUES (?, ?, ?), (?, ?, ?)",
                    (1, "ada", lytdb.Date(1843, 1, 1), 2, "grace", lytdb.Date(1952, 5, 1)))
        print("inserted", cur.rowcount, "rows")
        conn.commit()
        cur.execute("SELECT id, name, joined FROM example_users WHERE id >= ? ORDER BY id", (1,))
        print([column[0] for column in cur.description])
        for user_id, name, joined in cur:
            print(user_id, name, joined.isoformat())


if __name__ == "__main__":
    main()
