"""Kontaktcharta: build charta.yaml into a public page and a machine-readable JSON policy."""
