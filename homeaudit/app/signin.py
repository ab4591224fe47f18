"""Who is using the app, and which practice's audits they may see.

A family's laptop runs the app for one household: there is no sign-in and everything saved is
the single-user practice's (practice ""). A practice's server is shared by several practices:
its ``.streamlit/secrets.toml`` has an ``[auth]`` section (Streamlit's own OpenID Connect
sign-in, ``st.login``), and then nobody sees a page before signing in, and a signed-in user
sees only their own practice's clients (:func:`homeaudit.store.connect` scopes the store).

Which practice a user belongs to is the identity provider's word, read from one claim of
their ID token: ``HOMEAUDIT_PRACTICE_CLAIM`` names it (default ``practice``). Providers often
give a list of groups instead of one value; then only the groups starting with
``HOMEAUDIT_PRACTICE_PREFIX`` count (``homeaudit-north`` → ``north``), and exactly one must be
left. Anything else is refused rather than guessed: a user in two practices, or in none, sees
no data and is told to ask their administrator.

The rules are plain functions (tested without Streamlit); :func:`require_signin` draws the
sign-in or refusal screen around them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

#: The claim of the ID token that names the user's practice, and the prefix of the practice's
#: entries when that claim is a list (``groups``): environment variables, set by the deployment.
CLAIM_ENV = "HOMEAUDIT_PRACTICE_CLAIM"
PREFIX_ENV = "HOMEAUDIT_PRACTICE_PREFIX"
DEFAULT_CLAIM = "practice"

SIGN_IN_TEXT = "Sign in with your practice's account to see your clients' home audits."
NOT_LINKED = "Your account is not linked to a practice; ask your practice's administrator."
#: Said on the Start page when there is no sign-in (the laptop's default): plain words for a
#: family; a practice's administrator finds the server with sign-in in docs/deploy.md.
SINGLE_USER = "The audits are kept on this computer only. Anyone who can open this app here can see them all."


@dataclass(frozen=True)
class Linked:
    """The practice a user's claims name, or None and why not (for the log and the tests;
    the user is only told to ask their administrator)."""

    practice: str | None
    why: str = ""


@dataclass(frozen=True)
class Who:
    """The person using this session: the practice whose data they see, the author recorded on
    the audits they create, and how they are named on screen. ``signed_in`` is False in
    single-user mode (practice "" and no author)."""

    practice: str
    author: str
    name: str = ""
    signed_in: bool = False


SINGLE_USER_WHO = Who(practice="", author="")


def link_practice(claims: Mapping[str, Any], claim: str = DEFAULT_CLAIM, prefix: str = "") -> Linked:
    """The practice named by the ``claim`` of a user's claims.

    A text value is one entry, a list is several; only entries that start with ``prefix`` count,
    with the prefix removed (so a group ``staff`` never becomes a practice when the prefix is
    ``homeaudit-``). Exactly one non-empty practice must be left: none, several or a value that
    is neither text nor a list of text is refused. The empty practice is the single-user one and
    is never given to a signed-in user.
    """
    if claim not in claims or claims[claim] is None:
        return Linked(None, f"no {claim!r} claim")
    value = claims[claim]
    if isinstance(value, str):
        entries = [value]
    elif isinstance(value, list | tuple):
        entries = [entry for entry in value if isinstance(entry, str)]
        if len(entries) != len(value):
            return Linked(None, f"the {claim!r} claim holds something other than text")
    else:
        return Linked(None, f"the {claim!r} claim is {type(value).__name__}, not text or a list of text")
    practices = {entry[len(prefix) :].strip() for entry in entries if entry.startswith(prefix)}
    practices.discard("")
    if not practices:
        wanted = f" starting with {prefix!r}" if prefix else ""
        return Linked(None, f"no practice{wanted} in the {claim!r} claim")
    if len(practices) > 1:
        return Linked(None, f"several practices in the {claim!r} claim: {', '.join(sorted(practices))}")
    return Linked(practices.pop())


def practice_from_claims(claims: Mapping[str, Any], claim: str = DEFAULT_CLAIM, prefix: str = "") -> str | None:
    """The user's practice, or None when their claims do not name exactly one (see :func:`link_practice`)."""
    return link_practice(claims, claim, prefix).practice


def author_from_claims(claims: Mapping[str, Any]) -> str:
    """Who is recorded as having created an audit: the email, else the subject (the provider's
    stable id for the user), else ""."""
    for name in ("email", "sub"):
        value = claims.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def shown_name(claims: Mapping[str, Any]) -> str:
    """How the signed-in user is named on screen: their name and email when both are given."""
    name, author = claims.get("name"), author_from_claims(claims)
    if isinstance(name, str) and name.strip() and name.strip() != author:
        return f"{name.strip()} ({author})" if author else name.strip()
    return author


def signin_configured(secrets: Mapping[str, Any]) -> bool:
    """Sign-in is on when the secrets have a non-empty ``[auth]`` section (Streamlit's own)."""
    auth = secrets.get("auth")
    return isinstance(auth, Mapping) and len(auth) > 0


def claim_settings(environ: Mapping[str, str] | None = None) -> tuple[str, str]:
    """The claim that names the practice and the prefix of its entries, from the environment."""
    env = os.environ if environ is None else environ
    return (env.get(CLAIM_ENV) or DEFAULT_CLAIM).strip(), env.get(PREFIX_ENV, "")


