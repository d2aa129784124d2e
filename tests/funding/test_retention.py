"""Old unsubmitted drafts, documents of withdrawn applications and old records of bank-data
reads are deleted on schedule; submitted applications stay; a second run deletes nothing."""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from teilhabe.funding import services
from teilhabe.funding.models import Application, Attachment, BankDataRead
from teilhabe.funding.retention import retention_apply
from tests.funding.conftest import draft_application, submitted_application


def _attach(application) -> Attachment:
    attachment = Attachment(
        application=application, original_name="a.pdf", content_type="application/pdf", size=9
    )
    attachment.file.save("a.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    return attachment


def test_old_drafts_and_withdrawn_documents_go_submitted_applications_stay(
    vera, treff, period, alice, django_capture_on_commit_callbacks
):
    old_draft = draft_application(vera, treff, period, title="Alt")
    draft_file = _attach(old_draft)
    kept_draft = draft_application(vera, treff, period, title="Neu")
    submitted = submitted_application(vera, treff, period, title="Eingereicht")
    withdrawn = draft_application(vera, treff, period, title="Zurückgezogen")
    withdrawn_file = _attach(withdrawn)
    services.application_withdraw(user=vera, application=withdrawn)
    services.bank_data_read(user=alice, organisation=treff, context="test")
    long_ago = timezone.now() - timedelta(days=2000)
    Application.objects.filter(pk__in=[old_draft.pk, submitted.pk]).update(updated_at=long_ago)
    Application.objects.filter(pk=withdrawn.pk).update(withdrawn_at=long_ago)
    BankDataRead.objects.update(read_at=long_ago)

    assert retention_apply(dry_run=True).drafts_deleted == 1
    with django_capture_on_commit_callbacks(execute=True):
        result = retention_apply()

    assert (result.drafts_deleted, result.documents_deleted, result.access_records_deleted) == (
        1,
        2,
        1,
    )
    assert set(Application.objects.values_list("title", flat=True)) == {
        "Neu",
        "Eingereicht",
        "Zurückgezogen",
    }
    assert not Attachment.objects.exists()
    for stored in (draft_file.file, withdrawn_file.file):
        assert not stored.storage.exists(stored.name)
    assert kept_draft.measures.exists()
    assert retention_apply() == type(result)(0, 0, 0)
    call_command("funding_retention", "--dry-run", verbosity=0)
