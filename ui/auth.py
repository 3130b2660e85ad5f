"""Who is looking: the signed-in person's role and organisation, read on every run.

With `[auth]` in `.streamlit/secrets.toml` everyone signs in through OpenID Connect
(`st.login`); their role comes from the warehouse (warehouse/access.py) on every rerun, so a
removed person or a changed role holds from that person's next click. Without `[auth]` the app
has one local user, and only when nothing but this machine can reach it: the server listens on a
loopback address and the request came straight to it (no proxy in between). Anywhere else it says
how to configure sign-in and shows nothing else.
"""

import hashlib
import ipaddress
import re
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

import i18n
from settings import Settings
from ui.safe_text import escape_markdown
from warehouse import Warehouse
from warehouse.access import access_for, last_sign_out, normalise_email, record_sign_in, record_sign_out

LOCAL_ACTOR = "local"
LOCAL_ROLES = ("leadership", "board")
_STATE = "auth"
# headers a reverse proxy adds: a request that passed one did not come from this machine's user
PROXY_HEADERS = ("X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "Forwarded", "X-Real-Ip")


@dataclass(frozen=True)
class Viewer:
    role: str                 # leadership, member or board
    org_code: str | None      # a member's own organisation
    email: str | None         # None for the local user
    name: str | None = None

    @property
    def actor(self) -> str:
        """Who the ledger and the audit log name: the signed-in e-mail, or 'local'."""
        return self.email or LOCAL_ACTOR

    @property
    def signed_in(self) -> bool:
        return self.email is not None


def actor_label(lang: str, actor: str) -> str:
    """How the ledger's and the log's 'who' reads: an e-mail as it is, the local user in words."""
    return i18n.t(lang, "audit.local_user") if actor == LOCAL_ACTOR else actor


def sign_in_configured() -> bool:
    """Whether `[auth]` is in Streamlit's secrets (no secrets file at all: not configured)."""
    try:
        return bool(st.secrets.load_if_toml_exists() and "auth" in st.secrets)
    except StreamlitSecretNotFoundError:
        return False


def _is_loopback(host: str | None) -> bool:
    """`host` (a name, an address, or either with a port) names this machine's loopback."""
    if not host:
        return False
    host = host.strip()
    if host.startswith("["):                      # [::1]:8501
        end = host.find("]")
        if end < 0 or host[end + 1:] not in ("",) and not re.fullmatch(r":\d{1,5}", host[end + 1:]):
            return False
        host = host[1:end]
    elif host.count(":") == 1:                   # 127.0.0.1:8501, localhost:8501
        host, port = host.split(":", 1)
        if not re.fullmatch(r"\d{1,5}", port):
            return False
    if host.lower() == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)     # ::ffff:127.0.0.1
    return address.is_loopback or bool(mapped and mapped.is_loopback)


def is_local_request() -> bool:
    """This run's request came straight from this machine to a server that listens on loopback only."""
    return request_is_local(st.get_option("server.address"), st.context.headers)


def request_is_local(address: str | None, headers) -> bool:
    """The server listens on loopback only, and the request reached it directly from this machine.

    An unset server.address listens on every interface: not local. A reverse proxy on the same
    machine reaches a loopback server too, so a request carrying a proxy's headers, a Host that is
    not a loopback name, or a browser's Origin that is not a loopback address (a proxy that adds
    no header of its own still passes the browser's Origin on) is not local either, nor one
    without Host or Origin. What headers cannot tell: a program that reaches the loopback port
    through a plain TCP forward (ssh -L, socat, kubectl port-forward) and writes loopback Host
    and Origin itself. Local mode trusts whoever reaches the port; anything that forwards it to
    others needs sign-in (docs/deployment.md)."""
    if not _is_loopback(address):
        return False
    if not headers:
        return True   # AppTest runs without a request (no headers at all)
    if any(headers.get(name) for name in PROXY_HEADERS):
        return False
    # a browser always sends Host and, on the websocket, its Origin: a request without them came
    # from a program (e.g. through a port forward, where Host can say anything)
    host, origin = headers.get("Host"), headers.get("Origin")
    if host is None or origin is None:
        return False
    parsed = urlsplit(origin)
    if parsed.scheme not in ("http", "https") or parsed.username or parsed.password \
            or not _is_loopback(parsed.hostname):
        return False
    return _is_loopback(host)


