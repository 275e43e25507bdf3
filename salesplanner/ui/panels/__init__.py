"""The panel registry: every panel in the side bar, in order.

Adding a panel is one new module in this package with a :class:`Panel`
subclass, and one line in :data:`PANELS`. Only panels that work are listed.
"""

from __future__ import annotations

from salesplanner.ui.panels.base import Panel, PanelContext
from salesplanner.ui.panels.data_browser import DataBrowserPanel
from salesplanner.ui.panels.forecast import ForecastPanel
from salesplanner.ui.panels.imports import ImportsPanel
from salesplanner.ui.panels.measures import MeasuresPanel
from salesplanner.ui.panels.peaks import PeaksPanel
from salesplanner.ui.panels.performance import PerformancePanel
from salesplanner.ui.panels.reports import ReportsPanel
from salesplanner.ui.panels.skills import SkillsPanel
from salesplanner.ui.panels.targets import TargetsPanel
from salesplanner.ui.panels.trends import TrendsPanel
from salesplanner.ui.panels.overview import OverviewPanel

PANELS: list[type[Panel]] = [
    OverviewPanel,
    DataBrowserPanel,
    TrendsPanel,
    PeaksPanel,
    ForecastPanel,
    SkillsPanel,
    TargetsPanel,
    PerformancePanel,
    ReportsPanel,
    MeasuresPanel,
    ImportsPanel,
]

__all__ = ["PANELS", "Panel", "PanelContext"]
