#!/usr/bin/env python3
"""Transactions: commit, rollback, a failed transaction, autocommit.

    python3 examples/python/transactions.py [URI]   (as basic.py)
"""
import os
import sys

import lytdb


def balances(cur):
    cur.execute("SELECT name, balance FROM example_accounts ORDER BY name")
    return dict(cur.fetchall())


def transfer(conn, source, target, amount):
    """Moves ``amount`` in one transaction: both updates or neither."""
    cur = conn.cursor()
    try:
        cur.execute("UPDATE example_accounts SET balance = balance - ? WHERE name = ?", (amount, source))
        cur.execute("SELECT balance FROM example_accounts WHERE name = ?", (source,))
        if cur.fetchone()[0] < 0:
            raise ValueError("insufficient funds")
        cur.execute("UPDATE example_accounts SET balance = balance + ? WHERE name = ?", (amount, target))
        conn.commit()
    except (ValueError, lytdb.DatabaseError):
        conn.rollback()
        raise


def main():
    uri = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("LYT_URI", "lyt://admin@localhost/main")
    with lytdb.connect(uri, password=os.environ.get("LYT_PASSWORD"), connect_timeout=10) as conn:
        cur = conn.cursor()
        cur.execute("CREATE TABLE IF NOT EXISTS example_accounts (name TEXT PRIMARY KEY, balance BIGINT)")
        cur.execute("DELETE FROM example_accounts")
        cur.execute("INSERT INTO example_accounts VALUES ('alice', 100), ('bob', 20)")
        conn.commit()
        transfer(conn, "alice", "bob", 30)
        print("after transfer:", balances(cur))
        try:
            transfer(conn, "bob", "alice", 500)
        except ValueError as e:
            print("refused:", e)
        print("after refused transfer:", balances(cur))
        conn.commit()
        conn.autocommit = True  # each statement commits at once from here on
        cur.execute("UPDATE example_accounts SET balance = 0 WHERE name = 'bob'")
        print("transaction status with autocommit:", conn.transaction_status)


if __name__ == "__main__":
    main()