def claim_is_true(value) -> bool:
    """A boolean claim as providers write it: JSON true, or the string "true"."""
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def _issued_at() -> int | None:
    value = st.user.get("iat")
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _began_before(ended: datetime) -> bool:
    """Whether this session's sign-in happened before `ended` (UTC, naive): by the ID token's
    `iat` (whole seconds), else by the moment this session first saw the person."""
    issued = _issued_at()
    if issued is not None:
        return datetime.fromtimestamp(issued, UTC).replace(tzinfo=None) < ended.replace(microsecond=0)
    key = f"{_STATE}_first_seen"
    if key not in st.session_state:
        st.session_state[key] = datetime.now(UTC).replace(tzinfo=None)
    return st.session_state[key] <= ended


def current_viewer(lang: str, settings: Settings, warehouse: Warehouse) -> Viewer | None:
    """The viewer of this run, or None when this run must show no data (the caller then shows
    `gate(lang, reason)` in place of every page)."""
    if not sign_in_configured():
        if is_local_request():
            # leadership, or the board's view to preview it; anything else is read as board
            role = settings.view_role if settings.view_role in LOCAL_ROLES else "board"
            return Viewer(role=role, org_code=None, email=None)
        st.session_state[f"{_STATE}_gate"] = "configure"
        return None
    if not st.user.is_logged_in:
        st.session_state[f"{_STATE}_gate"] = "sign_in"
        return None
    email = normalise_email(st.user.get("email"))
    ended = last_sign_out(warehouse, email) if email else None
    if ended is not None and _began_before(ended):
        # signed out in another tab (or this sign-in predates a sign-out): this session has ended
        st.session_state[f"{_STATE}_gate"] = "signed_out"
        return None
    # only an address the provider says it has verified names anybody: a missing claim, false,
    # "false", 0 or anything but true leaves it unverified (some providers let users set it)
    verified = claim_is_true(st.user.get(settings.email_verified_claim))
    access = access_for(warehouse, email) if verified else None
    action = "signed_in" if access else "access_denied"
    if st.session_state.get(f"{_STATE}_recorded") != (email, _issued_at(), action):
        if email:
            record_sign_in(warehouse, email, issued_at=_issued_at(), action=action)
        st.session_state[f"{_STATE}_recorded"] = (email, _issued_at(), action)
    if access is None:
        st.session_state[f"{_STATE}_gate"] = "no_role"
        return None
    return Viewer(role=access.role, org_code=access.org_code, email=email, name=st.user.get("name"))


def sign_out(warehouse: Warehouse, viewer: Viewer, path: str) -> None:
    """End the sign-in in every tab: logged first (every other session of this person checks it on
    its next run), then Streamlit's own cookie is cleared."""
    record_sign_out(warehouse, viewer.email)
    remember_place(path, signing_in=False)
    st.logout()


# ---- where a sign-in or a sign-out comes back to -------------------------------------------
# Streamlit's sign-in and sign-out both end on the app's root address, with no query: a member
# who had chosen Swedish came back to a Finnish page, and a deep link (/demand) to the Overview.
# The browser keeps one thing of its own across the provider's pages: Streamlit's XSRF cookie,
# whose token stays the same for the whole visit (only its mask changes). So just before the
# redirect this process notes the page and its query (language, period, filters) under a hash
# of that token, and the first run of the session that comes back takes it, once. What is noted
# names nothing but a page and the choices already in the URL; each is checked again when used
# (a page of this app, a known language, and the pickers read their values as from any URL).
PLACE_TTL_S = 300
PLACE_LIMIT = 10_000          # notes kept at most: a script clicking "sign in" cannot fill memory
PLACE_PARAM_BYTES = 1_000    # all of a note's choices together, in UTF-8 (an emoji is four)
# browser key -> (when, whether it comes back signed in, page, choices)
_places: dict[str, tuple[float, bool, str, dict[str, str]]] = {}
_places_lock = threading.Lock()


