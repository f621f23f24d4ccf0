"""Tests of the lytdb client: python3 -m unittest discover -s clients/python/tests (see support.py)."""
