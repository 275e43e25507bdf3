"""Storage: the plan file, its schema and its migrations (Qt-free)."""
