"""Units of measurement and their conversions.

Auditors measure in centimetres or inches (and light in lux or foot-candles); each checklist item
states its safe range in one unit. Answers are converted to the item's unit before scoring and
shown back in the unit the auditor used, with the other in brackets.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Dimension:
    """A physical quantity: its units, their factor to the base unit, and what is plausible."""

    name: str
    base: str
    factors: dict[str, float]
    plausible_base: tuple[float, float]
    #: The pair shown side by side in reports: (metric, imperial).
    pair: tuple[str, str]

    @property
    def units(self) -> tuple[str, ...]:
        return tuple(self.factors)

    def plausible_in(self, unit: str) -> tuple[float, float]:
        low, high = self.plausible_base
        return (low / self.factors[unit], high / self.factors[unit])


DIMENSIONS: dict[str, Dimension] = {
    # Nothing in a home that we measure is taller than 3 m (a storey); 0 is a real reading
    # (no step, no gap).
    "length": Dimension("length", "cm", {"cm": 1.0, "mm": 0.1, "in": 2.54}, (0.0, 300.0), ("cm", "in")),
    # Direct sunlight is about 100,000 lux.
    "light": Dimension("light", "lux", {"lux": 1.0, "fc": 10.7639}, (0.0, 150_000.0), ("lux", "fc")),
}

UNIT_ALIASES = {"inch": "in", "inches": "in", '"': "in", "lx": "lux", "centimetres": "cm", "centimeters": "cm"}


def normalise_unit(unit: str) -> str:
    """The canonical spelling of a unit ('inches' → 'in'); unknown units are returned as given."""
    unit = unit.strip()
    return UNIT_ALIASES.get(unit.lower(), unit.lower())


def dimension_of(unit: str) -> str:
    """The dimension ('length', 'light') a unit measures; KeyError for an unknown unit."""
    unit = normalise_unit(unit)
    for name, dimension in DIMENSIONS.items():
        if unit in dimension.factors:
            return name
    raise KeyError(unit)


def convert(value: float, from_unit: str, to_unit: str) -> float:
    """Convert between two units of one dimension; ValueError if they measure different things."""
    source, target = normalise_unit(from_unit), normalise_unit(to_unit)
    if source == target:
        return float(value)
    dim = dimension_of(source)
    if dimension_of(target) != dim:
        raise ValueError(f"cannot convert {from_unit} to {to_unit}")
    factors = DIMENSIONS[dim].factors
    return float(value) * factors[source] / factors[target]


def other_unit(unit: str) -> str:
    """The unit shown in brackets beside a reading: inches for cm, cm for inches and mm."""
    unit = normalise_unit(unit)
    metric, imperial = DIMENSIONS[dimension_of(unit)].pair
    return imperial if unit != imperial else metric


#: How far outside its safe range a reading must be before a slip of unit is suspected: under
#: half the lower limit or over twice the upper one. Nearer readings are believable hazards.
SLIP_FACTOR = 2.0


def likely_unit_slip(value: float, unit: str, item_unit: str, low: float | None, high: float | None) -> str | None:
    """The unit the auditor probably meant (36 typed as cm for a 34–38 in handrail), or None.

    Only for a reading no real home gives in the unit typed (under half the safe range's lower
    limit or over twice its upper one) that fits the range in the other unit. A reading just
    outside the range is a real hazard (a 24 cm tread, 90 lux in a hallway): suggesting the other
    unit there would invite the auditor to turn a hazard into a safe reading.
    """
    unit, item_unit = normalise_unit(unit), normalise_unit(item_unit)
    other = other_unit(unit)

    def inside(u: str) -> bool:
        reading = convert(value, u, item_unit)
        return (low is None or reading >= low) and (high is None or reading <= high)

    given = convert(value, unit, item_unit)
    far = (low is not None and given < low / SLIP_FACTOR) or (high is not None and given > high * SLIP_FACTOR)
    return other if far and inside(other) else None


#: How a unit is written in a sentence, singular and plural ("1 inch", "2 inches").
UNIT_NAMES: dict[str, tuple[str, str]] = {
    "cm": ("cm", "cm"),
    "mm": ("mm", "mm"),
    "in": ("inch", "inches"),
    "lux": ("lux", "lux"),
    "fc": ("foot-candle", "foot-candles"),
}


def unit_name(unit: str, value: float | None = None) -> str:
    """'inches', or 'inch' for exactly one: the unit as words for a sentence or a button."""
    singular, plural = UNIT_NAMES.get(normalise_unit(unit), (unit, unit))
    return singular if value is not None and abs(value) == 1 else plural


@dataclass(frozen=True, slots=True)
class Reading:
    """A measurement as it was taken, beside the safe range it is judged against.

    Kept as numbers, never as a formatted string, so that the app, the report and the command
    line each show it their own way (:func:`format_reading`). ``unit`` is the auditor's unit;
    ``low`` and ``high`` (either may be open) are in ``range_unit``, the unit of the item's range.
    """

    value: float
    unit: str
    low: float | None
    high: float | None
    range_unit: str
    #: The range was fitted to the person (their knee height), not the checklist's fallback.
    personal: bool = False


#: Said after a target worked out from the person's knee height, wherever a target is printed.
KNEE_FITTED = "fitted to the person's knee height"

#: Decimals a converted number is shown to: a tenth of a cm, inch or foot-candle; whole lux and mm
#: (a light meter and a ruler are read no finer, and "107.6 lux" claims a precision nobody has).
DECIMALS: dict[str, int] = {"cm": 1, "in": 1, "fc": 1, "lux": 0, "mm": 0}


def format_reading(reading: Reading) -> str:
    """'measured 80 cm (31.5 in); target 33–36 in (83.8–91.4 cm)': the reading in the auditor's
    unit, then its target (:func:`format_target`), each with the other unit in brackets."""
    return f"measured {format_measure(reading.value, reading.unit)}; target {format_target(reading)}"


def format_target(reading: Reading) -> str:
    """The target a reading is judged against, the one way the plan, the findings and the
    measurements table print it.

    A standard's range is written as its source writes it, in its own unit (33–36 in, 7.75 in),
    the other unit in brackets. A range worked out from the person's knee height is not a
    source's number: it is shown in the auditor's unit, rounded as a tape measure is read (whole
    centimetres, quarter inches), and said to be fitted to the person ("44–49 cm (17¼–19¼ in),
    fitted to the person's knee height").
    """
    if reading.personal:
        words = format_range(reading.low, reading.high, reading.range_unit, reading.unit, fitted=True)
        return f"{words}, {KNEE_FITTED}"
    return format_range(reading.low, reading.high, reading.range_unit)


def format_measure(value: float, unit: str) -> str:
    """'86 cm (33.9 in)': the auditor's reading, then the other unit in brackets."""
    unit = normalise_unit(unit)
    other = other_unit(unit)
    return f"{_num(value)} {unit} ({_num(convert(value, unit, other), places=DECIMALS.get(other, 1))} {other})"


def format_range(low: float | None, high: float | None, unit: str, shown_in: str | None = None, *, fitted: bool = False) -> str:
    """A safe range in ``shown_in`` (default: its own unit), with the other in brackets. In its own
    unit the numbers print as the source gives them (7.75 in, not 7.8); converted, to
    :data:`DECIMALS`; a range ``fitted`` to the person to whole cm or quarter inches."""
    shown = normalise_unit(shown_in or unit)
    other = other_unit(shown)

    def number(value: float, u: str) -> str:
        if fitted:
            return _tape(value, u)
        if normalise_unit(u) == normalise_unit(unit):
            return _num(value, exact=True)
        return _num(value, places=DECIMALS.get(normalise_unit(u), 1))

    def span(u: str) -> str:
        lo = None if low is None else convert(low, unit, u)
        hi = None if high is None else convert(high, unit, u)
        if lo is not None and hi is not None:
            return f"{number(lo, u)}–{number(hi, u)} {u}"
        if lo is not None:
            return f"at least {number(lo, u)} {u}"
        return f"at most {number(hi, u)} {u}" if hi is not None else "any"

    return f"{span(shown)} ({span(other)})"


_QUARTERS = {0: "", 1: "¼", 2: "½", 3: "¾"}


def _tape(value: float, unit: str) -> str:
    """A length as a tape measure is read: whole cm (or mm), quarter inches as ¼ ½ ¾."""
    if unit == "in":
        quarters = round(value * 4)
        whole, part = divmod(quarters, 4)
        return f"{whole if whole or not part else ''}{_QUARTERS[part]}"
    return str(round(value))


def _num(value: float, exact: bool = False, places: int = 1) -> str:
    if exact:  # as written: up to two decimals (7.75), no trailing zeros
        return f"{value:.2f}".rstrip("0").rstrip(".")
    if places == 0 or abs(value - round(value)) < 0.05:
        return str(round(value))
    return f"{value:.{places}f}"


__all__ = [
    "DECIMALS",
    "DIMENSIONS",
    "KNEE_FITTED",
    "UNIT_ALIASES",
    "Dimension",
    "Reading",
    "convert",
    "dimension_of",
    "format_measure",
    "format_range",
    "format_reading",
    "format_target",
    "likely_unit_slip",
    "normalise_unit",
    "other_unit",
    "unit_name",
]
