"""`python -m homeaudit` is the same as the `homeaudit` command."""

import sys

from homeaudit.cli import main

sys.exit(main())
