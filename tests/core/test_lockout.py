"""After repeated failed log-ins the account is locked for a while (django-axes)."""

from django.urls import reverse

from tests.conftest import PASSWORD


def attempt(client, password):
    return client.post(reverse("core:login"), {"username": "bob", "password": password})


def test_it_locks_after_the_limit_even_for_the_right_password(client, bob, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = attempt(client, "wrong password")
        assert response.status_code == 200  # the form again, with an error
        assert response.context["form"].errors
    response = attempt(client, "wrong password")
    assert response.status_code == 429
    assert "registration/lockout.html" in [t.name for t in response.templates]

    response = attempt(client, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_success_before_the_limit_resets_the_count(client, bob, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "wrong password")
    assert attempt(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "wrong password").status_code == 200
