"""Dialogs: a new plan, and About."""

from __future__ import annotations

import platform
import sys
from datetime import date

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import qVersion
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QMessageBox, QVBoxLayout,
    QWidget,
)

from salesplanner import APP_NAME, __version__
from salesplanner.currency import CURRENCIES
from salesplanner.errors import UserError
from salesplanner.periods import Quarter
from salesplanner.storage.plan_file import SQLITE_VERSION


class ValidatedDialog(QDialog):
    """A dialog that closes only when :meth:`values` accepts what was entered;
    otherwise it says what is wrong in its red :attr:`error` line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c0392b")
        self.error.hide()

    def values(self) -> object:
        """The checked values; raises UserError with the reason."""
        raise NotImplementedError

    def accept(self) -> None:
        """Close only when the values are valid; otherwise say what is wrong."""
        try:
            self.values()
        except UserError as exc:
            self.error.setText(str(exc)[:1].upper() + str(exc)[1:] + ".")
            self.error.show()
            return
        super().accept()


class NewPlanDialog(ValidatedDialog):
    """Asks for the new plan's name, quarter and currency."""

    def __init__(self, parent: QWidget | None = None, today: date | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New plan")
        self.setAccessibleName("New plan")
        current = Quarter.containing(today or date.today())
        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. Inbound sales 2027-Q1")
        self.name.setAccessibleName("Plan name")
        self.quarter = QComboBox()
        self.quarter.setEditable(True)
        self.quarter.setAccessibleName("Quarter")
        q = current
        for _ in range(6):
            self.quarter.addItem(str(q))
            q = q.next()
        self.quarter.setCurrentIndex(1)  # planning is usually for next quarter
        self.currency = QComboBox()
        self.currency.setAccessibleName("Currency")
        for code, cur in CURRENCIES.items():
            self.currency.addItem(f"{code} - {cur.name} ({cur.symbol})", code)
        self.currency.setCurrentIndex(self.currency.findData("GBP"))
        form = QFormLayout()
        form.addRow("&Name:", self.name)
        form.addRow("&Quarter:", self.quarter)
        form.addRow("&Currency:", self.currency)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Create\u2026")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

    def values(self) -> tuple[str, str, str]:
        """(name, quarter, currency), checked; raises UserError with the reason."""
        name = self.name.text().strip()
        if not name:
            raise UserError("give the plan a name")
        quarter = str(Quarter.parse(self.quarter.currentText()))
        return name, quarter, self.currency.currentData()


def _version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version  # slow import: only for About

    try:
        return version(package)
    except PackageNotFoundError:
        return "not installed"


def versions_text() -> str:
    """The program's and its libraries' versions, for About and bug reports."""
    rows = [
        (APP_NAME, __version__),
        ("Python", f"{platform.python_version()} ({sys.platform})"),
        ("Qt", qVersion()),
        ("PySide6", pyside_version),
        ("pandas", _version("pandas")),
        ("NumPy", _version("numpy")),
        ("SQLAlchemy", _version("SQLAlchemy")),
        ("openpyxl", _version("openpyxl")),
        ("pyqtgraph", _version("pyqtgraph")),
    ]
    rows.append(("SQLite", SQLITE_VERSION))
    return "\n".join(f"{name}: {ver}" for name, ver in rows)


def show_about(parent: QWidget | None) -> None:
    """The About box."""
    box = QMessageBox(parent)
    box.setWindowTitle(f"About {APP_NAME}")
    box.setText(f"<b>{APP_NAME} {__version__}</b><br>Plan, target and monitor "
                "contact-centre sales.")
    box.setInformativeText(versions_text().replace("\n", "<br>"))
    box.setAccessibleName(f"About {APP_NAME}")
    box.exec()


def method_text(module_doc: str) -> str:
    """A module's explanation (its docstring) as rich text: paragraphs, lists, bold."""
    import html
    import re

    blocks, out = [b.strip() for b in module_doc.strip().split("\n\n")], []
    for block in blocks:
        text = html.escape(" ".join(line.strip() for line in block.splitlines()))
        text = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", text)
        text = re.sub(r"\*(.+?)\*", r"<i>\1</i>", text)
        text = re.sub(r"``(.+?)``", r"<code>\1</code>", text)
        text = re.sub(r":(?:mod|func|class):`\.?([^`]+)`", r"\1", text)
        items = re.split(r"(?:^|\s)(?:\d+\.|-)\s(?=\S)", text) if re.match(r"^(\d+\.|-)\s",
                                                                          text) else None
        if items:
            out.append("<ul>" + "".join(f"<li>{i.strip()}</li>" for i in items if i.strip())
                       + "</ul>")
        else:
            out.append(f"<p>{text}</p>")
    return "".join(out)


def show_help(parent: QWidget | None, title: str, module_doc: str) -> QDialog:
    """A help page (non-modal, so it can stay open beside the panel it explains)."""
    from PySide6.QtWidgets import QDialogButtonBox, QTextBrowser, QVBoxLayout

    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setAccessibleName(title)
    browser = QTextBrowser()
    browser.setHtml(f"<h2>{title}</h2>" + method_text(module_doc))
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.close)
    layout = QVBoxLayout(dialog)
    layout.addWidget(browser)
    layout.addWidget(buttons)
    dialog.resize(720, 640)
    dialog.show()
    return dialog


def ask_to_repair(parent: QWidget | None, message: str) -> bool:
    """Say why a plan was refused and offer to repair it into a copy; True to repair."""
    box = QMessageBox(QMessageBox.Icon.Warning, "Cannot open plan", message,
                      QMessageBox.StandardButton.Close, parent)
    box.setInformativeText("Its data can be copied into a new, clean plan: whatever was "
                           "planted in it is left behind, and the file itself is not changed.")
    repair = box.addButton("Repair into a Copy\u2026", QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(QMessageBox.StandardButton.Close)
    box.exec()
    return box.clickedButton() is repair


def ask_name(parent: QWidget | None, current: str) -> str | None:
    """Ask the user's name for the record of changes; None if they keep ``current``."""
    from PySide6.QtWidgets import QInputDialog

    from salesplanner.identity import clean_name

    text, ok = QInputDialog.getText(
        parent, "Your name",
        "The plan records who made each change and who signed it off.\n"
        "Your name as colleagues should read it:", QLineEdit.EchoMode.Normal, current)
    name = clean_name(text)
    return name if ok and name else None
