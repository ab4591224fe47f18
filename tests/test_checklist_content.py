"""The bundled checklist's content: true to its sources, plain to read, and complete.

Three kinds of test live here (docs/checklists.md explains each):

* **Truth.** A table written from the standards themselves, not from the YAML, pins every
  measurement's safe range and the unit the source writes it in; a walk over every measurement
  item checks, through :func:`homeaudit.score`, that a reading on a limit is safe and a reading a
  tenth of a unit outside it is a hazard, in both units of its dimension.
* **Plain words.** Every question, help text, action and "why" reads at Flesch–Kincaid grade 8 or
  below, and technical words (lux, nosing, ADA, ...) appear only with a plain explanation.
* **Completeness.** Sources cited by key, the STEADI interventions wired to the questions that
  call for them, costs and who-does-it that are true, questions about the person asked once.

The Flesch–Kincaid grade is computed here with our own syllable count rather than the textstat
package: textstat's current versions download a pronouncing dictionary at run time. The count
uses vowel groups with the usual corrections (a silent final e, -ed and -es endings, two-vowel
pairs that are two syllables) and a short list of exceptions; on the checklist's own vocabulary
it agreed with the CMU Pronouncing Dictionary for 99.8% of words when it was written.
"""

from __future__ import annotations

import collections
import re
from pathlib import Path

import pytest

from homeaudit import checklist, scoring
from homeaudit.audit import Answer, Audit, RoomVisit
from homeaudit.units import DIMENSIONS, convert, dimension_of

RELEASED_IDS = Path(__file__).with_name("released_item_ids.txt")

# ---- readability -------------------------------------------------------------------------------

GRADE_LIMIT = 8.0
FAMILY_FIELDS = ("question", "help", "action", "ot_action", "why")

_SENTENCE_END = re.compile(r"[.!?]+(?=[\s\"')\]]|$)")
_TOKEN = re.compile(r"[A-Za-z0-9½¼¾⅜][A-Za-z0-9'’½¼¾⅜.,/-]*")
#: Common words the vowel-group rules get wrong (the count a dictionary gives).
_EXCEPTIONS = {
    "any": 2, "many": 2, "area": 3, "idea": 3, "being": 2, "doing": 2, "going": 2, "seeing": 2,
    "every": 2, "everyday": 3, "everything": 3, "everyone": 3, "evening": 2, "several": 3,
    "usual": 3, "usually": 4, "actual": 3, "actually": 4, "create": 2, "quiet": 2, "diet": 2,
    "fire": 1, "tired": 1, "hire": 1, "wire": 1, "higher": 2, "lower": 2, "power": 2, "shower": 2,
    "showers": 2, "flower": 2, "towel": 2, "towels": 2, "lying": 2, "trying": 2, "dying": 2,
    "someone": 2, "sometimes": 2, "somewhere": 2, "anywhere": 3, "everywhere": 3, "elsewhere": 2,
    "people": 2, "toilet": 2, "toilets": 2, "doctor": 2, "business": 2, "furniture": 3,
    "medicine": 3, "medicines": 3, "vitamin": 3, "vitamins": 3, "idle": 2, "poem": 2,
    "therapist": 3, "therapists": 3, "physiotherapist": 5, "physiotherapists": 5,
    "science": 2, "ladder": 2, "naturally": 4, "video": 3, "radio": 3, "really": 2, "real": 1,
    "ideal": 3,
}  # fmt: skip
_SUFFIX_E = re.compile(r"(?<=[^aeiouy])e(?=(ly|ment|ments|ful|less|ness|thing|one|where|times)$)")


def syllables(word: str) -> int:
    """Syllables of one word, by vowel groups with the usual corrections."""
    word = word.lower().strip("'’.,")
    if re.fullmatch(r"[0-9.,/½¼¾⅜-]+", word):  # a number: roughly one syllable a digit
        return max(1, min(len(re.sub(r"[^0-9]", "", word)), 3))
    total = 0
    for part in re.split(r"[-/]", word):
        w = re.sub(r"[^a-z]", "", part)
        if not w:
            continue
        if w in _EXCEPTIONS:
            total += _EXCEPTIONS[w]
            continue
        if len(w) <= 3:
            total += 1
            continue
        w = _SUFFIX_E.sub("", w)
        if w.endswith("es") and not re.search(r"(s|x|z|ch|sh|c|g|[^aeiouy]l)es$", w):
            w = w[:-1]  # makes -> make, then the silent e below
        if w.endswith("ed") and not re.search(r"[td]ed$", w):
            w = w[:-2]
        elif w.endswith("e") and not re.search(r"([^aeiouy]le|ee|es)$", w):
            w = w[:-1]
        w = re.sub(r"^y", "", w)
        count = len(re.findall(r"[aeiouy]+", w))
        # Two vowels side by side that are two syllables: tri-al, ac-tu-al, cal-ci-um, car-ry-ing.
        count += len(re.findall(r"(?<![ct])ia|ua|iu|eo|y[aeiou]|ie(?=r$|st$)|uou", w))
        total += max(1, count)
    return max(1, total)


