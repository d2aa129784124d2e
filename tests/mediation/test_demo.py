"""The pool's demo: 60 mediators with Dortmund's spread of languages, institutions at real
schools and Kitas, a few hundred requests in every state that never double-book anyone,
statements and statistics with content, the demo logins `mittler` and `fachkraft` in their
roles — all visibly demo, and loading again writes nothing."""

import itertools
import json
from collections import Counter
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from teilhabe.core.models import User
from teilhabe.mediation import demo, statistics
from teilhabe.mediation.expense_models import ExpenseStatement
from teilhabe.mediation.models import (
    Assignment,
    Institution,
    MediationRequest,
    MediatorLanguage,
    MediatorProfile,
    RequesterProfile,
)


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The whole demo (core, offers, pool) once for this module; rolled back afterwards."""
    with django_db_blocker.unblock():
        from django.db import connection, transaction

        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            from django.conf import settings

            old, settings.DEMO_MODE = getattr(settings, "DEMO_MODE", False), True
            call_command("load_demo", verbosity=0)
            settings.DEMO_MODE = old
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            connection.close()


@pytest.fixture
def db_access(loaded, db):
    return loaded


def test_sixty_mediators_with_dortmunds_spread_of_languages(db_access):
    mediators = MediatorProfile.objects.all()
    assert mediators.count() == 60
    first = Counter(
        MediatorLanguage.objects.filter(level="native").values_list("language__code", flat=True)
    )
    for common in ("ar", "fa", "tr", "ro", "bg", "ru", "uk"):
        assert first[common] >= 4, common
    assert first["ar"] == max(first.values())
    for rare in ("ti", "ps", "so", "ckb"):
        assert 1 <= first[rare] <= 2, rare
    assert mediators.filter(status="active").count() >= 50
    assert mediators.filter(status="applicant").exists()


def test_every_demo_record_says_so(db_access):
    for profile in MediatorProfile.objects.select_related("user"):
        if profile.user.username != "mittler":
            assert profile.user.last_name.endswith("(Demo)"), profile.user.username
        assert profile.staff_notes.startswith("Demo-Datensatz")
        assert profile.user.email.endswith("@demo.example.org")
    assert not Institution.objects.exclude(name__endswith="(Demo)").exists()
    assert not MediationRequest.objects.exclude(notes__startswith=demo.DEMO_NOTE).exists()


def test_institutions_sit_at_real_schools_and_kitas(db_access):
    facilities = {
        (f["properties"]["objektname"].strip(), f["geometry"]["coordinates"][1])
        for f in json.loads(demo.FACILITIES.read_text(encoding="utf-8"))["features"]
    }
    kinds = Counter(Institution.objects.values_list("kind", flat=True))
    assert kinds["school"] >= 10 and kinds["kita"] >= 8
    for institution in Institution.objects.prefetch_related("places"):
        (place,) = institution.places.all()
        name = place.name.rsplit(" (", 1)[0]
        assert any(
            name == f_name and abs(place.latitude - lat) < 1e-5 for f_name, lat in facilities
        ), place.name
        assert place.district is not None and institution.requesters.exists()


def test_a_few_hundred_requests_in_every_state(db_access):
    now = timezone.now()
    requests = MediationRequest.objects.all()
    assert 250 <= requests.count() <= 400
    states = Counter(requests.values_list("status", flat=True))
    assert set(states) == {s for s, _l in MediationRequest.Status.choices}
    assert requests.filter(starts_at__lt=now - timedelta(weeks=12)).exists()
    assert requests.filter(starts_at__gt=now + timedelta(weeks=2)).exists()
    for done in Assignment.objects.filter(status="done"):
        assert done.actual_minutes and done.reported_at
    assert requests.filter(status="done", institution_confirmed_at__isnull=False).exists()
    assert requests.filter(cancellations__late=True, cancellations__payable_cents__gt=0).exists()
    # Every request is held by at most one offer or booking.
    assert not (
        Assignment.objects.filter(status__in=["offered", "confirmed", "done"])
        .values("request")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .exists()
    )


def test_nobody_is_double_booked(db_access):
    booked = sorted(
        Assignment.objects.filter(status__in=["confirmed", "done"]).values_list(
            "mediator_id", "blocked_start", "blocked_end"
        )
    )
    for (mediator, _start, end), (next_mediator, next_start, _end) in itertools.pairwise(booked):
        if mediator == next_mediator:
            assert end <= next_start


def test_the_demo_logins_have_their_roles_in_the_pool(db_access):
    mittler = MediatorProfile.objects.get(user__username="mittler")
    assert mittler.languages.filter(language__code="ti", level="native").exists()
    assert mittler.may_be_assigned
    statuses = set(mittler.assignments.values_list("status", flat=True))
    assert {"done", "confirmed", "offered"} <= statuses
    assert ExpenseStatement.objects.filter(mediator=mittler).exists()
    fachkraft = RequesterProfile.objects.get(user__username="fachkraft")
    assert fachkraft.institution.kind == "school"
    assert MediationRequest.objects.filter(requested_by=fachkraft.user).count() >= 3


def test_statements_and_statistics_have_content(db_access):
    assert ExpenseStatement.objects.filter(status="approved").exists()
    assert ExpenseStatement.objects.filter(status="draft").exists()
    for statement in ExpenseStatement.objects.all()[:20]:
        assert statement.total_cents == sum(line.total_cents for line in statement.lines.all())
    period = statistics.default_period()
    gaps = statistics.recruitment_gaps(period)
    assert gaps
    assert any(gap.language_code in {"ti", "ps", "so", "ckb"} for gap in gaps[:8])
    by_language = {row.language_code: row for row in statistics.requests_by_language(period)}
    assert by_language["ar"].fill_rate > by_language["ti"].fill_rate


def test_loading_again_writes_nothing(db_access):
    before = {
        model.__name__: sorted(map(repr, model.objects.values()))
        for model in (MediatorProfile, MediationRequest, Assignment, ExpenseStatement, User)
    }

    assert demo.demo_load() == 0

    after = {
        model.__name__: sorted(map(repr, model.objects.values()))
        for model in (MediatorProfile, MediationRequest, Assignment, ExpenseStatement, User)
    }
    assert after == before


def test_the_plan_is_the_same_every_time():
    assert demo.mediator_plans() == demo.mediator_plans()
    assert demo.institution_plans() == demo.institution_plans()
    today = timezone.localdate()
    assert demo.request_plans(today, demo.institution_plans()) == demo.request_plans(
        today, demo.institution_plans()
    )
