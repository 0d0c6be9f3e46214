"""Kontaktcharta: build charta.yaml into a public page and a machine-readable JSON policy."""


def version() -> str:
    """The installed version of Kontaktcharta, or `unknown` (importlib.metadata is slow to import,
    so it is imported only when asked)."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("kontaktcharta")
    except PackageNotFoundError:
        return "unknown"
