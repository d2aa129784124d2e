"""Demo offers for the Dortmund demo: about 150 offers in all 12 districts and all six categories.

Each offer is built from a template (a kind of offer with German, English and Arabic texts) and
placed at a real public facility of the city (data/dortmund/einrichtungen.geojson: libraries,
youth centres, senior counselling offices, Kitas, schools), run by one of the demo organisations.
Every offer is marked `is_demo` and its descriptions begin with DEMO_NOTE.

The plan (`demo_plan`) is a pure function of the facility file and a fixed seed, so every run
builds the same offers; `demo_load` writes only what differs (a second run writes 0 rows).
Dates that depend on "today" (last confirmation, one-off dates) are fixed when an offer is first
created and never moved by a later run.
"""

import json
import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from teilhabe.core import services as core_services
from teilhabe.core.geo import Area, AreaIndex
from teilhabe.core.models import District, Language, Organisation, TargetGroup
from teilhabe.offers.csv_io import parse_time_range, parse_weekly_slots
from teilhabe.offers.models import Category, Offer, OfferTranslation, OneOffDate, WeeklySlot

FACILITIES = Path(settings.BASE_DIR) / "data" / "dortmund" / "einrichtungen.geojson"
SEED = 20180201  # the map went public in February 2018
NAMESPACE = uuid.UUID("6f1d5a8e-2b7c-4f0e-9a51-3c8d7e2f4b10")
OFFERS_PER_DISTRICT = 13
TRANSLATED_SHARE = 0.6
DEMO_NOTE = {
    "de": "Demo-Datensatz – kein echtes Angebot.",
    "en": "Demo record – not a real offer.",
    "ar": "سجل تجريبي – ليس عرضًا حقيقيًا.",
}
PLACE_LABEL = {"de": "Ort", "en": "Place", "ar": "المكان"}

# objektart in the facility file → the kind of place used by the templates.
FACILITY_KINDS = {
    "Bibliothek": "library",
    "Jugendzentrum": "youth",
    "Beratungsstelle": "counselling",
    "Kindergarten": "kita",
    "Grundschule": "primary",
    "Hauptschule": "school",
    "Realschule": "school",
    "Gesamtschule": "school",
    "Gymnasium": "school",
}


@dataclass(frozen=True)
class Template:
    key: str
    category: str
    kinds: tuple[str, ...]  # where it fits, best first
    title: tuple[str, str, str]  # de, en, ar
    text: tuple[str, str, str]
    groups: tuple[str, ...]
    languages: tuple[str, ...]
    slots: tuple[str, ...] = ()  # alternatives in the CSV notation, one is picked
    is_free: bool = True
    cost_note: str = ""
    by_appointment: bool = False
    hours_note: str = ""
    dates: tuple[int, ...] = ()  # one-off dates: days after the offer was created
    date_times: str = ""


