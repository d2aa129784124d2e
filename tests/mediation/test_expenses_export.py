"""What the city's accounting gets: the month's CSV (per statement and per line, German Excel
format) and the German PDF of a statement, with the right figures."""

import csv
import io
from datetime import date

import pytest
from weasyprint import CSS, HTML
from weasyprint.formatting_structure import boxes

from teilhabe.mediation import expense_export, expense_queries, expense_services
from teilhabe.mediation.expense_models import ExpenseStatement
from tests.mediation import expense_factories as ef

MAY = date(2025, 5, 1)


@pytest.fixture
def statements(db, school, mira, omar, alice):
    ef.done(mira, school, ef.at(2025, 5, 6, 9), actual=61, km="12.0")
    ef.done(mira, school, ef.at(2025, 5, 20, 14), actual=30, ticket=290, dialect="Asmara")
    ef.late_cancellation(omar, school, ef.at(2025, 5, 9, 10), minutes=120, km="10.0", cents=3300)
    ef.done(omar, school, ef.at(2025, 5, 12, 10), actual=45)
    expense_services.statements_create(month=MAY, now=ef.at(2025, 6, 2))
    approved = ExpenseStatement.objects.get(mediator=mira)
    expense_services.statement_approve(statement=approved, user=alice, now=ef.at(2025, 6, 3))
    approved.refresh_from_db()
    return approved, ExpenseStatement.objects.get(mediator=omar)


def _rows(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")  # German Excel reads UTF-8 with a byte-order mark
    return list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=";"))


def test_the_statements_csv_has_one_row_per_statement_with_german_amounts(statements, mira):
    approved, draft = statements
    month = list(expense_queries.staff_statements(month=MAY))

    header, *rows = _rows(expense_export.statements_csv(month))

    assert header[0] == "Abrechnungsnummer" and header[-1] == "Betrag (EUR)"
    by_number = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    mira_row = by_number[approved.number]
    assert mira_row == {
        "Abrechnungsnummer": f"SM-2025-05-{mira.pk:05d}",
        "Monat": "05/2025",
        "Status": "freigegeben",
        "Freigegeben am": "03.06.2025",
        "Sprachmittler-Nr.": str(mira.pk),
        "Name": "Mira Tesfay",
        "Einsätze": "2",
        "Kurzfristige Absagen": "0",
        "Abgerechnete Stunden": "2,0",
        "Kilometer": "12,0",
        "Tickets (EUR)": "2,90",
        "Zeit (EUR)": "30,00",
        "Fahrt (EUR)": "3,60",
        "Betrag (EUR)": "36,50",
    }
    omar_row = by_number[draft.number]
    assert omar_row["Status"] == "Entwurf"
    assert omar_row["Kurzfristige Absagen"] == "1"
    assert omar_row["Betrag (EUR)"] == "48,00"  # 2 h + 10 km, and 45 min paid as one hour


def test_the_lines_csv_shows_every_appointment_and_cancellation(statements):
    month = list(expense_queries.staff_statements(month=MAY))

    header, *rows = _rows(expense_export.lines_csv(month))

    lines = [dict(zip(header, row, strict=True)) for row in rows]
    assert [(line["Datum"], line["Art"], line["Betrag (EUR)"]) for line in lines] == [
        ("06.05.2025", "Einsatz", "26,10"),
        ("20.05.2025", "Einsatz", "10,40"),
        ("09.05.2025", "Kurzfristige Absage", "33,00"),
        ("12.05.2025", "Einsatz", "15,00"),
    ]
    ticket = lines[1]
    assert ticket["Sprache"] == "Tigrinya – Asmara"
    assert ticket["Ticket (EUR)"] == "2,90" and ticket["Kilometer"] == ""
    assert ticket["Minuten"] == "30" and ticket["Abgerechnete Minuten"] == "30"
    assert lines[0]["Minuten"] == "61" and lines[0]["Abgerechnete Minuten"] == "90"
    assert lines[0]["Einrichtung"] == "Grundschule Kleine Kielstraße"


def _pdf_text(statement: ExpenseStatement) -> str:
    """The text WeasyPrint lays out on the PDF's pages (its own boxes, no PDF parser needed)."""
    document = HTML(string=expense_export.statement_html(statement)).render(
        stylesheets=[CSS(filename=str(expense_export.STYLESHEET))]
    )
    texts = []
    for page in document.pages:
        for box in page._page_box.descendants():
            if isinstance(box, boxes.TextBox):
                texts.append(box.text)
    return " ".join(" ".join(texts).split())


def test_the_pdf_is_a_german_statement_with_its_lines_and_total(statements, mira):
    approved, _draft = statements

    pdf = expense_export.statement_pdf(approved)
    text = _pdf_text(approved)

    assert pdf.startswith(b"%PDF-")
    for expected in (
        "Abrechnung der Aufwandsentschädigung",
        approved.number,
        "Mira Tesfay",
        "Mai 2025",
        "freigegeben am 03.06.2025",
        "06.05.2025",
        "20.05.2025",
        "Ticket 2,90 €",
        "12,0 km",
        "26,10 €",
        "Auszuzahlender Betrag: 36,50 €",
        "Sachlich richtig",
    ):
        assert expected in text, expected
    assert "Entwurf" not in text
    assert expense_export.statement_filename(approved) == f"abrechnung-sm-2025-05-{mira.pk:05d}.pdf"


def test_a_draft_pdf_says_it_is_not_for_payment(statements):
    _approved, draft = statements

    text = _pdf_text(draft)

    assert "Entwurf – noch nicht freigegeben" in text
    assert "Kurzfristige Absage" in text
    assert "48,00 €" in text
