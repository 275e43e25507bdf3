"""Analysis: what the plan's data says, read-only, for panels, commands and sheets.

- :mod:`.trends`: a measure over time, split by team, agent, product or channel;
- :mod:`.peaks`: calls by weekday and hour, and the agents each hour needs;
- :mod:`.staffing`: Erlang C, agents needed for a service level;
- :mod:`.forecast`: the rest of the quarter and the next, and the quarter outlook;
- :mod:`.performance`: the team against the targets in force, red/amber/green;
- :mod:`.coaching`: where to coach, and the coaching notes.

The modules import only downwards: from :mod:`salesplanner.daily_figures`,
:mod:`salesplanner.metrics`, :mod:`salesplanner.periods`, storage, and
:mod:`salesplanner.targets.stored_scenarios` (the scenario in force, which sits
below both the target planner and this package). The target planner uses
the forecast; nothing here imports the planner's method.
"""
