"""Reports per programme and period, summed by the database: budget, requested, approved, paid,
claimed back and repaid; by field of action, district, organisation kind and measure type; counts
of organisations and flat-rate units; CSV export."""

import csv
import io
from datetime import date

import pytest
from django.utils import translation

from teilhabe.core.models import ActionField, District
from teilhabe.funding import proof_services, reports, services
from teilhabe.funding.models import Application
from tests.conftest import login_verified
from tests.funding.conftest import (
    draft_application,
    information,
    make_member,
    make_organisation,
    submitted_application,
)
from tests.funding.grants import granted, meeting_point_line, paid_in_full, url


@pytest.fixture
def story(vera, treff, period, alice, districts):
    """A: treff (club, small) gets 2 meeting points (4,000 €) in Eving, paid in full; one did not
    take place: 2,000 € claimed, 500 € repaid.
    B: a migrant organisation gets 4 low-threshold offers (1,000 €) in Innenstadt-Nord and
    Eving, and 2,700 € for information evenings (no district), fields of action 1 and 3.
    C: submitted, not decided (4,000 €). D: a draft (not counted)."""
    eving = District.objects.get(name="Eving")
    nord = District.objects.get(name="Innenstadt-Nord")

    a = granted(vera, treff, period, alice)
    meeting_point_line(a).districts.set([eving])
    paid_in_full(a, alice, on=date(2026, 4, 1))
    measure = meeting_point_line(a)
    proof_services.proof_save(
        user=vera,
        application=a,
        report="Ein Treffpunkt lief.",
        participants=40,
        lines={measure.pk: proof_services.LineData(units_delivered=1, participants=40)},
    )
    proof_services.proof_submit(user=vera, application=a)
    proof_services.proof_check(user=alice, application=a, outcome="accepted")
    claim = a.proof.claim
    proof_services.repayment_record(
        user=alice, claim=claim, received_on=date(2026, 6, 1), amount_cents=50_000
    )

    verein = make_organisation("verein-b", "Migrantenverein B", kind="migrant")
    mia = make_member("mia", verein)
    b = draft_application(mia, verein, period, meeting_points=0, offers=4, title="Sprachcafés")
    b.measures.get().districts.set([nord, eving])
    b.action_fields.set(ActionField.objects.filter(number__in=[1, 3]))
    services.measure_save(
        user=mia,
        application=b,
        data=services.MeasureData(
            measure_type=information(period.programme),
            title="Infoabende",
            total_cost_cents=300_000,
            own_contribution_cents=30_000,
        ),
    )
    services.application_submit(user=mia, application=b)
    services.formal_check_record(
        user=alice,
        application=b,
        checklist={key: True for key, _label in services.CHECKLIST},
        outcome="passed",
    )
    services.application_decide(user=alice, application=b, outcome="approved", reason="Gut.")

    c = submitted_application(vera, treff, period, title="Noch ein Treffpunkt")
    draft_application(vera, treff, period, title="Entwurf")
    return {"a": a, "b": b, "c": c}


def test_the_totals_and_counts(story, period):
    report = reports.period_report(period)

    assert report.budget_cents == 1_000_000
    assert report.totals == reports.Figures(
        applications=3,
        requested_cents=400_000 + 370_000 + 400_000,
        approved_cents=770_000,
        paid_cents=400_000,
        claimed_cents=200_000,
        repaid_cents=50_000,
    )
    assert report.left_cents == 230_000
    assert (report.organisations_applied, report.organisations_funded) == (2, 2)
    assert report.applications_funded == 2
    assert report.meeting_points == 2
    assert report.flat_rate_units == 6
    rows = {row.slug: row for row in report.flat_rates}
    assert (
        rows["ankommenstreffpunkt"].requested_units,
        rows["ankommenstreffpunkt"].granted_units,
    ) == (
        4,
        2,
    )
    assert rows["ankommenstreffpunkt"].delivered_units == 1
    assert rows["begleitung-orientierung"].granted_cents == 100_000


def test_by_organisation_kind(story, period):
    rows = {row.key: row for row in reports.by_kind(period)}

    assert rows["club"].applications == 2
    assert rows["club"].requested_cents == 800_000
    assert rows["club"].approved_cents == 400_000
    assert (rows["club"].claimed_cents, rows["club"].repaid_cents) == (200_000, 50_000)
    assert (rows["migrant"].approved_cents, rows["migrant"].paid_cents) == (370_000, 0)


def test_by_field_of_action_counts_a_project_in_each_of_its_fields(story, period):
    rows = {row.key: row for row in reports.by_action_field(period)}

    assert set(rows) == {"1", "3"}
    assert rows["1"].approved_cents == 370_000
    assert rows["3"].approved_cents == 770_000
    assert rows["3"].applications == 3


def test_by_district_and_measure_type_from_the_measures(story, period):
    with translation.override("en"):
        districts = {row.label: row for row in reports.by_district(period)}
    assert districts["Eving"].approved_cents == 400_000 + 100_000
    assert districts["Innenstadt-Nord"].approved_cents == 100_000
    # Paid and repaid shared out by each measure's part of the grant: A's measure is all of it.
    assert districts["Eving"].paid_cents == 400_000
    assert districts["Eving"].repaid_cents == 50_000
    assert districts["No district given"].approved_cents == 270_000  # B's information evenings
    assert districts["No district given"].requested_cents == 270_000 + 400_000  # and C

    types = {row.key: row for row in reports.by_measure_type(period)}
    assert types["ankommenstreffpunkt"].requested_cents == 800_000
    assert types["ankommenstreffpunkt"].approved_cents == 400_000
    assert types["ankommenstreffpunkt"].claimed_cents == 200_000
    assert types["information-wissen"].approved_cents == 270_000
    assert sum(row.approved_cents for row in types.values()) == 770_000


def test_the_numbers_come_from_a_fixed_number_of_queries(
    story, period, vera, treff, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12) as small:
        reports.period_report(period)
    for number in range(5):
        submitted_application(vera, treff, period, title=f"Mehr {number}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        reports.period_report(period)


def test_the_csv_has_every_section_in_german_number_format(story, period):
    with translation.override("en"):
        content = reports.report_csv(reports.period_report(period))

    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    header, total = rows[0], rows[1]
    assert len(header) == 9
    assert total[2:9] == ["3", "10000,00", "11700,00", "7700,00", "4000,00", "2000,00", "500,00"]
    assert any(row[1] == "Eving" and row[5] == "5000,00" for row in rows)
    assert [row[2] for row in rows if row[1] == "Organisations funded"] == ["2"]


def test_the_programme_overview_has_a_line_per_period(story, period, komm_an):
    from tests.funding.conftest import make_period

    older = make_period(komm_an, name="2025")

    overview = dict(reports.programme_overview(komm_an))

    assert overview[period].approved_cents == 770_000
    assert overview[older] == reports.Figures()


def test_the_report_page_and_csv_for_staff(client, story, period, alice):
    login_verified(client, alice)

    page = client.get(url("reports") + f"?period={period.pk}")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="report-approved"' in html and "7,700.00" in html

    response = client.get(url("report_csv", period_pk=period.pk))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")


def test_the_report_page_without_any_period(client, alice, db):
    login_verified(client, alice)

    assert client.get(url("reports")).status_code == 200


def test_withdrawn_and_draft_applications_do_not_count(story, period):
    Application.objects.filter(pk=story["c"].pk).update(status="withdrawn")

    assert reports.period_report(period).totals.applications == 2
