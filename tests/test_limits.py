"""The limits a file from someone else must keep are written once, and docs/privacy.md states them."""

from __future__ import annotations

from homeaudit import limits

from audit_builders import ROOT


def test_every_limit_is_stated_in_the_privacy_page_as_the_code_has_it():
    page = (ROOT / "docs" / "privacy.md").read_text(encoding="utf-8")
    for name, value in limits.describe():
        assert f"| {name} | {value}" in page, f"docs/privacy.md does not state the limit: {name} = {value}"


def test_the_limits_leave_room_for_any_real_audit():
    assert limits.MAX_ROOMS >= 40 and limits.MAX_ANSWERS >= 100 and limits.MAX_DEPTH >= 8
    assert limits.MAX_PIXELS >= 48_800_000  # a 48 MP phone photo
    assert limits.MAX_MEMBER_BYTES >= limits.MAX_PHOTO_BYTES


def test_a_file_from_someone_else_is_read_only_when_it_is_a_regular_file_within_its_limit(tmp_path):
    import os

    import pytest

    path = tmp_path / "a.yaml"
    path.write_bytes(b"x" * 100)
    assert limits.read_file(path, 100) == b"x" * 100
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)  # reading it would block until someone writes
    cases = [
        (path, 99, "the file is 100 bytes; the limit is 99 bytes"),
        (tmp_path, 100, "a folder, not a file"),
        (fifo, 100, "not a regular file (a pipe, a socket or a device)"),
        (tmp_path / "none.yaml", 100, "file not found"),
    ]
    if os.path.exists("/dev/zero"):
        cases.append((os.devnull, 100, "not a regular file"))
    for target, limit, words in cases:
        with pytest.raises(limits.FileRefused) as refused:
            limits.read_file(target, limit)
        assert str(refused.value).startswith(f"{target}: {words}")