def words(text: str) -> list[str]:
    return [t for t in _TOKEN.findall(text) if re.search(r"[A-Za-z0-9½¼¾⅜]", t)]


def fk_grade(text: str) -> float:
    """Flesch–Kincaid grade level: 0.39 × words per sentence + 11.8 × syllables per word − 15.59."""
    found = words(text)
    if not found:
        return 0.0
    sentences = max(1, len(_SENTENCE_END.findall(text.strip())))
    return 0.39 * len(found) / sentences + 11.8 * sum(syllables(w) for w in found) / len(found) - 15.59


def family_texts(library: checklist.Library):
    """(id, field, text) of everything a family reads: questions, help, actions and reasons."""
    for item in library.items.values():
        for name in FAMILY_FIELDS:
            text = getattr(item, name)
            if text:
                yield item.id, name, text
    for intervention in library.interventions.values():
        for name in ("action", "why"):
            text = getattr(intervention, name)
            if text:
                yield intervention.id, name, text
    for habit in library.habits.values():
        for name in ("advice", "why"):
            yield f"habit {habit.id}", name, getattr(habit, name)


@pytest.mark.parametrize(
    ("word", "count"),
    [("grab", 1), ("toilet", 2), ("handrail", 2), ("medicine", 3), ("edges", 2), ("makes", 1),
     ("headed", 2), ("carrying", 3), ("occupational", 5), ("osteoporosis", 6), ("safely", 2)],
)  # fmt: skip
def test_the_syllable_count_agrees_with_a_dictionary(word, count):
    assert syllables(word) == count


def test_the_grade_formula_matches_a_worked_example():
    # 8 words, 1 sentence, 10 syllables: 0.39 * 8 + 11.8 * 10 / 8 - 15.59 = 2.28
    assert fk_grade("Is there a grab bar beside the toilet?") == pytest.approx(2.28, abs=0.01)


def test_what_a_family_reads_is_at_grade_8_or_below(library):
    too_hard = [
        f"{item_id} {name} (grade {fk_grade(text):.1f}): {text}"
        for item_id, name, text in family_texts(library)
        if fk_grade(text) > GRADE_LIMIT
    ]
    assert not too_hard, "above grade 8:\n" + "\n".join(too_hard)


# ---- jargon --------------------------------------------------------------------------------------

#: Technical words a family may not know. Each may appear inside brackets after the plain words
#: ("the front edge of each step (the nosing)"), or, where a gloss is given, in an item that
#: explains it in words somewhere in its text (a light-meter app shows lux; a commode is "a chair
#: with a toilet pot"). Product names that merely contain a word are allowed as they stand.
JARGON = {
    "lux": (r"\blux\b", r"light[- ]meter"),
    "foot-candles": (r"\bfoot-?candles?\b|\bfc\b", r"light[- ]meter"),
    "nosing": (r"\bnosings?\b", None),
    "riser": (r"\brisers?\b", None),
    "HIPI": (r"\bHIPI\b", None),
    "STEADI": (r"\bSTEADI\b", None),
    "ADA": (r"\bADA\b", None),
    "IRC": (r"\bIRC\b", None),
    "NFPA": (r"\bNFPA\b", None),
    "OSHA": (r"\bOSHA\b", None),
    "FRAX": (r"\bFRAX\b", None),
    "DEXA": (r"\bDEXA\b", None),
    "osteopenia": (r"\bosteopenia\b", None),
    "lumbar": (r"\blumbar\b", None),
    "kyphosis": (r"\bkyphosis\b", None),
    "orthostatic": (r"\borthostatic\b", None),
    "popliteal": (r"\bpopliteal\b", None),
    "commode": (r"\bcommodes?\b", r"chair with a toilet pot"),
}
#: Everyday product names that contain a jargon word.
ALLOWED_PHRASES = [r"\bbed risers?\b"]


