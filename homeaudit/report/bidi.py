"""Right-to-left text: Arabic joined into its letter forms, Hebrew and Arabic laid out right to left.

reportlab lays out text left to right, one glyph per character. Two steps make Arabic and Hebrew
print as they should:

1. **Shaping** (:func:`shape`, in :func:`homeaudit.report.text.markup`): Arabic letters take
   their joined forms (initial, medial, final, isolated; the lam-alef ligature) with
   ``arabic-reshaper``, in logical order, before the text is measured, so lines break at the
   right widths. DejaVu Sans has every form it produces.
2. **Ordering** (:class:`BidiParagraph`): once reportlab has broken a paragraph into lines, each
   line is put into display order by the Unicode Bidirectional Algorithm (the levels come from
   ``python-bidi``'s Python implementation, with the bracket-pair rule N0 that it predates added
   here; those are internals of python-bidi's legacy module, so pyproject.toml pins
   ``python-bidi<0.7`` and tests/report/test_report_scripts.py fails loudly should they change;
   the reordering, mirroring of brackets and keeping of combining marks after their letter are
   done here too, rules L1-L4). Lines are broken in logical order and reordered one
   by one, as the algorithm requires, so an Arabic note that wraps reads from the top line down.

The paragraph's direction is that of its first strong letter (like HTML's ``dir=auto``): a
note in Hebrew is right to left, and set flush right when it fills more than one line (a name
on one line stays beside its label); "Auditor's note: ..." followed by Arabic is left to right,
the Arabic inside it right to left. Text that has no right-to-left letter takes
the plain :class:`~reportlab.platypus.Paragraph` and costs nothing.

The PDF holds the glyphs in display order; text extraction (pypdf, Acrobat, poppler) turns
right-to-left runs back into logical order, and the presentation forms map back to the letters
by Unicode compatibility (NFKC).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any, Final

import arabic_reshaper  # type: ignore[import-untyped]  # no type information shipped
from bidi import algorithm as _uba  # type: ignore[import-untyped]
from bidi.mirror import MIRRORED  # type: ignore[import-untyped]
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

#: Letters written right to left: Hebrew, Arabic, Syriac, Thaana, N'Ko, Samaritan, Mandaic, the
#: presentation forms, and the right-to-left scripts of the supplementary planes.
RTL: Final = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]")
#: Letters that join: Arabic and its supplements (Persian, Urdu, …).
_ARABIC: Final = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")

# DejaVu Sans has the lam-alef ligatures but not the "Allah" one; vowel marks are kept (a name
# written with them is printed with them).
_RESHAPER: Final = arabic_reshaper.ArabicReshaper(configuration={"delete_harakat": False, "arabic ligature allah": False})


def has_rtl(text: str) -> bool:
    """True if the text has a letter of a right-to-left script."""
    return RTL.search(text) is not None


def shape(text: str) -> str:
    """Arabic letters in their joined forms (still in logical order); other text as it is."""
    if _ARABIC.search(text) is None:
        return text
    return str(_RESHAPER.reshape(text))


def base_level(text: str) -> int:
    """0 (left to right) or 1 (right to left): the direction of the first strong letter (rule P2)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return 0
        if kind in ("R", "AL"):
            return 1
    return 0


def levels(text: str, base: int) -> list[int]:
    """The embedding level of each character of one line (rules X1-I2, then L1 for the spaces at
    the end of the line), from python-bidi's implementation of the algorithm."""
    storage: dict[str, Any] = _uba.get_empty_storage()
    storage["base_level"] = base
    storage["base_dir"] = ("L", "R")[base]
    _uba.get_embedding_levels(text, storage)
    for index, char in enumerate(storage["chars"]):
        char["index"] = index  # explicit formatting characters are dropped by rule X9
    _uba.explicit_embed_and_overrides(storage)
    _uba.resolve_weak_types(storage)
    _resolve_brackets(storage)
    _uba.resolve_neutral_types(storage, False)
    _uba.resolve_implicit_levels(storage, False)
    out = [base] * len(text)
    for char in storage["chars"]:
        out[char["index"]] = char["level"]
    # L1: separators and the white space before them, and at the end of the line, take the base level.
    reset = True
    for index in range(len(text) - 1, -1, -1):
        kind = unicodedata.bidirectional(text[index])
        if kind in ("S", "B"):
            out[index] = base
            reset = True
        elif reset and kind in ("WS", "BN", "LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"):
            out[index] = base
        else:
            reset = False
    return out


