"""Changes to personal-data records are recorded (who, when, what changed), visible to staff."""

from auditlog.models import LogEntry
from django.urls import reverse

from teilhabe.core import roles, services
from teilhabe.core.models import User
from tests.conftest import login_verified


def test_a_change_in_the_admin_is_recorded_with_who_and_what(client, alice, bob):
    login_verified(client, alice)
    url = reverse("admin:core_user_change", args=[bob.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update({"email": "bob.new@example.org", "groups": [g.pk for g in bob.groups.all()]})
    data.pop("password", None)
    data.pop("user_permissions", None)
    data["date_joined_0"], data["date_joined_1"] = bob.date_joined.strftime("%Y-%m-%d %H:%M:%S").split()
    if data.get("last_login"):
        data.pop("last_login")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = LogEntry.objects.get_for_object(bob).filter(action=LogEntry.Action.UPDATE).latest(
        "timestamp"
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
    User.objects.filter(pk=bob.pk).update()  # no-op, the creation is already logged
    login_verified(client, alice)
    page = client.get(reverse("core:staff_audit"))
    assert page.status_code == 200
    assert "bob" in page.content.decode()
    assert client.get(reverse("core:staff_audit") + "?model=core.user").status_code == 200
