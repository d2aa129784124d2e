"""Staff cannot reach the admin or staff pages without a second factor (TOTP)."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from teilhabe.core import roles, services
from tests.conftest import PASSWORD, current_code, make_user


def log_in(client, username, next_url=None):
    url = reverse("core:login") + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"username": username, "password": PASSWORD})


def test_it_asks_staff_for_the_second_factor_after_the_password(client, alice):
    response = log_in(client, "alice", next_url=reverse("core:staff_dashboard"))
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("core:second_factor"))


@pytest.mark.parametrize(
    "url_name",
    [
        "core:staff_dashboard",
        "core:staff_audit",
        "admin:index",
        "admin:core_user_changelist",
        "core:account",
    ],
)
def test_it_keeps_staff_out_until_the_code_is_entered(client, alice, url_name):
    log_in(client, "alice")
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith((reverse("core:second_factor"), reverse("admin:login")))
    # The admin's own log-in page sends them on to the same second-factor page.
    if location.startswith(reverse("admin:login")):
        assert client.get(location).headers["Location"].startswith(reverse("core:second_factor"))


def test_it_lets_staff_in_with_the_right_code(client, alice):
    device = TOTPDevice.objects.get(user=alice)
    log_in(client, "alice")
    response = client.post(
        reverse("core:second_factor") + "?next=" + reverse("admin:index"),
        {"token": current_code(device)},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("core:staff_dashboard")).status_code == 200


def test_it_refuses_a_wrong_code(client, alice):
    log_in(client, "alice")
    response = client.post(reverse("core:second_factor"), {"token": "000000"})
    assert response.status_code == 200
    assert response.context["form"].errors["token"]
    assert client.get(reverse("core:staff_dashboard")).status_code == 302


def test_it_refuses_an_external_next_url(client, alice):
    device = TOTPDevice.objects.get(user=alice)
    log_in(client, "alice")
    response = client.post(
        reverse("core:second_factor") + "?next=https://evil.example/",
        {"token": current_code(device)},
    )
    assert response.headers["Location"] == reverse("core:account")


def test_new_staff_set_up_an_authenticator_first(client, db):
    make_user("dora", roles.STAFF)
    log_in(client, "dora")
    page = client.get(reverse("core:second_factor"))
    assert page.context["enrolling"] is True
    assert page.context["qr_svg_data_uri"].startswith("data:image/svg+xml")
    device = TOTPDevice.objects.get(user__username="dora")
    assert not device.confirmed
    assert page.context["secret"] == services.totp_secret_base32(device)

    response = client.post(reverse("core:second_factor"), {"token": current_code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("core:staff_dashboard")).status_code == 200


@pytest.mark.parametrize("role", [roles.COMMITTEE_MEMBER, roles.PLACEMENT_OFFICER])
def test_other_roles_with_personal_data_need_it_too(client, db, role):
    make_user("erin", role)
    response = log_in(client, "erin")
    assert response.headers["Location"].startswith(reverse("core:second_factor"))


def test_organisation_members_go_straight_in(client, bob):
    response = log_in(client, "bob")
    assert response.headers["Location"] == reverse("core:account")
    assert client.get(reverse("core:account")).status_code == 200
