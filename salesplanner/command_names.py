"""The names of the window's commands that text outside the window refers to.

The exported workbook tells a manager which button to press; the window
shows that button. Both take the name from here, so the two cannot drift
apart (the workbook once said "Targets > Import Edited Targets" for a button
labelled "Import from Excel..."). The labels carry Qt's ``&`` mnemonic
marker; :attr:`Command.text` is the name as a reader sees it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Command:
    """A button or menu item: its label (with ``&`` before its access key) and
    where in the window it is."""

    label: str
    #: ``"the Targets panel"`` for a panel's button, ``"File"`` for a menu.
    place: str
    is_menu: bool = False

    @property
    def text(self) -> str:
        """The label as shown: without the access-key marker."""
        return self.label.replace("&&", "\0").replace("&", "").replace("\0", "&")

    def directions(self) -> str:
        """Where to find it, in words: ``File > Export to Excel…`` or
        ``the Import from Excel… button on the Targets panel``."""
        if self.is_menu:
            return f"{self.place} > {self.text}"
        return f"the {self.text} button on {self.place}"


IMPORT_EDITED_TARGETS = Command("Import from E&xcel\u2026", "the Targets panel")

#: Every command named outside the window.
ALL = (IMPORT_EDITED_TARGETS,)
