"""`make run` loads the Dortmund demo; loading it twice changes nothing, and its logins work."""

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse
from django_otp.oath import TOTP

from teilhabe.core import demo, roles
from teilhabe.core.models import ActionField, District, Language, Organisation, TargetGroup, User


def snapshot() -> dict:
    return {
        model._meta.label: sorted(map(repr, model._default_manager.values()))
        for model in apps.get_models()
        if model._meta.app_label in {"core", "auth", "otp_totp", "auditlog", "offers"}
    }


@pytest.fixture
def demo_mode(settings):
    settings.DEMO_MODE = True


def test_it_loads_the_dortmund_vocabulary(db, demo_mode):
    call_command("load_demo", verbosity=0)
    assert District.objects.count() == 12
    assert ActionField.objects.count() == 4
    assert TargetGroup.objects.count() == 8
    for code in [
        "de",
        "en",
        "ar",
        "fa",
        "prs",
        "ps",
        "kmr",
        "ckb",
        "tr",
        "ti",
        "so",
        "fr",
        "ru",
        "uk",
        "ro",
        "bg",
        "pl",
        "sq",
        "hbs",
        "rom",
    ]:
        assert Language.objects.filter(code=code).exists(), code
    assert Language.objects.get(code="ar").direction == "rtl"
    assert Organisation.objects.filter(district__isnull=True).count() == 0


def test_loading_twice_changes_nothing(db, demo_mode, capsys):
    call_command("load_demo")
    first = snapshot()
    audit_entries = LogEntry.objects.count()
    call_command("load_demo")
    assert "Demo data: 0 rows written." in capsys.readouterr().out
    assert snapshot() == first
    assert LogEntry.objects.count() == audit_entries


def test_it_prints_a_login_for_every_role(db, demo_mode, capsys):
    call_command("load_demo")
    out = capsys.readouterr().out
    assert demo.DEMO_PASSWORD in out
    assert demo.DEMO_TOTP_KEY_BASE32 in out
    held = {role for login in demo.LOGINS for role in [login.role]}
    assert held == set(roles.ROLES)
    for login in demo.LOGINS:
        assert login.username in out


def test_without_demo_mode_there_are_no_demo_logins(db, settings):
    settings.DEMO_MODE = False
    call_command("load_demo", verbosity=0)
    assert User.objects.count() == 0
    assert District.objects.count() == 12


@pytest.mark.parametrize("login", demo.LOGINS, ids=[login.username for login in demo.LOGINS])
def test_the_printed_logins_work(client, db, demo_mode, login):
    call_command("load_demo", verbosity=0)
    response = client.post(
        reverse("core:login"), {"username": login.username, "password": demo.DEMO_PASSWORD}
    )
    assert response.status_code == 302
    if login.role.requires_second_factor:
        code = f"{TOTP(bytes.fromhex(demo.DEMO_TOTP_KEY_HEX)).token():06d}"
        response = client.post(response.headers["Location"], {"token": code})
        assert response.status_code == 302
    assert client.get(reverse("core:account")).status_code == 200
    if login.role == roles.STAFF:
        assert client.get(reverse("admin:index")).status_code == 200
