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
    import pytest

    with pytest.raises(ValueError):
        units.convert(1, "cm", "lux")


def test_a_reading_that_fits_only_in_the_other_unit_is_flagged():
    assert units.likely_unit_slip(36, "cm", "cm", 86.5, 96.5) == "in"  # a 36 in handrail typed as cm
    assert units.likely_unit_slip(90, "cm", "cm", 86.5, 96.5) is None  # fine as it is
    assert units.likely_unit_slip(60, "cm", "cm", 86.5, 96.5) is None  # too low either way