TEMPLATES: tuple[Template, ...] = (
    # --- Beratungsangebote -------------------------------------------------------------------
    Template(
        "asylberatung",
        "beratung",
        ("counselling", "library", "youth"),
        (
            "Asyl- und Aufenthaltsberatung",
            "Asylum and residence counselling",
            "استشارات اللجوء والإقامة",
        ),
        (
            "Wir beraten vertraulich zu Asylverfahren, Aufenthalt, Duldung und Familiennachzug und "
            "helfen, Briefe vom BAMF und von der Ausländerbehörde zu verstehen. Dolmetschen nach "
            "Absprache.",
            "Confidential advice on asylum procedures, residence permits, toleration (Duldung) "
            "and family reunification; we help you understand letters from the BAMF and the "
            "immigration office. Interpreting on request.",
            "نقدم استشارات سرية حول إجراءات اللجوء والإقامة والتسامح المؤقت (Duldung) ولمّ شمل "
            "الأسرة، ونساعدك على فهم رسائل المكتب الاتحادي للهجرة واللاجئين ودائرة الأجانب. "
            "الترجمة متاحة عند الطلب.",
        ),
        ("refugees", "families"),
        ("de", "en", "ar", "fa"),
        ("Mo 09:00-12:00|Mi 09:00-12:00", "Di 09:00-12:00|Do 13:00-16:00", "Mo 13:00-16:00"),
        hours_note="Offene Sprechstunde; andere Zeiten nach Vereinbarung.",
    ),
    Template(
        "sozialberatung",
        "beratung",
        ("counselling", "youth", "library"),
        (
            "Sozialberatung und Hilfe bei Anträgen",
            "Social counselling and help with forms",
            "استشارات اجتماعية ومساعدة في تعبئة الطلبات",
        ),
        (
            "Hilfe bei Anträgen und Briefen von Jobcenter, Familienkasse, Krankenkasse und "
            "Wohnungsamt. Bitte bringen Sie Ihre Unterlagen mit.",
            "Help with forms and letters from the job centre, the family benefits office, health "
            "insurance and the housing office. Please bring your documents.",
            "مساعدة في تعبئة الطلبات وفهم الرسائل من مركز العمل (Jobcenter) وصندوق إعانة الأطفال "
            "والتأمين الصحي ودائرة السكن. يرجى إحضار أوراقك معك.",
        ),
        ("refugees", "eu-newcomers", "families"),
        ("de", "ar", "tr", "ru"),
        ("Di 09:00-12:00|Do 14:00-17:00", "Mo 10:00-13:00|Mi 10:00-13:00", "Mi 14:00-18:00"),
    ),
    Template(
        "eu-beratung",
        "beratung",
        ("counselling", "library", "youth"),
        (
            "Beratung für Zugewanderte aus der EU",
            "Counselling for newcomers from the EU",
            "استشارات للقادمين من دول الاتحاد الأوروبي",
        ),
        (
            "Beratung zu Anmeldung, Arbeit, Wohnung, Kindergeld und Krankenversicherung für "
            "Menschen aus Rumänien, Bulgarien und anderen EU-Ländern.",
            "Advice on registration, work, housing, child benefit and health insurance for "
            "people from Romania, Bulgaria and other EU countries.",
            "استشارات حول تسجيل العنوان والعمل والسكن وإعانة الأطفال والتأمين الصحي للقادمين من "
            "رومانيا وبلغاريا وغيرها من دول الاتحاد الأوروبي.",
        ),
        ("eu-newcomers", "families"),
        ("de", "ro", "bg", "rom", "pl"),
        ("Mo 09:00-12:00|Do 09:00-12:00", "Di 13:00-16:00", "Mi 09:00-13:00"),
    ),
    Template(
        "frauenberatung",
        "beratung",
        ("counselling", "youth", "kita"),
        ("Beratung für Frauen", "Counselling for women", "استشارات للنساء"),
        (
            "Eine Beraterin hört zu und hilft weiter – bei Fragen zu Familie, Gesundheit, "
            "Trennung, Gewalt oder Aufenthalt. Kinder dürfen mitkommen.",
            "A female counsellor listens and helps with questions about family, health, "
            "separation, violence or residence. Children are welcome too.",
            "مستشارة تستمع إليكِ وتساعدكِ في الأسئلة المتعلقة بالأسرة والصحة والانفصال والعنف "
            "والإقامة. يمكنكِ إحضار الأطفال.",
        ),
        ("women", "refugees"),
        ("de", "ar", "fa", "tr", "kmr"),
        ("Di 10:00-12:00", "Do 10:00-13:00", "Fr 09:00-12:00"),
        by_appointment=True,
        hours_note="Offene Sprechstunde, außerdem Termine nach Vereinbarung.",
    ),
    Template(
        "anerkennung",
        "beratung",
        ("counselling", "library"),
        (
            "Beratung zu Arbeit und Anerkennung von Abschlüssen",
            "Advice on work and the recognition of qualifications",
            "استشارات حول العمل والاعتراف بالشهادات",
        ),
        (
            "Wie wird mein Berufsabschluss in Deutschland anerkannt? Wir erklären die Schritte, "
            "prüfen Unterlagen und helfen bei Bewerbungen.",
            "How is my professional qualification recognised in Germany? We explain the steps, "
            "check your documents and help with job applications.",
            "كيف يتم الاعتراف بشهادتي المهنية في ألمانيا؟ نشرح لك الخطوات ونراجع أوراقك "
            "ونساعدك في طلبات التوظيف.",
        ),
        ("refugees", "eu-newcomers", "everyone"),
        ("de", "en", "ar", "fr", "uk"),
        ("Mi 14:00-17:00", "Di 10:00-12:00|Do 10:00-12:00"),
        by_appointment=True,
        hours_note="Termin bitte per E-Mail vereinbaren.",
    ),
    Template(
        "elternberatung",
        "beratung",
        ("primary", "kita", "library"),
        (
            "Elternberatung zu Kita und Schule",
            "Advice for parents on daycare and school",
            "استشارات للأهل حول الروضة والمدرسة",
        ),
        (
            "Wie finde ich einen Kita-Platz? Wie funktioniert die Schule in Deutschland? Wir "
            "beantworten Fragen von Eltern und helfen bei der Anmeldung.",
            "How do I find a daycare place? How does school work in Germany? We answer parents' "
            "questions and help with registration.",
            "كيف أجد مكاناً في الروضة؟ كيف يعمل النظام المدرسي في ألمانيا؟ نجيب على أسئلة الأهل "
            "ونساعد في التسجيل.",
        ),
        ("families",),
        ("de", "ar", "tr", "bg", "ro"),
        ("Mo 08:00-10:00", "Do 08:00-10:00", "Di 14:00-16:00"),
    ),
    # --- Kleider- und Möbelspenden -----------------------------------------------------------
    Template(
        "kleiderkammer",
        "spenden",
        ("youth", "counselling", "school"),
        ("Kleiderkammer", "Clothing store", "مخزن الملابس"),
        (
            "Gut erhaltene Kleidung und Schuhe für Erwachsene und Kinder, kostenlos. Spenden "
            "nehmen wir zu den Öffnungszeiten gern an – bitte nur saubere Kleidung.",
            "Clothes and shoes in good condition for adults and children, free of charge. We "
            "gladly accept donations during opening hours – clean clothes only, please.",
            "ملابس وأحذية بحالة جيدة للكبار والأطفال مجاناً. نستقبل التبرعات خلال ساعات العمل "
            "بكل سرور – الملابس النظيفة فقط من فضلكم.",
        ),
        ("refugees", "families", "everyone"),
        ("de", "ar", "ru"),
        (
            "Di 10:00-13:00|Do 15:00-18:00",
            "Mo 14:00-17:00|Sa 10:00-13:00",
            "Mi 10:00-12:00|Fr 14:00-17:00",
        ),
    ),
    Template(
        "moebelboerse",
        "spenden",
        ("youth", "school", "counselling"),
        (
            "Möbel- und Haushaltsbörse",
            "Furniture and household goods exchange",
            "سوق الأثاث والأدوات المنزلية",
        ),
        (
            "Gebrauchte Möbel, Geschirr und Haushaltsgeräte für die erste eigene Wohnung. Bitte "
            "melden Sie vorher, was Sie brauchen; den Transport organisieren Sie selbst oder mit "
            "unseren Ehrenamtlichen.",
            "Used furniture, dishes and household appliances for your first own flat. Please "
            "tell us in advance what you need; transport by yourself or with our volunteers.",
            "أثاث وأوانٍ وأجهزة منزلية مستعملة لأول شقة خاصة بك. يرجى إخبارنا مسبقاً بما "
            "تحتاجه؛ يمكنك النقل بنفسك أو بمساعدة متطوعينا.",
        ),
        ("refugees", "families"),
        ("de", "ar", "fa"),
        ("Sa 10:00-14:00", "Mi 15:00-18:00|Sa 10:00-13:00"),
        cost_note="Transport mit Ehrenamtlichen gegen eine kleine Spende",
    ),
    Template(
        "kinderkleidung",
        "spenden",
        ("kita", "youth", "primary"),
        ("Kinderkleidung und Spielzeug", "Children's clothes and toys", "ملابس وألعاب للأطفال"),
        (
            "Kinderkleidung von Größe 50 bis 176, Kinderwagen und Spielzeug – zum Mitnehmen und "
            "zum Tauschen.",
            "Children's clothes from size 50 to 176, prams and toys – to take away or to swap.",
            "ملابس أطفال من المقاس 50 حتى 176، وعربات أطفال وألعاب – للأخذ أو للتبادل.",
        ),
        ("children", "families"),
        ("de", "ar", "tr", "uk"),
        ("Di 14:30-16:30", "Do 09:00-11:00", "Mo 15:00-17:00"),
    ),
    Template(
        "fahrradwerkstatt",
        "spenden",
        ("youth", "school"),
        (
            "Fahrradwerkstatt und Fahrradspenden",
            "Bicycle workshop and donated bikes",
            "ورشة دراجات وتبرعات بالدراجات",
        ),
        (
            "Gespendete Fahrräder werden gemeinsam repariert und weitergegeben. Werkzeug und "
            "Anleitung sind da – so lernen Sie, Ihr Rad selbst zu reparieren.",
            "Donated bicycles are repaired together and passed on. Tools and guidance are "
            "provided – learn to repair your own bike.",
            "نصلح الدراجات المتبرع بها معاً ونعطيها لمن يحتاجها. الأدوات والإرشاد متوفرة – تعلّم "
            "كيف تصلح دراجتك بنفسك.",
        ),
        ("youth", "everyone"),
        ("de", "en", "ar", "ti"),
        ("Sa 11:00-15:00", "Mi 16:00-19:00", "Fr 15:00-18:00"),
    ),
    Template(
        "schulmaterial",
        "spenden",
        ("primary", "school"),
        (
            "Schulranzen und Schulmaterial zum Schulstart",
            "School bags and supplies for the start of school",
            "حقائب ومستلزمات مدرسية لبداية العام الدراسي",
        ),
        (
            "Vor dem Schulstart geben wir gespendete Schulranzen, Hefte und Stifte an Familien "
            "aus. Bitte die Schulbescheinigung oder die Einladung zur Einschulung mitbringen.",
            "Before school starts we hand out donated school bags, exercise books and pens to "
            "families. Please bring the school certificate or the school enrolment letter.",
            "قبل بداية المدرسة نوزع على العائلات حقائب مدرسية ودفاتر وأقلاماً متبرعاً بها. يرجى "
            "إحضار شهادة المدرسة أو رسالة التسجيل المدرسي.",
        ),
        ("children", "families"),
        ("de", "ar", "ro", "bg"),
        hours_note="Nur an den genannten Terminen.",
        dates=(14, 21, 35),
        date_times="15:00-18:00",
    ),
    # --- Bildungsangebote --------------------------------------------------------------------
    Template(
        "deutsch-alltag",
        "bildung",
        ("library", "youth", "school"),
        (
            "Deutsch für den Alltag – offener Kurs",
            "German for everyday life – open course",
            "الألمانية للحياة اليومية – دورة مفتوحة",
        ),
        (
            "Deutschkurs ohne Anmeldung: einkaufen, zum Arzt gehen, mit Ämtern sprechen. Für "
            "Anfängerinnen und Anfänger, Einstieg jederzeit.",
            "German course without registration: shopping, visiting the doctor, talking to "
            "authorities. For beginners; join at any time.",
            "دورة لغة ألمانية دون تسجيل مسبق: التسوق، زيارة الطبيب، التواصل مع الدوائر الرسمية. "
            "للمبتدئين، ويمكن الانضمام في أي وقت.",
        ),
        ("refugees", "eu-newcomers", "everyone"),
        ("de", "en", "ar"),
        (
            "Mo 10:00-12:00|Mi 10:00-12:00",
            "Di 17:00-19:00|Do 17:00-19:00",
            "Mo 18:00-20:00|Do 18:00-20:00",
            "Di 09:30-11:30|Fr 09:30-11:30",
        ),
    ),
    Template(
        "deutsch-frauen",
        "bildung",
        ("kita", "primary", "youth"),
        (
            "Deutschkurs für Frauen mit Kinderbetreuung",
            "German course for women with childcare",
            "دورة لغة ألمانية للنساء مع رعاية الأطفال",
        ),
        (
            "Deutsch lernen in einer Frauengruppe, während Ihre Kinder nebenan betreut werden. "
            "Einstieg nach einem kurzen Gespräch.",
            "Learn German in a women's group while your children are looked after next door. "
            "Join after a short conversation.",
            "تعلّمي اللغة الألمانية في مجموعة نسائية بينما يتم الاعتناء بأطفالك في الغرفة "
            "المجاورة. الانضمام بعد محادثة قصيرة.",
        ),
        ("women", "refugees"),
        ("de", "ar", "fa", "tr", "kmr"),
        ("Di 09:00-11:30|Do 09:00-11:30", "Mo 09:00-11:00|Mi 09:00-11:00"),
    ),
    Template(
        "hausaufgaben",
        "bildung",
        ("youth", "library", "primary"),
        ("Hausaufgabenhilfe", "Homework help", "مساعدة في الواجبات المدرسية"),
        (
            "Ehrenamtliche helfen Schülerinnen und Schülern bei den Hausaufgaben, beim Lesen und "
            "bei der Vorbereitung auf Klassenarbeiten.",
            "Volunteers help pupils with homework, reading and preparing for tests.",
            "يساعد متطوعون التلاميذ في الواجبات المدرسية والقراءة والتحضير للامتحانات.",
        ),
        ("children", "youth"),
        ("de", "en", "ar", "tr", "uk"),
        (
            "Mo 14:00-16:00|Mi 14:00-16:00",
            "Di 15:00-17:00|Do 15:00-17:00",
            "Mo 15:00-17:00|Di 15:00-17:00|Do 15:00-17:00",
        ),
    ),
    Template(
        "alphabetisierung",
        "bildung",
        ("library", "counselling", "youth"),
        ("Alphabetisierungskurs", "Literacy course", "دورة محو الأمية"),
        (
            "Lesen und Schreiben in lateinischer Schrift lernen – in kleinen Gruppen und im "
            "eigenen Tempo. Auch für Menschen, die in ihrer Muttersprache lesen können.",
            "Learn to read and write in the Latin alphabet – in small groups and at your own "
            "pace. Also for people who can read in their own language.",
            "تعلّم القراءة والكتابة بالحروف اللاتينية – في مجموعات صغيرة وبالسرعة التي تناسبك. "
            "مناسبة أيضاً لمن يجيد القراءة بلغته الأم.",
        ),
        ("refugees", "women", "everyone"),
        ("de", "ar", "ti", "ps", "kmr"),
        ("Mo 09:00-11:00|Mi 09:00-11:00|Fr 09:00-11:00", "Di 13:00-15:00|Do 13:00-15:00"),
    ),
    Template(
        "computerkurs",
        "bildung",
        ("library", "youth"),
        (
            "Computer- und Smartphone-Kurs",
            "Computer and smartphone course",
            "دورة الحاسوب والهاتف الذكي",
        ),
        (
            "E-Mails schreiben, Termine online buchen, Formulare am Handy ausfüllen, sicher im "
            "Internet – Schritt für Schritt und in kleinen Gruppen.",
            "Write e-mails, book appointments online, fill in forms on your phone, stay safe on "
            "the internet – step by step in small groups.",
            "كتابة الرسائل الإلكترونية، حجز المواعيد عبر الإنترنت، تعبئة الاستمارات على الهاتف، "
            "والأمان على الإنترنت – خطوة بخطوة وفي مجموعات صغيرة.",
        ),
        ("everyone", "seniors"),
        ("de", "en", "ru", "uk"),
        ("Do 16:00-18:00", "Sa 10:00-12:00", "Di 10:00-12:00"),
        is_free=False,
        cost_note="2 € pro Termin, mit DortmundPass kostenlos",
    ),
    Template(
        "vorlesestunde",
        "bildung",
        ("library", "kita"),
        ("Mehrsprachige Vorlesestunde", "Multilingual story time", "ساعة قراءة قصص بعدة لغات"),
        (
            "Bilderbücher auf Deutsch und in einer zweiten Sprache, vorgelesen von "
            "Ehrenamtlichen. Für Kinder von 3 bis 8 Jahren mit ihren Eltern.",
            "Picture books read aloud by volunteers in German and a second language. For "
            "children aged 3 to 8 and their parents.",
            "قراءة كتب مصوّرة بالألمانية وبلغة ثانية يقدمها متطوعون. للأطفال من 3 إلى 8 سنوات مع "
            "أهلهم.",
        ),
        ("children", "families"),
        ("de", "ar", "tr", "uk", "fa"),
        ("Mi 15:00-16:00", "Fr 15:30-16:30", "Sa 11:00-12:00"),
    ),
    # --- Patenschaftsangebote ----------------------------------------------------------------
    Template(
        "alltagspaten",
        "patenschaften",
        ("counselling", "library", "youth"),
        ("Alltagspatenschaften", "Everyday mentors", "مرافقون في الحياة اليومية"),
        (
            "Ehrenamtliche Patinnen und Paten begleiten Neuzugewanderte zu Ämtern und Ärzten und "
            "beim Ankommen im Stadtteil. Wir bringen Sie zusammen – ob Sie neu hier sind oder "
            "Pate werden möchten.",
            "Volunteer mentors accompany newcomers to offices and doctors and help them settle "
            "into the neighbourhood. We bring you together – whether you are new here or want "
            "to become a mentor.",
            "يرافق متطوعون القادمين الجدد إلى الدوائر الرسمية والأطباء ويساعدونهم على الاستقرار "
            "في الحي. نجمع بينكم – سواء كنت قادماً جديداً أو ترغب في أن تصبح مرافقاً.",
        ),
        ("refugees", "eu-newcomers", "everyone"),
        ("de", "en", "ar", "fa"),
        ("Mi 16:00-18:00", "Mo 16:00-18:00"),
        by_appointment=True,
        hours_note="Erstgespräch nach Vereinbarung; offene Sprechstunde einmal pro Woche.",
    ),
    Template(
        "lernpaten",
        "patenschaften",
        ("primary", "school", "library"),
        (
            "Lernpatenschaften für Schülerinnen und Schüler",
            "Learning mentors for pupils",
            "مرافقة تعليمية للتلاميذ",
        ),
        (
            "Eine Lernpatin oder ein Lernpate trifft sich einmal pro Woche mit einem Kind oder "
            "Jugendlichen – zum Lernen, Lesen und Reden.",
            "A learning mentor meets a child or teenager once a week – to study, read and talk.",
            "يلتقي مرافق تعليمي مرة في الأسبوع مع طفل أو شاب – للدراسة والقراءة والحديث.",
        ),
        ("children", "youth"),
        ("de", "en", "ar", "tr"),
        ("Di 14:00-16:00", "Do 14:00-16:00"),
        by_appointment=True,
    ),
    Template(
        "familienpaten",
        "patenschaften",
        ("counselling", "kita", "youth"),
        ("Familienpatenschaften", "Family mentoring", "مرافقة العائلات"),
        (
            "Patenfamilien aus dem Stadtteil unterstützen neu angekommene Familien: beim "
            "Einleben, mit Ideen für die Freizeit und bei Fragen rund um Kita und Schule.",
            "Mentor families from the neighbourhood support newly arrived families with settling "
            "in, ideas for free time and questions about daycare and school.",
            "تدعم عائلات من الحي العائلاتِ القادمة حديثاً في الاستقرار وفي أفكار لقضاء وقت الفراغ "
            "وفي الأسئلة المتعلقة بالروضة والمدرسة.",
        ),
        ("families", "refugees"),
        ("de", "ar", "fa", "ti"),
        ("Fr 15:00-17:00", "Di 16:00-18:00"),
        by_appointment=True,
        hours_note="Kennenlernen nach Vereinbarung per E-Mail.",
    ),
    Template(
        "ausbildungspaten",
        "patenschaften",
        ("youth", "school", "counselling"),
        ("Ausbildungspatenschaften", "Apprenticeship mentors", "مرافقة في التدريب المهني"),
        (
            "Erfahrene Berufstätige begleiten junge Menschen bei der Suche nach einem "
            "Ausbildungsplatz und in der Ausbildung – Bewerbung, Berufsschule, Prüfungen.",
            "Experienced professionals support young people in finding an apprenticeship and "
            "during their training – applications, vocational school, exams.",
            "يرافق مهنيون ذوو خبرة الشباب في البحث عن مكان تدريب مهني وخلال فترة التدريب – "
            "الطلبات والمدرسة المهنية والامتحانات.",
        ),
        ("youth", "refugees"),
        ("de", "en", "ar", "fa", "ps"),
        ("Do 16:00-18:00", "Mo 17:00-19:00"),
        by_appointment=True,
    ),
    Template(
        "wohnungspaten",
        "patenschaften",
        ("counselling", "library"),
        ("Wohnungspatenschaften", "Housing mentors", "مرافقة في البحث عن سكن"),
        (
            "Ehrenamtliche helfen bei der Wohnungssuche: Anzeigen lesen, zu Besichtigungen "
            "mitgehen, den Mietvertrag verstehen.",
            "Volunteers help you look for a flat: reading adverts, coming along to viewings, "
            "understanding the tenancy agreement.",
            "يساعد متطوعون في البحث عن شقة: قراءة الإعلانات، ومرافقتك إلى المعاينات، وفهم عقد "
            "الإيجار.",
        ),
        ("refugees", "families"),
        ("de", "ar", "fa", "kmr"),
        ("Di 16:00-18:00", "Mi 10:00-12:00"),
    ),
    # --- Sport-, Freizeit- und Kulturangebote --------------------------------------------------
    Template(
        "fussball",
        "freizeit",
        ("youth", "school"),
        ("Offenes Fußballtraining", "Open football training", "تدريب كرة قدم مفتوح"),
        (
            "Fußball für alle ab 12 Jahren – ohne Vereinsmitgliedschaft. Sportschuhe mitbringen; "
            "Trikots sind da.",
            "Football for everyone aged 12 and over – no club membership needed. Bring sports "
            "shoes; shirts are provided.",
            "كرة القدم للجميع من عمر 12 سنة – دون الحاجة إلى عضوية في نادٍ. أحضر حذاءً رياضياً؛ "
            "القمصان متوفرة.",
        ),
        ("youth", "refugees"),
        ("de", "en", "ar", "ti", "so"),
        ("Mi 17:00-19:00", "Fr 16:00-18:00", "Sa 10:00-12:00", "Di 17:30-19:00|Do 17:30-19:00"),
    ),
    Template(
        "frauensport",
        "freizeit",
        ("school", "youth"),
        ("Sport und Bewegung für Frauen", "Sport and exercise for women", "رياضة وحركة للنساء"),
        (
            "Gymnastik, Tanz und Entspannung in einer Frauengruppe mit Trainerin. Keine "
            "Vorkenntnisse nötig.",
            "Gymnastics, dance and relaxation in a women-only group with a female coach. No "
            "experience needed.",
            "تمارين رياضية ورقص واسترخاء في مجموعة نسائية مع مدرّبة. لا حاجة إلى خبرة سابقة.",
        ),
        ("women",),
        ("de", "ar", "tr", "fa"),
        ("Mo 18:00-19:30", "Do 10:00-11:30", "Sa 14:00-15:30"),
        is_free=False,
        cost_note="Erster Monat kostenlos, danach 5 € im Monat",
    ),
    Template(
        "spielgruppe",
        "freizeit",
        ("kita", "youth"),
        (
            "Spielgruppe für Eltern und Kleinkinder",
            "Play group for parents and toddlers",
            "مجموعة لعب للأهل والأطفال الصغار",
        ),
        (
            "Spielen, singen und basteln für Kinder von 1 bis 3 Jahren mit Mutter oder Vater. "
            "Die Eltern kommen nebenbei ins Gespräch.",
            "Playing, singing and crafts for children aged 1 to 3 with their mother or father. "
            "Parents get to talk along the way.",
            "لعب وغناء وأشغال يدوية للأطفال من سنة إلى 3 سنوات مع الأم أو الأب. ويتعرّف الأهل "
            "على بعضهم في الوقت نفسه.",
        ),
        ("children", "families"),
        ("de", "ar", "tr", "ro", "bg"),
        ("Di 09:30-11:00", "Mi 10:00-11:30", "Fr 09:30-11:00"),
    ),
    Template(
        "kochen",
        "freizeit",
        ("youth", "counselling"),
        ("Interkulturelles Kochen", "Intercultural cooking", "طبخ بين الثقافات"),
        (
            "Wir kochen gemeinsam Gerichte aus aller Welt und essen zusammen. Jede und jeder "
            "kann ein Rezept mitbringen.",
            "We cook dishes from all over the world and eat together. Everyone is welcome to "
            "bring a recipe.",
            "نطبخ معاً أطباقاً من جميع أنحاء العالم ونتناولها سوياً. يمكن لكل شخص أن يحضر وصفة.",
        ),
        ("everyone",),
        ("de", "en", "ar", "fa", "tr"),
        ("Fr 17:00-20:00", "Do 16:00-19:00", "Sa 12:00-15:00"),
        is_free=False,
        cost_note="2 € für die Zutaten",
    ),
    Template(
        "musik-theater",
        "freizeit",
        ("youth", "school", "library"),
        ("Musik- und Theaterwerkstatt", "Music and theatre workshop", "ورشة الموسيقى والمسرح"),
        (
            "Jugendliche schreiben Songs, spielen Theater und stehen am Ende gemeinsam auf der "
            "Bühne. Instrumente können ausgeliehen werden.",
            "Young people write songs, act and perform together on stage at the end. "
            "Instruments can be borrowed.",
            "يكتب الشباب الأغاني ويمثلون ويقفون معاً على خشبة المسرح في النهاية. يمكن استعارة "
            "الآلات الموسيقية.",
        ),
        ("youth",),
        ("de", "en", "ar", "uk"),
        ("Di 16:00-18:00", "Do 17:00-19:00", "Mi 15:30-17:30"),
    ),
    Template(
        "stadtteilfest",
        "freizeit",
        ("youth", "primary", "library", "school"),
        (
            "Stadtteilfest der Kulturen",
            "Neighbourhood festival of cultures",
            "مهرجان الثقافات في الحي",
        ),
        (
            "Musik, Tanz, Essen aus vielen Ländern und Spiele für Kinder. Vereine und "
            "Initiativen aus dem Stadtteil stellen sich vor.",
            "Music, dance, food from many countries and games for children. Clubs and "
            "initiatives from the neighbourhood introduce themselves.",
            "موسيقى ورقص وأطعمة من بلدان كثيرة وألعاب للأطفال. تقدّم الجمعيات والمبادرات في الحي "
            "نفسها.",
        ),
        ("everyone", "families"),
        ("de", "en", "ar", "tr"),
        hours_note="Einmaliger Termin.",
        dates=(30,),
        date_times="14:00-19:00",
    ),
    Template(
        "stadtfuehrung",
        "freizeit",
        ("library", "counselling", "youth"),
        (
            "Stadtspaziergang: Dortmund kennenlernen",
            "City walk: getting to know Dortmund",
            "جولة في المدينة: تعرّف على دورتموند",
        ),
        (
            "Ein gemeinsamer Spaziergang zu Rathaus, Bibliothek, Beratungsstellen und Parks – "
            "mit Zeit für Fragen. Treffpunkt vor dem Eingang.",
            "A walk together to the town hall, the library, counselling offices and parks – with "
            "time for questions. Meet in front of the entrance.",
            "جولة مشي جماعية إلى مبنى البلدية والمكتبة ومراكز الاستشارة والحدائق – مع وقت "
            "للأسئلة. نقطة اللقاء أمام المدخل.",
        ),
        ("refugees", "eu-newcomers", "everyone"),
        ("de", "en", "ar", "uk"),
        hours_note="Nur an den genannten Terminen, ohne Anmeldung.",
        dates=(10, 40, 70),
        date_times="11:00-13:00",
    ),
    # --- Treffpunkte -------------------------------------------------------------------------
    Template(
        "sprachcafe",
        "treffpunkte",
        ("library", "youth", "counselling"),
        ("Sprachcafé", "Language café", "مقهى اللغة"),
        (
            "Deutsch sprechen bei Kaffee und Tee – ohne Anmeldung, alle Sprachniveaus sind "
            "willkommen. Ehrenamtliche helfen beim Üben.",
            "Practise German over coffee and tea – no registration, all levels welcome. "
            "Volunteers help you practise.",
            "تحدّث الألمانية مع القهوة والشاي – دون تسجيل، وجميع المستويات مرحّب بها. يساعدك "
            "متطوعون على التمرّن.",
        ),
        ("everyone", "refugees"),
        ("de", "en", "ar", "fa", "uk"),
        ("Di 15:00-17:00", "Mi 16:00-18:00", "Do 10:00-12:00", "Sa 11:00-13:00", "Mo 17:00-19:00"),
    ),
    Template(
        "elterncafe",
        "treffpunkte",
        ("kita", "primary"),
        ("Elterncafé", "Parents' café", "مقهى الأهل"),
        (
            "Eltern treffen sich nach dem Bringen der Kinder zum Frühstück. Einmal im Monat "
            "kommt eine Fachkraft mit einem Thema, etwa Sprache, Gesundheit oder Schule.",
            "Parents meet for breakfast after dropping off their children. Once a month a "
            "professional comes with a topic such as language, health or school.",
            "يلتقي الأهل على الفطور بعد إيصال أطفالهم. مرة في الشهر يأتي مختص بموضوع مثل اللغة أو "
            "الصحة أو المدرسة.",
        ),
        ("families",),
        ("de", "ar", "tr", "ro", "bg"),
        ("Mo 08:30-10:00", "Mi 08:30-10:00", "Fr 08:15-09:45"),
    ),
    Template(
        "frauentreff",
        "treffpunkte",
        ("counselling", "youth", "library"),
        (
            "Internationaler Frauentreff",
            "International women's meeting point",
            "ملتقى النساء الدولي",
        ),
        (
            "Frauen aus aller Welt treffen sich zum Reden, für Handarbeiten und für Ausflüge. "
            "Kinderbetreuung ist möglich.",
            "Women from all over the world meet to talk, do handicrafts and go on trips. "
            "Childcare is available.",
            "تلتقي نساء من جميع أنحاء العالم للحديث والأشغال اليدوية والرحلات. رعاية الأطفال "
            "متاحة.",
        ),
        ("women",),
        ("de", "ar", "fa", "tr", "ti"),
        ("Do 09:30-12:00", "Mo 15:00-17:30", "Mi 10:00-12:00"),
    ),
    Template(
        "begegnungscafe",
        "treffpunkte",
        ("counselling", "library", "youth"),
        ("Begegnungscafé", "Meeting café", "مقهى اللقاء"),
        (
            "Nachbarinnen und Nachbarn aus aller Welt trinken Tee, spielen Brettspiele und "
            "lernen sich kennen. Kinder sind willkommen.",
            "Neighbours from all over the world drink tea, play board games and get to know each "
            "other. Children are welcome.",
            "جيران من جميع أنحاء العالم يشربون الشاي ويلعبون ألعاب الطاولة ويتعارفون. الأطفال "
            "مرحّب بهم.",
        ),
        ("everyone",),
        ("de", "en", "ar", "tr", "ru"),
        ("Fr 15:00-18:00", "So 14:00-17:00", "Mi 15:00-18:00", "Di 10:00-12:00"),
    ),
    Template(
        "jugendtreff",
        "treffpunkte",
        ("youth",),
        ("Offener Jugendtreff", "Open youth club", "نادٍ مفتوح للشباب"),
        (
            "Billard, Musik, Gespräche und Hilfe bei Fragen – für Jugendliche von 12 bis 21 "
            "Jahren, ohne Anmeldung.",
            "Pool, music, a chat and help with questions – for young people aged 12 to 21, no "
            "registration.",
            "بلياردو وموسيقى وأحاديث ومساعدة في الأسئلة – للشباب من 12 إلى 21 سنة، دون تسجيل.",
        ),
        ("youth",),
        ("de", "en", "ar", "tr"),
        ("Mo 15:00-20:00|Mi 15:00-20:00|Fr 15:00-21:00", "Di 14:00-19:00|Do 14:00-19:00"),
    ),
    Template(
        "seniorentreff",
        "treffpunkte",
        ("counselling", "library"),
        (
            "Internationaler Seniorentreff",
            "International seniors' meeting point",
            "ملتقى دولي لكبار السن",
        ),
        (
            "Ältere Menschen mit und ohne Migrationsgeschichte treffen sich zu Kaffee, "
            "Gesprächen und kleinen Ausflügen. Es gibt auch Informationen zu Pflege und "
            "Gesundheit.",
            "Older people with and without a migration background meet for coffee, "
            "conversation and short outings. Information on care and health is available too.",
            "يلتقي كبار السن من ذوي الأصول المهاجرة وغيرهم لتناول القهوة والحديث والقيام برحلات "
            "قصيرة. تتوفر أيضاً معلومات عن الرعاية والصحة.",
        ),
        ("seniors",),
        ("de", "tr", "ru", "pl"),
        ("Di 14:00-16:00", "Do 14:00-16:30"),
    ),
)