def _browser_key() -> str | None:
    """A hash of this browser's XSRF token (None without the cookie: XSRF protection off, AppTest)."""
    from streamlit.web.server.starlette.starlette_app_utils import decode_xsrf_token_string
    from streamlit.web.server.starlette.starlette_server_config import XSRF_COOKIE_NAME

    raw = st.context.cookies.get(XSRF_COOKIE_NAME)
    token = decode_xsrf_token_string(raw)[0] if raw else None
    return hashlib.sha256(token).hexdigest() if token else None


def noted_params(query: dict) -> dict[str, str]:
    """The frame's choices of an address, as long as they fit PLACE_PARAM_BYTES together: a
    note's size is bounded whatever a crafted address holds (nothing is noted past the bound)."""
    from ui.context import CHOICES  # the frame's own choices; anything else in an address is not noted

    params, size = {}, 0
    for name in ("lang", *CHOICES):
        value = query.get(name)
        if isinstance(value, str):
            size += len(name) + len(value.encode("utf-8", "surrogatepass"))
            if size > PLACE_PARAM_BYTES:
                return {}
            params[name] = value
    return params


def remember_place(path: str, signing_in: bool) -> None:
    """Note this page and its query for the session that the sign-in (or sign-out) starts; only
    a session that comes back signed in (or signed out) takes it. A browser profile shared on an
    office computer shares its token: a note left by an abandoned sign-in steers no signed-out
    visitor, nor does a signed-out one read it."""
    key = _browser_key()
    if key is None:
        return
    params = noted_params(st.query_params.to_dict())
    now = time.monotonic()
    with _places_lock:
        for old in [k for k, (at, *_) in _places.items() if now - at > PLACE_TTL_S]:
            del _places[old]
        while len(_places) >= PLACE_LIMIT:
            del _places[next(iter(_places))]       # the oldest note
        _places[key] = (now, signing_in, path[:PLACE_PARAM_BYTES], params)


def take_place() -> str | None:
    """On a session's first run: put back the query noted before its sign-in or sign-out and
    return the page it was on (None when nothing was noted, or for any later run)."""
    if st.session_state.get(f"{_STATE}_place_taken"):
        return None
    st.session_state[f"{_STATE}_place_taken"] = True
    # without [auth] nobody signs in or out, and st.user has no is_logged_in at all (it raises)
    key = _browser_key() if sign_in_configured() else None
    if key is None:
        return None
    signed_in = bool(st.user.is_logged_in)
    with _places_lock:
        noted = _places.get(key)
        if noted is None or noted[1] != signed_in:
            return None       # nothing noted, or noted for the other way back (it stays until it expires)
        del _places[key]
    if time.monotonic() - noted[0] > PLACE_TTL_S or st.query_params.to_dict():
        return None       # too old, or the address asks for something of its own
    st.query_params.from_dict(noted[3])
    return noted[2]


def go_to_place(path: str | None, navigation, pages) -> None:
    """Switch to the noted page when it is one of `pages` and not the one this run shows."""
    if path is None or path == navigation.url_path:
        return
    for candidate in pages:
        if candidate.url_path == path:
            st.switch_page(candidate, query_params=st.query_params.to_dict())


def render_gate(lang: str, settings: Settings, path: str) -> None:
    """What a run without a viewer shows: how to sign in, or why not; never a figure."""
    reason = st.session_state.get(f"{_STATE}_gate", "configure")
    t = lambda key, **params: i18n.t(lang, f"access.{key}", **params)  # noqa: E731
    st.title(t(f"{reason}_title"))
    # "from the network coordinator (koordinaattori@…)": the setting adds how to reach them
    contact = t("contact_default") + (f" ({settings.contact})" if settings.contact else "")
    st.markdown(escape_markdown(t(f"{reason}_text", contact=contact)))
    if reason == "configure":
        st.info(t("configure_how"), icon=":material/settings:")
        st.code(t("configure_example"), language="toml")
    elif reason in ("sign_in", "signed_out"):
        if st.button(t("sign_in_button"), type="primary", icon=":material/login:", key=f"{_STATE}_login"):
            remember_place(path, signing_in=True)
            st.login()
    elif reason == "no_role":
        email = normalise_email(st.user.get("email"))
        if email:
            st.caption(escape_markdown(t("signed_in_as", email=email)))
        if st.button(t("sign_out_button"), icon=":material/logout:", key=f"{_STATE}_logout"):
            remember_place(path, signing_in=False)
            st.logout()