def _outside_brackets(text: str) -> str:
    return re.sub(r"\([^()]*\)", " ", text)


def test_technical_words_come_with_plain_words(library):
    unexplained = []
    things = [*library.items.values(), *library.interventions.values()]
    for thing in things:
        texts = [getattr(thing, name, None) for name in (*FAMILY_FIELDS, "hazard", "title")]
        texts += [o.label for o in getattr(thing, "options", ())]
        texts = [t for t in texts if t]
        everything = " ".join(texts)
        for text in texts:
            plain = _outside_brackets(text)
            for allowed in ALLOWED_PHRASES:
                plain = re.sub(allowed, " ", plain, flags=re.I)
            for term, (pattern, gloss) in JARGON.items():
                flags = 0 if term.isupper() else re.I
                if re.search(pattern, plain, flags) and not (gloss and re.search(gloss, everything, re.I)):
                    unexplained.append(f"{thing.id}: {term!r} in {text!r}")
    assert not unexplained, "say it in words, and keep the term in brackets:\n" + "\n".join(unexplained)


# ---- truth: the standards' own numbers -----------------------------------------------------------

#: Written from the standards, not from the YAML: item -> (low, high, the unit the source uses).
STANDARDS = {
    # 2010 ADA Standards 609.4: top of grab bar 33-36 in above the floor.
    "bathroom.grab_bar_height": (33, 36, "in"),
    # ADA 607.4.2.1: lower bath grab bar 8-10 in above the rim of the bathtub.
    "bathroom.bath_lower_bar_height": (8, 10, "in"),
    # ADA 604.4: toilet seat 17-19 in to the top of the seat (the fallback without knee height).
    "bathroom.toilet_seat_height": (17, 19, "in"),
    # ADA 608.7: shower threshold 1/2 in high maximum.
    "bathroom.shower_step_height": (None, 0.5, "in"),
    # ADA 505.4 and IRC R311.7.8.1: handrail 34-38 in above the stair nosings.
    "stairs.handrail_height": (34, 38, "in"),
    # IRC R311.7.5.1: riser 7 3/4 in maximum.
    "stairs.riser_height": (None, 7.75, "in"),
    # IRC R311.7.5.2: tread 10 in minimum, nosing to nosing.
    "stairs.tread_depth": (10, None, "in"),
    # ADA 303 and 404.2.5: thresholds 1/2 in high maximum.
    "hallway.threshold_height": (None, 0.5, "in"),
    # ADA 404.2.3: door clear width 32 in minimum.
    "hallway.door_width": (32, None, "in"),
    # ADA 806.2.3 with 305.3: clear floor space 30 in wide beside the bed.
    "bedroom.space_beside_bed": (30, None, "in"),
    # OSHA Computer Workstations eTool: screen at least 20 in, typically 20-40 in, from the eyes.
    "office.screen_distance": (20, 40, "in"),
    # Victoria Dept of Health, dementia-friendly environments: hallways at night 10 fc (108 lux),
    # kitchens 50 fc (538 lux), living areas 30 fc (323 lux).
    "hallway.light_level": (10, None, "fc"),
    "kitchen.light_level": (50, None, "fc"),
    "living_room.light_level": (30, None, "fc"),
    # Weiner 1993: chair-rise heights 17-22 in (the fallback without knee height).
    "living_room.chair_seat_height": (17, 22, "in"),
    "bedroom.bed_height": (17, 22, "in"),
}

#: Seat heights judged against the person's knee (floor to the back of the knee, seated, in shoes):
#: at the knee or a little above it (OT practice; Pheasant 2006, Weiner 1993), in inches.
KNEE_RANGES = {
    "bathroom.toilet_seat_height": (0, 2),
    "living_room.chair_seat_height": (0, 2),
    "bedroom.bed_height": (0, 3),  # the top of an uncompressed mattress sinks when sat on
}


def measurement_items(library):
    return [i for i in library.items.values() if i.answer_type == "measurement" and i.range is not None]


def test_every_measurement_with_a_range_is_in_the_table_of_standards(library):
    assert {i.id for i in measurement_items(library)} == set(STANDARDS)


