from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def mask_iban(value: str) -> str:
    """What the audit log keeps of an IBAN: that it changed, and its last four characters."""
    text = str(value or "")
    return f"••••{text[-4:]}" if text else ""


class FundingConfig(AppConfig):
    name = "teilhabe.funding"
    label = "funding"
    verbose_name = _("Funding programmes")
    # Called by `manage.py load_reference_data` and `load_demo` (see core's commands).
    reference_loader = "teilhabe.funding.reference.programmes_load"
    demo_loader = "teilhabe.funding.demo.demo_load"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from teilhabe.funding.models import (
            Application,
            Decision,
            FundingProfile,
            Instalment,
            Payment,
            PaymentPlan,
            ProofOfUse,
            Repayment,
            RepaymentClaim,
        )

        if auditlog.contains(FundingProfile):
            return
        # Bank data and contact are personal data; the IBAN and BIC are masked in the log.
        auditlog.register(
            FundingProfile,
            include_fields=[
                "legal_form",
                "account_holder",
                "iban",
                "bic",
                "contact_name",
                "contact_email",
                "contact_phone",
            ],
            mask_fields=["iban", "bic"],
            mask_callable="teilhabe.funding.apps.mask_iban",
        )
        auditlog.register(Application, include_fields=["status", "title", "organisation"])
        auditlog.register(
            Decision, include_fields=["outcome", "granted_cents", "reason", "decided_by"]
        )
        # Money out and back: every payment-side change is audited.
        auditlog.register(PaymentPlan)
        auditlog.register(Instalment)
        auditlog.register(Payment)
        auditlog.register(ProofOfUse, exclude_fields=["created_at", "updated_at"])
        auditlog.register(RepaymentClaim, exclude_fields=["created_at", "updated_at"])
        auditlog.register(Repayment)
