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
