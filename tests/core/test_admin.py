"""Staff can open every admin list and form of the shared vocabulary."""

import pytest
from django.contrib import admin
from django.urls import reverse

from teilhabe.core.models import Organisation
from tests.conftest import login_verified

CORE_MODELS = [model for model in admin.site._registry if model._meta.app_label == "core"]


@pytest.mark.parametrize("model", CORE_MODELS, ids=lambda m: m._meta.model_name)
def test_every_list_and_add_form_opens(client, alice, districts, reference_data, model):
    login_verified(client, alice)
    opts = model._meta
    assert (
        client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")).status_code
        == 200
    )
    add = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    assert add.status_code == (403 if opts.model_name == "district" else 200)


def test_saving_an_organisation_derives_its_district(client, alice, districts):
    login_verified(client, alice)
    response = client.post(
        reverse("admin:core_organisation_add"),
        {
            "name": "Nordstadt-Treff",
            "slug": "nordstadt-treff",
            "kind": "initiative",
            "latitude": "51.5207",
            "longitude": "7.4517",
            "is_active": "on",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Organisation.objects.get(slug="nordstadt-treff").district.name == "Innenstadt-Nord"
