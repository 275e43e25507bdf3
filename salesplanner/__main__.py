"""``python -m salesplanner``: the same entry point as the console script."""

import sys

from salesplanner.cli import main

sys.exit(main())
