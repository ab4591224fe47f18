"""User text reaches Paragraph markup escaped, in the right font, and can never break the parser."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.platypus import Paragraph

from homeaudit.report import fonts
from homeaudit.report.styles import make
from homeaudit.report.text import clean, escape, markup, shorten

BODY = make(False).body


def shown(markup_text: str) -> str:
    """The characters a Paragraph will print for this markup."""
    frags = Paragraph(markup_text, BODY).frags
    return "".join("\n" if getattr(frag, "lineBreak", False) else getattr(frag, "text", "") for frag in frags)


def test_markup_escapes_the_three_markup_characters():
    assert markup("<b>bold</b> & <script>") == "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;"
    assert markup("1 < 2 > 0") == "1 &lt; 2 &gt; 0"


def test_escaped_markup_prints_literally():
    for text in ("<b>bold</b> & <script>", "1 < 2 > 0", "&amp; &nbsp; &#169;", "</para><para>", '<font name="x">'):
        assert shown(markup(text)) == text


def cjk(cid: str) -> str:
    """The font a CJK run is set in: the embedded TrueType font, or (without it) the CID font."""
    return fonts.CJK if fonts.cjk_embedded() else cid


def test_text_that_needs_a_cjk_font_is_wrapped_after_escaping():
    result = markup("王芳 <3")
    assert result == f'<font name="{cjk(fonts.CHINESE)}">王芳 </font>&lt;3'
    assert shown(result) == "王芳 <3"


def test_latin_greek_cyrillic_and_vietnamese_stay_in_the_embedded_font():
    for name in ("Zoë Kowalczyk-Nguyễn", "Małgorzata Wójcik", "Ελένη", "Ольга"):
        assert fonts.runs(name) == [(None, name)]


def test_chinese_japanese_and_korean_runs_get_a_cjk_font():
    assert fonts.runs("Wang 王芳") == [(None, "Wang "), (cjk(fonts.CHINESE), "王芳")]
    assert fonts.runs("さくら")[0][0] == cjk(fonts.JAPANESE)
    assert fonts.runs("김민지")[0][0] == cjk(fonts.KOREAN)


def test_without_the_cjk_font_each_script_gets_its_own_cid_font():
    assert fonts.cid_font_for("王") == fonts.CHINESE
    assert fonts.cid_font_for("さ") == fonts.JAPANESE
    assert fonts.cid_font_for("김") == fonts.KOREAN
    assert fonts.cid_font_for("a") is None


def test_arabic_is_shaped_in_logical_order_and_hebrew_left_as_it_is():
    shaped = markup("سارة")
    assert shaped != "سارة" and all(0xFE70 <= ord(c) <= 0xFEFF for c in shaped)
    assert unicodedata.normalize("NFKC", shaped) == "سارة"
    assert markup("שרה") == "שרה"


def test_line_breaks_become_br_and_control_characters_go():
    assert markup("first\r\nsecond\x00\x1b") == "first<br/>second"
    assert markup("a\nb", one_line=True) == "a b"


def test_text_is_normalised_so_accents_are_single_glyphs():
    decomposed = "Nguye\u0302\u0303n"  # e + combining circumflex + combining tilde
    assert clean(decomposed) == "Nguyễn"


def test_shorten_marks_the_cut():
    assert shorten("abcdef", 4) == "abc…"
    assert shorten("abc", 4) == "abc"
    assert markup("x" * 600, limit=80).endswith("…") and len(markup("x" * 600, limit=80)) == 80


def test_escape_leaves_quotes_alone():
    assert escape("\"quoted\" and 'single'") == "\"quoted\" and 'single'"


def test_none_and_empty_are_empty():
    assert markup(None) == "" and markup("   ") == ""


def unshaped(text: str) -> str:
    """Arabic presentation forms back to their letters (what a PDF reader's text extraction does)."""
    return "".join(unicodedata.normalize("NFKC", c) if 0xFB50 <= ord(c) <= 0xFEFF else c for c in text)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=120))
def test_any_text_parses_and_prints_as_itself(text):
    expected = unshaped(" ".join(clean(text).split()))
    printed = unshaped(" ".join(shown(markup(text)).split()))
    assert printed == expected
