"""Where homeaudit keeps audits: the storage package, the only one that speaks SQL.

One API (:class:`Store`, opened with :func:`connect`) over two backends: a SQLite file, the
default for a family's laptop, and PostgreSQL for a practice's server (``HOMEAUDIT_DB`` or
``--db`` set to a ``postgresql://`` URL). Nothing outside this package knows which it is.

* :mod:`~homeaudit.store.database`: the :class:`Store` and its statements;
* :mod:`~homeaudit.store.engines`: targets and connections that behave alike on both backends;
* :mod:`~homeaudit.store.schema`: the tables; :mod:`~homeaudit.store.migrate` (Alembic) and
  :mod:`~homeaudit.store.legacy`: how a database gets to them;
* :mod:`~homeaudit.store.values`: how model values are kept in columns;
* :mod:`~homeaudit.store.sqlite_files`: backup and restore of the SQLite file;
* :mod:`~homeaudit.store.copy`: a whole database copied into another (``homeaudit migrate-db``).
"""

from homeaudit.store.copy import Copied, copy_database
from homeaudit.store.database import DEFAULT_PATH, DRAFT_DAYS, ENV_VAR, Imported, Store, connect, default_target
from homeaudit.store.engines import is_url
from homeaudit.store.errors import StoreError
from homeaudit.store.values import CLIENT_ID, PHOTO_PREFIX

__all__ = [
    "CLIENT_ID",
    "DEFAULT_PATH",
    "DRAFT_DAYS",
    "ENV_VAR",
    "PHOTO_PREFIX",
    "Copied",
    "Imported",
    "Store",
    "StoreError",
    "connect",
    "copy_database",
    "default_target",
    "is_url",
]
