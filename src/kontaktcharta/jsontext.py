"""JSON text from elsewhere, read strictly: only JSON values (no NaN or Infinity), UTF-8 text."""

from __future__ import annotations

import json
from typing import Any


class NotJson(ValueError):
    """The text is not JSON; `line` and `column` say where, when known (else 0)."""

    def __init__(self, message: str, line: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


def loads(data: bytes | str) -> Any:
    """The JSON value of `data`; a NotJson says what is wrong."""

    def constant(name: str) -> Any:
        raise NotJson(f"not valid JSON: {name} is not a JSON value")

    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        return json.loads(text, parse_constant=constant)
    except UnicodeDecodeError:
        raise NotJson("not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise NotJson(f"not valid JSON: {error.msg}", error.lineno, error.colno) from None
    except NotJson:
        raise
    except RecursionError:
        raise NotJson("not valid JSON: nested too deeply") from None
    except ValueError:  # Python reads no whole number of more than 4,300 digits
        raise NotJson("not valid JSON: a number has too many digits") from None
