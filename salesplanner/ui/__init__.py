"""The Qt interface. Only this package imports PySide6 or pyqtgraph."""
