from django import template

from teilhabe.funding.money import format_euro

register = template.Library()


@register.filter
def euro(cents: int | None) -> str:
    """Integer cents as euros in the active language, e.g. 2.000,00 €."""
    return format_euro(cents)


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key) if mapping else None
