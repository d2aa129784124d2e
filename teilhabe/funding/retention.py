"""Retention of the funding module's personal data (run hourly by `manage.py funding_retention`).

Applications that were submitted are records of public spending and stay. What goes:
- drafts never submitted and untouched for FUNDING_DRAFT_RETENTION_DAYS, with their documents;
- the documents of withdrawn applications, the same number of days after the withdrawal;
- records of who read bank data, after FUNDING_ACCESS_LOG_RETENTION_DAYS.
Idempotent: a second run in the same hour finds nothing.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from teilhabe.funding.models import Application, Attachment, BankDataRead


@dataclass(frozen=True)
class RetentionResult:
    drafts_deleted: int
    documents_deleted: int
    access_records_deleted: int


def _delete_files(attachments) -> int:
    count = 0
    for attachment in attachments:
        stored = attachment.file
        attachment.delete()
        transaction.on_commit(lambda stored=stored: stored.storage.delete(stored.name))
        count += 1
    return count


@transaction.atomic
def retention_apply(*, now: datetime | None = None, dry_run: bool = False) -> RetentionResult:
    now = now or timezone.now()
    draft_cutoff = now - timedelta(days=settings.FUNDING_DRAFT_RETENTION_DAYS)
    drafts = Application.objects.filter(
        status=Application.Status.DRAFT, submitted_at__isnull=True, updated_at__lt=draft_cutoff
    )
    withdrawn_documents = Attachment.objects.filter(
        application__status=Application.Status.WITHDRAWN,
        application__withdrawn_at__lt=draft_cutoff,
    )
    reads = BankDataRead.objects.filter(
        read_at__lt=now - timedelta(days=settings.FUNDING_ACCESS_LOG_RETENTION_DAYS)
    )
    if dry_run:
        return RetentionResult(drafts.count(), withdrawn_documents.count(), reads.count())
    draft_documents = Attachment.objects.filter(application__in=drafts)
    documents = _delete_files(list(draft_documents)) + _delete_files(list(withdrawn_documents))
    draft_count = drafts.count()
    for draft in drafts:
        draft.delete()
    read_count, _by_model = reads.delete()
    return RetentionResult(draft_count, documents, read_count)
