"""What a charta gets where it says nothing itself, in its language."""

from __future__ import annotations

from typing import Final

from .lang import primary

DEFAULT_DECLINE: Final[dict[str, str]] = {
    "de": """Guten Tag {name},

vielen Dank für Ihre Kontaktanfrage. Ich nehme sie jedoch nicht an.

{reasons}

Meine Regeln für Kontaktanfragen finden Sie hier: {url}

Was Sie stattdessen tun können:
{alternatives}

Viele Grüße""",
    "en": """Hello {name},

thank you for your contact request. However, I am not accepting it.

{reasons}

You can find my rules for contact requests here: {url}

What you can do instead:
{alternatives}

Best regards""",
}
"""The decline template of a charta that writes none, by primary language subtag."""


def default_decline_template(lang: str) -> str:
    """The default decline template for a BCP 47 tag: German for `de*`, else English."""
    return DEFAULT_DECLINE.get(primary(lang), DEFAULT_DECLINE["en"])
