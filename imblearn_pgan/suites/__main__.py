"""``python -m imblearn_pgan.suites``."""

import sys

from .cli import main

sys.exit(main())
