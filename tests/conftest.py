"""Shared fixtures. The people in the stories: alice (centre staff), bob (acts for an
organisation), charlie (logged in, no role), and one user for each later role."""

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from teilhabe.core import roles, services
from teilhabe.core.models import Organisation, User

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The real hasher is slow on purpose; tests create hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def memory_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    from django.core.cache import cache

    from teilhabe.offers import answers, map_texts, matches

    cache.clear()
    answers.memory.clear()
    matches.searches.clear()
    matches.records.clear()
    map_texts.kept.clear()


@pytest.fixture(autouse=True)
def default_language():
    # A request to /ar/ activates Arabic in this thread; without a reset, the next test's
    # reverse() would build Arabic URLs.
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture
def reference_data(db):
    call_command("load_reference_data", verbosity=0)


@pytest.fixture
def districts(db):
    from teilhabe.core.demo import DORTMUND_DISTRICTS

    services.districts_load(
        DORTMUND_DISTRICTS, number_property="stadtbezirk_nr", name_property="stadtbezirk"
    )


def make_user(username: str, *role_list: roles.Role) -> User:
    user = User.objects.create_user(username, f"{username}@example.org", PASSWORD)
    for role in role_list:
        services.user_grant_role(user=user, role=role)
    return User.objects.get(pk=user.pk)


def add_totp_device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def login_verified(client, user: User) -> None:
    """Log in as if the user had also passed the second factor."""
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or add_totp_device(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture
def organisation(db):
    return Organisation.objects.create(name="Sprachcafé Nord", slug="sprachcafe-nord")


@pytest.fixture
def alice(db):
    user = make_user("alice", roles.STAFF)
    add_totp_device(user)
    return user


@pytest.fixture
def bob(db, organisation):
    user = make_user("bob")
    services.membership_add(user=user, organisation=organisation)
    return User.objects.get(pk=user.pk)


@pytest.fixture
def charlie(db):
    return make_user("charlie")
