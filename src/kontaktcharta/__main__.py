"""`python -m kontaktcharta` runs the `charta` command."""

from .cli import script

script()
