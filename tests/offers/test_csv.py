"""Staff keep offers in a spreadsheet: they import a CSV file (all or nothing, every bad row named
with its line), and export offers in the same columns."""

import io
from datetime import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from teilhabe.offers import csv_io
from teilhabe.offers.models import Offer, OfferTranslation
from tests.conftest import login_verified

HEADER = (
    "title,description,organisation,category,target_groups,languages,is_free,cost_note,"
    "wheelchair_access,street,postcode,city,latitude,longitude,by_appointment,hours_note,"
    "weekly_slots,phone,email,website,title_en,description_en,title_ar,description_ar"
)
GOOD_ROWS = [
    'Sprachcafé Nord,"Deutsch sprechen, Tee trinken",sprachcafe-nord,treffpunkte,'
    "refugees|women,de|ar,yes,,yes,Mallinckrodtstraße 10,44145,Dortmund,51.5227,7.4650,no,,"
    '"Mo 10:00-12:00|Wed 14:00-16:00",,cafe@example.org,https://example.org,'
    "Language café North,Speak German,مقهى اللغة,تحدث الألمانية",
    "Kleiderkammer,,Sprachcafé Nord,spenden,,,nein,2 € Spende,teilweise,Am Markt 1,,Dortmund,"
    "51.5136,7.4653,ja,nach Absprache,Di-Do 9-11,,,,,,,",
]


