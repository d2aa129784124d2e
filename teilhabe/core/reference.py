"""Reference vocabulary every installation starts with. Names are gettext msgids, so the
interface shows them in the visitor's language (see NamedTag.label and Language.label)."""

from dataclasses import dataclass

from django.utils.translation import gettext_noop as N_


@dataclass(frozen=True)
class LanguageSeed:
    code: str
    name_en: str
    name_native: str
    direction: str = "ltr"


# The languages newcomers in Dortmund speak (DOMAIN.md), German and English first.
LANGUAGES: tuple[LanguageSeed, ...] = (
    LanguageSeed("de", N_("German"), "Deutsch"),
    LanguageSeed("en", N_("English"), "English"),
    LanguageSeed("ar", N_("Arabic"), "العربية", "rtl"),
    LanguageSeed("fa", N_("Persian (Farsi)"), "فارسی", "rtl"),
    LanguageSeed("prs", N_("Dari"), "دری", "rtl"),
    LanguageSeed("ps", N_("Pashto"), "پښتو", "rtl"),
    LanguageSeed("kmr", N_("Kurdish (Kurmanji)"), "Kurmancî"),
    LanguageSeed("ckb", N_("Kurdish (Sorani)"), "سۆرانی", "rtl"),
    LanguageSeed("tr", N_("Turkish"), "Türkçe"),
    LanguageSeed("ti", N_("Tigrinya"), "ትግርኛ"),
    LanguageSeed("am", N_("Amharic"), "አማርኛ"),
    LanguageSeed("so", N_("Somali"), "Soomaali"),
    LanguageSeed("fr", N_("French"), "Français"),
    LanguageSeed("ru", N_("Russian"), "Русский"),
    LanguageSeed("uk", N_("Ukrainian"), "Українська"),
    LanguageSeed("ro", N_("Romanian"), "Română"),
    LanguageSeed("bg", N_("Bulgarian"), "Български"),
    LanguageSeed("pl", N_("Polish"), "Polski"),
    LanguageSeed("sq", N_("Albanian"), "Shqip"),
    LanguageSeed("hbs", N_("Serbo-Croatian (Bosnian, Croatian, Serbian)"), "Srpskohrvatski"),
    LanguageSeed("rom", N_("Romani"), "Romani čhib"),
    LanguageSeed("ur", N_("Urdu"), "اردو", "rtl"),
    LanguageSeed("es", N_("Spanish"), "Español"),
)

# The four fields of action of the Masterplan: (number, slug, English, German).
ACTION_FIELDS: tuple[tuple[int, str, str, str], ...] = (
    (1, "bildung", N_("Education"), "Bildung"),
    (2, "arbeit", N_("Work and business"), "Arbeit und Unternehmen"),
    (
        3,
        "soziale-balance",
        N_("Social balance in the districts"),
        "Soziale Balance in den Stadtbezirken",
    ),
    (4, "weltoffene-stadt", N_("Open, international city"), "Weltoffene/Internationale Stadt"),
)

TARGET_GROUPS: tuple[tuple[str, str], ...] = (
    ("refugees", N_("Refugees")),
    ("eu-newcomers", N_("EU newcomers")),
    ("women", N_("Women")),
    ("children", N_("Children")),
    ("youth", N_("Young people")),
    ("families", N_("Families")),
    ("seniors", N_("Older people")),
    ("everyone", N_("Everyone")),
)
