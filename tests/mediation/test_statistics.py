"""Statistics on a known fixture: requests filled and unfilled by language and month, hours by
area, the recruitment gap list (language × time of week, with the mediators available then),
mediators by language; local time for months and hours; one query per figure; the page and the
CSV downloads."""

from datetime import date, time

import pytest
from django.urls import reverse
from django.utils import translation

from teilhabe.mediation import statistics
from teilhabe.mediation.models import Area, AvailabilityWindow, MediatorProfile
from tests.conftest import login_verified
from tests.mediation import expense_factories as ef
from tests.mediation import factories

PERIOD = statistics.Period(date(2025, 3, 1), date(2025, 4, 1))


@pytest.fixture
def pool(db, school, mira, omar):
    """Tigrinya (ti) and Arabic (ar) in March and April 2025.

    ti: done Tue 4 March 10:00 (education, 50 min), unfilled Mon 3 March 09:00 and Wed 12 March
    10:30 (weekday mornings), unfilled Sat 15 March 15:00 (weekend afternoon), cancelled Thu
    6 March 09:00, open Mon 31 March 10:00; April: done Tue 1 April 00:30 local (still April in
    Berlin, 31 March in UTC) of 90 minutes in health; unfilled Tue 8 April 12:30 local (an
    afternoon in Berlin, a morning in UTC).
    ar: done Fri 7 March 16:00 (social, 120 min), confirmed Mon 17 March 11:00.
    mira (ti) has time Monday 14–18, omar (ti) Saturday 10–16; both stand for the whole week in
    the factories, so their windows are replaced here.
    """
    AvailabilityWindow.objects.filter(mediator__in=[mira, omar]).delete()
    AvailabilityWindow.objects.create(
        mediator=mira, weekday=0, start_time=time(14), end_time=time(18)
    )
    AvailabilityWindow.objects.create(
        mediator=omar, weekday=5, start_time=time(10), end_time=time(16)
    )
    arabic = factories.language("ar", "Arabic")
    amal = factories.mediator("amal", languages=(("ar", "native"),))

    ef.done(mira, school, ef.at(2025, 3, 4, 10), actual=50, area=Area.EDUCATION)
    for when in (ef.at(2025, 3, 3, 9), ef.at(2025, 3, 12, 10, 30), ef.at(2025, 3, 15, 15)):
        factories.request(school, starts_at=when, status="unfilled")
    factories.request(school, starts_at=ef.at(2025, 3, 6, 9), status="cancelled")
    factories.request(school, starts_at=ef.at(2025, 3, 31, 10), status="requested")
    ef.done(omar, school, ef.at(2025, 4, 1, 0, 30), minutes=90, area=Area.HEALTH)
    factories.request(school, starts_at=ef.at(2025, 4, 8, 12, 30), status="unfilled")
    ef.done(amal, school, ef.at(2025, 3, 7, 16), actual=120, area=Area.SOCIAL, language=arabic)
    factories.request(school, starts_at=ef.at(2025, 3, 17, 11), status="confirmed", language=arabic)
    # Outside the period: not counted.
    factories.request(school, starts_at=ef.at(2025, 2, 28, 10), status="unfilled")
    factories.request(school, starts_at=ef.at(2025, 5, 1, 10), status="unfilled")
    return amal


def test_requests_by_language_and_month(pool):
    rows = {
        (row.month, row.language_code): row
        for row in statistics.requests_by_language_and_month(PERIOD)
    }

    assert set(rows) == {
        (date(2025, 3, 1), "ti"),
        (date(2025, 3, 1), "ar"),
        (date(2025, 4, 1), "ti"),
    }
    march_ti = rows[(date(2025, 3, 1), "ti")]
    assert (march_ti.total, march_ti.filled, march_ti.unfilled) == (6, 1, 3)
    assert (march_ti.cancelled, march_ti.open) == (1, 1)
    assert march_ti.fill_rate == 25
    april_ti = rows[(date(2025, 4, 1), "ti")]
    assert (april_ti.total, april_ti.filled, april_ti.unfilled) == (2, 1, 1)
    march_ar = rows[(date(2025, 3, 1), "ar")]
    assert (march_ar.total, march_ar.filled, march_ar.unfilled, march_ar.fill_rate) == (
        2,
        2,
        0,
        100,
    )


def test_requests_by_language_over_the_period(pool):
    rows = statistics.requests_by_language(PERIOD)

    assert [(r.language_code, r.total, r.filled, r.unfilled) for r in rows] == [
        ("ti", 8, 2, 4),
        ("ar", 2, 2, 0),
    ]
    with translation.override("en"):
        assert [r.language for r in statistics.requests_by_language(PERIOD)] == [
            "Tigrinya",
            "Arabic",
        ]


def test_hours_by_area_count_reported_time_of_done_appointments(pool):
    hours = {row.area: row for row in statistics.hours_by_area(PERIOD)}

    assert [row.area for row in statistics.hours_by_area(PERIOD)] == [
        code for code, _label in Area.choices
    ]
    assert (hours["education"].appointments, hours["education"].minutes) == (1, 50)
    assert (hours["health"].appointments, hours["health"].minutes) == (1, 90)
    assert hours["social"].hours == 2.0
    assert (hours["authorities"].appointments, hours["authorities"].minutes) == (0, 0)


