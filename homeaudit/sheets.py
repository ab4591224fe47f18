"""Text that goes into a spreadsheet: downloads and exports that people open in Excel or Calc.

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula to a
spreadsheet, so a note typed as ``=HYPERLINK("http://…")`` would run when the file is opened; so is
one that begins with spaces before them (``" =1+1"``: some spreadsheets trim a cell on import).
Every piece of user or checklist text that goes into a CSV or XLSX file passes through
:func:`cell`, which prefixes such text with a ``'`` as OWASP advises ("CSV Injection"); numbers,
dates and booleans stay what they are.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from typing import Any

#: What makes a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Control characters an XLSX file cannot hold (XML 1.0): a workbook with one will not save.
_NOT_IN_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: The workbook's "modified" property in ``docProps/core.xml``.
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def cell(value: Any) -> Any:
    """The value made safe for a spreadsheet cell: text that could start a formula gets a leading
    apostrophe; anything that is not text is left as it is."""
    if isinstance(value, str) and (value.startswith(FORMULA_STARTS) or value.lstrip().startswith(FORMULA_STARTS)):
        return "'" + value
    return value


def xlsx_cell(value: Any) -> Any:
    """:func:`cell` for a workbook: also without the control characters a workbook cannot hold
    (a name imported from someone else's file may carry one)."""
    return cell(_NOT_IN_XLSX.sub("", value)) if isinstance(value, str) else value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A CSV file (one line per row, ``\\n`` line ends) with every cell passed through :func:`cell`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([cell(h) for h in header])
    for row in rows:
        writer.writerow([cell(v) for v in row])
    return buffer.getvalue()


def dated_xlsx(data: bytes, when: dt.datetime) -> bytes:
    """A saved workbook again with every zip member, and its "modified" property, dated ``when``.

    openpyxl stamps both with the second it saves, so two saves of the same sheets a second apart
    would differ; a file that is the same whenever it is made can be compared and checked."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for member in source.infolist():
            content = source.read(member)
            if member.filename == "docProps/core.xml":
                content = _MODIFIED.sub(rb"\g<1>" + stamp + rb"\g<2>", content)
            info = zipfile.ZipInfo(member.filename, date_time=when.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, content)
    return out.getvalue()


__all__ = ["FORMULA_STARTS", "cell", "csv_text", "dated_xlsx", "xlsx_cell"]