@pytest.mark.parametrize("item_id", sorted(STANDARDS))
def test_each_measurement_range_is_its_sources_own_numbers_in_its_own_unit(library, item_id):
    item = library.items[item_id]
    low, high, unit = STANDARDS[item_id]
    assert item.range == (low, high)
    assert item.range_unit == unit


@pytest.mark.parametrize("item_id", sorted(KNEE_RANGES))
def test_seat_heights_fit_the_persons_knee(library, item_id):
    item = library.items[item_id]
    assert item.knee_range == KNEE_RANGES[item_id]
    assert item.range_unit == "in"


def test_knee_height_is_asked_once_as_a_measurement_of_the_person(library):
    knee = library.items[checklist.KNEE_HEIGHT_ITEM]
    assert knee.screen == "body" and knee.answer_type == "measurement"
    assert knee.range is None and dimension_of(knee.unit) == "length"
    assert "back of the knee" in knee.question and "shoes" in knee.help


def _status(library, item, value, unit=None, resident=None) -> str:
    visit = RoomVisit(room=item.room, answers={item.id: Answer(value=value, unit=unit)})
    result = scoring.score(Audit(id="limits", resident=resident or {}, rooms=[visit]), library)
    return next(f.status for f in result.findings if f.item_id == item.id and f.room == item.room)


def _limit_cases():
    library = checklist.load(extra="")
    for item in measurement_items(library):
        low, high = item.range
        for unit in DIMENSIONS[dimension_of(item.unit)].pair:
            for bound, outside in ((low, -0.1), (high, +0.1)):
                if bound is not None:
                    limit = round(convert(bound, item.range_unit, unit), 1)
                    yield pytest.param(item.id, unit, limit, round(limit + outside, 1), id=f"{item.id}-{unit}-{limit}")


@pytest.mark.parametrize(("item_id", "unit", "limit", "outside"), list(_limit_cases()))
def test_a_reading_on_a_limit_is_safe_and_a_tenth_outside_it_is_a_hazard(library, item_id, unit, limit, outside):
    item = library.items[item_id]
    assert _status(library, item, limit, unit) == "safe"
    assert _status(library, item, outside, unit) == "hazard"


def test_a_toilet_seat_is_judged_against_the_knee_when_it_was_measured(library):
    toilet = library.items["bathroom.toilet_seat_height"]
    knee = {checklist.KNEE_HEIGHT_ITEM: Answer(value=20, unit="in")}
    # 20 in is above ADA's 17-19 in but right for a tall person's 20 in knee ...
    assert _status(library, toilet, 21, "in", knee) == "safe"
    # ... and 22.1 in is more than 2 in above it.
    assert _status(library, toilet, 22.1, "in", knee) == "hazard"


_FRACTIONS = {0.25: "¼", 0.5: "½", 0.75: "¾"}
_UNIT_WORDS = {"in": "in", "fc": "foot-candles", "cm": "cm", "lux": "lux"}


def _as_written(value: float) -> str:
    """A number as a standard writes it: 7¾, ½, 33."""
    whole, part = int(value), round(value - int(value), 2)
    if part == 0:
        return str(whole)
    return (str(whole) if whole else "") + _FRACTIONS[part]


def _quotes(action: str, low: float | None, high: float | None, unit: str) -> bool:
    """The action quotes the range as the source writes it, then the other unit in brackets."""
    bounds = [b for b in (low, high) if b is not None]
    written = "–".join(_as_written(b) for b in bounds) + f" {_UNIT_WORDS[unit]}"
    match = re.search(re.escape(written) + r" \(([^)]*)\)", action)
    if not match:
        return False
    numbers = re.findall(r"\d+(?:\.\d+)?", match.group(1))
    other = match.group(1).split()[-1]
    if len(numbers) != len(bounds):
        return False
    for shown, exact in zip(numbers, (convert(b, unit, other) for b in bounds), strict=True):
        decimals = len(shown.split(".")[1]) if "." in shown else 0
        if abs(float(shown) - exact) > 0.5 * 10**-decimals + 1e-9:
            return False
    return True


@pytest.mark.parametrize("item_id", sorted(STANDARDS))
def test_the_action_quotes_the_range_as_the_source_writes_it_with_the_metric_in_brackets(library, item_id):
    item = library.items[item_id]
    assert _quotes(item.action, *item.range, item.range_unit), item.action
    if item.knee_range:
        assert _quotes(item.action, None, item.knee_range[1], item.range_unit), item.action