def test_the_recruitment_gap_list_says_where_mediators_are_lacking(pool):
    gaps = statistics.recruitment_gaps(PERIOD)

    assert [(g.language_code, g.day_kind, g.part_of_day, g.unfilled, g.requests) for g in gaps] == [
        # Mon 9:00 and Wed 10:30 unfilled, of five weekday-morning requests (two done, one
        # open, the 00:30 one included); the cancelled one is left out.
        ("ti", "weekday", "morning", 2, 5),
        # Tue 8 April 12:30 local time: an afternoon; mira has Monday afternoons.
        ("ti", "weekday", "afternoon", 1, 1),
        # Sat 15:00: omar has time on Saturdays 10–16, but was not asked (or said no).
        ("ti", "weekend", "afternoon", 1, 1),
    ]
    morning, afternoon, weekend = gaps
    assert morning.mediators_available == 0
    assert weekend.mediators_available == 1
    assert afternoon.mediators_available == 1
    with translation.override("en"):
        assert morning.sentence == "We lack Tigrinya on weekday mornings."
        assert weekend.when == "weekend afternoons"


def test_only_mediators_who_may_be_assigned_count_as_available(pool, mira):
    MediatorProfile.objects.filter(pk=mira.pk).update(training_date=None)

    gaps = {(g.day_kind, g.part_of_day): g for g in statistics.recruitment_gaps(PERIOD)}

    assert gaps[("weekday", "afternoon")].mediators_available == 0


def test_mediators_by_language(pool, mira):
    factories.mediator("applicant", status=MediatorProfile.Status.APPLICANT)
    factories.mediator("paused", status=MediatorProfile.Status.PAUSED)
    factories.mediator("untrained", training_date=None)

    rows = {row.language_code: row for row in statistics.mediators_by_language()}

    assert (rows["ti"].active, rows["ti"].not_ready) == (2, 1)
    assert (rows["ti"].applicants, rows["ti"].paused) == (1, 1)
    assert (rows["ar"].active, rows["ar"].not_ready, rows["ar"].applicants) == (1, 0, 0)


def test_each_figure_is_one_query_however_many_requests(pool, school, django_assert_num_queries):
    for day in range(1, 25):
        factories.request(school, starts_at=ef.at(2025, 4, day, 9), status="unfilled")

    with django_assert_num_queries(1):
        statistics.requests_by_language_and_month(PERIOD)
    with django_assert_num_queries(1):
        statistics.requests_by_language(PERIOD)
    with django_assert_num_queries(1):
        statistics.hours_by_area(PERIOD)
    with django_assert_num_queries(2):  # the gaps, then who has time then
        statistics.recruitment_gaps(PERIOD)
    with django_assert_num_queries(1):
        statistics.mediators_by_language()


def test_the_default_period_is_the_last_twelve_months():
    period = statistics.default_period(date(2025, 3, 17))

    assert (period.first_month, period.last_month) == (date(2024, 4, 1), date(2025, 3, 1))
    assert len(period.months) == 12


def test_staff_see_the_figures_and_download_every_table(client, pool, alice):
    login_verified(client, alice)
    with translation.override("en"):
        url = reverse("mediation:statistics")

    page = client.get(url, {"first_month": "2025-03", "last_month": "2025-04"})

    assert page.status_code == 200
    content = page.content.decode()
    assert 'id="total-requests">10<' in content
    assert "We lack Tigrinya on weekday mornings." in content
    for table in ("requests", "languages", "hours", "gaps", "mediators"):
        download = client.get(
            reverse("mediation:statistics_csv", kwargs={"table": table}),
            {"first_month": "2025-03", "last_month": "2025-04"},
        )
        assert download.status_code == 200, table
        assert download["Content-Type"] == "text/csv; charset=utf-8"
        assert f"sprachmittlung-{table}-2025-03-2025-04.csv" in download["Content-Disposition"]
        lines = download.content.decode("utf-8-sig").strip().splitlines()
        assert len(lines) >= 2, table
    gaps = client.get(
        reverse("mediation:statistics_csv", kwargs={"table": "gaps"}),
        {"first_month": "2025-03", "last_month": "2025-04"},
    )
    assert gaps.content.decode("utf-8-sig").splitlines()[1].startswith("ti;")


def test_an_unknown_table_is_not_found_and_a_bad_period_falls_back(client, db, alice):
    login_verified(client, alice)

    missing = client.get(reverse("mediation:statistics_csv", kwargs={"table": "secrets"}))
    page = client.get(reverse("mediation:statistics"), {"first_month": "soon"})
    backwards = client.get(
        reverse("mediation:statistics"), {"first_month": "2025-05", "last_month": "2025-03"}
    )

    assert missing.status_code == 404
    assert page.status_code == 200
    assert page.context["form"].errors
    assert backwards.status_code == 200
    assert backwards.context["form"].errors["last_month"]
