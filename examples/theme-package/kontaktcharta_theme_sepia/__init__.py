"""The sepia theme for Kontaktcharta: this package's folder is the theme.

Kontaktcharta finds it through the entry point `sepia` in the group `kontaktcharta.themes`
(see pyproject.toml) and reads its files; it never imports this package.
"""
