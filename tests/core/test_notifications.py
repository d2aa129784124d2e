"""E-mails are rendered in the recipient's language and sent through the task queue."""

import pytest
from django.core import mail
from django_tasks import task_backends

from teilhabe.core.notifications import notify
from teilhabe.core.tasks import send_email


@pytest.fixture
def notice_template(settings, tmp_path):
    folder = tmp_path / "notice"
    folder.mkdir()
    (folder / "hello_subject.txt").write_text("{% load i18n %}{% translate 'Log in' %}\n")
    (folder / "hello.txt").write_text("{% load i18n %}{{ name }}: {% translate 'Log in' %}")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    return "notice/hello"


def test_it_sends_through_the_task_backend():
    assert type(task_backends["default"]).__name__ == "ImmediateBackend"
    result = send_email.enqueue(to=["a@example.org"], subject="Hallo", body="Text")
    assert result.status.name == "SUCCESSFUL"
    assert mail.outbox[0].subject == "Hallo"


@pytest.mark.parametrize(
    ("language", "word"), [("de", "Anmelden"), ("ar", "تسجيل الدخول"), (None, "Anmelden")]
)
def test_notify_renders_in_the_recipients_language(notice_template, language, word):
    notify(
        to=["bob@example.org"], template=notice_template, context={"name": "Bob"}, language=language
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["bob@example.org"]
    assert mail.outbox[0].subject == word
    assert mail.outbox[0].body == f"Bob: {word}"


def test_notify_without_recipients_sends_nothing(notice_template):
    notify(to=["", ""], template=notice_template, context={})
    assert mail.outbox == []


# transaction=True: the worker closes database connections between tasks, as it should in
# production, which would break a test wrapped in one open transaction (PostgreSQL).
@pytest.mark.django_db(transaction=True)
def test_in_production_the_database_queue_and_its_worker_send_it(settings):
    """TASKS_BACKEND=database: the e-mail waits in the database until db_worker runs."""
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    send_email.enqueue(to=["a@example.org"], subject="Später", body="Text")
    assert mail.outbox == []
    assert DBTaskResult.objects.count() == 1
    call_command("db_worker", batch=True, no_startup_delay=True, reload=False, verbosity=0)
    assert [m.subject for m in mail.outbox] == ["Später"]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_attachments_text_and_binary_arrive_intact(notice_template):
    pdf = b"%PDF-1.7\x00\xff binary"
    notify(
        to=["a@example.org"],
        template=notice_template,
        context={"name": "Bob"},
        attachments=[
            ("termin.ics", "BEGIN:VCALENDAR", "text/calendar"),
            ("brief.pdf", pdf, "application/pdf"),
        ],
    )
    (message,) = mail.outbox
    assert message.attachments[0][:2] == ("termin.ics", "BEGIN:VCALENDAR")
    assert message.attachments[1][:2] == ("brief.pdf", pdf)