# ---- facts fixed in review -----------------------------------------------------------------------


def test_tread_depth_is_measured_nosing_to_nosing(library):
    tread = library.items["stairs.tread_depth"]
    assert "front edge of one step" in tread.question and "(the nosing)" in tread.help
    assert "nosing to nosing" in tread.spec and "R311.7.5.2" in tread.spec


def test_the_hall_light_is_measured_after_dark_against_the_night_level(library):
    hall = library.items["hallway.light_level"]
    assert hall.question.startswith("After dark")
    assert (hall.range, hall.range_unit) == ((10, None), "fc")


def test_the_lower_bath_grab_bar_is_measured_from_the_rim(library):
    lower = library.items["bathroom.bath_lower_bar_height"]
    assert "rim" in lower.question and "not from the floor" in lower.help
    assert "8–10 in (20–25 cm) above the rim of the bath" in library.items["bathroom.grab_bar_shower"].action


def test_a_smoke_alarm_is_asked_for_inside_every_bedroom(library):
    alarm = library.items["bedroom.smoke_alarm"]
    assert "inside this bedroom" in alarm.question
    assert any(c.startswith("nfpa-72") for c in alarm.source_refs)
    assert "inside each bedroom" in library.items["hallway.smoke_alarm"].action


@pytest.mark.parametrize("item_id", ["stairs.switch_top_and_bottom", "hallway.light_switch_each_end"])
def test_switches_at_both_ends_are_named_for_us_and_uk_readers(library, item_id):
    item = library.items[item_id]
    assert "three-way switch in the US" in item.action and "two-way switch in the UK" in item.action
    assert item.who == "electrician"


def test_height_loss_has_a_figure(library):
    question = library.items["resident.height_loss"].question
    assert "4 cm (1.5 in) or more" in question and "tallest height they remember" in question


def test_alcohol_is_three_or_more_units_a_day(library):
    alcohol = library.items["resident.alcohol"]
    assert "3 or more units of alcohol a day" in alcohol.question
    assert any(c.startswith("kanis-2008") for c in alcohol.source_refs)


def test_back_pain_red_flags_mean_help_the_same_day(library):
    flags = library.items["resident.back_pain_red_flags"]
    assert flags.screen == "warning_sign" and flags.who == "doctor"
    assert "today" in flags.action
    assert flags.urgency == "today"  # the plan dates it on the audit date from this, not from the words
    assert [i.id for i in library.items.values() if i.urgency == "today"] == [flags.id]
    for sign in ("weakness or numbness in the legs", "urine or stools", "fever", "cancer"):
        assert sign in flags.question  # in the question itself: behind the help button a family never saw them


# ---- questions about the person are asked once ---------------------------------------------------

#: The bedroom questions released in 0.1 that the resident section took over: their answer
#: values and the answers that were hazards, as released (old audits are read in unchanged).
TAKEN_OVER = {
    "bedroom.indoor_footwear": (
        "resident.indoor_footwear",
        ("closed_back_non_slip", "backless_slippers", "worn_or_loose", "socks_only", "bare_feet", "na"),
        ("backless_slippers", "worn_or_loose", "socks_only", "bare_feet"),
    ),
    "bedroom.slippers_by_bed": ("resident.slippers_by_bed", ("yes", "no", "na"), ("no",)),
    "bedroom.sleep_position": (
        "resident.sleep_position",
        ("side_pillow_between_knees", "back_pillow_under_knees", "side_no_pillow", "back_no_pillow", "stomach", "na"),
        ("side_no_pillow", "back_no_pillow", "stomach"),
    ),
    "bedroom.log_roll": ("resident.log_roll", ("yes", "no", "na"), ("no",)),
    "bedroom.dress_sitting": ("resident.dress_sitting", ("yes", "no", "na"), ("no",)),
}


@pytest.mark.parametrize("old_id", sorted(TAKEN_OVER))
def test_a_question_about_the_person_is_asked_once_with_the_same_answers(library, old_id):
    new_id, values, hazards = TAKEN_OVER[old_id]
    assert old_id not in library.items
    assert library.replaced[old_id] == new_id
    new = library.items[new_id]
    assert new.room == checklist.RESIDENT_ROOM and new.screen == "habit"
    assert new.option_values == values
    assert new.hazard_options == hazards


