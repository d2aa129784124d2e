"""Fixtures of the pool's stories: rita requests for a school, mira (Tigrinya) and omar
(Tigrinya, second choice) mediate, alice is staff. Mails are sent at once (immediate tasks)."""

import pytest
from django.conf import settings as django_settings
from django.utils import translation

from tests.mediation import factories


@pytest.fixture(autouse=True)
def mediation_settings(settings):
    settings.MEDIATION_AUTO_OFFER = True
    settings.MEDIATION_LEAD_TIME_DAYS = 5
    settings.MEDIATION_OFFER_ANSWER_HOURS = 24
    settings.MEDIATION_UNFILLED_DEADLINE_HOURS = 48


@pytest.fixture
def school(db):
    return factories.institution()


@pytest.fixture
def rita(school):
    return factories.requester("rita", school)


@pytest.fixture
def mira(db):
    return factories.mediator("mira", phone="0231 111111")


@pytest.fixture
def omar(db):
    # Fluent, not native: ranked after mira.
    return factories.mediator("omar", languages=(("ti", "fluent"),), phone="0231 222222")


@pytest.fixture
def english():
    """Messages in English, whatever the catalogues say (tests assert on the English msgids).
    Opt in with `pytestmark = [..., pytest.mark.usefixtures("english")]`."""
    translation.activate("en")
    yield
    translation.activate(django_settings.LANGUAGE_CODE)