@dataclass(frozen=True)
class DemoOrganisationProfile:
    slug: str
    categories: tuple[str, ...]
    home: str | None = None  # district name: works only there; None: city-wide


_ALL = ("beratung", "spenden", "bildung", "patenschaften", "freizeit", "treffpunkte")
# Which demo organisation runs which kind of offer (the first twelve come from core's demo).
PROFILES: tuple[DemoOrganisationProfile, ...] = (
    DemoOrganisationProfile("awo-demo", ("beratung", "spenden", "patenschaften", "bildung")),
    DemoOrganisationProfile("caritas-demo", ("beratung", "spenden", "patenschaften")),
    DemoOrganisationProfile("diakonie-demo", ("beratung", "spenden", "treffpunkte")),
    DemoOrganisationProfile("paritaet-demo", ("beratung", "patenschaften")),
    DemoOrganisationProfile("vmdo-demo", ("treffpunkte", "bildung", "freizeit", "beratung")),
    DemoOrganisationProfile("africa-positive-demo", ("beratung", "treffpunkte", "freizeit")),
    DemoOrganisationProfile("sprachcafe-eving-demo", ("treffpunkte", "bildung"), "Eving"),
    DemoOrganisationProfile("sportverein-scharnhorst-demo", ("freizeit",), "Scharnhorst"),
    DemoOrganisationProfile(
        "moschee-huckarde-demo", ("treffpunkte", "spenden", "bildung"), "Huckarde"
    ),
    DemoOrganisationProfile(
        "kirche-hombruch-demo", ("treffpunkte", "spenden", "patenschaften"), "Hombruch"
    ),
    DemoOrganisationProfile("fluechtlingshilfe-mengede-demo", _ALL, "Mengede"),
    DemoOrganisationProfile("vhs-demo", ("bildung",)),
    DemoOrganisationProfile("kleiderkammer-nordstadt-demo", ("spenden",), "Innenstadt-Nord"),
    DemoOrganisationProfile(
        "frauentreff-brackel-demo", ("treffpunkte", "freizeit", "bildung"), "Brackel"
    ),
    DemoOrganisationProfile("jmd-demo", ("beratung", "patenschaften", "bildung")),
    DemoOrganisationProfile("patenprojekt-hoerde-demo", ("patenschaften", "treffpunkte"), "Hörde"),
    DemoOrganisationProfile(
        "fahrradwerkstatt-luedo-demo", ("spenden", "freizeit"), "Lütgendortmund"
    ),
    DemoOrganisationProfile(
        "elternnetz-aplerbeck-demo", ("treffpunkte", "bildung", "patenschaften"), "Aplerbeck"
    ),
    DemoOrganisationProfile(
        "nachbarschaft-west-demo", ("treffpunkte", "freizeit", "spenden"), "Innenstadt-West"
    ),
    DemoOrganisationProfile("stadtteilverein-ost-demo", _ALL, "Innenstadt-Ost"),
)