_STRONG: Final = {"L": "L", "R": "R", "AL": "R", "EN": "R", "AN": "R"}


def _resolve_brackets(storage: dict[str, Any]) -> None:
    """Rule N0 (Unicode 6.3), which python-bidi's Python implementation predates: a pair of
    brackets takes one direction, so "(مهم جدا)." in an English sentence keeps both brackets
    with the Arabic inside them. For each level run: pair the brackets (BD16), then give each
    pair the embedding direction if the text inside has that direction, else the other one if
    the text inside and the text before the pair both have it."""
    chars = storage["chars"]
    for run in storage["runs"]:
        start, end = run["start"], run["start"] + run["length"]
        if not any(chars[i]["type"] == "ON" and unicodedata.category(chars[i]["ch"]) == "Pe" for i in range(start, end)):
            continue
        embedding = "R" if chars[start]["level"] % 2 else "L"
        pairs: list[tuple[int, int]] = []
        stack: list[tuple[str, int]] = []
        for index in range(start, end):
            char = chars[index]
            if char["type"] != "ON":
                continue
            kind = unicodedata.category(char["ch"])
            if kind == "Ps" and char["ch"] in MIRRORED:
                if len(stack) == 63:
                    break
                stack.append((MIRRORED[char["ch"]], index))
            elif kind == "Pe":
                for depth in range(len(stack) - 1, -1, -1):
                    if stack[depth][0] == char["ch"]:
                        pairs.append((stack[depth][1], index))
                        del stack[depth:]
                        break
        for opening, closing in sorted(pairs):
            inside = {_STRONG.get(chars[i]["type"]) for i in range(opening + 1, closing)}
            if embedding in inside:
                direction = embedding
            elif inside & {"L", "R"}:
                # N0 c: the direction of the text before the pair when it too is the other one
                # (context established), else the embedding direction: either way, that of the text before.
                direction = next(
                    (_STRONG[chars[i]["type"]] for i in range(opening - 1, start - 1, -1) if chars[i]["type"] in _STRONG),
                    run["sor"],
                )
            else:
                continue
            chars[opening]["type"] = chars[closing]["type"] = direction


def display_order(line_levels: Sequence[int]) -> list[int]:
    """The logical index of each character in display order, left to right (rule L2: from the
    highest level down to the lowest odd one, reverse every run at that level or above)."""
    order = list(range(len(line_levels)))
    odd = [level for level in line_levels if level % 2]
    if not odd:
        return order
    current = list(line_levels)
    for level in range(max(line_levels), min(odd) - 1, -1):
        start = 0
        while start < len(order):
            if current[start] < level:
                start += 1
                continue
            end = start
            while end < len(order) and current[end] >= level:
                end += 1
            order[start:end] = order[start:end][::-1]
            current[start:end] = current[start:end][::-1]
            start = end
    return order


def _marks_after_their_letter(order: list[int], text: str, line_levels: Sequence[int]) -> list[int]:
    """In a right-to-left run a combining mark (a vowel sign, niqqud) comes out before its letter;
    put it back after it, where a zero-width mark is drawn over the letter (rule L3)."""
    out: list[int] = []
    marks: list[int] = []
    for index in order:
        if line_levels[index] % 2 and unicodedata.combining(text[index]):
            marks.append(index)
            continue
        out.append(index)
        if marks:
            out += marks[::-1]  # in their logical order again
            marks = []
    return out + marks[::-1]


def visual(text: str, base: int | None = None) -> str:
    """One line of logical text in display order (mirrored brackets included); for text drawn
    outside paragraphs (chart labels). Shape it first."""
    if not has_rtl(text) and not base:
        return text
    line_levels = levels(text, base_level(text) if base is None else base)
    order = _marks_after_their_letter(display_order(line_levels), text, line_levels)
    return "".join(_mirrored(text[i], line_levels[i]) for i in order)


def _mirrored(char: str, level: int) -> str:
    return MIRRORED.get(char, char) if level % 2 else char