def csv_text(*rows: str, header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


@pytest.fixture(autouse=True)
def english():
    # The messages are translated; these tests read them in their English source form.
    with translation.override("en"):
        yield


@pytest.fixture
def ready(reference_data, districts, organisation):
    return organisation


@pytest.fixture
def staff(alice):
    # The staff role carries the offers permissions (core/roles.py); nothing granted here.
    return alice


def test_a_good_file_becomes_offers_waiting_for_review(ready):
    offers = csv_io.offers_import(csv_text(*GOOD_ROWS))
    assert len(offers) == 2
    cafe = Offer.objects.get(title="Sprachcafé Nord")
    assert cafe.status == Offer.Status.REVIEW
    assert cafe.district.name == "Innenstadt-Nord"
    assert sorted(cafe.target_groups.values_list("slug", flat=True)) == ["refugees", "women"]
    assert sorted(cafe.languages.values_list("code", flat=True)) == ["ar", "de"]
    assert [(s.weekday, s.opens, s.closes) for s in cafe.weekly_slots.all()] == [
        (0, time(10), time(12)),
        (2, time(14), time(16)),
    ]
    assert cafe.wheelchair_access == Offer.Access.YES
    assert cafe.text_in("ar")[0] == "مقهى اللغة"
    assert cafe.text_in("en")[1] == "Speak German"
    shop = Offer.objects.get(title="Kleiderkammer")
    assert not shop.is_free
    assert shop.by_appointment
    assert shop.wheelchair_access == Offer.Access.PARTLY
    assert [s.weekday for s in shop.weekly_slots.all()] == [1, 2, 3]
    assert not Offer.objects.public().exists()


def test_staff_may_publish_directly(ready):
    csv_io.offers_import(csv_text(*GOOD_ROWS), publish=True)
    assert Offer.objects.public().count() == 2
    assert all(o.last_confirmed_at for o in Offer.objects.all())


def test_a_file_with_broken_rows_changes_nothing_and_names_every_line(ready):
    text = csv_text(
        GOOD_ROWS[0],
        "Beratung,,no-such-org,beratung,,,,,,Weg 1,,Dortmund,51.5,7.4,,,,,,,,,,",
        "Beratung 2,,sprachcafe-nord,no-such-category,,,,,,Weg 1,,Dortmund,51.5,7.4,,,,,,,,,,",
        "Ohne Ort,,sprachcafe-nord,beratung,,,,,,Weg 2,,Dortmund,,,,,,,,,,,,",
        "Kaputte Zeiten,,sprachcafe-nord,beratung,,,,,,Weg 3,,Dortmund,51.5,7.4,,,Xy 10-12,,,,,,,",
        "Schlechte Mail,,sprachcafe-nord,beratung,,xx,,,,Weg 4,,Dortmund,51.5,7.4,,,"
        "Mo 12:00-10:00,,keine-mail,,,,,",
    )
    with pytest.raises(csv_io.CsvImportError) as caught:
        csv_io.offers_import(text)
    message = str(caught.value)
    assert "line 3: organisation 'no-such-org' not found" in message
    assert "line 4: category 'no-such-category' not found" in message
    assert "line 5: no coordinates and no geocoder configured" in message
    assert "line 6: weekly_slots: 'Xy' in 'Xy 10-12' is not a weekday" in message
    assert "line 7: language code 'xx' not found" in message
    assert "line 7: weekly_slots: '12:00-10:00': the end must be after the start" in message
    assert "line 7: email: 'keine-mail' is not an e-mail address" in message
    assert {error.line for error in caught.value.errors} == {3, 4, 5, 6, 7}
    assert Offer.objects.count() == 0
    assert OfferTranslation.objects.count() == 0


def test_a_quoted_line_break_keeps_the_line_numbers_right(ready):
    text = csv_text(
        'Zwei Zeilen,"erste\nzweite",sprachcafe-nord,beratung,,,,,,Weg 1,,Dortmund,51.5,7.4'
        ",,,,,,,,,,",
        "Falsch,,sprachcafe-nord,beratung,,,vielleicht,,,Weg 2,,Dortmund,51.5,7.4,,,,,,,,,,",
    )
    with pytest.raises(csv_io.CsvImportError) as caught:
        csv_io.offers_import(text)
    assert [str(e) for e in caught.value.errors] == [
        "line 4: is_free: 'vielleicht' is not yes or no"
    ]


def test_german_excel_files_with_semicolons_and_a_byte_order_mark_import(ready):
    text = (
        "\ufefftitle;organisation;category;latitude;longitude;weekly_slots;description\r\n"
        'Elterncafé;sprachcafe-nord;treffpunkte;51,5227;7,4650;Mo 08:30-10:00|Fr 8.15–9.45;"a; b"'
        "\r\n;;;;;;\r\n"
    )
    offers = csv_io.offers_import(text.encode("utf-8"))
    assert len(offers) == 1
    offer = offers[0]
    assert (offer.latitude, offer.longitude) == (51.5227, 7.465)
    assert offer.description == "a; b"
    assert offer.weekly_slots.count() == 2


def test_a_file_that_is_not_utf8_is_refused_with_a_hint(ready):
    data = "title,organisation,category\nKöln,sprachcafe-nord,beratung\n".encode("cp1252")
    with pytest.raises(csv_io.CsvImportError) as caught:
        csv_io.offers_import(data)
    assert "line 2: the file is not UTF-8 encoded" in str(caught.value)


def test_unknown_or_missing_columns_are_named(ready):
    with pytest.raises(csv_io.CsvImportError) as caught:
        csv_io.offers_import("titel,organisation\nx,y\n")
    message = str(caught.value)
    assert "line 1: unknown column 'titel'" in message
    assert "missing column(s): title, category" in message


def test_the_same_offer_twice_is_refused(ready):
    csv_io.offers_import(csv_text(GOOD_ROWS[0]))
    with pytest.raises(csv_io.CsvImportError) as caught:
        csv_io.offers_import(csv_text(GOOD_ROWS[1], GOOD_ROWS[1]))
    assert "line 3: the same offer (organisation, title, street) as line 2" in str(caught.value)
    with pytest.raises(csv_io.CsvImportError) as caught:
        csv_io.offers_import(csv_text(GOOD_ROWS[0]))
    assert "line 2: 'Sprachcafé Nord' of Sprachcafé Nord" in str(caught.value)


def test_export_then_import_gives_the_same_offers(ready):
    csv_io.offers_import(csv_text(*GOOD_ROWS), publish=True)
    cafe = Offer.objects.get(title="Sprachcafé Nord")
    cafe.dates.create(date="2030-05-01", starts=time(10), ends=time(12))
    cafe.dates.create(date="2030-06-01")
    cafe.translations.create(language="fa", title="کافه زبان", description="آلمانی")
    exported = csv_io.offers_export(Offer.objects.all())
    before = sorted(
        (csv_io.offer_row(o) for o in csv_io.export_queryset(Offer.objects.all())),
        key=lambda row: row["title"],
    )
    Offer.objects.all().delete()
    csv_io.offers_import(exported.encode("utf-8"), publish=True)
    after = sorted(
        (csv_io.offer_row(o) for o in csv_io.export_queryset(Offer.objects.all())),
        key=lambda row: row["title"],
    )
    assert after == before
    assert csv_io.offers_export(Offer.objects.all()) == exported
    assert exported.startswith("\ufefftitle;description;organisation;")


def test_every_column_is_documented():
    assert [name for name, _text in csv_io.COLUMN_HELP] == list(csv_io.COLUMNS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mo 10:00-12:00", [(0, time(10), time(12))]),
        ("Tue 10-12|thu 9:30-11", [(1, time(10), time(12)), (3, time(9, 30), time(11))]),
        ("Mi. 14.00–16.00 Uhr", [(2, time(14), time(16))]),
        ("Sa,So 10-14", [(5, time(10), time(14)), (6, time(10), time(14))]),
        ("Mo-Mi 8-9", [(0, time(8), time(9)), (1, time(8), time(9)), (2, time(8), time(9))]),
        ("Sunday 15:00 - 17:00", [(6, time(15), time(17))]),
        ("", []),
    ],
)
def test_weekly_hours_read_german_and_english(text, expected):
    assert csv_io.parse_weekly_slots(text) == expected


