"""``python -m calculator``: the command line (see calculator.cli)."""

import sys

from calculator.cli import main

sys.exit(main())
