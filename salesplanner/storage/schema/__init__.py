"""The plan file's tables as SQLAlchemy 2.x typed ORM models.

One module per area of the product, all on one :data:`Base` metadata:

- :mod:`.people`: teams, agents, skills and skill ratings, planned hours
- :mod:`.catalogue`: products and their up-sell / cross-sell relations
- :mod:`.activity`: imports, sales, calls, interval statistics, competitor
  activity, customer feedback, call-monitoring scores, daily aggregates
- :mod:`.planning`: the plan row, settings, metrics, targets and scenarios,
  campaigns, strategy, objectives, report definitions
- :mod:`.quality`: procedures, trials, complaints, compliance, coaching
- :mod:`.review`: review comments and decisions, the audit trail

Conventions, so that anyone opening the file with an SQLite tool can read it:
table names are singular snake_case; money is INTEGER minor units in a column
ending ``_minor`` (the plan's currency says the unit); timestamps are TEXT
``YYYY-MM-DD HH:MM:SS`` in the contact centre's local time; dates are TEXT
``YYYY-MM-DD``; enumerations are lower-case TEXT with a CHECK constraint.
"""

from salesplanner.storage.schema.base import Base
from salesplanner.storage.schema import activity, catalogue, people, planning, quality, review

__all__ = ["Base", "activity", "catalogue", "people", "planning", "quality", "review"]
