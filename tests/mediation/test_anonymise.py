"""A mediator who leaves: coming appointments go to others; later the person is anonymised and
the assignments stay for statistics."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from teilhabe.mediation import services
from teilhabe.mediation.models import Assignment, MediatorProfile
from tests.mediation import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_leaving_hands_on_coming_appointments(rita, mira, omar, alice):
    request = factories.book(rita)
    services.offer_accept(assignment=request.assignments.get(), user=mira.user)
    services.mediator_leave(mediator=mira, user=alice)
    mira.refresh_from_db()
    assert mira.status == MediatorProfile.Status.LEFT
    assert request.assignments.get(status="offered").mediator == omar


def test_anonymising_after_the_retention_period(rita, mira, alice, settings):
    settings.MEDIATION_ANONYMISE_AFTER_DAYS = 90
    request = factories.book(rita)
    offer = request.assignments.get()
    services.offer_accept(assignment=offer, user=mira.user)
    services.report_done(assignment=offer, user=mira.user, actual_minutes=60, now=request.ends_at)
    services.mediator_leave(mediator=mira, user=alice)
    now = timezone.now()
    assert services.mediators_anonymise(now=now + timedelta(days=89)) == 0
    assert services.mediators_anonymise(now=now + timedelta(days=91), dry_run=True) == 1
    assert services.mediators_anonymise(now=now + timedelta(days=91)) == 1
    mira.refresh_from_db()
    user = mira.user
    assert (user.first_name, user.last_name, user.email) == ("", "", "")
    assert not user.is_active and not user.has_usable_password()
    assert mira.phone == "" and mira.anonymised_at is not None
    assert not mira.windows.exists()
    assert "Former mediator" in str(mira)
    # Statistics stay: the done assignment and the languages are still there.
    assert Assignment.objects.filter(mediator=mira, status="done").count() == 1
    assert mira.languages.count() == 1
    assert services.mediators_anonymise(now=now + timedelta(days=92)) == 0


def test_the_command_is_safe_to_run_any_time(db):
    call_command("mediation_anonymise", "--dry-run", stdout=(out := __import__("io").StringIO()))
    assert "Would anonymise 0" in out.getvalue()
