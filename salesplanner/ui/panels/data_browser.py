"""The data browser: every imported table, paged, sortable, filterable.

One tab per kind of record. Each tab pages its rows lazily from the plan
(:class:`PagedTableModel`), sorts on any column and filters by a search text
and by column conditions in a worker, copies a selection as tab-separated
text that pastes into Excel as cells, and edits agents, teams, products and
skill ratings in place through undoable operations.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QProgressBar,
    QPushButton, QTableView, QTabWidget, QToolButton, QVBoxLayout, QWidget,
)

from salesplanner import changes
from salesplanner.browse import (
    DATE, DATETIME, MONEY, NUMERIC_KINDS, TABLES, Query, TableBrowser, TableSpec, column_condition,
)
from salesplanner.changes import OpResult
from salesplanner.currency import currency
from salesplanner.edits import FIELDS, check_field, set_field
from salesplanner.errors import UserError
from salesplanner.spreadsheet_safety import tsv_cell
from salesplanner.ui.delegates import BrowserDelegate
from salesplanner.ui.formatting import Formatter
from salesplanner.ui.panels.base import STILL_SAVING, Panel, PanelContext
from salesplanner.ui.table_model import RAW_ROLE, PagedTableModel
from salesplanner.ui.undo import EditFieldCommand

#: Which kinds of change each tab shows.
TAB_CHANGES = {
    "sales": {changes.SALES, changes.AGENTS, changes.TEAMS, changes.PRODUCTS},
    "calls": {changes.CALLS, changes.AGENTS, changes.TEAMS},
    "agents": {changes.AGENTS, changes.TEAMS},
    "teams": {changes.TEAMS, changes.AGENTS},
    "products": {changes.PRODUCTS},
    "skills": {changes.SKILLS, changes.AGENTS, changes.TEAMS},
}
SEARCH_DELAY_MS = 300


def _filter_hint(kind: str) -> str:
    if kind in NUMERIC_KINDS:
        return "e.g. >500, <=20, 10..50"
    if kind in (DATE, DATETIME):
        return "e.g. 2027-01, >=01/02/2027, 01/01/2027..31/03/2027"
    return "contains text, or =exact"


class TableTab(QWidget):
    """One browsable table with its search, filters, count and view."""

    def __init__(self, spec: TableSpec, browser: TableBrowser, context: PanelContext,
                 formatter: Formatter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.context = context
        self.setAccessibleName(f"{spec.title} table")
        self._build_model(spec, browser, context, formatter)
        top = self._build_search_row(spec)
        status = self._build_status_row()
        self._build_view(spec, browser)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(status)
        layout.addWidget(self.view, 1)
        self._filters: dict[str, str] = {}
        #: Whether the tab has begun loading its rows (done on first show).
        self.started = False

    def _build_model(self, spec: TableSpec, browser: TableBrowser, context: PanelContext,
                     formatter: Formatter) -> None:
        """The paged model over the table (editable where the table can be edited)."""
        self.model = PagedTableModel(browser, context.runner, formatter, self)
        self.model.editable = spec.entity is not None and not context.document.read_only
        self.model.edit_handler = self._on_model_edit
        self.model.loading_started.connect(self._on_model_loading_started)
        self.model.loading_finished.connect(self._on_model_loading_finished)
        self.model.load_failed.connect(self._on_model_load_failed)

    def _build_search_row(self, spec: TableSpec) -> QHBoxLayout:
        """Search as you type, and a filter on one column at a time."""
        self.search = QLineEdit()
        self.search.setPlaceholderText(f"Search {spec.title.lower()}\u2026")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(f"Search {spec.title.lower()}")
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_query)
        self.search.textChanged.connect(self._search_timer.start)

        self.filter_column = QComboBox()
        self.filter_column.setAccessibleName("Column to filter")
        for column in spec.columns:
            self.filter_column.addItem(column.header, column.key)
        self.filter_text = QLineEdit()
        self.filter_text.setAccessibleName("Column filter")
        self.filter_text.returnPressed.connect(self._on_add_filter)
        self.filter_column.currentIndexChanged.connect(self._on_filter_column_changed)
        self._on_filter_column_changed()
        add = QPushButton("Add filter")
        add.setAccessibleName("Add filter")
        add.clicked.connect(self._on_add_filter)

        top = QHBoxLayout()
        top.addWidget(self.search, 3)
        top.addSpacing(12)
        top.addWidget(QLabel("Filter"))
        top.addWidget(self.filter_column, 1)
        top.addWidget(self.filter_text, 2)
        top.addWidget(add)
        return top

    def _build_status_row(self) -> QHBoxLayout:
        """The filters in force (as chips), the work in progress and the row count."""
        self.count_label = QLabel()
        self.count_label.setAccessibleName("Row count")
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.count_label.setMinimumWidth(
            self.fontMetrics().horizontalAdvance("Showing 10,000,000 of 10,000,000") + 8)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(120)
        self.busy.setAccessibleName("Working")
        self.busy.hide()
        self.cancel = QPushButton("Cancel")
        self.cancel.setAccessibleName("Cancel sorting or filtering")
        self.cancel.clicked.connect(self._on_cancel_clicked)
        self.cancel.hide()

        self.chips = QHBoxLayout()
        self.chips.setSpacing(6)
        self.chips.addStretch(1)
        status = QHBoxLayout()
        status.addLayout(self.chips, 1)
        status.addWidget(self.busy)
        status.addWidget(self.cancel)
        status.addWidget(self.count_label)
        return status

    def _build_view(self, spec: TableSpec, browser: TableBrowser) -> None:
        """The table view: sorted by a click on a title, edited in place, copied with the keys."""
        self.view = QTableView()
        self.view.setAccessibleName(f"{spec.title}")
        self.view.setModel(self.model)
        self.view.setItemDelegate(BrowserDelegate(spec, browser.choices, self.view))
        self.view.setSortingEnabled(True)
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.view.horizontalHeader().setSortIndicatorShown(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.view.horizontalHeader()
        header.setAccessibleName(f"{spec.title} columns (click to sort)")
        self.view.verticalHeader().setAccessibleName("Row numbers")
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        char = self.fontMetrics().averageCharWidth()
        for i, column in enumerate(spec.columns):
            width = max(column.width_chars, len(column.header) + 3) * char + 16
            self.view.setColumnWidth(i, width)
        copy = QAction("Copy", self.view, shortcut=QKeySequence.StandardKey.Copy,
                       triggered=self.copy_selection)
        copy.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.view.addAction(copy)
        self.copy_action = copy

    # -- loading and filters ----------------------------------------------------

    def start(self) -> None:
        """First load: the first page at once, then every key in a worker."""
        self.started = True
        self.model.load(Query(), provisional=True)
        self._update_count()

    def _query(self) -> Query:
        query = Query(self.search.text().strip(), (), self.model.query.sort_key,
                      self.model.query.descending)
        for key, text in self._filters.items():
            query = query.with_filter(key, text)
        return query

    def _apply_query(self) -> None:
        self.model.load(self._query())

    def _on_filter_column_changed(self) -> None:
        key = self.filter_column.currentData()
        if key:
            self.filter_text.setPlaceholderText(_filter_hint(self.spec.column(key).kind))

    def _on_add_filter(self) -> None:
        key = self.filter_column.currentData()
        text = self.filter_text.text().strip()
        if not key or not text:
            return
        try:
            column_condition(self.spec.column(key), text)
        except UserError as exc:
            self.context.show_message(str(exc), error=True)
            return
        self._filters[key] = text
        self.filter_text.clear()
        self._render_chips()
        self._apply_query()

    def set_filter(self, key: str, text: str) -> None:
        """Filter column ``key`` by ``text`` (as if typed in the filter box)."""
        self.filter_column.setCurrentIndex(self.filter_column.findData(key))
        self.filter_text.setText(text)
        self._on_add_filter()

    def _remove_filter(self, key: str) -> None:
        self._filters.pop(key, None)
        self._render_chips()
        self._apply_query()

    def _render_chips(self) -> None:
        while self.chips.count() > 1:
            item = self.chips.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        for key, text in self._filters.items():
            chip = QToolButton()
            chip.setText(f"{self.spec.column(key).header}: {text}  \u2715")
            chip.setToolTip("Remove this filter")
            chip.setAccessibleName(f"Remove filter on {self.spec.column(key).header}")
            chip.setAutoRaise(False)
            chip.clicked.connect(lambda _=False, k=key: self._remove_filter(k))
            self.chips.insertWidget(self.chips.count() - 1, chip)

    def _on_cancel_clicked(self) -> None:
        job = self.context.runner.running(self.model.job_kind)
        if job is not None:
            job.cancel()
        self._on_model_loading_finished()
        self.context.show_message("Cancelled; showing the previous rows")

    def _on_model_loading_started(self) -> None:
        self.busy.show()
        self.cancel.show()

    def _on_model_loading_finished(self) -> None:
        self.busy.hide()
        self.cancel.hide()
        self._update_count()

    def _on_model_load_failed(self, message: str) -> None:
        self._on_model_loading_finished()
        self.context.show_message(message, error=True)

    def _update_count(self) -> None:
        shown, total = self.model.rowCount(), self.model.total
        if self.model.loading and total == 0:
            self.count_label.setText("Counting rows\u2026")
        else:
            self.count_label.setText(f"Showing {shown:,} of {total:,}")

    # -- editing and copying ------------------------------------------------------

    def _on_model_edit(self, key: int, field: str, value: object) -> bool:
        document = self.context.document
        if document.plan is None or document.read_only:
            return False
        if document.is_writing(self):
            self.context.show_message(STILL_SAVING, error=True)
            return False
        plan, entity = document.plan, self.spec.entity
        try:
            check_field(plan, entity, field, value)  # a refusal is said at once
        except UserError as exc:
            self.context.show_message(str(exc), error=True)
            return False

        def done(result: OpResult) -> None:
            detail = result.detail
            if detail["old"] != detail["new"]:
                label = FIELDS[(entity, field)].label
                document.undo_stack.push(EditFieldCommand(
                    document, entity, key, field, detail["old"], detail["new"], label))
                document.notify(result, self)
                self.context.show_message(result.message[:1].upper() + result.message[1:])

        def failed(error: BaseException, trace: str) -> None:
            if not isinstance(error, UserError):
                raise error
            self.context.show_message(str(error), error=True)

        # The rows on screen stay as they are (cached) until the change is broadcast.
        document.write(f"Edit {entity}", lambda _token: set_field(plan, entity, key, field, value),
                       initiator=self, on_done=done, on_error=failed)
        return True

    def refresh(self, rows_changed: bool = False) -> None:
        """Re-read the rows on screen after a change elsewhere.

        ``rows_changed``: rows were added or removed (an import), so the list
        of rows itself is read again, keeping the sort and filters.
        """
        self.model.editable = self.spec.entity is not None and not self.context.document.read_only
        if rows_changed:
            self.model.load()
        else:
            self.model.refresh_rows()

    def copy_selection(self) -> str:
        """Copy the selected cells as tab-separated text (headers first)."""
        indexes = self.view.selectionModel().selectedIndexes()
        if not indexes:
            return ""
        rows = sorted({i.row() for i in indexes})
        columns = sorted({i.column() for i in indexes})
        selected = {(i.row(), i.column()) for i in indexes}
        digits = currency(self.model.formatter.currency.code).minor_per_major
        lines = ["\t".join(self.spec.columns[c].header for c in columns)] if len(rows) > 1 else []
        for row in rows:
            cells = []
            for column in columns:
                value = self.model.index(row, column).data(RAW_ROLE) if (row, column) in selected else None
                if value is not None and self.spec.columns[column].kind == MONEY:
                    value = value / digits
                cells.append(tsv_cell(value))
            lines.append("\t".join(cells))
        text = "\r\n".join(lines) + "\r\n"
        QGuiApplication.clipboard().setText(text)
        self.context.show_message(f"Copied {len(rows):,} rows \u00d7 {len(columns)} columns")
        return text


class DataBrowserPanel(Panel):
    """Tabs of every table in the plan."""

    title = "Data"
    icon = "table"

    def __init__(self, context: PanelContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Tables")
        self.tabs.setDocumentMode(True)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self._tabs: dict[str, TableTab] = {}
        self._formatter = Formatter()

    def tab(self, kind: str) -> TableTab:
        """The tab showing ``kind`` (``sales``, ``calls`` ...), built if need be."""
        return self._ensure_tab(list(TABLES).index(kind))

    def _ensure_tab(self, index: int) -> TableTab:
        """Build tab ``index`` the first time it is needed (keeps opening fast)."""
        kind = list(TABLES)[index]
        tab = self._tabs.get(kind)
        if tab is None:
            spec = TABLES[kind]
            tab = TableTab(spec, TableBrowser(self.document.plan, spec), self.context,
                           self._formatter)
            self._tabs[kind] = tab
            current = self.tabs.currentIndex()
            self.tabs.blockSignals(True)
            placeholder = self.tabs.widget(index)
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, tab, spec.title)
            self.tabs.setCurrentIndex(current)
            self.tabs.blockSignals(False)
            placeholder.deleteLater()
        return tab

    def on_plan_opened(self) -> None:
        """A tab per table; each is built and loaded when first shown."""
        self.on_plan_closed()
        self._formatter = Formatter(self.document.info.currency)
        self.tabs.blockSignals(True)
        for spec in TABLES.values():
            self.tabs.addTab(QWidget(), spec.title)
        self.tabs.setCurrentIndex(0)
        self.tabs.blockSignals(False)
        if self.isVisible():
            self._on_tabs_current_changed(0)
        else:  # build the first tab while the user looks at the overview
            QTimer.singleShot(300, self._prepare_first_tab)

    def _prepare_first_tab(self) -> None:
        if self.document.is_open and self.tabs.count():
            self._ensure_tab(0).ensurePolished()

    def _on_tabs_current_changed(self, index: int) -> None:
        if not self.document.is_open or index < 0:
            return
        tab = self._ensure_tab(index)
        if not tab.started:
            tab.start()

    def showEvent(self, event: QShowEvent) -> None:
        """Start loading the visible tab when the panel is first shown."""
        super().showEvent(event)
        self._on_tabs_current_changed(self.tabs.currentIndex())

    def on_plan_closed(self) -> None:
        """Drop every tab (built or not)."""
        pages = [self.tabs.widget(i) for i in range(self.tabs.count())]
        self.tabs.blockSignals(True)
        self.tabs.clear()
        self.tabs.blockSignals(False)
        for page in pages:
            page.deleteLater()
        self._tabs.clear()

    def on_plan_changed(self, result: OpResult, initiator: object) -> None:
        """Refresh the rows of tabs that show what changed."""
        for kind, tab in self._tabs.items():
            if result.touches(*TAB_CHANGES[kind]) and tab.started:
                tab.refresh(rows_changed=result.touches(changes.IMPORTS))
