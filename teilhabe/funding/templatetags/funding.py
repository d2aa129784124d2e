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


@register.filter
def score_euros(objective: float) -> str:
    """The allocation objective, sum(score × cents), as score × euros with grouping."""
    from django.utils import formats

    return formats.number_format(round(objective / 100), 0, use_l10n=True, force_grouping=True)
