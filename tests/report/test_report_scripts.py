"""Names and notes in any script: Chinese, Japanese and Korean in an embedded TrueType font,
Arabic shaped and Hebrew and Arabic laid out right to left. Read back from the PDF (the text
comes out in logical order) and looked at (rendered with poppler: glyphs, not empty boxes).

The CJK font comes from Debian's fonts-wqy-microhei and poppler from poppler-utils (both in
.ci/run): without them these tests are skipped on a developer's machine and fail in CI.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import unicodedata
from pathlib import Path

import numpy as np
import pypdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pdf_text import text_runs
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import SimpleDocTemplate

from homeaudit.audit import Answer, Auditor, Client
from homeaudit.report import bidi, fonts
from homeaudit.report.draw import p
from homeaudit.report.styles import INK, make
from homeaudit.report.text import clean, markup

IN_CI = os.environ.get("CI", "").lower() in ("true", "1", "yes")

CHINESE = "王芳"
JAPANESE = "さくら山田"
KOREAN = "김민지"
ARABIC = "سارة أحمد"
HEBREW = "שרה כהן"
#: A note in Hebrew long enough to wrap over several lines.
HEBREW_NOTE = "השטיח במסדרון מתקפל בקצה והיא נתקלה בו פעמיים בשבוע שעבר ולכן צריך להדביק אותו לרצפה או להוציא אותו"


def missing(what: str) -> None:
    """Skip on a developer's machine; fail in CI, where .ci/run installs what these tests need."""
    if IN_CI:
        pytest.fail(f"{what} is missing in CI: .ci/run installs it")
    pytest.skip(f"{what} is not installed")


@pytest.fixture(scope="module")
def cjk_font() -> Path:
    path = fonts.cjk_font_path()
    if path is None:
        missing(f"the CJK font ({fonts.CJK_PACKAGE})")
    assert fonts.cjk_embedded()
    return path


@pytest.fixture(scope="module")
def pdftoppm() -> str:
    found = shutil.which("pdftoppm")
    if found is None:
        missing("pdftoppm (poppler-utils)")
    return found


