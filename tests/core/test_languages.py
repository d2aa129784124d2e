"""German by default, English and Arabic by prefix, right to left where the language is,
and a language switcher that keeps the visitor on the same page."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tests.conftest import PASSWORD

LOCALE = Path(settings.BASE_DIR) / "teilhabe" / "locale"


def html_tag(response) -> str:
    return re.search(r"<html[^>]*>", response.content.decode()).group(0)


def test_german_is_the_default(client, db):
    response = client.get("/", headers={"accept-language": "ar,en;q=0.8"})
    assert 'lang="de"' in html_tag(response)
    assert 'dir="ltr"' in html_tag(response)
    assert "Anmelden" in response.content.decode()


@pytest.mark.parametrize(
    ("prefix", "lang", "direction", "word"),
    [
        ("/en/", "en", "ltr", "Log in"),
        ("/ar/", "ar", "rtl", "تسجيل الدخول"),
        ("/fa/", "fa", "rtl", "ورود"),
        ("/uk/", "uk", "ltr", "Увійти"),
    ],
)
def test_other_languages_by_prefix(client, db, prefix, lang, direction, word):
    response = client.get(prefix)
    assert f'lang="{lang}"' in html_tag(response)
    assert f'dir="{direction}"' in html_tag(response)
    assert word in response.content.decode()


def test_the_switcher_links_to_the_same_page_in_each_language(client, db):
    response = client.get("/accounts/login/?next=/accounts/")
    body = response.content.decode()
    assert 'href="/ar/accounts/login/?next=/accounts/"' in body
    assert 'href="/en/accounts/login/?next=/accounts/"' in body
    arabic = client.get("/ar/accounts/login/?next=/accounts/").content.decode()
    assert 'href="/accounts/login/?next=/accounts/"' in arabic


def test_every_language_is_offered_on_every_page(client, db):
    for url in [reverse("offers:map"), reverse("core:login"), reverse("core:password_reset")]:
        body = client.get(url).content.decode()
        for code, name in settings.LANGUAGES:
            assert f'hreflang="{code}"' in body and name in body, (url, code)


@pytest.mark.parametrize(
    "code",
    [
        code
        for code, _name in settings.ALL_INTERFACE_LANGUAGES.items()
        if code != "en" and (LOCALE / code).exists()
    ],
)
def test_each_catalogue_is_complete_and_compiled(code):
    po = polib.pofile(str(LOCALE / code / "LC_MESSAGES" / "django.po"))
    missing = [e.msgid for e in po if not e.obsolete and (not e.translated() or e.fuzzy)]
    assert missing == [], f"{code}: {len(missing)} untranslated, e.g. {missing[:5]}"
    mo = {
        (e.msgctxt, e.msgid): e
        for e in polib.mofile(str(LOCALE / code / "LC_MESSAGES" / "django.mo"))
    }
    for entry in po.translated_entries():
        compiled = mo.get((entry.msgctxt, entry.msgid))
        assert compiled is not None, f"{code}: .mo is older than .po ({entry.msgid!r})"
        assert (compiled.msgstr, compiled.msgstr_plural) == (entry.msgstr, entry.msgstr_plural), (
            f"{code}: .mo is older than .po ({entry.msgid!r}); run make messages"
        )


@pytest.mark.parametrize("code", [code for code, _name in settings.LANGUAGES if code != "en"])
def test_every_enabled_interface_language_has_a_catalogue(code):
    assert (LOCALE / code / "LC_MESSAGES" / "django.mo").exists()


def test_vocabulary_names_follow_the_interface_language(reference_data):
    from teilhabe.core.models import ActionField, Language

    with translation.override("de"):
        assert ActionField.objects.get(number=1).label == "Bildung"
        assert Language.objects.get(code="ti").label == "Tigrinya"
    with translation.override("en"):
        assert ActionField.objects.get(number=1).label == "Education"


def test_after_log_in_the_visitor_stays_in_their_language(client, bob):
    response = client.post(
        "/ar/accounts/login/?next=/accounts/", {"username": "bob", "password": PASSWORD}
    )
    assert response.headers["Location"] == "/ar/accounts/"
