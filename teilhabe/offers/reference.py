"""The six categories of Dortmund's offer map (DOMAIN.md §1), with colours, icons and names."""

from django.db import transaction

from teilhabe.core.services import upsert
from teilhabe.offers.models import Category

# Colours are dark enough for white text and a white marker outline (contrast ≥ 4.5:1).
CATEGORIES: tuple[dict, ...] = (
    {
        "slug": "beratung",
        "name": "Beratungsangebote",
        "colour": "#0b5394",
        "icon": "counselling",
        "names": {
            "en": "Counselling",
            "ar": "خدمات الاستشارة",
            "fa": "مشاوره",
            "tr": "Danışmanlık",
            "uk": "Консультації",
            "ru": "Консультации",
            "ro": "Consiliere",
            "bg": "Консултации",
        },
    },
    {
        "slug": "spenden",
        "name": "Kleider- und Möbelspenden",
        "colour": "#8a3b12",
        "icon": "donations",
        "names": {
            "en": "Clothing and furniture donations",
            "ar": "تبرعات الملابس والأثاث",
            "fa": "اهدای لباس و مبلمان",
            "tr": "Giysi ve mobilya bağışları",
            "uk": "Пожертви одягу та меблів",
            "ru": "Пожертвования одежды и мебели",
            "ro": "Donații de haine și mobilă",
            "bg": "Дарения на дрехи и мебели",
        },
    },
    {
        "slug": "bildung",
        "name": "Bildungsangebote",
        "colour": "#1e6b34",
        "icon": "education",
        "names": {
            "en": "Education",
            "ar": "التعليم",
            "fa": "آموزش",
            "tr": "Eğitim",
            "uk": "Освіта",
            "ru": "Образование",
            "ro": "Educație",
            "bg": "Образование",
        },
    },
    {
        "slug": "patenschaften",
        "name": "Patenschaftsangebote",
        "colour": "#6a1b9a",
        "icon": "mentoring",
        "names": {
            "en": "Mentoring",
            "ar": "برامج الرعاية والإرشاد",
            "fa": "برنامه‌های همراهی",
            "tr": "Mentorluk",
            "uk": "Наставництво",
            "ru": "Наставничество",
            "ro": "Mentorat",
            "bg": "Наставничество",
        },
    },
    {
        "slug": "freizeit",
        "name": "Sport-, Freizeit- und Kulturangebote",
        "colour": "#b3261e",
        "icon": "leisure",
        "names": {
            "en": "Sport, leisure and culture",
            "ar": "الرياضة والترفيه والثقافة",
            "fa": "ورزش، اوقات فراغت و فرهنگ",
            "tr": "Spor, boş zaman ve kültür",
            "uk": "Спорт, дозвілля та культура",
            "ru": "Спорт, досуг и культура",
            "ro": "Sport, timp liber și cultură",
            "bg": "Спорт, свободно време и култура",
        },
    },
    {
        "slug": "treffpunkte",
        "name": "Treffpunkte",
        "colour": "#00626b",
        "icon": "meeting",
        "names": {
            "en": "Meeting points",
            "ar": "أماكن اللقاء",
            "fa": "مکان‌های دیدار",
            "tr": "Buluşma noktaları",
            "uk": "Місця зустрічей",
            "ru": "Места встреч",
            "ro": "Locuri de întâlnire",
            "bg": "Места за срещи",
        },
    },
)


@transaction.atomic
def categories_load() -> int:
    written = 0
    for order, seed in enumerate(CATEGORIES, start=1):
        _obj, changed = upsert(
            Category,
            {"slug": seed["slug"]},
            {**{k: v for k, v in seed.items() if k != "slug"}, "sort_order": order},
        )
        written += changed
    return written
