"""Money: which currency a plan's cost bands are written in.

Cost bands are rough ("under 50", "50 to 250"), never quotes, so one set of numbers serves every
currency the product is used in; only the symbol changes. The currency comes from
``HOMEAUDIT_CURRENCY`` (``USD``, ``GBP``, ``EUR``, ``AUD``, …), else from the locale's territory
(``en_GB.UTF-8`` → pounds), read the way the C library reads it (``LC_ALL``, ``LC_MONETARY``,
``LANG``); US dollars when neither says.
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


def currency(environ: Mapping[str, str] | None = None) -> str:
    """The currency code for cost bands: ``HOMEAUDIT_CURRENCY``, else the locale's, else USD."""
    env = os.environ if environ is None else environ
    chosen = (env.get(ENV_VAR) or "").strip().upper()
    if len(chosen) == 3 and chosen.isalpha():  # any ISO 4217 code; those without a symbol print as "CHF 50"
        return chosen
    for name in ("LC_ALL", "LC_MONETARY", "LANG"):
        value = (env.get(name) or "").strip()
        if not value:
            continue
        base = value.split(".", 1)[0].split("@", 1)[0]
        territory = base.split("_", 1)[1].upper() if "_" in base else ""
        return TERRITORIES.get(territory, DEFAULT)
    return DEFAULT


def cost_label(cost: Cost | str, code: str = DEFAULT) -> str:
    """'Under £50', 'US$50 to US$250', 'Free', 'Appointment'; an unknown band as given."""
    words = COST_WORDS.get(cost)
    return words.format(money=SYMBOLS.get(code, code + " ")) if words else cost


__all__ = ["DEFAULT", "ENV_VAR", "SYMBOLS", "TERRITORIES", "cost_label", "currency"]
