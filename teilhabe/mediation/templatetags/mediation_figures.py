"""Money and hours on the statement and statistics pages, in the reader's number format."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def euro(cents: int | None) -> str:
    """1250 → "12,50 €" in German, "12.50 €" in English."""
    if cents is None:
        return ""
    return f"{number_format(Decimal(cents) / 100, 2, force_grouping=True)} €"


@register.filter
def hours(minutes: int | None) -> str:
    """90 → "1,5" (German)."""
    if minutes is None:
        return ""
    return number_format(Decimal(minutes) / 60, 1, force_grouping=True)