def logical(text: str) -> str:
    """Extracted text as a reader would search it: presentation forms back to letters, spaces folded."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


# --------------------------------------------------------------------------- the whole report


@pytest.fixture(scope="module")
def many_scripts(reports):
    audit = reports.named(role="ot")
    audit.client = Client(name=CHINESE, address=f"{KOREAN} 12", notes=f"{JAPANESE}\n{ARABIC}\n{HEBREW}")
    audit.auditor = Auditor(name=ARABIC, role="ot")
    visit = audit.rooms[0]
    visit.label = HEBREW
    item = reports.first_item(visit.room, "yes_no")
    visit.answers[item.id] = reports.hazard_answer(item, note=HEBREW_NOTE)
    return audit


@pytest.fixture(scope="module")
def many_scripts_pdf(reports, many_scripts):
    return reports.pdf(many_scripts)


def test_every_script_comes_back_out_in_logical_order(reports, many_scripts_pdf, cjk_font):
    text = logical(" ".join(reports.pages(many_scripts_pdf)))
    for words in (CHINESE, JAPANESE, KOREAN, ARABIC, HEBREW):
        assert words in text, words


def test_a_right_to_left_note_that_wraps_reads_from_its_first_line_down(reports, many_scripts_pdf):
    text = logical(" ".join(reports.pages(many_scripts_pdf)))
    words = HEBREW_NOTE.split()
    positions = [text.find(word) for word in (words[0], words[len(words) // 2], words[-1])]
    assert -1 not in positions and positions == sorted(positions)
    assert logical(" ".join(words[:4])) in text  # the note's first words, together, in order


def test_arabic_is_printed_in_its_joined_forms(reports, many_scripts_pdf):
    raw = " ".join(reports.pages(many_scripts_pdf))
    shaped = bidi.shape(ARABIC)
    assert shaped != ARABIC
    assert any(0xFE70 <= ord(c) <= 0xFEFF for c in raw)  # presentation forms, not isolated letters
    assert logical(shaped) == ARABIC


def test_cjk_text_is_set_in_the_embedded_truetype_font(many_scripts_pdf, cjk_font):
    cjk_runs = [run for run in text_runs(many_scripts_pdf) if any(fonts.cid_font_for(c) for c in run.text)]
    assert cjk_runs
    for run in cjk_runs:
        assert run.embedded, f"{run.text!r} is set in {run.font}, which is not embedded"
    # And only a subset of it: the report stays small.
    assert len(many_scripts_pdf) < 400_000


def test_without_the_cjk_font_the_cid_fonts_stand_in(monkeypatch):
    monkeypatch.setattr(fonts, "_cjk_covered", frozenset())
    assert fonts.runs(CHINESE) == [(fonts.CHINESE, CHINESE)]
    assert fonts.runs(KOREAN) == [(fonts.KOREAN, KOREAN)]


def test_the_font_path_can_be_set_and_a_missing_file_is_no_font(tmp_path):
    assert fonts.cjk_font_path({fonts.CJK_ENV: str(tmp_path / "none.ttf")}) in (None, *map(Path, fonts.CJK_PATHS))
    font = tmp_path / "mine.ttc"
    font.write_bytes(b"")
    assert fonts.cjk_font_path({fonts.CJK_ENV: str(font)}) == font


# --------------------------------------------------------------------------- the order of the glyphs


def test_display_order_follows_the_bidi_algorithm():
    assert bidi.visual("abc שלום") == "abc םולש"
    assert bidi.visual("שלום abc") == "abc םולש"  # a right-to-left paragraph: the Latin goes left
    assert bidi.visual("שלום 123") == "123 םולש"  # numbers keep their own order
    assert bidi.visual("(שלום)") == "(םולש)"  # brackets mirrored
    shin, qamats, shin_dot, lamed, vav, holam, mem = "\u05e9\u05b8\u05c1\u05dc\u05d5\u05b9\u05dd"
    word = shin + qamats + shin_dot + lamed + vav + holam + mem  # "shalom" with its vowel points
    assert bidi.visual(word) == mem + vav + holam + lamed + shin + qamats + shin_dot  # points after their letter
    assert bidi.visual("plain text") == "plain text"


def test_brackets_pair_up_around_right_to_left_text():
    assert bidi.visual("abc שלום (עולם).") == "abc (םלוע) םולש."
    assert bidi.visual("שלום (abc) עולם") == "םלוע (abc) םולש"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abc שלם سلم 12 ().,-:", max_size=16))
def test_display_order_agrees_with_the_rust_implementation(text):
    """python-bidi's Rust implementation (the unicode-bidi crate) orders a line the same way; it
    does not mirror brackets, so brackets are compared as one character."""
    from bidi import get_display

    brackets = str.maketrans("()", "||")
    assert bidi.visual(text).translate(brackets) == get_display(text).translate(brackets)


def test_the_python_bidi_internals_this_module_uses_are_there():
    """bidi.py calls the legacy Python module of python-bidi, which is not its public interface
    (pyproject.toml pins python-bidi<0.7). Should a release rename or reshape any of it, this
    fails, naming what went, before a report lays Hebrew out wrongly."""
    from importlib.metadata import version

    from bidi import algorithm
    from bidi.mirror import MIRRORED

    names = [
        "get_empty_storage",
        "get_embedding_levels",
        "explicit_embed_and_overrides",
        "resolve_weak_types",
        "resolve_neutral_types",
        "resolve_implicit_levels",
    ]
    missing = [name for name in names if not callable(getattr(algorithm, name, None))]
    assert not missing, f"python-bidi {version('python-bidi')} has no {', '.join(missing)} in bidi.algorithm"
    assert MIRRORED["("] == ")"
    storage = algorithm.get_empty_storage()
    assert {"base_level", "base_dir", "chars", "runs"} <= set(storage)
    storage["base_level"], storage["base_dir"] = 0, "L"
    algorithm.get_embedding_levels("ab (שלום)", storage)
    algorithm.explicit_embed_and_overrides(storage)
    algorithm.resolve_weak_types(storage)
    assert {"ch", "type", "level"} <= set(storage["chars"][0])
    assert {"start", "length", "sor"} <= set(storage["runs"][0])
    assert bidi.levels("ab (שלום)", 0) == [0, 0, 0, 0, 1, 1, 1, 1, 0]


def test_invisible_bidirectional_controls_are_taken_out_of_the_text():
    """The isolates U+2066-9 printed as empty boxes, and U+202E turned "exe.jpg" into "gpj.exe"."""
    assert clean("Ann \u202eetyB\u202c Smith \u2066x\u2069\u200e\u200f\u061c") == "Ann etyB Smith x"
    assert markup("\u2067שרה\u2069 (\u202aAnn\u202c)") == "שרה (Ann)"


def test_a_room_label_in_several_scripts_draws_each_letter_in_a_font_that_has_it(cjk_font):
    """The room chart drew a label in one font: "חדר שינה 卧室" in the CJK font lost its Hebrew,
    and "Kitchen 厨房 مطبخ" its Arabic."""
    from reportlab.graphics.shapes import String
    from reportlab.pdfbase import pdfmetrics

    from homeaudit.report.charts import Bar, room_chart

    labels = ["חדר שינה 卧室", "Kitchen 厨房 مطبخ"]
    drawing = room_chart([Bar(label, 50) for label in labels], 400)
    strings = [item for item in drawing.contents if isinstance(item, String) and item.fillColor == INK]
    for item in strings:
        glyphs = pdfmetrics.getFont(item.fontName).face.charToGlyph
        assert all(ord(char) in glyphs for char in item.text if not char.isspace()), (item.fontName, item.text)
    drawn = logical("".join(item.text for item in strings if item.fontName != fonts.BOLD))
    for label in labels:
        assert set(label.replace(" ", "")) <= set(drawn), label


def test_a_paragraph_takes_the_direction_of_its_first_letter():
    body = make(False).body
    assert bidi.paragraph(markup(HEBREW), body).base == 1
    assert bidi.paragraph(f"<b>Note:</b> {markup(HEBREW)}", body).base == 0
    assert type(bidi.paragraph("plain", body)) is bidi.Para


# --------------------------------------------------------------------------- looking at the glyphs


def render(texts: list[str], pdftoppm: str, tmp_path: Path, name: str) -> np.ndarray:
    """The texts as 24 pt paragraphs, rendered at 80 dpi; the page as a grey image (0 = black)."""
    style = ParagraphStyle("big", parent=make(False).body, fontSize=24, leading=32)
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4).build([p(text, style) for text in texts])
    pdf = tmp_path / f"{name}.pdf"
    pdf.write_bytes(buffer.getvalue())
    subprocess.run([pdftoppm, "-png", "-r", "80", "-singlefile", str(pdf), str(tmp_path / name)], check=True)
    return np.asarray(Image.open(tmp_path / f"{name}.png").convert("L"))


def ink(image: np.ndarray) -> int:
    return int((image < 128).sum())


@pytest.mark.parametrize("words", [CHINESE * 3, JAPANESE * 2, KOREAN * 3, ARABIC, HEBREW], ids=["zh", "ja", "ko", "ar", "he"])
def test_glyphs_are_drawn_not_empty_boxes(words, cjk_font, pdftoppm, tmp_path):
    drawn = render([markup(words)], pdftoppm, tmp_path, "drawn")
    # The same number of characters that no font has: what missing glyphs look like.
    font = fonts.CJK if any(fonts.cid_font_for(c) for c in words) else fonts.REGULAR
    boxes = render([f'<font name="{font}">{chr(0xE000) * len(words)}</font>'], pdftoppm, tmp_path, "boxes")
    tofu = render([chr(0xE000) * len(words)], pdftoppm, tmp_path, "tofu")
    assert ink(drawn) > 150, "nothing was drawn"
    for empty in (boxes, tofu):
        differs = (np.abs(drawn.astype(int) - empty.astype(int)) > 100).sum()
        assert differs > 0.4 * ink(drawn), "the glyphs look like the missing-glyph boxes"


def test_right_to_left_words_are_drawn_right_to_left(pdftoppm, tmp_path):
    """A Hebrew word on one line stays flush left and is drawn from its last letter (at the
    left) to its first (at the right): the word drawn whole starts where its last letter, drawn
    alone, does, and ends where its first letter would end after the others."""
    word = HEBREW.split()[0]
    drawn = render([markup(word)], pdftoppm, tmp_path, "word")
    rest = render([markup(word[1:])], pdftoppm, tmp_path, "rest")  # without its first letter

    def edges(image: np.ndarray) -> tuple[int, int]:
        columns = np.where((image < 128).any(axis=0))[0]
        return int(columns.min()), int(columns.max())

    left = edges(drawn)[0]
    assert abs(left - edges(rest)[0]) <= 1
    # The same letters at the left (drawn in logical order, the word would begin with its first
    # letter there, and the rest with its second) ...
    same = (drawn[:, left : left + 12] < 128) == (rest[:, left : left + 12] < 128)
    assert same.mean() > 0.995
    # ... and the first letter added at the right.
    assert edges(drawn)[1] > edges(rest)[1] + 5


def test_reading_the_pdf_back_gives_each_scripts_words_in_order(pdftoppm, tmp_path):
    style = make(False).body
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4).build([p(markup(t), style) for t in (ARABIC, HEBREW, f"{CHINESE} {KOREAN}")])
    text = logical(pypdf.PdfReader(io.BytesIO(buffer.getvalue())).pages[0].extract_text())
    assert text.split(" ")[:2] == ARABIC.split(" ")
    assert HEBREW in text and f"{CHINESE} {KOREAN}" in text


def test_an_answer_note_in_arabic_keeps_its_place_after_the_label(reports):
    audit = reports.named()
    visit = audit.rooms[0]
    item = reports.first_item(visit.room, "yes_no")
    visit.answers[item.id] = Answer(value=item.hazard_options[0], note=ARABIC)
    text = logical(" ".join(reports.pages(reports.pdf(audit))))
    assert f"Auditor's note: {ARABIC}" in text
