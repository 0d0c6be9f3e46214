"""`python -m kontaktcharta` runs the `charta` command."""

import sys

from .cli import main

sys.exit(main())
