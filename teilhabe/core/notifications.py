"""E-mail notifications, rendered in the recipient's language and sent as a background task."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from teilhabe.core.tasks import send_email


def notify(*, to: list[str], template: str, context: dict, language: str | None = None) -> None:
    """Render `<template>_subject.txt` and `<template>.txt` and queue the e-mail.

    Rendering happens now (in the recipient's language); only plain strings go to the task queue.
    """
    recipients = [address for address in to if address]
    if not recipients:
        return
    with translation.override(language or settings.LANGUAGE_CODE):
        full_context = {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL, **context}
        subject = " ".join(render_to_string(f"{template}_subject.txt", full_context).split())
        body = render_to_string(f"{template}.txt", full_context)
    send_email.enqueue(to=recipients, subject=subject, body=body)
