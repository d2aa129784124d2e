"""Helpers for URLs in several interface languages."""

from urllib.parse import urlsplit

from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language_from_path, override


def url_in_language(url: str, language: str) -> str:
    """The same page in another interface language (the URL unchanged if it is not ours).

    translate_url() only resolves URLs of the active language, so resolve in the URL's own one:
    its prefix (/ar/…), or German for unprefixed paths.
    """
    source = get_language_from_path(urlsplit(url).path) or settings.LANGUAGE_CODE
    with override(source):
        return translate_url(url, language)
