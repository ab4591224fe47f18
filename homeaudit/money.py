"""Money: which currency a plan's cost bands are written in.

Cost bands are rough ("under 50", "50 to 250"), never quotes, so one set of numbers serves every
currency the product is used in; only the symbol changes. The currency is, first to last:

1. ``HOMEAUDIT_CURRENCY`` (``USD``, ``GBP``, ``EUR``, ``AUD``, …): an override, for a practice
   whose every audit is in one currency;
2. the audit's own (``audit_currency``: the ``currency`` of the audit file's client details,
   where the audit records one), because the costs are those of the client's home, not of the
   machine that prints the plan;
3. the locale's territory (``en_GB.UTF-8`` → pounds), read the way the C library reads it
   (``LC_ALL``, ``LC_MONETARY``, ``LANG``);
4. US dollars.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from homeaudit.words import COST_WORDS, Cost

ENV_VAR = "HOMEAUDIT_CURRENCY"

#: Currency code -> the symbol printed before an amount.
SYMBOLS: dict[str, str] = {
    "USD": "US$",
    "GBP": "£",
    "EUR": "€",
    "AUD": "A$",
    "CAD": "C$",
    "NZD": "NZ$",
}
DEFAULT = "USD"

_EURO = ["AT", "BE", "CY", "DE", "EE", "ES", "FI", "FR", "GR", "HR", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PT", "SI", "SK"]
#: Locale territory -> currency code.
TERRITORIES: dict[str, str] = {
    "US": "USD",
    "GB": "GBP",
    "UK": "GBP",
    "AU": "AUD",
    "CA": "CAD",
    "NZ": "NZD",
    **dict.fromkeys(_EURO, "EUR"),
}


def currency(environ: Mapping[str, str] | None = None, audit_currency: str = "") -> str:
    """The currency code for cost bands: ``HOMEAUDIT_CURRENCY``, else the audit's own
    (``audit_currency``, see :func:`of_audit`), else the locale's, else USD."""
    env = os.environ if environ is None else environ
    for given in (env.get(ENV_VAR) or "", audit_currency or ""):
        chosen = given.strip().upper()
        if _is_code(chosen):  # any ISO 4217 code; those without a symbol print as "CHF 50"
            return chosen
    for name in ("LC_ALL", "LC_MONETARY", "LANG"):
        value = (env.get(name) or "").strip()
        if not value:
            continue
        base = value.split(".", 1)[0].split("@", 1)[0]
        territory = base.split("_", 1)[1].upper() if "_" in base else ""
        return TERRITORIES.get(territory, DEFAULT)
    return DEFAULT


def _is_code(text: str) -> bool:
    return len(text) == 3 and text.isascii() and text.isalpha()


def of_audit(audit: object) -> str:
    """The currency an audit records for its client's home (``client.currency``), or "" when it
    records none. Read by name, so that audit files without the field still work."""
    given = getattr(getattr(audit, "client", None), "currency", "")
    return given.strip().upper() if isinstance(given, str) and _is_code(given.strip().upper()) else ""


#: Currencies of the countries whose family doctor is a GP: the plan's "who" says "GP" there.
GP_CURRENCIES = frozenset({"GBP", "AUD", "NZD"})


def doctor_word(code: str) -> str:
    """'GP' where the currency's country calls the family doctor that (UK, Australia, New
    Zealand), else 'Doctor'."""
    return "GP" if code in GP_CURRENCIES else "Doctor"


def cost_label(cost: Cost | str, code: str = DEFAULT) -> str:
    """'Under £50', 'US$50 to US$250', 'Free', 'Appointment'; an unknown band as given."""
    words = COST_WORDS.get(cost)
    return words.format(money=SYMBOLS.get(code, code + " ")) if words else cost


__all__ = ["DEFAULT", "ENV_VAR", "GP_CURRENCIES", "SYMBOLS", "TERRITORIES", "cost_label", "currency", "doctor_word", "of_audit"]
