"""Currencies a plan can be kept in.

Money is stored in the plan file as whole minor units (pence, cents) in
INTEGER columns, so sums and target allocations are exact to the penny; the
:class:`Currency` says how many minor units make one major unit and how to
show the amount.
"""

from __future__ import annotations

from dataclasses import dataclass

from salesplanner.errors import UserError


@dataclass(frozen=True)
class Currency:
    """An ISO 4217 currency: code, symbol and number of minor-unit digits."""

    code: str
    symbol: str
    name: str
    digits: int = 2

    @property
    def minor_per_major(self) -> int:
        """Minor units in one major unit (100 for GBP)."""
        return 10**self.digits

    def to_minor(self, amount: float) -> int:
        """Round an amount in major units to whole minor units."""
        return int(round(amount * self.minor_per_major))

    def to_major(self, minor: int) -> float:
        """Minor units as major units."""
        return minor / self.minor_per_major


CURRENCIES: dict[str, Currency] = {
    c.code: c
    for c in (
        Currency("GBP", "£", "Pound sterling"),
        Currency("EUR", "€", "Euro"),
        Currency("USD", "$", "US dollar"),
        Currency("CAD", "$", "Canadian dollar"),
        Currency("AUD", "$", "Australian dollar"),
        Currency("NZD", "$", "New Zealand dollar"),
        Currency("CHF", "CHF", "Swiss franc"),
        Currency("SEK", "kr", "Swedish krona"),
        Currency("NOK", "kr", "Norwegian krone"),
        Currency("DKK", "kr", "Danish krone"),
        Currency("PLN", "zł", "Polish złoty"),
        Currency("ZAR", "R", "South African rand"),
        Currency("INR", "₹", "Indian rupee"),
        Currency("SGD", "$", "Singapore dollar"),
        Currency("HKD", "$", "Hong Kong dollar"),
        Currency("AED", "د.إ", "UAE dirham"),
        Currency("JPY", "¥", "Japanese yen", 0),
    )
}


def currency(code: str) -> Currency:
    """Look up a currency by its ISO code (case-insensitive).

    Raises :class:`UserError` naming the codes that are supported.
    """
    key = (code or "").strip().upper()
    try:
        return CURRENCIES[key]
    except KeyError:
        known = ", ".join(sorted(CURRENCIES))
        raise UserError(
            f"currency {code!r} is not supported; use one of {known}"
        ) from None
