"""``python -m imblearn_pgan.benchmark``."""

import sys

from .cli import main

sys.exit(main())
