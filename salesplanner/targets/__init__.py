"""The target planner: a stretching but realistic quarterly target for every agent.

- :mod:`.history`: every agent's weekly results, hours and skills, as arrays;
- :mod:`.capacity`: planned hours in the quarter (shrinkage, leave, ramp);
- :mod:`.skills`: skill weights, set by hand or estimated from history;
- :mod:`.allocation`: sharing a total inside limits, rounding it exactly;
- :mod:`.team`: the team's figures (its rate, seasonality, the team target);
- :mod:`.proposal`: the method (baseline, skills, stretch, guardrails);
- :mod:`.likelihood`: the chance of each target being reached;
- :mod:`.smart`: milestones and the SMART check;
- :mod:`.scenarios`: scenarios in the plan file, overrides, audit and undo;
- :mod:`.backtest`: the likelihoods checked against earlier quarters;
- :mod:`.command`: ``salesplanner targets``.
"""
