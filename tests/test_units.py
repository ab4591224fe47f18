import pytest

from homeaudit import units


def test_inches_and_centimetres_convert_both_ways():
    assert units.convert(1, "in", "cm") == 2.54
    assert round(units.convert(92, "cm", "in"), 2) == 36.22
    assert units.convert(10, "mm", "cm") == 1


def test_unit_spellings_are_normalised():
    assert units.normalise_unit("Inches") == "in"
    assert units.normalise_unit("lx") == "lux"


def test_a_reading_is_shown_in_its_unit_with_the_other_in_brackets():
    assert units.format_measure(34, "in") == "34 in (86.4 cm)"
    assert units.format_measure(86, "cm") == "86 cm (33.9 in)"


def test_open_ranges_read_as_at_least_or_at_most():
    assert units.format_range(None, 19.7, "cm") == "at most 19.7 cm (at most 7.8 in)"
    assert units.format_range(25.4, None, "cm", "in") == "at least 10 in (at least 25.4 cm)"


def test_length_and_light_do_not_convert_into_each_other():

    with pytest.raises(ValueError):
        units.convert(1, "cm", "lux")


def test_a_reading_that_fits_only_in_the_other_unit_is_flagged():
    assert units.likely_unit_slip(36, "cm", "cm", 86.5, 96.5) == "in"  # a 36 in handrail typed as cm
    assert units.likely_unit_slip(90, "cm", "cm", 86.5, 96.5) is None  # fine as it is
    assert units.likely_unit_slip(60, "cm", "cm", 86.5, 96.5) is None  # too low either way


@pytest.mark.parametrize(
    ("value", "unit", "range_unit", "low", "high"),
    [
        (90, "lux", "lux", 108, None),  # a dim hallway at night: a hazard, not 90 foot-candles
        (24, "cm", "in", 11, None),  # a short tread: a hazard, not 24 inches
        (50, "cm", "in", 20, 40),  # a screen a little too close: not 50 inches
        (80, "cm", "in", 33, 36),  # a grab bar a little low: not 80 inches
        (5, "fc", "lux", 108, None),  # 5 foot-candles is very dim: not 5 lux, which is dimmer still
    ],
)
def test_a_believable_hazard_never_gets_a_unit_suggestion(value, unit, range_unit, low, high):
    """Switching the unit would turn these real hazards into safe readings."""
    assert units.likely_unit_slip(value, unit, range_unit, low, high) is None


@pytest.mark.parametrize(
    ("value", "unit", "range_unit", "low", "high", "meant"),
    [
        (34, "cm", "in", 33, 36, "in"),  # a grab bar at 34 typed in cm
        (11, "cm", "in", 11, None, "in"),  # an 11 in tread typed in cm
        (86, "in", "in", 33, 36, "cm"),  # 86 cm typed in inches
    ],
)
def test_a_reading_no_home_gives_suggests_the_unit_meant(value, unit, range_unit, low, high, meant):
    assert units.likely_unit_slip(value, unit, range_unit, low, high) == meant


def test_unit_names_are_singular_for_one():
    assert units.unit_name("in", 1) == "inch" and units.unit_name("in", 1.5) == "inches"
    assert units.unit_name("fc", 1) == "foot-candle" and units.unit_name("cm", 1) == "cm"


def test_a_target_fitted_to_the_knee_is_rounded_as_a_tape_is_read_never_to_hundredths():
    """44 cm knee height, seat at +0 to +2 in: not "17.32–19.32 in" (a false precision)."""
    knee = 44 / 2.54
    in_cm = units.Reading(39, "cm", knee, knee + 2, "in", personal=True)
    in_inches = units.Reading(15.5, "in", knee, knee + 2, "in", personal=True)
    fitted = ", fitted to the person's knee height"
    assert units.format_target(in_cm) == "44–49 cm (17¼–19¼ in)" + fitted
    assert units.format_target(in_inches) == "17¼–19¼ in (44–49 cm)" + fitted
    assert units.format_reading(in_cm) == "measured 39 cm (15.4 in); target 44–49 cm (17¼–19¼ in)" + fitted


def test_a_standards_target_keeps_its_own_numbers_and_lux_is_whole():
    assert units.format_target(units.Reading(80, "cm", 33, 36, "in")) == "33–36 in (83.8–91.4 cm)"
    assert units.format_target(units.Reading(20, "cm", None, 7.75, "in")) == "at most 7.75 in (at most 19.7 cm)"
    assert units.format_target(units.Reading(90, "lux", 10, None, "fc")) == "at least 10 fc (at least 108 lux)"
    assert units.format_target(units.Reading(150, "lux", 30, None, "fc")) == "at least 30 fc (at least 323 lux)"
    assert units.format_measure(8, "fc") == "8 fc (86 lux)"


def test_the_plan_the_findings_and_the_measurements_table_print_one_target():
    """One formatter: the finding's words end with the same target the table prints."""
    reading = units.Reading(39, "cm", 44 / 2.54, 44 / 2.54 + 2, "in", personal=True)
    assert units.format_reading(reading).endswith("; target " + units.format_target(reading))
