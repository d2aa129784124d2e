"""CSV as German finance and office software reads it: semicolons, decimal comma, dates as
dd.mm.yyyy, UTF-8 with a byte-order mark (so spreadsheet programs detect the encoding), CRLF line
ends. Pure functions, no Django.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date

BOM = "\ufeff"
# A cell starting with one of these is a formula to a spreadsheet; prefix it (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class Raw(str):
    """A cell written exactly as given: a number formatted here (a negative amount starts with
    '-', which must not be mistaken for a formula)."""

    __slots__ = ()


def amount(cents: int | None) -> Raw:
    """Cents as euros with a decimal comma and no thousands separator: 200000 → '2000,00'."""
    if cents is None:
        return Raw("")
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    return Raw(f"{sign}{whole},{rest:02d}")


def day(value: date | None) -> Raw:
    return Raw(value.strftime("%d.%m.%Y") if value else "")


def cell(value) -> str:
    if value is None:
        return ""
    text = str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def to_bytes(header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """The whole file: BOM, header, rows; every text cell guarded against formulas except the
    numbers and dates formatted by amount() and day()."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([cell(name) for name in header])
    for row in rows:
        writer.writerow([value if isinstance(value, Raw) else cell(value) for value in row])
    return (BOM + buffer.getvalue()).encode("utf-8")
