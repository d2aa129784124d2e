"""The statements for the city's accounting: CSV of a month (one row per statement, or one per
line) and a PDF per statement (WeasyPrint).

Both are in German whatever the interface language, because they are documents of the German
administration (§ 23 VwVfG), as the funding module's letters: headers and words are written in
German here and in the PDF template, amounts in German notation (12,50). The CSV is UTF-8 with a
byte-order mark and semicolons, which German Excel opens directly (as the offer export).
"""

import csv
import io
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import CSS, HTML

from teilhabe.mediation import expense_queries
from teilhabe.mediation.expense_models import ExpenseStatement
from teilhabe.mediation.expenses import euros

STYLESHEET = Path(__file__).with_name("expenses_pdf.css")
STATUS_DE = {"draft": "Entwurf", "approved": "freigegeben"}
KIND_DE = {"done": "Einsatz", "late_cancellation": "Kurzfristige Absage"}
MONTHS_DE = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)

STATEMENT_COLUMNS = (
    "Abrechnungsnummer",
    "Monat",
    "Status",
    "Freigegeben am",
    "Sprachmittler-Nr.",
    "Name",
    "Einsätze",
    "Kurzfristige Absagen",
    "Abgerechnete Stunden",
    "Kilometer",
    "Tickets (EUR)",
    "Zeit (EUR)",
    "Fahrt (EUR)",
    "Betrag (EUR)",
)
LINE_COLUMNS = (
    "Abrechnungsnummer",
    "Monat",
    "Status",
    "Sprachmittler-Nr.",
    "Name",
    "Datum",
    "Art",
    "Sprache",
    "Einrichtung",
    "Minuten",
    "Abgerechnete Minuten",
    "Kilometer",
    "Ticket (EUR)",
    "Zeit (EUR)",
    "Fahrt (EUR)",
    "Betrag (EUR)",
)


def month_name(month: date) -> str:
    return f"{MONTHS_DE[month.month - 1]} {month.year}"


def _decimal(value) -> str:
    return "" if value is None else str(value).replace(".", ",")


def _hours(minutes: int) -> str:
    return _decimal(f"{minutes / 60:.1f}")


def mediator_name(statement: ExpenseStatement) -> str:
    return str(statement.mediator)


def _approved_on(statement: ExpenseStatement) -> str:
    if statement.approved_at is None:
        return ""
    return f"{timezone.localtime(statement.approved_at):%d.%m.%Y}"


def _writer(columns: Iterable[str]) -> tuple[io.StringIO, csv.writer]:
    output = io.StringIO(newline="")
    output.write("\ufeff")
    writer = csv.writer(output, delimiter=";", lineterminator="\r\n")
    writer.writerow(columns)
    return output, writer


def statements_csv(statements: Iterable[ExpenseStatement]) -> str:
    """One row per statement: what the accounting pays to whom. `statements` should carry the
    counts of expense_queries.staff_statements."""
    output, writer = _writer(STATEMENT_COLUMNS)
    for statement in statements:
        with translation.override("de"):  # "Former mediator #n" after anonymisation
            name = mediator_name(statement)
        writer.writerow(
            [
                statement.number,
                f"{statement.month:%m/%Y}",
                STATUS_DE[statement.status],
                _approved_on(statement),
                statement.mediator_id,
                name,
                statement.appointments,
                statement.late_cancellations,
                _hours(statement.paid_minutes),
                _decimal(statement.km),
                euros(statement.ticket_cents),
                euros(statement.time_cents),
                euros(statement.travel_cents - statement.ticket_cents),
                euros(statement.total_cents),
            ]
        )
    return output.getvalue()


def lines_csv(statements: Iterable[ExpenseStatement]) -> str:
    """One row per paid appointment or late cancellation, for checking."""
    statements = {statement.pk: statement for statement in statements}
    output, writer = _writer(LINE_COLUMNS)
    with translation.override("de"):
        for row in expense_queries.line_rows(statements):
            statement, line = statements[row.line.statement_id], row.line
            writer.writerow(
                [
                    statement.number,
                    f"{statement.month:%m/%Y}",
                    STATUS_DE[statement.status],
                    statement.mediator_id,
                    mediator_name(statement),
                    f"{line.day:%d.%m.%Y}",
                    KIND_DE[line.kind],
                    row.language,
                    row.request.institution.name,
                    line.minutes,
                    line.paid_minutes,
                    _decimal(line.km),
                    "" if line.ticket_cents is None else euros(line.ticket_cents),
                    euros(line.time_cents),
                    euros(line.travel_cents - (line.ticket_cents or 0)),
                    euros(line.total_cents),
                ]
            )
    return output.getvalue()


def statement_html(statement: ExpenseStatement) -> str:
    with translation.override("de"):
        return render_to_string(
            "mediation/expenses/pdf/statement.html",
            {
                "site_name": settings.SITE_NAME,
                "statement": statement,
                "month_name": month_name(statement.month),
                "mediator_name": mediator_name(statement),
                "status": STATUS_DE[statement.status],
                "approved_on": _approved_on(statement),
                "rows": [
                    {
                        "day": f"{row.line.day:%d.%m.%Y}",
                        "kind": KIND_DE[row.line.kind],
                        "language": row.language,
                        "institution": row.request.institution.name,
                        "minutes": row.line.minutes,
                        "paid_minutes": row.line.paid_minutes,
                        "travel": (
                            f"Ticket {euros(row.line.ticket_cents)} €"
                            if row.line.ticket_cents is not None
                            else f"{_decimal(row.line.km or 0)} km"
                        ),
                        "time": euros(row.line.time_cents),
                        "travel_amount": euros(row.line.travel_cents),
                        "total": euros(row.line.total_cents),
                    }
                    for row in expense_queries.line_rows([statement.pk])
                ],
                "hours": _hours(statement.paid_minutes),
                "rate_hour": euros(statement.rate_cents_per_hour),
                "rate_half_hour": euros(statement.rate_cents_per_hour // 2),
                "rate_km": euros(statement.rate_cents_per_km),
                "late_max_hours": _hours(statement.late_cancel_max_minutes),
                "time": euros(statement.time_cents),
                "travel": euros(statement.travel_cents),
                "total": euros(statement.total_cents),
                "printed_on": f"{timezone.localdate():%d.%m.%Y}",
            },
        )


def statement_pdf(statement: ExpenseStatement) -> bytes:
    # No base_url: nothing is fetched from outside; the styles come from expenses_pdf.css.
    return HTML(string=statement_html(statement)).write_pdf(
        stylesheets=[CSS(filename=str(STYLESHEET))]
    )


def statement_filename(statement: ExpenseStatement) -> str:
    return f"abrechnung-{statement.number.lower()}.pdf"