def test_every_bundled_item_id_is_recorded_as_released(library):
    released = {line.strip() for line in RELEASED_IDS.read_text().splitlines() if line.strip() and not line.startswith("#")}
    assert set(library.items) <= released


def test_where_the_fall_happened_names_a_room_and_adds_no_risk_points(library):
    where = library.items[checklist.FALL_PLACE_ITEM]
    homes = [r.room for r in library.home_rooms]
    assert where.answer_type == "choice"
    assert set(where.option_values) == {*homes, "outside_away", "unknown", "na"}
    assert where.screen == "condition" and where.steadi_points == 0
    assert where.id not in (checklist.OSTEOPOROSIS_ITEM, checklist.BACK_PAIN_ITEM, checklist.LOW_VISION_ITEM)
    for room in homes:
        audit = Audit(id="fell", resident={where.id: Answer(value=room)}, rooms=[RoomVisit(room=room)])
        screen = scoring.score(audit, library).resident
        assert screen.steadi_score == 0 and not screen.at_risk


# ---- the garage, garden and car ------------------------------------------------------------------


def test_the_garage_garden_and_car_are_a_room(library):
    garden = library.room("garden")
    assert garden.name == "Garage, garden and car"
    order = [r.room for r in library.home_rooms]
    assert order.index("bedroom") < order.index("garden") < order.index("office")
    ids = {i.id for i in garden.items}
    needed = ("paths_even", "outside_steps_handrail", "outside_lights", "bins_easy", "car_in_out")
    assert {f"garden.{name}" for name in needed} <= ids


@pytest.mark.parametrize(
    "item_id",
    ["resident.dizzy_on_standing", "resident.gets_up_slowly", "resident.daily_check_in", "resident.lives_alone",
     "living_room.bulbs_without_climbing", "bedroom.toilet_at_night", "kitchen.pet_bowls", "hallway.door_width",
     "bathroom.shower_step_height", "living_room.chair_arm_height", "bedroom.space_beside_bed", "entrance.ramp_slope"],
)  # fmt: skip
def test_what_cdc_hssat_and_home_fast_cover_is_asked(library, item_id):
    assert item_id in library.items


def test_a_ramp_is_asked_as_a_choice_against_1_in_12(library):
    ramp = library.items["entrance.ramp_slope"]
    assert ramp.answer_type == "choice" and ramp.hazard_options == ("steep",)
    assert "1:12" in ramp.spec and "405.2" in ramp.spec


# ---- sources -------------------------------------------------------------------------------------


def test_every_item_and_intervention_cites_references_by_key(library):
    for item in library.items.values():
        assert item.source_refs and not item.source, item.id
    for intervention in library.interventions.values():
        assert intervention.source_refs, intervention.id
    for habit in library.habits.values():
        assert habit.source_refs and all(checklist.cited_key(c) in library.references for c in habit.source_refs), habit.id


def _cited(library):
    """Everything that cites references: items, interventions and the daily habits."""
    return [*library.items.values(), *library.interventions.values(), *library.habits.values()]


def test_a_consumer_article_is_never_the_only_source(library):
    for thing in _cited(library):
        kinds = {library.references[checklist.cited_key(c)].kind for c in thing.source_refs}
        assert kinds - {"consumer"}, thing.id


def test_the_daily_habits_are_checklist_content_with_full_references(library):
    """Issue 9: no "Seed article" in an OT's report; the habits live in checklists/habits.yaml."""
    assert {"bending", "sleeping", "calcium", "shoes", "walking", "exercise_with_support"} <= set(library.habits)
    for habit in library.habits.values():
        for source in library.sources_of(habit.source_refs):
            assert "seed article" not in source.lower() and re.search(r"\(\d{4}\)\. .+\.", source), source


def test_a_person_at_higher_risk_is_not_told_to_walk_alone_but_to_exercise_as_the_physiotherapist_shows(library):
    walking, exercise = library.habits["walking"], library.habits["exercise_with_support"]
    bones = frozenset({"resident.osteoporosis"})
    assert walking.fits(bones, frozenset(), at_risk=False) and not exercise.fits(bones, frozenset(), at_risk=False)
    assert not walking.fits(bones, frozenset(), at_risk=True) and exercise.fits(bones, frozenset(), at_risk=True)
    assert "physiotherapist" in exercise.advice and "walking aid" in exercise.advice