# --------------------------------------------------------------------------- paragraphs


def _visual_words(words: list[str], base: int) -> list[str]:
    """A line of a one-style paragraph (its words) in display order, as one word."""
    return [visual(" ".join(words), base)]


def _visual_frags(frags: list[Any], base: int) -> list[Any]:
    """A line of a styled paragraph (reportlab's fragments, each a run of one font and colour)
    in display order: split into characters, reordered, and joined again into fragments."""
    chars: list[str] = []
    owners: list[int] = []
    kept: dict[int, Any] = {}
    for number, frag in enumerate(frags):
        if hasattr(frag, "cbDefn"):  # an image or anchor: a neutral object in the text
            chars.append("\ufffc")
            owners.append(number)
            kept[number] = frag
            continue
        for char in frag.text:
            chars.append(char)
            owners.append(number)
    while chars and chars[-1].isspace():  # trailing spaces are not drawn; rule L1 would move them
        chars.pop()
        owners.pop()
    text = "".join(chars)
    if not text or (not base and not has_rtl(text)):
        return frags
    line_levels = levels(text, base)
    order = _marks_after_their_letter(display_order(line_levels), text, line_levels)
    out: list[Any] = []
    run: list[str] = []
    owner: int | None = None

    def flush() -> None:
        if owner is not None and run:
            out.append(frags[owner].clone(text="".join(run)))

    for index in order:
        if owners[index] in kept:
            flush()
            run, owner = [], None
            out.append(kept[owners[index]])
            continue
        if owners[index] != owner:
            flush()
            run, owner = [], owners[index]
        run.append(_mirrored(text[index], line_levels[index]))
    flush()
    return out


class Para(Paragraph):
    """reportlab's Paragraph, remembering its lines for the width it was last wrapped to: a table
    wraps every cell each time it is measured, split or drawn, and breaking lines is most of the
    time a report takes. (A Paragraph's wrap depends on the width only.)"""

    _wrapped: tuple[float, float, float, Any] | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        done = self._wrapped
        if done is not None and done[0] == availWidth:
            _, self.width, self.height, self.blPara = done
            return self.width, self.height
        width, height = super().wrap(availWidth, availHeight)
        if height < 0x7FFFFFFF:
            self._wrapped = (availWidth, width, height, self.blPara)
        return width, height


class BidiParagraph(Para):
    """A Paragraph whose lines are drawn in display order (right-to-left runs reversed, a
    right-to-left paragraph of several lines set flush right). Lines are broken and measured in
    logical order by reportlab as usual; only drawing sees the reordered lines."""

    def __init__(
        self, text: Any, style: ParagraphStyle | None = None, *args: Any, base: int | None = None, **kwargs: Any
    ) -> None:
        super().__init__(text, style, *args, **kwargs)
        self.base = base_level(self.getPlainText()) if base is None else base

    def draw(self) -> None:
        laid_out, style = self.blPara, self.style
        if laid_out.kind == 0:
            lines = [(space, _visual_words(words, self.base)) for space, words in laid_out.lines]
        else:
            lines = [line.clone(words=_visual_frags(line.words, self.base)) for line in laid_out.lines]
        self.blPara = laid_out.clone(lines=lines)
        if self.base and style.alignment == TA_LEFT and len(lines) > 1:
            # Right-to-left text that fills lines is set flush right, so each line starts at the
            # same edge; a single line (a name beside its label) stays where the label points.
            self.style = ParagraphStyle(style.name + "_rtl", parent=style, alignment=TA_RIGHT)
        try:
            super().draw()
        finally:
            self.blPara, self.style = laid_out, style


def paragraph(text: str, style: ParagraphStyle, bullet: str | None = None, *, base: int | None = None) -> Paragraph:
    """A Paragraph for this markup: a :class:`BidiParagraph` when it holds right-to-left letters
    (or a direction is forced with ``base``), else reportlab's own."""
    if not has_rtl(text) and not base:
        return Para(text, style, bulletText=bullet)
    return BidiParagraph(text, style, bulletText=bullet, base=base)


__all__ = ["RTL", "BidiParagraph", "Para", "base_level", "display_order", "has_rtl", "levels", "paragraph", "shape", "visual"]
