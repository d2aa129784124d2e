"""Bank data: staff only, every read recorded, changes audited without the IBAN in any log.
The seeded programmes: KOMM-AN NRW with its four measure types and flat rates, the Masterplan."""

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from teilhabe.funding import services
from teilhabe.funding.models import BankDataRead, MeasureType, Programme
from teilhabe.funding.reference import programmes_load
from tests.conftest import login_verified
from tests.funding.conftest import IBAN

NEW_IBAN = "DE02120300000000202051"


def test_staff_reading_bank_data_is_recorded_without_the_data(client, alice, treff):
    login_verified(client, alice)
    response = client.get(reverse("funding:bank_details", kwargs={"organisation_pk": treff.pk}))

    assert IBAN in response.content.decode()
    (read,) = BankDataRead.objects.all()
    assert (read.reader, read.organisation) == (alice, treff)
    assert IBAN not in read.context


def test_nobody_but_staff_reads_bank_data(vera, treff, gerd):
    for user in (vera, gerd):
        with pytest.raises(PermissionDenied):
            services.bank_data_read(user=user, organisation=treff, context="x")
    assert not BankDataRead.objects.exists()


def test_the_audit_log_records_a_bank_change_but_not_the_iban(vera, treff):
    services.profile_save(
        user=vera,
        organisation=treff,
        data={"legal_form": "ev", "account_holder": "Treff e.V.", "iban": NEW_IBAN},
    )

    entries = LogEntry.objects.filter(content_type__model="fundingprofile")
    changed = [e for e in entries if "iban" in e.changes_dict]
    assert changed, "the change of the bank account is audited"
    for entry in entries:
        text = f"{entry.changes} {entry.changes_text} {entry.object_repr} {entry.serialized_data}"
        assert NEW_IBAN not in text and IBAN not in text
        assert NEW_IBAN[:12] not in text
    latest = max(changed, key=lambda entry: entry.pk)
    assert latest.changes_dict["iban"] == ["••••3000", "••••2051"]


def test_the_seeded_programmes_carry_the_flat_rates_and_load_idempotently(db):
    assert programmes_load() > 0
    assert programmes_load() == 0

    komm_an = Programme.objects.get(slug="komm-an-nrw")
    kinds = {m.slug: (m.kind, m.unit_cents) for m in komm_an.measure_types.all()}
    assert kinds == {
        "ankommenstreffpunkt": (MeasureType.Kind.FLAT_RATE, 200_000),
        "begleitung-orientierung": (MeasureType.Kind.FLAT_RATE, 25_000),
        "information-wissen": (MeasureType.Kind.COST, 0),
        "qualifizierung-ehrenamt": (MeasureType.Kind.COST, 0),
    }
    assert komm_an.criteria.count() == 4
    masterplan = Programme.objects.get(slug="masterplan")
    assert masterplan.measure_types.count() == 1
    assert masterplan.criteria.count() == 4
