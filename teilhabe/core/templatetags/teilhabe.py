from dataclasses import dataclass

from django import template
from django.conf import settings
from django.utils.translation import get_language, get_language_info

from teilhabe.core import roles
from teilhabe.core.i18n import url_in_language

register = template.Library()


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str
    url: str
    current: bool
    bidi: bool


@register.simple_tag(takes_context=True)
def language_links(context) -> list[LanguageLink]:
    """The current page in every interface language (same path and query, other prefix)."""
    request = context.get("request")
    path = request.get_full_path() if request else "/"
    current = get_language()
    return [
        LanguageLink(
            code,
            name,
            url_in_language(path, code),
            code == current,
            get_language_info(code)["bidi"],
        )
        for code, name in settings.LANGUAGES
    ]


@register.filter
def has_role(user, slug: str) -> bool:
    return roles.has_role(user, roles.ROLES_BY_SLUG[slug])