# Demo organisations added by this module: (slug, name, kind). They sit at a facility of their
# home district (the first youth centre or counselling office of the file there).
EXTRA_ORGANISATIONS: tuple[tuple[str, str, str], ...] = (
    ("kleiderkammer-nordstadt-demo", "Kleiderkammer Nordstadt e. V.", "club"),
    ("frauentreff-brackel-demo", "Internationaler Frauentreff Brackel", "initiative"),
    ("jmd-demo", "Jugendmigrationsdienst Dortmund", "welfare"),
    ("patenprojekt-hoerde-demo", "Patenschaftsprojekt Hörde", "initiative"),
    ("fahrradwerkstatt-luedo-demo", "Fahrradwerkstatt Lütgendortmund", "initiative"),
    ("elternnetz-aplerbeck-demo", "Elternnetzwerk Aplerbeck", "initiative"),
    ("nachbarschaft-west-demo", "Nachbarschaftsverein Kreuzviertel", "club"),
    ("stadtteilverein-ost-demo", "Stadtteilinitiative Körne", "initiative"),
)


@dataclass(frozen=True)
class Facility:
    name: str
    kind: str
    street: str
    district: str
    latitude: float
    longitude: float


@dataclass
class PlannedOffer:
    uuid: uuid.UUID
    template: Template
    facility: Facility
    organisation: str  # slug
    status: str
    slots: list[tuple[int, time, time]]
    languages: list[str]
    wheelchair_access: str
    confirmed_days_ago: int
    with_website: bool
    translations: dict[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return f"{self.template.title[0]} – {self.facility.name}"


def _place_name(props: dict) -> str:
    name = (props.get("objektname") or "").strip()
    extra = (props.get("objektzusa") or "").strip()
    if extra:
        return extra.split(" / ")[0]
    if name.startswith("FABIDO"):
        return f"FABIDO-Kita {props.get('strasse')}"
    return name


@cache
def facilities() -> tuple[Facility, ...]:
    """The facilities of the file that suit offers, in file order."""
    data = json.loads(FACILITIES.read_text(encoding="utf-8"))
    found = []
    for feature in data["features"]:
        props = feature["properties"]
        kind = FACILITY_KINDS.get(props.get("objektart"))
        if kind is None or not props.get("strasse") or not props.get("hausnummer"):
            continue
        longitude, latitude = feature["geometry"]["coordinates"][:2]
        found.append(
            Facility(
                name=_place_name(props),
                kind=kind,
                street=f"{props['strasse']} {props['hausnummer']}",
                district=props["stadtbezbe"],
                latitude=round(latitude, 6),
                longitude=round(longitude, 6),
            )
        )
    return tuple(found)


def _districts(all_facilities: tuple[Facility, ...]) -> list[str]:
    return sorted({f.district for f in all_facilities})


def _pick_facility(
    rng: random.Random, template: Template, local: list[Facility], used: set[Facility]
) -> Facility:
    for kind in template.kinds:
        fitting = [f for f in local if f.kind == kind and f not in used]
        if fitting:
            return rng.choice(fitting)
    fitting = [f for f in local if f.kind in template.kinds] or local
    return rng.choice(fitting)


def _pick_organisation(rng: random.Random, template: Template, district: str) -> str:
    local = [p.slug for p in PROFILES if p.home == district and template.category in p.categories]
    citywide = [p.slug for p in PROFILES if p.home is None and template.category in p.categories]
    if local and rng.random() < 0.6:
        return rng.choice(local)
    return rng.choice(citywide)


def _translations(planned: PlannedOffer) -> dict[str, tuple[str, str]]:
    template, facility = planned.template, planned.facility
    texts = {}
    for index, language in ((1, "en"), (2, "ar")):
        title = f"{template.title[index]} – {facility.name}"
        texts[language] = (title, _description(template, facility, language, index))
    return texts


def _description(template: Template, facility: Facility, language: str, index: int) -> str:
    comma = "، " if language == "ar" else ", "
    place = f"{PLACE_LABEL[language]}: {facility.name}{comma}{facility.street}{comma}Dortmund"
    return f"{DEMO_NOTE[language]}\n\n{template.text[index]}\n\n{place}"


def demo_plan() -> list[PlannedOffer]:
    """Every demo offer, decided from the facility file and the seed alone (no database)."""
    rng = random.Random(SEED)  # noqa: S311 - demo data, not security
    all_facilities = facilities()
    by_category: dict[str, list[Template]] = {}
    for template in TEMPLATES:
        by_category.setdefault(template.category, []).append(template)
    extra_languages = ("ar", "fa", "tr", "ru", "uk", "ro", "bg", "ti", "kmr", "fr", "prs", "so")
    plan: list[PlannedOffer] = []
    for district in _districts(all_facilities):
        local = [f for f in all_facilities if f.district == district]
        chosen = [rng.choice(templates) for templates in by_category.values()]
        rest = [t for t in TEMPLATES if t not in chosen]
        chosen += rng.sample(rest, OFFERS_PER_DISTRICT - len(chosen))
        used: set[Facility] = set()
        for template in chosen:
            facility = _pick_facility(rng, template, local, used)
            used.add(facility)
            slots_text = rng.choice(template.slots) if template.slots else ""
            languages = set(template.languages[:2]) | set(
                rng.sample(template.languages[2:], k=min(len(template.languages) - 2, 2))
            )
            if rng.random() < 0.25:
                languages.add(rng.choice(extra_languages))
            access = rng.choices(
                [Offer.Access.YES, Offer.Access.PARTLY, Offer.Access.NO, Offer.Access.UNKNOWN],
                weights=[50, 20, 10, 20],
            )[0]
            # Most confirmed in the last half year, some past the reminder age (180 days) but
            # none past the removal age (270 days): every demo offer stays on the map.
            days = rng.randint(185, 255) if rng.random() < 0.1 else rng.randint(1, 170)
            plan.append(
                PlannedOffer(
                    uuid=uuid.uuid5(NAMESPACE, f"{template.key}|{district}"),
                    template=template,
                    facility=facility,
                    organisation=_pick_organisation(rng, template, district),
                    status=Offer.Status.PUBLISHED,
                    slots=parse_weekly_slots(slots_text),
                    languages=sorted(languages),
                    wheelchair_access=access,
                    confirmed_days_ago=days,
                    with_website=rng.random() < 0.5,
                )
            )
    for planned in rng.sample(plan, round(len(plan) * TRANSLATED_SHARE)):
        planned.translations = _translations(planned)
    waiting = rng.sample(plan, 9)
    for planned in waiting[:6]:
        planned.status = Offer.Status.REVIEW
    for planned in waiting[6:]:
        planned.status = Offer.Status.DRAFT
    return plan


def _extra_organisations_load(all_facilities: tuple[Facility, ...]) -> int:
    written = 0
    homes = {p.slug: p.home for p in PROFILES}
    for slug, name, kind in EXTRA_ORGANISATIONS:
        home = homes[slug] or "Innenstadt-Nord"  # city-wide ones sit in the centre
        place = next(
            (f for f in all_facilities if f.district == home and f.kind == "counselling"),
            None,
        ) or next(f for f in all_facilities if f.district == home)
        organisation = Organisation(latitude=place.latitude, longitude=place.longitude)
        core_services.organisation_locate(organisation)
        _org, changed = core_services.upsert(
            Organisation,
            {"slug": slug},
            {
                "name": name,
                "kind": kind,
                "street": place.street,
                "city": "Dortmund",
                "latitude": place.latitude,
                "longitude": place.longitude,
                "district": organisation.district,
                "is_small": kind != "welfare",
                "email": f"info@{slug}.example.org",
                "description": "Demo-Datensatz: ein Beispiel, keine echte Kontaktangabe.",
            },
        )
        written += changed
    return written


def _set_if_different(manager, wanted: list, *, fresh: bool) -> int:
    if fresh:
        manager.add(*wanted)
        return 1 if wanted else 0
    if {obj.pk for obj in manager.all()} == {obj.pk for obj in wanted}:
        return 0
    manager.set(wanted)
    return 1


def _replace_if_different(
    offer: Offer, related: str, make, current: list, wanted: list, *, fresh: bool
) -> int:
    """Make the offer's rows of `related` (slots, dates) the wanted ones; a fresh offer has none,
    an existing one is compared first (prefetched)."""
    if current == wanted:
        return 0
    if not fresh:
        getattr(offer, related).all().delete()
    make._default_manager.bulk_create(make(offer=offer, **row) for row in wanted)
    return len(wanted) + (0 if fresh else 1)


def _wanted_dates(offer: Offer, template: Template) -> list[dict]:
    if not template.dates:
        return []
    starts, ends = parse_time_range(template.date_times) if template.date_times else (None, None)
    anchor = timezone.localtime(offer.created_at).date()
    return [
        {"date": anchor + timedelta(days=days), "starts": starts, "ends": ends}
        for days in template.dates
    ]


def _translations_sync(offer: Offer, wanted: dict[str, tuple[str, str]], *, fresh: bool) -> int:
    fixed = {
        "status": OfferTranslation.Status.PUBLISHED,
        "machine_translated": False,
        "source_language": "de",
    }
    if fresh:
        OfferTranslation.objects.bulk_create(
            OfferTranslation(offer=offer, language=language, title=title, description=text, **fixed)
            for language, (title, text) in sorted(wanted.items())
        )
        return len(wanted)
    current = {
        t.language: (t.title, t.description)
        for t in offer.translations.all()
        if t.is_published and not t.machine_translated and t.source_language == "de"
    }
    if current == wanted and len(current) == len(offer.translations.all()):
        return 0
    written = 0
    for language, (title, text) in sorted(wanted.items()):
        _obj, changed = core_services.upsert(
            OfferTranslation,
            {"offer": offer, "language": language},
            {"title": title, "description": text, **fixed},
        )
        written += changed
    deleted, _detail = offer.translations.exclude(language__in=list(wanted)).delete()
    return written + deleted


def _confirmed_at(days_ago: int, now: datetime) -> datetime:
    day = timezone.localtime(now).date() - timedelta(days=days_ago)
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def _offer_values(planned: PlannedOffer, organisations: dict, categories: dict) -> dict:
    """The offer's own columns; foreign keys as ids, so comparing loads no related rows."""
    template, facility = planned.template, planned.facility
    organisation = organisations[planned.organisation]
    return {
        "organisation_id": organisation.pk,
        "category_id": categories[template.category].pk,
        "title": planned.title,
        "description": _description(template, facility, "de", 0),
        "is_free": template.is_free,
        "cost_note": template.cost_note,
        "wheelchair_access": planned.wheelchair_access,
        "street": facility.street,
        "postcode": "",
        "city": "Dortmund",
        "latitude": facility.latitude,
        "longitude": facility.longitude,
        "by_appointment": template.by_appointment,
        "hours_note": template.hours_note,
        "phone": "",
        "email": f"angebote@{organisation.slug}.example.org",
        "website": f"https://{organisation.slug}.example.org/" if planned.with_website else "",
        "status": planned.status,
        "is_demo": True,
        "revision_of_id": None,
    }


class _Locator:
    """district_for_point for many points at once: the district boundaries are read once
    (the same index and tie rule as core.queries), not once per offer."""

    def __init__(self) -> None:
        self.index = AreaIndex(
            Area(key=d.pk, geometry=d.geometry, order=d.number)
            for d in District.objects.only("pk", "geometry", "number")
        )

    def district_id(self, offer: Offer, values: dict) -> int | None:
        if (
            offer.pk is not None
            and offer.district_id is not None
            and (offer.latitude, offer.longitude) == (values["latitude"], values["longitude"])
        ):
            return offer.district_id
        return self.index.locate(values["latitude"], values["longitude"])


@transaction.atomic
def demo_load(now: datetime | None = None) -> int:
    """Write the demo offers (and the extra demo organisations). Returns how many rows were
    written; 0 when everything is already as planned."""
    now = now or timezone.now()
    all_facilities = facilities()
    written = _extra_organisations_load(all_facilities)
    plan = demo_plan()
    organisations = {
        o.slug: o for o in Organisation.objects.filter(slug__in=[p.slug for p in PROFILES])
    }
    missing = {p.organisation for p in plan} - set(organisations)
    if missing:  # only when run without core's demo organisations
        raise core_services.DataImportError(
            f"demo organisations missing: {', '.join(sorted(missing))} (run manage.py load_demo)"
        )
    categories = {c.slug: c for c in Category.objects.all()}
    locator = _Locator()
    target_groups = {t.slug: t for t in TargetGroup.objects.all()}
    languages = {language.code: language for language in Language.objects.all()}
    existing = {
        o.uuid: o
        for o in Offer.objects.filter(uuid__in=[p.uuid for p in plan]).prefetch_related(
            "target_groups", "languages", "weekly_slots", "dates", "translations"
        )
    }
    for planned in plan:
        values = _offer_values(planned, organisations, categories)
        offer = existing.get(planned.uuid)
        fresh = offer is None
        if offer is None:
            values["district_id"] = locator.district_id(Offer(), values)
            published = planned.status == Offer.Status.PUBLISHED
            confirmed = _confirmed_at(planned.confirmed_days_ago, now) if published else None
            offer = Offer.objects.create(
                uuid=planned.uuid,
                last_confirmed_at=confirmed,
                published_at=confirmed,
                **values,
            )
            written += 1
        else:
            values["district_id"] = locator.district_id(offer, values)
            if planned.status == Offer.Status.PUBLISHED and offer.last_confirmed_at is None:
                confirmed = _confirmed_at(planned.confirmed_days_ago, now)
                values.update(last_confirmed_at=confirmed, published_at=confirmed)
            _obj, changed = core_services.upsert(Offer, {"pk": offer.pk}, values)
            written += changed
        written += _related_sync(offer, planned, target_groups, languages, fresh=fresh)
    return written


def _related_sync(
    offer: Offer, planned: PlannedOffer, target_groups: dict, languages: dict, *, fresh: bool
) -> int:
    written = _set_if_different(
        offer.target_groups, [target_groups[slug] for slug in planned.template.groups], fresh=fresh
    )
    written += _set_if_different(
        offer.languages, [languages[code] for code in planned.languages], fresh=fresh
    )
    slots = [{"weekday": d, "opens": o, "closes": c} for d, o, c in sorted(planned.slots)]
    current_slots = (
        []
        if fresh
        else [
            {"weekday": s.weekday, "opens": s.opens, "closes": s.closes}
            for s in sorted(offer.weekly_slots.all(), key=lambda s: (s.weekday, s.opens, s.closes))
        ]
    )
    written += _replace_if_different(
        offer, "weekly_slots", WeeklySlot, current_slots, slots, fresh=fresh
    )
    current_dates = (
        []
        if fresh
        else [
            {"date": d.date, "starts": d.starts, "ends": d.ends}
            for d in sorted(offer.dates.all(), key=lambda d: (d.date, d.starts or time.min))
        ]
    )
    written += _replace_if_different(
        offer,
        "dates",
        OneOffDate,
        current_dates,
        _wanted_dates(offer, planned.template),
        fresh=fresh,
    )
    written += _translations_sync(offer, planned.translations, fresh=fresh)
    return written
