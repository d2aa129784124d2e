"""The database itself refuses a double booking (PostgreSQL exclusion constraint, SQLite
trigger) — even for writes that bypass the services."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction

from teilhabe.mediation.models import Assignment
from tests.mediation import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def mira():
    return factories.mediator("mira")


def test_it_refuses_a_direct_overlapping_confirmed_insert(mira):
    first = factories.request(starts_at=factories.next_week_at(10))
    second = factories.request(starts_at=factories.next_week_at(10, 30))
    factories.assignment(first, mira, status="confirmed")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.assignment(second, mira, status="confirmed")
    assert Assignment.objects.filter(mediator=mira, status="confirmed").count() == 1


def test_it_refuses_an_update_into_an_overlap(mira):
    first = factories.request(starts_at=factories.next_week_at(10))
    second = factories.request(starts_at=factories.next_week_at(10, 30))
    factories.assignment(first, mira, status="done")
    offered = factories.assignment(second, mira, status="offered")
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.filter(pk=offered.pk).update(status="confirmed")
    offered.refresh_from_db()
    assert offered.status == "offered"


def test_it_allows_back_to_back_and_other_mediators_and_unbooked_overlaps(mira):
    first = factories.request(starts_at=factories.next_week_at(10))
    booked = factories.assignment(first, mira, status="confirmed")
    # Half-open intervals: one ends exactly where the next starts.
    later = factories.request(starts_at=factories.next_week_at(12))
    factories.assignment(
        later,
        mira,
        status="confirmed",
        blocked_start=booked.blocked_end,
        blocked_end=booked.blocked_end + timedelta(hours=1),
    )
    # An overlapping offer (not booked) is allowed; so is another mediator at the same time.
    factories.assignment(factories.request(starts_at=first.starts_at), mira, status="offered")
    other = factories.mediator("omar")
    factories.assignment(factories.request(starts_at=first.starts_at), other, status="confirmed")
    assert Assignment.objects.filter(status="confirmed").count() == 3
