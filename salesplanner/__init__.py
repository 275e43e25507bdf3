"""Sales Planner: sales planning, targets and performance for contact centres.

The package is layered (see README "Architecture"): everything directly under
``salesplanner`` is the domain and storage and never imports Qt; the Qt
interface lives in ``salesplanner.ui``.
"""

__version__ = "0.1.0"
APP_NAME = "Sales Planner"
