"""Staff open every mediation admin list; expense statements are shown read-only (they change
only through expense_services)."""

import pytest
from django.urls import reverse

from teilhabe.mediation import models
from teilhabe.mediation.expense_models import ExpenseStatement
from tests.conftest import login_verified

LISTS = [
    models.MediatorProfile,
    models.Institution,
    models.InstitutionPlace,
    models.RequesterProfile,
    models.MediationRequest,
    models.Assignment,
    models.Cancellation,
    models.BatchProposal,
    models.MediatorRecordAccess,
    ExpenseStatement,
]


@pytest.mark.parametrize("model", LISTS, ids=lambda m: m._meta.model_name)
def test_every_mediation_list_opens_for_staff(client, alice, model):
    login_verified(client, alice)
    opts = model._meta
    assert (
        client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")).status_code
        == 200
    )


def test_expense_statements_cannot_be_added_in_the_admin(client, alice):
    login_verified(client, alice)
    assert client.get(reverse("admin:mediation_expensestatement_add")).status_code == 403
