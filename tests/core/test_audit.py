"""Changes to personal-data records are recorded (who, when, what changed), visible to staff."""

from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from teilhabe.core import roles, services
from tests.conftest import login_verified


def test_a_change_in_the_admin_is_recorded_with_who_and_what(client, alice, bob):
    login_verified(client, alice)
    url = reverse("admin:core_user_change", args=[bob.pk])
    joined = timezone.localtime(bob.date_joined)
    data = {
        "username": "bob",
        "first_name": "",
        "last_name": "",
        "email": "bob.new@example.org",
        "is_active": "on",
        "groups": [group.pk for group in bob.groups.all()],
        "date_joined_0": joined.strftime("%d.%m.%Y"),
        "date_joined_1": joined.strftime("%H:%M:%S"),
        "preferred_language": "",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = (
        LogEntry.objects.get_for_object(bob)
        .filter(action=LogEntry.Action.UPDATE)
        .latest("timestamp")
    )
    assert entry.actor == alice
    assert entry.changes_dict["email"] == ["bob@example.org", "bob.new@example.org"]
    assert entry.timestamp is not None


def test_passwords_never_reach_the_log(db, bob):
    bob.set_password("a different secret 123")
    bob.save()
    for entry in LogEntry.objects.get_for_object(bob):
        assert "password" not in entry.changes_dict


def test_role_and_membership_changes_are_recorded(db, bob, organisation):
    services.user_grant_role(user=bob, role=roles.VOLUNTEER)
    actions = LogEntry.objects.filter(content_type__model__in=["user", "membership"])
    assert actions.filter(object_repr__contains="bob").exists()
    assert any("groups" in e.changes_dict for e in LogEntry.objects.get_for_object(bob))


def test_staff_see_the_log(client, alice, bob):
    login_verified(client, alice)
    page = client.get(reverse("core:staff_audit"))
    assert page.status_code == 200
    assert "bob" in page.content.decode()
    assert client.get(reverse("core:staff_audit") + "?model=core.user").status_code == 200