def test_the_habits_see_the_persons_own_answers(library):
    """Footwear and sleeping position are asked about the person now: their topics select habits."""
    assert library.items["resident.indoor_footwear"].topic in library.habits["shoes"].when.topics
    assert library.items["resident.sleep_position"].topic in library.habits["sleeping"].when.topics


def test_every_reference_is_cited_and_complete(library):
    cited = collections.Counter(checklist.cited_key(c) for thing in _cited(library) for c in thing.source_refs)
    for key, reference in library.references.items():
        assert cited[key], f"{key} is cited by nothing"
        assert 1990 <= reference.year <= 2030, key
        assert reference.url == "" or reference.url.startswith("https://"), key


# ---- the falls screen reaches the plan -----------------------------------------------------------

INTERVENTIONS = {
    "medicine_review": ("pharmacist", "pharmacist"),
    "strength_balance": ("doctor", "physiotherapy"),
    "falls_check": ("doctor", "gp"),
    "vision_check": (None, "optometry"),
    "feet_footwear": (None, "podiatry"),
    "continence": ("doctor", "continence"),
    "vitamin_d": ("doctor", "gp"),
    "personal_alarm": ("family", "personal_alarm"),
}


def test_a_job_that_starts_with_asking_the_doctor_is_the_doctors_appointment(library):
    """ "Ask the doctor to refer the person to a physiotherapist" is the family's errand at the
    doctor's: listed under "Physiotherapist", a daughter took it for someone else's job, and the
    physiotherapist's own list told them to ask for themselves."""
    from homeaudit.scoring import OT_VISIT_ACTION

    asking = [(i.id, i.action, i.who) for i in library.items.values()]
    asking += [(v.id, v.action, v.who) for v in library.interventions.values()]
    asking = [(id_, who) for id_, action, who in asking if re.match(r"Ask the doctor (to refer|for) ", action or "")]
    assert len(asking) >= 2
    assert [(id_, who) for id_, who in asking if who != "doctor"] == []
    assert OT_VISIT_ACTION.startswith("Ask the doctor for ")


@pytest.mark.parametrize("intervention_id", sorted(INTERVENTIONS))
def test_the_steadi_interventions_are_in_the_library(library, intervention_id):
    who, referral = INTERVENTIONS[intervention_id]
    intervention = library.interventions[intervention_id]
    assert intervention.referral == referral
    assert who is None or intervention.who == who
    assert intervention.why


def test_each_screen_question_points_at_its_intervention(library):
    for item in library.items_of(checklist.RESIDENT_ROOM):
        if item.screen in ("steadi", "risk_factor", "condition", "living") and item.id != checklist.FALL_PLACE_ITEM:
            assert item.intervention in library.interventions, item.id
    assert library.items["resident.lives_alone"].intervention == "personal_alarm"
    assert library.items["resident.medicine_sleep_mood"].intervention == "medicine_review"
    assert library.items["resident.rushes_to_toilet"].intervention == "continence"
    assert library.items["resident.numb_feet"].intervention == "feet_footwear"
    assert library.items["resident.low_vision"].intervention == "vision_check"
    assert library.items["resident.fallen_past_year"].intervention == "falls_check"


def test_every_intervention_is_called_for_by_some_question(library):
    called = {i.intervention for i in library.items.values() if i.intervention}
    assert called == set(library.interventions)


# ---- costs and who -------------------------------------------------------------------------------


def test_a_visit_to_a_doctor_pharmacist_or_therapist_is_an_appointment(library):
    for thing in [*library.items.values(), *library.interventions.values()]:
        if thing.who in ("doctor", "pharmacist", "physiotherapist"):
            assert thing.cost == "appointment", thing.id
        if thing.who == "ot":
            assert thing.cost != "free", thing.id


def test_an_ots_job_is_equipment_or_an_adaptation_with_its_referral_never_an_appointment(library):
    """In an OT's own audit a job whose who is "ot" is arranged by the assessor: a referral."""
    for item in library.items.values():
        if item.who == "ot":
            assert item.cost != "appointment", item.id
            assert item.referral in ("equipment", "home_modification"), item.id


