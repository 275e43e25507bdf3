"""Per-user settings, every key declared once with its type and default.

Stored with QSettings (the platform's usual place). Per-plan settings live in
the plan file instead (``plan_setting``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QByteArray, QSettings

T = TypeVar("T")


@dataclass(frozen=True)
class Setting(Generic[T]):
    """One setting: its key, type and default."""

    key: str
    type: type
    default: T

    def get(self, store: QSettings | None = None) -> T:
        """The stored value, or the default when missing or of the wrong type."""
        store = store or QSettings()
        value: Any = store.value(self.key, self.default)
        if self.type is list:
            if value is None:
                return list(self.default)  # type: ignore[call-overload]  # T is list here
            return [str(v) for v in (value if isinstance(value, list) else [value])]  # type: ignore[return-value]  # T is list[str] here
        if self.type is bool and isinstance(value, str):
            return value.lower() == "true"  # type: ignore[return-value]
        try:
            return self.type(value)
        except (TypeError, ValueError):
            return self.default

    def set(self, value: T, store: QSettings | None = None) -> None:
        """Store ``value``."""
        (store or QSettings()).setValue(self.key, value)


WINDOW_GEOMETRY = Setting("window/geometry", QByteArray, QByteArray())
WINDOW_STATE = Setting("window/state", QByteArray, QByteArray())
CURRENT_PANEL = Setting("window/panel", str, "")
#: The plan CURRENT_PANEL was last shown on: another plan opens on the Overview.
CURRENT_PANEL_PLAN = Setting("window/panel_plan", str, "")
RECENT_FILES: Setting[list[str]] = Setting("files/recent", list, [])
LAST_FOLDER = Setting("files/last_folder", str, "")
LAST_EXPORT_FOLDER = Setting("files/last_export_folder", str, "")
#: ``system``, ``light`` or ``dark``.
COLOUR_SCHEME = Setting("view/colour_scheme", str, "system")
USER_NAME = Setting("user/name", str, "")
