"""`manage.py funding_proof_reminders`: organisations hear when a proof of use is due soon and
when it is overdue; running it every hour (or twice at once) sends each reminder once."""

import threading
from datetime import date, datetime, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from teilhabe.funding import proof_services
from teilhabe.funding.models import ProofReminder
from tests.funding.grants import granted

DUE = date(2027, 3, 31)


def at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=10))


@pytest.fixture
def grant(vera, treff, period, alice):
    period.proof_due_on = DUE
    period.save()
    return granted(vera, treff, period, alice)


def test_nothing_is_sent_long_before_the_due_date(grant):
    mail.outbox.clear()

    report = proof_services.reminders_send(now=at(DUE - timedelta(days=30)))

    assert report.sent == 0 and mail.outbox == []


def test_due_soon_then_overdue_then_still_overdue_each_once(grant):
    mail.outbox.clear()

    for day, expected in [
        (DUE - timedelta(days=14), "due_soon"),
        (DUE - timedelta(days=3), None),
        (DUE + timedelta(days=1), "overdue"),
        (DUE + timedelta(days=2), None),
        (DUE + timedelta(days=29), "overdue_again"),
        (DUE + timedelta(days=60), None),
    ]:
        before = len(mail.outbox)
        proof_services.reminders_send(now=at(day))
        proof_services.reminders_send(now=at(day))  # the next hour
        sent = mail.outbox[before:]
        if expected is None:
            assert sent == [], day
        else:
            assert len(sent) == 1, day
            assert sent[0].to == ["info@treff-nord.example.org", "vera@example.org"]
            assert grant.reference in sent[0].subject
    kinds = list(ProofReminder.objects.order_by("sent_at").values_list("kind", flat=True))
    assert kinds == ["due_soon", "overdue", "overdue_again"]


def test_a_first_run_long_after_the_due_date_sends_only_the_latest_kind(grant):
    mail.outbox.clear()

    report = proof_services.reminders_send(now=at(DUE + timedelta(days=40)))

    assert (report.overdue_again, report.sent) == (1, 1)
    assert proof_services.reminders_send(now=at(DUE + timedelta(days=41))).sent == 0


def test_no_reminder_once_the_proof_is_submitted(grant, vera):
    measure = grant.measures.get()
    proof_services.proof_save(
        user=vera,
        application=grant,
        report="Fertig.",
        participants=10,
        lines={measure.pk: proof_services.LineData(units_delivered=2)},
    )
    proof_services.proof_submit(user=vera, application=grant)
    mail.outbox.clear()

    assert proof_services.reminders_send(now=at(DUE + timedelta(days=1))).sent == 0


def test_a_new_due_date_gets_its_own_reminders(grant, period):
    proof_services.reminders_send(now=at(DUE + timedelta(days=1)))
    period.proof_due_on = DUE + timedelta(days=60)
    period.save()

    report = proof_services.reminders_send(now=at(DUE + timedelta(days=50)))

    assert report.due_soon == 1


def test_the_command_reports_what_it_sent(grant):
    out = StringIO()

    call_command("funding_proof_reminders", "--today", str(DUE + timedelta(days=1)), stdout=out)

    assert "overdue: 1" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_reminder_once(transactional_db, vera, treff, komm_an, alice):
    from tests.funding.conftest import make_period

    period = make_period(komm_an, budget_cents=5_000_000, proof_due_on=DUE)
    for title in ("Erster Treffpunkt", "Zweiter Treffpunkt", "Dritter Treffpunkt"):
        granted(vera, treff, period, alice, title=title)
    mail.outbox.clear()
    barrier = threading.Barrier(2)
    errors = []

    def run():
        try:
            barrier.wait()
            proof_services.reminders_send(now=at(DUE + timedelta(days=1)))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert ProofReminder.objects.count() == 3
    assert len(mail.outbox) == 3
