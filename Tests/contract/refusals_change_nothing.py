"""Schemathesis hooks for Tocsin's API contract run: a refused request, and any GET, must
leave tocsind's record exactly as it was.

The record is the SQLite database named by TOCSIN_DATABASE, read-only. Pages an earlier accepted
request queued are sent in the background and recorded when they are answered, so before each
call the hook waits until no page is pending (bounded), then keeps a copy of the record; the
check compares it with the record after the answer. Loaded with
SCHEMATHESIS_HOOKS=refusals_change_nothing and this folder on PYTHONPATH.
"""

import os
import sqlite3
import time

import schemathesis

DATABASE = os.environ["TOCSIN_DATABASE"]
_before = {}


def snapshot():
    connection = sqlite3.connect(f"file:{DATABASE}?mode=ro", uri=True, timeout=5)
    try:
        tables = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        return {table: connection.execute(f'SELECT * FROM "{table}" ORDER BY 1').fetchall() for table in tables}
    finally:
        connection.close()


def pending_pages():
    connection = sqlite3.connect(f"file:{DATABASE}?mode=ro", uri=True, timeout=5)
    try:
        return connection.execute("SELECT COUNT(*) FROM page WHERE status = 'pending'").fetchone()[0]
    finally:
        connection.close()


def settled():
    """The record once every queued page has been sent and recorded (waiting at most 10 s)."""
    deadline = time.monotonic() + 10
    while pending_pages() and time.monotonic() < deadline:
        time.sleep(0.01)
    return snapshot()


def difference(before, after, allowed=lambda table, row: False):
    """What changed, leaving out added rows that `allowed` accepts."""
    changed = []
    for table in sorted(set(before) | set(after)):
        old, new = set(before.get(table, [])), set(after.get(table, []))
        removed, added = old - new, {row for row in new - old if not allowed(table, row)}
        if removed or added:
            changed.append(f"{table}: removed {sorted(removed, key=repr)[:3]}, added {sorted(added, key=repr)[:3]}")
    return "; ".join(changed)


@schemathesis.hook
def before_call(context, case, kwargs):
    _before["record"] = settled()


def drill_incidents():
    """The ids of the incidents that are drills."""
    connection = sqlite3.connect(f"file:{DATABASE}?mode=ro", uri=True, timeout=5)
    try:
        return {row[0] for row in connection.execute("SELECT id FROM incident WHERE drill")}
    finally:
        connection.close()


def kept_drill_refusal(drills):
    """Accepts the one row a refused command may add: a drill keeps the refusal on its own
    timeline as a `gate_refused` event, for its scorecard (docs/drills.md). An event row is
    (incident_id, seq, at, kind, ...)."""
    return lambda table, row: table == "event" and row[0] in drills and row[3] == "gate_refused"


@schemathesis.check
def refusals_change_nothing(ctx, response, case):
    """A GET, or a request answered 4xx/5xx, changed nothing in the record; a drill's kept
    refusal aside."""
    if case.method.upper() != "GET" and response.status_code < 400:
        return None
    before = _before.get("record")
    if before is None:
        return None
    after = snapshot()
    allowed = kept_drill_refusal(drill_incidents()) if case.method.upper() != "GET" else (lambda table, row: False)
    changed = difference(before, after, allowed)
    if changed:
        raise AssertionError(f"{case.method} {case.path} answered {response.status_code} but changed the record: {changed}")
    return None
