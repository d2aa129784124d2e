"""What a grant's proof of use leaves unused, and how that is recovered. Pure: plain data in,
plain data out, no Django (proof_services.py feeds it from the database and stores the answer).

A flat-rate line is unused by the units not delivered × the flat rate; a cost line by the granted
amount minus the costs proven, never below zero. Delivering more than granted, or proving more
costs, earns nothing extra (the grant is the ceiling) and does not offset another line.

The claim is settled first from money not yet paid out (withheld), the rest is to be repaid.
"""

from collections.abc import Sequence
from dataclasses import dataclass

FLAT_RATE = "flat_rate"
COST = "cost"


@dataclass(frozen=True, kw_only=True)
class FundedLine:
    """One measure as granted (money in integer cents)."""

    id: int
    kind: str  # "flat_rate" | "cost"
    granted_cents: int
    unit_cents: int = 0  # flat rate: price per unit
    granted_units: int = 0  # flat rate: units granted


@dataclass(frozen=True, kw_only=True)
class ProvenLine:
    """What the organisation reports for one measure; None = nothing reported (counts as 0)."""

    id: int
    units_delivered: int | None = None
    proven_cents: int | None = None


@dataclass(frozen=True, kw_only=True)
class LineShortfall:
    id: int
    units_short: int  # flat rate; 0 for cost lines
    shortfall_cents: int


@dataclass(frozen=True, kw_only=True)
class Shortfall:
    lines: tuple[LineShortfall, ...]  # one per funded line, same order

    @property
    def total_cents(self) -> int:
        return sum(line.shortfall_cents for line in self.lines)


@dataclass(frozen=True, kw_only=True)
class Settlement:
    withheld_cents: int  # kept back from payments not made yet
    to_repay_cents: int  # to be paid back by the organisation


def line_shortfall(funded: FundedLine, proven: ProvenLine | None) -> LineShortfall:
    if funded.kind == FLAT_RATE:
        delivered = (proven.units_delivered if proven else None) or 0
        short = max(funded.granted_units - max(delivered, 0), 0)
        # Never more than was granted for the line, whatever the stored price says.
        cents = min(short * funded.unit_cents, funded.granted_cents)
        return LineShortfall(id=funded.id, units_short=short, shortfall_cents=cents)
    if funded.kind == COST:
        proven_cents = (proven.proven_cents if proven else None) or 0
        cents = max(funded.granted_cents - max(proven_cents, 0), 0)
        return LineShortfall(id=funded.id, units_short=0, shortfall_cents=cents)
    raise ValueError(f"unknown line kind {funded.kind!r}")


def shortfall(funded: Sequence[FundedLine], proven: Sequence[ProvenLine]) -> Shortfall:
    """Per funded line, what was not used as granted. Reported lines that were not funded are
    ignored."""
    by_id = {line.id: line for line in proven}
    return Shortfall(lines=tuple(line_shortfall(line, by_id.get(line.id)) for line in funded))


def settle(*, claim_cents: int, granted_cents: int, paid_cents: int) -> Settlement:
    """Split a claim into what is withheld from the grant's unpaid rest and what is to be
    repaid. Nothing is withheld twice and nothing repaid that was never paid."""
    if claim_cents < 0 or paid_cents < 0 or granted_cents < 0:
        raise ValueError("amounts must not be negative")
    unpaid = max(granted_cents - paid_cents, 0)
    withheld = min(claim_cents, unpaid)
    return Settlement(withheld_cents=withheld, to_repay_cents=claim_cents - withheld)


def split_evenly(total_cents: int, parts: int) -> list[int]:
    """An amount in `parts` instalments as even as cents allow; the first ones take the odd cents,
    so the sum is exact."""
    if parts < 1:
        raise ValueError("at least one part")
    if total_cents < 0:
        raise ValueError("amount must not be negative")
    base, rest = divmod(total_cents, parts)
    return [base + (1 if index < rest else 0) for index in range(parts)]
