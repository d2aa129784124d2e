"""A forgotten password is reset by e-mail (sent as a background task)."""

import re

from django.core import mail
from django.urls import reverse

from teilhabe.core.models import User


def test_it_sends_a_link_that_sets_a_new_password(client, bob):
    response = client.post(reverse("core:password_reset"), {"email": "bob@example.org"})
    assert response.headers["Location"] == reverse("core:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["bob@example.org"]
    link = re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)

    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    new_password = "Neues-Passwort-2026"
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert response.headers["Location"] == reverse("core:password_reset_complete")
    assert User.objects.get(pk=bob.pk).check_password(new_password)


def test_an_unknown_address_sends_nothing_and_reveals_nothing(client, bob):
    response = client.post(reverse("core:password_reset"), {"email": "nobody@example.org"})
    assert response.headers["Location"] == reverse("core:password_reset_done")
    assert mail.outbox == []


def test_the_email_is_in_german_by_default(client, bob):
    client.post(reverse("core:password_reset"), {"email": "bob@example.org"})
    assert "Passwort" in mail.outbox[0].subject
