"""Staff open every funding admin list; programmes, periods, measure types and criteria are
edited there; workflow records are read-only; the IBAN is not shown in the admin."""

import pytest
from django.urls import reverse

from teilhabe.funding import models
from tests.conftest import login_verified

EDITABLE = [models.Programme, models.Period, models.MeasureType, models.ReviewCriterion]
READ_ONLY = [
    models.Application,
    models.Measure,
    models.Attachment,
    models.FormalCheck,
    models.ConflictOfInterest,
    models.Review,
    models.Score,
    models.Allocation,
    models.AllocationEntry,
    models.Decision,
    models.BankDataRead,
    models.PaymentPlan,
    models.Payment,
    models.ProofOfUse,
    models.ProofReceipt,
    models.ProofCheck,
    models.RepaymentClaim,
    models.Repayment,
    models.ProofReminder,
]


@pytest.mark.parametrize(
    "model", [*EDITABLE, *READ_ONLY, models.FundingProfile], ids=lambda m: m._meta.model_name
)
def test_every_funding_list_opens_for_staff(client, alice, komm_an, model):
    login_verified(client, alice)
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert client.get(url).status_code == 200
    add = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    assert add.status_code == (200 if model in EDITABLE else 403)


def test_the_profile_admin_shows_the_iban_masked(client, alice, treff):
    login_verified(client, alice)
    profile = treff.funding_profile
    page = client.get(
        reverse("admin:funding_fundingprofile_change", args=[profile.pk])
    ).content.decode()
    assert profile.iban not in page
    assert profile.iban_masked in page


def test_a_payment_plan_and_its_instalments_are_shown_but_not_editable(
    client, alice, vera, treff, period
):
    from datetime import date

    from tests.funding.grants import granted, paid_in_full

    grant = granted(vera, treff, period, alice)
    paid_in_full(grant, alice, on=date(2026, 4, 1))
    plan = models.PaymentPlan.objects.get(decision__application=grant)
    login_verified(client, alice)

    page = client.get(reverse("admin:funding_paymentplan_change", args=[plan.pk]))

    assert page.status_code == 200
    html = page.content.decode()
    assert "4.000,00" in html or "400000" in html  # the instalment's amount is shown
    assert 'name="instalments-0-amount_cents"' not in html  # … but not as an input
    assert 'name="_save"' not in html