def test_rails_grab_bars_and_adaptations_call_for_the_home_modification_service(library):
    for item in library.items.values():
        fitted = re.search(r"grab bar|grab rail|handrail|\brail\b", item.hazard, re.I)
        if item.room != checklist.RESIDENT_ROOM and fitted and item.who == "handyperson":
            assert item.referral == "home_modification", item.id
    for item_id in ("stairs.handrail_both_sides", "bathroom.grab_bar_toilet", "entrance.ramp_slope", "hallway.door_width"):
        assert library.items[item_id].referral == "home_modification"


def test_one_alarm_row_covers_the_phone_questions_for_someone_living_alone(library):
    covered = {i.id for i in library.items.values() if i.covered_by == "personal_alarm"}
    assert covered == {"bedroom.phone_by_bed", "living_room.phone_with_person", "bathroom.call_for_help"}
    assert library.items["resident.fall_or_fracture_recent"].intervention == "falls_check"  # one visit, one row


def test_the_persons_own_steps_rank_by_their_risk(library):
    steps = {i.id for i in library.interventions.values() if i.first_when_at_risk}
    assert steps == {"strength_balance", "medicine_review", "falls_check", "personal_alarm"}


def test_wiring_work_is_for_an_electrician(library):
    for item_id in ("stairs.switch_top_and_bottom", "hallway.light_switch_each_end", "entrance.outside_light"):
        assert library.items[item_id].who == "electrician"


# ---- a plan people act on ------------------------------------------------------------------------


def test_every_room_item_says_why(library):
    for room in library.home_rooms:
        for item in room.items:
            assert item.why, item.id


#: Equipment an installer or funder quotes from the plan, and the standard its spec must name.
SPECS = {
    "bathroom.grab_bar_toilet": "609.4",
    "bathroom.grab_bar_height": "609.4",
    "bathroom.grab_bar_shower": "607.4.2.1",
    "bathroom.bath_lower_bar_height": "607.4.2.1",
    "bathroom.grab_bar_entry": "609",
    "bathroom.grab_bars_fixed": "609.8",
    "bathroom.toilet_seat_height": "604.4",
    "bathroom.shower_step_height": "608.7",
    "stairs.handrail_both_sides": "505.10",
    "stairs.handrail_full_length": "505.10",
    "stairs.handrail_height": "R311.7.8.1",
    "stairs.handrail_grip": "505.7",
    "stairs.riser_height": "R311.7.5.1",
    "stairs.tread_depth": "R311.7.5.2",
    "entrance.step_handrail": "R311.7.8.1",
    "entrance.ramp_slope": "405.2",
    "hallway.door_width": "404.2.3",
    "hallway.threshold_height": "404.2.5",
    "bedroom.space_beside_bed": "806.2.3",
    "garden.outside_steps_handrail": "R311.7.8.1",
}


@pytest.mark.parametrize("item_id", sorted(SPECS))
def test_equipment_has_a_spec_an_installer_can_quote(library, item_id):
    spec = library.items[item_id].spec
    assert spec and SPECS[item_id] in spec


@pytest.mark.parametrize("topic", ["lighting", "rugs_floors", "grab_bars", "chairs_seating", "screen_height", "sleeping_posture"])
def test_each_topic_of_the_brief_has_at_least_4_items_over_2_rooms(library, topic):
    items = [i for i in library.items.values() if i.topic == topic and i.room != checklist.RESIDENT_ROOM]
    assert len(items) >= 4
    assert len({i.room for i in items}) >= 2


def readability(library: checklist.Library) -> dict[str, tuple[int, int]]:
    """For each family field: (texts at grade 8 or below, texts)."""
    counts: dict[str, list[int]] = {name: [0, 0] for name in FAMILY_FIELDS}
    for _, name, text in family_texts(library):
        counts[name][0] += fk_grade(text) <= GRADE_LIMIT
        counts[name][1] += 1
    return {name: (ok, total) for name, (ok, total) in counts.items() if total}


if __name__ == "__main__":  # python tests/test_checklist_content.py [a checklist folder]
    import sys

    folder = sys.argv[1] if len(sys.argv) > 1 else None
    figures = readability(checklist.load(extra="", base=folder))
    for name, (ok, total) in figures.items():
        print(f"{name:8} {ok:4}/{total:<4} {100 * ok / total:5.1f}% at grade 8 or below")
    ok, total = (sum(v) for v in zip(*figures.values(), strict=True))
    print(f"{'all':8} {ok:4}/{total:<4} {100 * ok / total:5.1f}%")
