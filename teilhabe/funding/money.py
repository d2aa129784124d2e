"""Euro amounts as integer cents: parsing what people type and showing it in their language.

Pure functions (no database); the forms and templates use them.
"""

import re
from decimal import Decimal, InvalidOperation

from django.utils import formats

_GERMAN_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")


class AmountError(ValueError):
    """Not an amount in euros with at most two decimals."""


def parse_euro(text: str) -> int:
    """'1.234,56 €', '1234,56', '1234.56' or '1.500' (German thousands) → cents."""
    cleaned = text.replace("€", "").replace("\u00a0", "").replace(" ", "").strip()
    if not cleaned:
        raise AmountError("empty")
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif _GERMAN_THOUSANDS.match(cleaned):
        cleaned = cleaned.replace(".", "")
    if not re.fullmatch(r"\d+(\.\d{1,2})?", cleaned):
        raise AmountError(text)
    try:
        return int(Decimal(cleaned) * 100)
    except InvalidOperation as error:  # pragma: no cover - the pattern above excludes it
        raise AmountError(text) from error


def cents_to_decimal(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


def format_euro(cents: int | None) -> str:
    """In the active language's number format, e.g. '2.000,00 €' in German."""
    if cents is None:
        return "–"
    number = formats.number_format(cents_to_decimal(cents), 2, use_l10n=True, force_grouping=True)
    return f"{number}\u00a0€"


def input_euro(cents: int | None) -> str:
    """How an amount is shown back in a form field ('1234,56' in German)."""
    if cents is None:
        return ""
    return formats.number_format(cents_to_decimal(cents), 2, use_l10n=True)
