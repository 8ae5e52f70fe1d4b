"""``python -m calculator``: the command line (see calculator.cli.main)."""

import sys

from calculator.cli.main import main

sys.exit(main())