def who_from_claims(claims: Mapping[str, Any], environ: Mapping[str, str] | None = None) -> Who | None:
    """A signed-in user with exactly one practice, or None (not signed in, or not linked)."""
    if claims.get("is_logged_in") is not True:
        return None
    practice = practice_from_claims(claims, *claim_settings(environ))
    if practice is None:
        return None
    return Who(practice=practice, author=author_from_claims(claims), name=shown_name(claims), signed_in=True)


# --------------------------------------------------------------------------- Streamlit


#: Set to 1 to run a server database without sign-in anyway (one trusted user on a private network).
SINGLE_USER_ENV = "HOMEAUDIT_SINGLE_USER"


class SignInUnreadable(Exception):
    """The server's secrets exist but cannot be read: no page may open (it would open unscoped)."""

    shown = "This server's sign-in settings cannot be read, so no page can open. Ask your practice's administrator."


class SignInMissing(SignInUnreadable):
    """A shared server database (PostgreSQL) with no sign-in configured: single-user mode there
    would open every practice's clients to whoever reaches the app, so no page opens."""

    shown = (
        "This app keeps its data on a shared server database but has no sign-in set up ([auth] in "
        ".streamlit/secrets.toml), so no page can open. Ask your practice's administrator (docs/deploy.md)."
    )


def _configured() -> bool:
    """Whether this server requires sign-in. A secrets file that is there but unreadable is an
    error, never "no sign-in": single-user mode on a practice's server would open every page."""
    import streamlit as st
    from streamlit.errors import StreamlitSecretNotFoundError

    from homeaudit.app import state
    from homeaudit.store import is_url

    try:
        configured = signin_configured(st.secrets)
    except StreamlitSecretNotFoundError as error:
        if getattr(error, "error_id", None) != "no-secrets-found":
            raise SignInUnreadable(str(error)) from error
        configured = False
    except OSError as error:  # a folder where the file should be (Docker makes one for a missing file)
        raise SignInUnreadable(str(error)) from error
    if not configured and is_url(state.db_target()) and os.environ.get(SINGLE_USER_ENV) != "1":
        raise SignInMissing(f"{SINGLE_USER_ENV} is not 1 and there is no [auth] section")
    return configured


def current() -> Who | None:
    """The user of this session without drawing anything: single-user mode's practice "" when
    sign-in is off, else the signed-in and linked user, else None (no data may be read)."""
    import streamlit as st

    try:
        if not _configured():
            return SINGLE_USER_WHO
    except SignInUnreadable:
        return None
    return who_from_claims(st.user.to_dict())


def require_signin() -> Who | None:
    """The gate every page goes through, before the navigation: the user of this session, or
    None after drawing the sign-in screen (not signed in), the refusal (signed in, but not linked
    to exactly one practice) or an error (unreadable settings); the caller then stops the page."""
    import logging

    import streamlit as st

    from homeaudit.app import widgets

    try:
        configured = _configured()
    except SignInUnreadable as error:
        logging.getLogger(__name__).error("sign-in settings unreadable: %s", error)
        widgets.page_layout()
        st.error(error.shown, icon=":material/lock:")
        return None
    if not configured:
        return SINGLE_USER_WHO
    claims = st.user.to_dict()
    if claims.get("is_logged_in") is not True:
        widgets.page_layout()
        _sign_in_screen()
        return None
    who = who_from_claims(claims)
    if who is None:
        linked = link_practice(claims, *claim_settings())
        logging.getLogger(__name__).warning("signed-in user %r refused: %s", author_from_claims(claims), linked.why)
        widgets.page_layout()
        _refusal(shown_name(claims))
        return None
    return who


def _no_mail_link(text: str) -> str:
    """An email address shown as text: Markdown would make it a ``mailto:`` link (a word joiner
    after the ``@``, invisible, stops that)."""
    return text.replace("@", "@\u2060")


def _sign_in_screen() -> None:
    import streamlit as st

    with st.container(key="sign-in", gap="medium"):
        st.title("Home safety audit", anchor=False)
        st.markdown(SIGN_IN_TEXT)
        if st.button("Sign in", key="sign_in", type="primary", icon=":material/login:", width=360):
            st.login()


def _refusal(name: str) -> None:
    import streamlit as st

    from homeaudit.app.widgets import md

    with st.container(key="not-linked", gap="medium"):
        st.title("Home safety audit", anchor=False)
        if name:
            st.markdown(f"Signed in as **{_no_mail_link(md(name))}**.")
        st.warning(NOT_LINKED, icon=":material/block:")
        if st.button("Sign out", key="sign_out", icon=":material/logout:"):
            st.logout()


def show_who(who: Who) -> None:
    """Who is signed in, and the way out: in the sidebar (on a phone, behind its menu button)."""
    import streamlit as st

    from homeaudit.app.widgets import md

    if not who.signed_in:
        return
    with st.sidebar:
        st.markdown(f"Signed in as **{_no_mail_link(md(who.name or who.author))}**")
        st.caption(f"Practice: {md(who.practice)}")
        if st.button("Sign out", key="sign_out", icon=":material/logout:"):
            st.logout()
