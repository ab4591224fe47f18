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


def likely_unit_slip(value: float, unit: str, item_unit: str, low: float | None, high: float | None) -> str | None:
    """The unit the auditor probably meant, when a reading misses the safe range in the unit
    given but fits it in the other unit of the pair (36 typed as cm for a 34–38 in handrail)."""
    unit, item_unit = normalise_unit(unit), normalise_unit(item_unit)
    other = other_unit(unit)

    def inside(u: str) -> bool:
        reading = convert(value, u, item_unit)
        return (low is None or reading >= low) and (high is None or reading <= high)

    return other if not inside(unit) and inside(other) else None


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


def format_reading(reading: Reading) -> str:
    """'measured 80 cm (31.5 in); target 33–36 in (83.8–91.4 cm)': the reading in the auditor's
    unit, then the range as its source writes it, each with the other unit in brackets."""
    measured = format_measure(reading.value, reading.unit)
    if reading.personal:  # worked out from the person's knee height: shown in the auditor's unit
        target = format_range(reading.low, reading.high, reading.range_unit, reading.unit)
        return f"measured {measured}; target {target}, fitted to the person's knee height"
    target = format_range(reading.low, reading.high, reading.range_unit)
    return f"measured {measured}; target {target}"


def format_measure(value: float, unit: str) -> str:
    """'86 cm (33.9 in)': the auditor's reading, then the other unit in brackets."""
    unit = normalise_unit(unit)
    other = other_unit(unit)
    return f"{_num(value)} {unit} ({_num(convert(value, unit, other))} {other})"


def format_range(low: float | None, high: float | None, unit: str, shown_in: str | None = None) -> str:
    """A safe range in ``shown_in`` (default: its own unit), with the other in brackets. In its own
    unit the numbers print as the source gives them (7.75 in, not 7.8); converted, to a tenth."""
    shown = normalise_unit(shown_in or unit)
    other = other_unit(shown)

    def span(u: str) -> str:
        exact = normalise_unit(u) == normalise_unit(unit)
        lo = None if low is None else convert(low, unit, u)
        hi = None if high is None else convert(high, unit, u)
        if lo is not None and hi is not None:
            return f"{_num(lo, exact)}–{_num(hi, exact)} {u}"
        if lo is not None:
            return f"at least {_num(lo, exact)} {u}"
        return f"at most {_num(hi, exact)} {u}" if hi is not None else "any"

    return f"{span(shown)} ({span(other)})"


def _num(value: float, exact: bool = False) -> str:
    if exact:  # as written: up to two decimals (7.75), no trailing zeros
        return f"{value:.2f}".rstrip("0").rstrip(".")
    if abs(value - round(value)) < 0.05:
        return str(round(value))
    return f"{value:.1f}"


__all__ = [
    "DIMENSIONS",
    "UNIT_ALIASES",
    "Dimension",
    "Reading",
    "convert",
    "dimension_of",
    "format_measure",
    "format_range",
    "format_reading",
    "likely_unit_slip",
    "normalise_unit",
    "other_unit",
]
