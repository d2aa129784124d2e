"""The funding demo: KOMM-AN NRW 2018 as in the Dortmund documents (216,351.59 €, about 120
applications from 68 organisations asking for about 420,000 €), a Masterplan year tagged by
field of action, decided, paid and proven; an open call where `verein` has a draft and `gremium`
has work. A second run writes nothing."""

import pytest
from django.apps import apps

from teilhabe.core import demo as core_demo
from teilhabe.core.models import Organisation
from teilhabe.funding import demo as funding_demo
from teilhabe.funding import reports
from teilhabe.funding.models import Application, Period, ProofOfUse, Review
from teilhabe.funding.reference import programmes_load

pytestmark = pytest.mark.slow


@pytest.fixture
def only_funding(monkeypatch):
    """Core's demo with the funding module's loaders only (the other modules have their own
    demo tests)."""
    loaders = {"reference": [programmes_load], "demo": [funding_demo.demo_load]}
    monkeypatch.setattr(core_demo, "module_loaders", lambda kind: loaders[kind])


@pytest.fixture
def loaded(db, only_funding):
    return core_demo.demo_load(with_logins=True)


def snapshot() -> dict:
    return {
        model._meta.label: sorted(map(repr, model._default_manager.values()))
        for model in apps.get_models()
        if model._meta.app_label in {"funding", "core"}
    }


def test_the_demo_tells_the_documents_story(loaded):
    """One load (it takes seconds), four chapters."""
    _komm_an_2018_has_the_documents_figures()
    _every_demo_record_is_labelled()
    _the_masterplan_projects_carry_fields_of_action()
    _the_demo_logins_find_their_work()


def _komm_an_2018_has_the_documents_figures():
    period = Period.objects.get(programme__slug="komm-an-nrw", name="2018")
    applications = Application.objects.filter(period=period)
    report = reports.period_report(period)

    assert period.budget_cents == 21_635_159
    assert applications.count() == 120
    assert applications.values("organisation").distinct().count() == 68
    assert 400_000_00 <= report.totals.requested_cents <= 440_000_00
    assert 0.95 * period.budget_cents <= report.totals.approved_cents <= period.budget_cents
    assert period.approved_cents == report.totals.approved_cents
    # Reports have content: paid, claimed back, repaid; meeting points and low-threshold offers.
    assert report.totals.paid_cents == report.totals.approved_cents
    assert report.totals.claimed_cents > 0 and report.totals.repaid_cents > 0
    assert report.meeting_points >= 15  # about 20 a year (40 in two years)
    assert report.flat_rate_units > 300
    assert {row.key for row in report.by_action_field} >= {"1", "3", "4"}
    assert len(report.by_district) >= 12


def _every_demo_record_is_labelled():
    applications = Application.objects.filter(is_demo=True)
    assert applications.count() == Application.objects.count()
    assert all(a.summary.startswith(funding_demo.DEMO_NOTE) for a in applications)
    organisations = Organisation.objects.filter(funding_applications__isnull=False).distinct()
    for organisation in organisations:
        assert "(Demo)" in organisation.name or organisation.description.startswith("Demo")
    assert ProofOfUse.objects.exclude(is_demo=True).count() == 0


def _the_masterplan_projects_carry_fields_of_action():
    projects = Application.objects.filter(period__programme__slug="masterplan")

    assert projects.count() == 15
    assert all(p.action_fields.exists() for p in projects)
    numbers = set(projects.values_list("action_fields__number", flat=True))
    assert numbers == {1, 2, 3, 4}


def _the_demo_logins_find_their_work():
    open_period = Period.objects.get(
        programme__slug="komm-an-nrw", is_demo=True, name__contains="Demo"
    )
    draft = Application.objects.get(period=open_period, organisation__slug="africa-positive-demo")
    assert draft.status == "draft"
    assert draft.created_by.username == "verein"
    assert draft.measures.get().units == 2
    assert Application.objects.filter(period=open_period, status="checked").count() == 6
    assert Application.objects.filter(period=open_period, status="submitted").count() == 6
    # Africa Positive's 2018 grant still waits for its proof of use (for `verein` to file).
    grants = Application.objects.filter(
        period__name="2018",
        organisation__slug="africa-positive-demo",
        decision__granted_cents__gt=0,
    )
    assert grants.exists()
    assert not ProofOfUse.objects.filter(application__in=grants).exists()
    assert Review.objects.filter(reviewer__username="gremium").count() == 135


def test_a_second_run_writes_nothing(loaded, only_funding):
    first = snapshot()

    assert funding_demo.demo_load() == 0
    assert core_demo.demo_load(with_logins=True) == 0
    assert snapshot() == first


def test_the_plan_is_the_same_every_time():
    assert funding_demo.demo_plan() == funding_demo.demo_plan()
