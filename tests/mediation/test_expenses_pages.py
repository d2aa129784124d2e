"""The statement pages: a mediator sees their own statements (never another's, page or PDF);
staff create the month's statements, approve them and download CSV and PDF."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from teilhabe.mediation import expense_services
from teilhabe.mediation.expense_models import ExpenseStatement
from tests.conftest import login_verified
from tests.mediation import expense_factories as ef

MAY = date(2025, 5, 1)


def en_url(name: str, **kwargs) -> str:
    """The English page (text assertions do not depend on the German catalogue)."""
    with translation.override("en"):
        return reverse(name, **kwargs)


@pytest.fixture
def done_in_may(db, school, mira, omar):
    ef.done(mira, school, ef.at(2025, 5, 6, 9), actual=61, km="12.0")
    ef.done(omar, school, ef.at(2025, 5, 7, 9), actual=45)


@pytest.fixture
def made(done_in_may):
    expense_services.statements_create(month=MAY, now=ef.at(2025, 6, 2))
    return ExpenseStatement.objects


def test_a_mediator_sees_their_statements_and_downloads_the_pdf(client, made, mira):
    own = made.get(mediator=mira)
    client.force_login(mira.user)

    listing = client.get(en_url("mediation:my_statements"))
    page = client.get(en_url("mediation:my_statement", kwargs={"pk": own.pk}))
    pdf = client.get(reverse("mediation:statement_pdf", kwargs={"pk": own.pk}))

    assert listing.status_code == 200
    assert list(listing.context["statements"]) == [own]
    assert page.status_code == 200
    content = page.content.decode()
    assert own.number in content
    assert 'id="statement-total">26.10 €' in content  # 90 min + 12 km, English notation
    assert "draft" in content.lower()
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    assert f"abrechnung-{own.number.lower()}.pdf" in pdf["Content-Disposition"]


def test_another_mediators_statement_is_not_found(client, made, mira, omar):
    others = made.get(mediator=omar)
    client.force_login(mira.user)

    for name in ("mediation:my_statement", "mediation:statement_pdf"):
        assert client.get(reverse(name, kwargs={"pk": others.pk})).status_code == 404
    assert list(client.get(reverse("mediation:my_statements")).context["statements"]) == [
        made.get(mediator=mira)
    ]


def test_a_mediator_cannot_approve_or_export(client, made, mira):
    own = made.get(mediator=mira)
    client.force_login(mira.user)

    assert (
        client.post(reverse("mediation:statement_approve", kwargs={"pk": own.pk})).status_code
        == 403
    )
    assert client.get(reverse("mediation:statements_csv")).status_code == 403
    assert (
        client.post(reverse("mediation:statements_create"), {"month": "2025-05"}).status_code == 403
    )
    own.refresh_from_db()
    assert own.is_draft


def test_staff_create_the_months_statements_and_approve_one(client, done_in_may, alice, mira):
    login_verified(client, alice)

    created = client.post(reverse("mediation:statements_create"), {"month": "2025-05"})

    assert created.status_code == 302
    assert created["Location"].endswith("?month=2025-05")
    assert ExpenseStatement.objects.filter(month=MAY).count() == 2
    listing = client.get(created["Location"])
    assert listing.status_code == 200
    assert listing.context["summary"]["statements"] == 2
    assert listing.context["summary"]["amount_cents"] == 2610 + 1500
    statement = ExpenseStatement.objects.get(mediator=mira)
    detail = client.get(en_url("mediation:staff_statement", kwargs={"pk": statement.pk}))
    assert detail.status_code == 200
    assert reverse("mediation:statement_approve", kwargs={"pk": statement.pk}) in (
        detail.content.decode()
    )

    approved = client.post(reverse("mediation:statement_approve", kwargs={"pk": statement.pk}))

    assert approved.status_code == 302
    statement.refresh_from_db()
    assert statement.status == ExpenseStatement.Status.APPROVED
    assert statement.approved_by == alice


def test_a_bad_month_is_refused_with_a_message(client, db, alice):
    login_verified(client, alice)

    response = client.post(reverse("mediation:statements_create"), {"month": "May"}, follow=True)

    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not ExpenseStatement.objects.exists()


def test_the_csv_holds_approved_statements_unless_all_are_asked_for(client, made, alice, mira):
    expense_services.statement_approve(statement=made.get(mediator=mira), user=alice)
    login_verified(client, alice)
    url = reverse("mediation:statements_csv")

    approved = client.get(url, {"month": "2025-05"})
    everything = client.get(url, {"month": "2025-05", "status": "all"})
    lines = client.get(url, {"month": "2025-05", "rows": "lines", "status": "all"})

    assert approved["Content-Type"] == "text/csv; charset=utf-8"
    assert "sprachmittlung-abrechnungen-2025-05.csv" in approved["Content-Disposition"]
    assert len(approved.content.decode("utf-8-sig").strip().splitlines()) == 2  # header + mira
    assert len(everything.content.decode("utf-8-sig").strip().splitlines()) == 3
    assert "sprachmittlung-positionen-2025-05.csv" in lines["Content-Disposition"]
    assert "Einsatz" in lines.content.decode("utf-8-sig")


def test_staff_see_any_statements_pdf(client, made, alice, omar):
    login_verified(client, alice)

    response = client.get(
        reverse("mediation:statement_pdf", kwargs={"pk": made.get(mediator=omar).pk})
    )

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")
