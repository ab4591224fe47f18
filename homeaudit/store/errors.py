"""What goes wrong with a database, in words: the one error type callers of the store catch.

A locked, full, read-only, damaged or unreachable database becomes a :class:`StoreError` that
names the database (its file, or its server's URL without the password) and says what is wrong:
the CLI prints it with exit code 2, the app shows it and stops saying "saved".
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import exc


class StoreError(Exception):
    """Something the store cannot do (unknown audit, unknown room, bad photo reference, …)."""


@contextmanager
def database_errors(where: str) -> Iterator[None]:
    """Turn a driver's or SQLAlchemy's error inside the block into a :class:`StoreError` naming ``where``."""
    try:
        yield
    except sqlite3.Error as error:
        raise StoreError(f"{where}: {in_words(error)}") from error
    except exc.DBAPIError as error:
        raise StoreError(f"{where}: {in_words(error.orig or error)}") from error
    except exc.SQLAlchemyError as error:
        raise StoreError(f"{where}: the database could not be used ({error})") from error


def in_words(error: BaseException) -> str:
    """What a driver's error means for the person using homeaudit."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    lowered = text.lower()
    if "locked" in lowered or "busy" in lowered:
        return "the database is busy (another program is writing to it); try again in a moment"
    if "readonly" in lowered or "read-only" in lowered:
        return "the database is read-only; nothing can be saved until its file (and folder) can be written"
    if "disk is full" in lowered or "no space left" in lowered or "database or disk is full" in lowered:
        return "the disk is full; nothing was saved (free some space and try again)"
    if "not a database" in lowered or "malformed" in lowered or "corrupt" in lowered:
        return "this is not a homeaudit database, or it is damaged; it was left as it is (restore it from a backup)"
    if "unable to open" in lowered:
        return "the database cannot be opened (check that its folder exists and can be read and written)"
    if "connection refused" in lowered or "could not connect" in lowered or "timeout expired" in lowered:
        return "the database server cannot be reached (is it running, and is the address right?)"
    if "password authentication failed" in lowered or "no pg_hba.conf entry" in lowered:
        return "the database server refused the user name or password in the URL"
    if "does not exist" in lowered and "database" in lowered:
        return "the database server has no database of that name (create it first: docs/deploy.md)"
    if "permission denied" in lowered:
        return f"the database user may not do this ({text})"
    return f"the database could not be used ({text})"


__all__ = ["StoreError", "database_errors", "in_words"]