@pytest.mark.parametrize("text", ["Mo", "10-12", "Mo 25:00-26:00", "Fr-Mo 9-10", "Xy 9-10"])
def test_weekly_hours_that_make_no_sense_are_refused(text):
    with pytest.raises(ValueError, match="'"):
        csv_io.parse_weekly_slots(text)


def test_the_commands_import_and_export(ready, tmp_path):
    path = tmp_path / "angebote.csv"
    path.write_text(csv_text(*GOOD_ROWS), encoding="utf-8")
    out = io.StringIO()
    call_command("import_offers_csv", str(path), "--check", stdout=out)
    assert "2 offers can be imported" in out.getvalue()
    assert Offer.objects.count() == 0
    call_command("import_offers_csv", str(path), "--publish", stdout=out)
    assert Offer.objects.public().count() == 2
    exported = io.StringIO()
    call_command("export_offers_csv", "--delimiter", ",", "--no-bom", stdout=exported)
    assert exported.getvalue().startswith("title,description,organisation,")
    assert exported.getvalue().count("\n") == 3


def test_the_import_command_lists_every_bad_line(ready, tmp_path):
    path = tmp_path / "kaputt.csv"
    path.write_text(
        csv_text(
            "A,,nobody,beratung,,,,,,,,,51.5,7.4,,,,,,,,,,",
            "B,,sprachcafe-nord,beratung,,,,,,,,,,,,,,,,,,,,",
        ),
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as caught:
        call_command("import_offers_csv", str(path))
    message = str(caught.value)
    assert "2 problem(s), nothing was imported" in message
    assert "line 2: organisation 'nobody' not found" in message
    assert "line 3: no coordinates and no geocoder configured" in message


def test_staff_import_a_file_in_the_admin(client, ready, staff):
    login_verified(client, staff)
    url = reverse("admin:offers_offer_import_csv")
    page = client.get(url)
    assert page.status_code == 200
    assert b"weekly_slots" in page.content
    changelist = client.get(reverse("admin:offers_offer_changelist"))
    assert url.encode() in changelist.content
    upload = SimpleUploadedFile("angebote.csv", csv_text(*GOOD_ROWS).encode("utf-8"))
    response = client.post(url, {"file": upload, "publish": "on"})
    assert response.status_code == 302
    assert "status__exact=published" in response.headers["Location"]
    assert Offer.objects.public().count() == 2
    assert set(Offer.objects.values_list("submitted_by", flat=True)) == {staff.pk}


def test_the_admin_import_shows_every_error_without_changing_anything(client, ready, staff):
    login_verified(client, staff)
    upload = SimpleUploadedFile(
        "angebote.csv",
        csv_text(
            GOOD_ROWS[0],
            "A,,nobody,beratung,,,,,,,,,51.5,7.4,,,,,,,,,,",
            "B,,sprachcafe-nord,beratung,,,,,,,,,,,,,,,,,,,,",
        ).encode("utf-8"),
    )
    response = client.post(reverse("admin:offers_offer_import_csv"), {"file": upload})
    assert response.status_code == 200
    assert [error.line for error in response.context["errors"]] == [3, 4]
    text = response.content.decode()
    assert "nobody" in text
    assert 'id="import-errors"' in text
    assert Offer.objects.count() == 0
    empty = client.post(reverse("admin:offers_offer_import_csv"), {})
    assert empty.status_code == 200
    garbage = SimpleUploadedFile("x.csv", b"\xff\xfe\x00garbage")
    assert client.post(reverse("admin:offers_offer_import_csv"), {"file": garbage}).status_code == (
        200
    )


def test_the_admin_import_is_for_staff_only(client, ready, bob):
    client.force_login(bob)
    response = client.get(reverse("admin:offers_offer_import_csv"))
    assert response.status_code == 302
    assert "import-csv" not in response.headers["Location"].split("?")[0]


def test_the_export_action_answers_with_a_csv_file(client, ready, staff):
    csv_io.offers_import(csv_text(*GOOD_ROWS))
    login_verified(client, staff)
    response = client.post(
        reverse("admin:offers_offer_changelist"),
        {
            "action": "export_csv",
            "_selected_action": list(Offer.objects.values_list("pk", flat=True)),
        },
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    assert "Sprachcafé Nord" in text and "Kleiderkammer" in text
    assert "Mo 10:00-12:00|Mi 14:00-16:00" in text
