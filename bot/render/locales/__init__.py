"""The bot's own wording in Japanese and Russian: one catalogue per language, English as the source text.

Every surface looks its wording up with `translate(locale, "English text", **params)`; the English text is
the key, so a string without a translation (or a locale without a catalogue) reads in English. Placeholders
such as `{count}` are filled after the lookup, so a translation may put them in its own order. Article text,
names and whatever a member typed are never looked up: only the bot's own words are.

`N_("…")` marks English text that is translated later, where it is used (a table of headings, say), so
that the test holding the catalogues complete finds it.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from bot.render.locales import ja, ru

ENGLISH = "en"
CATALOGUES: Mapping[str, Mapping[str, str]] = MappingProxyType({"ja": ja.CATALOGUE, "ru": ru.CATALOGUE})
LOCALES = (ENGLISH, *CATALOGUES)  # what `--locale` accepts


def N_(text: str) -> str:  # gettext's name for "translate this later"
    """`text` as it is: marked for the catalogues, translated where it is shown."""
    return text


def locale_code(locale: object) -> str:
    """'ja', 'ru' or 'en' for a locale as Discord or a user gives it ('ja', 'ru', 'en-US', 'ja_JP', None)."""
    code = str(locale or "").strip().lower().replace("_", "-").split("-")[0]
    return code if code in CATALOGUES else ENGLISH


def lookup(locale: object, text: str) -> str | None:
    """The translation of `text`, or None when the locale's catalogue has none."""
    return CATALOGUES.get(locale_code(locale), {}).get(text)


def translate(locale: object, text: str, /, **params: object) -> str:
    """`text` in the locale's language (English when there is no translation), placeholders filled."""
    wording = lookup(locale, text) or text
    return wording.format(**params) if params else wording


def month_names(locale: object) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """A language's month names as a month stands alone and as in a full date ('ноябрь', 'ноября');
    None for English, whose names come from `calendar`."""
    code = locale_code(locale)
    module = {"ja": ja, "ru": ru}.get(code)
    return (module.MONTHS, module.MONTHS_OF) if module else None
