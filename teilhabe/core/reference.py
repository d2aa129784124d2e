"""Reference vocabulary every installation starts with. Names are gettext msgids, so the
interface shows them in the visitor's language (see NamedTag.label and Language.label)."""

from dataclasses import dataclass

from django.utils.translation import gettext_noop


@dataclass(frozen=True)
class LanguageSeed:
    code: str
    name_en: str
    name_native: str
    direction: str = "ltr"


# The languages newcomers in Dortmund speak (DOMAIN.md), German and English first.
LANGUAGES: tuple[LanguageSeed, ...] = (
    LanguageSeed("de", gettext_noop("German"), "Deutsch"),
    LanguageSeed("en", gettext_noop("English"), "English"),
    LanguageSeed("ar", gettext_noop("Arabic"), "العربية", "rtl"),
    LanguageSeed("fa", gettext_noop("Persian (Farsi)"), "فارسی", "rtl"),
    LanguageSeed("prs", gettext_noop("Dari"), "دری", "rtl"),
    LanguageSeed("ps", gettext_noop("Pashto"), "پښتو", "rtl"),
    LanguageSeed("kmr", gettext_noop("Kurdish (Kurmanji)"), "Kurmancî"),
    LanguageSeed("ckb", gettext_noop("Kurdish (Sorani)"), "سۆرانی", "rtl"),
    LanguageSeed("tr", gettext_noop("Turkish"), "Türkçe"),
    LanguageSeed("ti", gettext_noop("Tigrinya"), "ትግርኛ"),
    LanguageSeed("am", gettext_noop("Amharic"), "አማርኛ"),
    LanguageSeed("so", gettext_noop("Somali"), "Soomaali"),
    LanguageSeed("fr", gettext_noop("French"), "Français"),
    LanguageSeed("ru", gettext_noop("Russian"), "Русский"),
    LanguageSeed("uk", gettext_noop("Ukrainian"), "Українська"),
    LanguageSeed("ro", gettext_noop("Romanian"), "Română"),
    LanguageSeed("bg", gettext_noop("Bulgarian"), "Български"),
    LanguageSeed("pl", gettext_noop("Polish"), "Polski"),
    LanguageSeed("sq", gettext_noop("Albanian"), "Shqip"),
    LanguageSeed(
        "hbs", gettext_noop("Serbo-Croatian (Bosnian, Croatian, Serbian)"), "Srpskohrvatski"
    ),
    LanguageSeed("rom", gettext_noop("Romani"), "Romani čhib"),
    LanguageSeed("ur", gettext_noop("Urdu"), "اردو", "rtl"),
    LanguageSeed("es", gettext_noop("Spanish"), "Español"),
)

# The four fields of action of the Masterplan: (number, slug, English, German).
ACTION_FIELDS: tuple[tuple[int, str, str, str], ...] = (
    (1, "bildung", gettext_noop("Education"), "Bildung"),
    (2, "arbeit", gettext_noop("Work and business"), "Arbeit und Unternehmen"),
    (
        3,
        "soziale-balance",
        gettext_noop("Social balance in the districts"),
        "Soziale Balance in den Stadtbezirken",
    ),
    (
        4,
        "weltoffene-stadt",
        gettext_noop("Open, international city"),
        "Weltoffene/Internationale Stadt",
    ),
)

TARGET_GROUPS: tuple[tuple[str, str], ...] = (
    ("refugees", gettext_noop("Refugees")),
    ("eu-newcomers", gettext_noop("EU newcomers")),
    ("women", gettext_noop("Women")),
    ("children", gettext_noop("Children")),
    ("youth", gettext_noop("Young people")),
    ("families", gettext_noop("Families")),
    ("seniors", gettext_noop("Older people")),
    ("everyone", gettext_noop("Everyone")),
)
