"""The sign-off of an occupational therapist's report: signature lines for the assessor and the
client (name, signature, date), always printed, and the professional disclaimer. Kept together
on one page."""

from __future__ import annotations

from typing import Final

from reportlab.platypus import Flowable, KeepTogether, Spacer

from homeaudit.report.context import Context
from homeaudit.report.draw import LABEL_LIMIT, WriteLine, long_date, p, table
from homeaudit.report.front import assessor_name
from homeaudit.report.styles import PANEL
from homeaudit.report.text import markup
from homeaudit.report.titles import SECTION_TITLES

#: What an occupational therapist's report is not, and for how long it holds.
DISCLAIMER: Final = (
    "This report records a home safety assessment by an occupational therapist on {date}. It is "
    "not a structural, building or electrical survey, and not a medical diagnosis. Anyone who "
    "installs a recommended fitting must follow the local building codes and regulations and the "
    "maker's instructions, and check that the wall or floor can take the load. The findings and "
    "recommendations are valid for the home and the client as seen on the date of the visit: "
    "review them if either changes."
)


def sign_off(ctx: Context) -> list[Flowable]:
    s = ctx.styles
    client = markup(ctx.audit.client.name, limit=LABEL_LIMIT)
    signers = [("Assessor", assessor_name(ctx)), ("Client", client or "")]
    column = (ctx.width - 20) / 2
    size = s.signature.fontSize
    cells = []
    for role, name in signers:
        block: list[Flowable] = [p(f"<b>{role}</b>", s.h3)]
        if name:
            block += [p(name, s.body), WriteLine(column - 8, "Name", size, height=size * 1.9)]
        else:
            block += [WriteLine(column - 8, "Name", size)]
        block += [WriteLine(column - 8, "Signature", size, height=size * 5.2), WriteLine(column - 8, "Date", size)]
        cells.append(block)
    signatures = table(
        [cells],
        [column + 10, column + 10],
        [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 10)],
    )
    disclaimer = table(
        [[[p("Professional disclaimer", s.h3), p(markup(DISCLAIMER.format(date=long_date(ctx.audit.date))), s.body)]]],
        [ctx.width],
        [
            ("BACKGROUND", (0, 0), (-1, -1), PANEL),
            ("LEFTPADDING", (0, 0), (-1, -1), 12),
            ("RIGHTPADDING", (0, 0), (-1, -1), 12),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
        ],
    )
    return [KeepTogether([p(SECTION_TITLES["sign_off"], s.h1), signatures, Spacer(1, s.gap), disclaimer])]


__all__ = ["DISCLAIMER", "sign_off"]
