"""Per agent and day totals (``daily_agent_stats``), rebuilt from the facts.

Dashboards, trends and target planning read these few tens of thousands of
rows instead of scanning a million calls and sales. The table is derived
data: :func:`rebuild_daily_stats` recomputes it from ``call`` and ``sale`` in
the caller's transaction, so it can never disagree with the rows it sums
(``salesplanner check`` verifies that).

Definitions: a call's day is the day it started; ``orders`` counts distinct
orders (lines sharing an ``order_ref``, or a line with none); cancelled sale
lines are left out of every sales figure.
"""

from __future__ import annotations

import sqlite3

_REBUILD = """
INSERT INTO daily_agent_stats (
    day, agent_id, iso_year, iso_week, weekday,
    calls_inbound, calls_outbound, handle_s, sale_calls, callbacks, info_requests,
    orders, sale_lines, units, revenue_minor, upsell_lines, crosssell_lines)
SELECT day, agent_id, max(iso_year), max(iso_week), max(weekday),
       sum(calls_inbound), sum(calls_outbound), sum(handle_s), sum(sale_calls),
       sum(callbacks), sum(info_requests),
       sum(orders), sum(sale_lines), sum(units), sum(revenue_minor),
       sum(upsell_lines), sum(crosssell_lines)
FROM (
    SELECT substr(ts, 1, 10) AS day, coalesce(agent_id, 0) AS agent_id,
           iso_year, iso_week, weekday,
           sum(direction = 'inbound') AS calls_inbound,
           sum(direction = 'outbound') AS calls_outbound,
           sum(duration_s) AS handle_s,
           sum(outcome = 'sale') AS sale_calls,
           sum(outcome = 'callback_requested') AS callbacks,
           sum(outcome = 'info_requested') AS info_requests,
           0 AS orders, 0 AS sale_lines, 0 AS units, 0 AS revenue_minor,
           0 AS upsell_lines, 0 AS crosssell_lines
    FROM call
    GROUP BY substr(ts, 1, 10), coalesce(agent_id, 0)
    UNION ALL
    SELECT substr(ts, 1, 10), coalesce(agent_id, 0), iso_year, iso_week, weekday,
           0, 0, 0, 0, 0, 0,
           count(DISTINCT coalesce(order_ref, 'line:' || id)),
           count(*), sum(quantity), sum(revenue_minor),
           sum(line_type = 'upsell'), sum(line_type = 'crosssell')
    FROM sale
    WHERE outcome <> 'cancelled'
    GROUP BY substr(ts, 1, 10), coalesce(agent_id, 0)
)
GROUP BY day, agent_id
"""


def rebuild_daily_stats(conn: sqlite3.Connection) -> int:
    """Recompute ``daily_agent_stats`` from calls and sales; return its row count.

    Runs in the caller's (write) transaction.
    """
    conn.execute("DELETE FROM daily_agent_stats")
    conn.execute(_REBUILD)
    return conn.execute("SELECT count(*) FROM daily_agent_stats").fetchone()[0]
