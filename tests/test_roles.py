"""Every role on every page, signed in through `[auth]` (AppTest's `at.user`, `is_logged_in`
set): what each may see and do is decided on the server, on every run, whatever the URL,
the form or the file says."""

import json
import time
from dataclasses import fields
from datetime import date

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

import i18n
from demo.load import load_demo
from queries.figures import compute_figures
from queries.scope import Scope
from settings import Settings
from warehouse import Warehouse
from warehouse.access import list_audit, record_sign_out, remove_person, set_person

APP = "../app.py"
BOSS, MEMBER, BOARD, OTHER_MEMBER = ("johto@verkosto.fi", "liisa@aurinko.example", "jasen@hallitus.example",
                                     "matti@majakka.example")
OWN, OTHER = "demo_aurinko", "demo_majakka"
FIGURE_PAGES = ["pages/overview.py", "pages/activity.py", "pages/attitudes.py", "pages/demand.py", "pages/present.py",
                "pages/completeness.py"]
ALLOWED = {
    "leadership": {*FIGURE_PAGES, "pages/upload.py", "pages/admin.py", "pages/audit.py"},
    "member": {*FIGURE_PAGES, "pages/upload.py"},
    "board": set(FIGURE_PAGES),
}
ALL_PAGES = sorted(ALLOWED["leadership"])
WHO = {"leadership": BOSS, "member": MEMBER, "board": BOARD}
AUTH = {"redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": "x" * 32,
        "client_id": "kokemusmittari", "client_secret": "s",
        "server_metadata_url": "http://127.0.0.1:1/.well-known/openid-configuration"}


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("roles") / "demo.duckdb"
    with Warehouse(str(path)) as wh:
        load_demo(wh, date.today())
        set_person(wh, BOSS, "leadership", actor="setup")
        set_person(wh, MEMBER, "member", OWN, actor="setup")
        set_person(wh, OTHER_MEMBER, "member", OTHER, actor="setup")
        set_person(wh, BOARD, "board", actor="setup")
    return path


MISSING = object()  # a claim the ID token does not carry


def signed_in(db, monkeypatch, email: str | None, page: str = "pages/overview.py", lang: str = "fi",
              claims: dict | None = None, **params) -> AppTest:
    monkeypatch.setenv("KOKEMUSMITTARI_DB", str(db))
    monkeypatch.delenv("KOKEMUSMITTARI_VIEW_ROLE", raising=False)
    at = AppTest.from_file(APP, default_timeout=120)
    at.secrets["auth"] = AUTH
    user = {"is_logged_in": True, "email": email, "name": "Testi", "sub": email, "iat": int(time.time()),
            "email_verified": True, **(claims or {})}
    at.user = {k: v for k, v in user.items() if v is not MISSING} if email else {"is_logged_in": False}
    at.query_params["lang"] = lang
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def copy_of(db, directory):
    """A warehouse of the test's own, for a test that changes people or the log."""
    copy = directory / "copy.duckdb"
    copy.write_bytes(db.read_bytes())
    return copy


def context(at):
    return at.session_state["frame_context"]


def shows_no_data(at) -> bool:
    return (not at.dataframe and not at.metric and not at.get("arrow_vega_lite_chart")
            and not at.get("vega_lite_chart") and not at.get("file_uploader") and not at.sidebar.multiselect)


def refused(at, lang="fi") -> bool:
    return any(w.value == i18n.t(lang, "frame.not_allowed") for w in at.warning)


@pytest.mark.parametrize("role", list(ALLOWED))
@pytest.mark.parametrize("page", ALL_PAGES)
def test_every_role_on_every_page(demo_db, monkeypatch, role, page):
    at = signed_in(demo_db, monkeypatch, WHO[role], page)
    assert context(at).role == role
    if page in ALLOWED[role]:
        assert not refused(at)
        assert at.main.markdown or at.main.dataframe     # the page's own content is there
    else:
        # reachable by its address, but it answers with a sentence, not its content
        assert refused(at)
        assert not at.main.dataframe and not at.main.get("file_uploader") and not at.main.get("tab")
    sidebar = [c.value.replace("\\", "").replace("\u2060", "") for c in at.sidebar.caption]  # escaped text
    assert any(WHO[role] in text for text in sidebar)


def figures(db, scope: Scope, period) -> dict:
    with Warehouse(str(db)) as wh:
        return compute_figures(wh, period, scope)


def test_a_member_sees_its_own_organisation_exact_and_every_other_view_protected(demo_db, monkeypatch):
    own = signed_in(demo_db, monkeypatch, MEMBER, org=OWN)
    assert context(own).scope.exact and context(own).scope.org_codes == (OWN,)
    other = signed_in(demo_db, monkeypatch, MEMBER, org=OTHER)
    assert not context(other).scope.exact
    both = signed_in(demo_db, monkeypatch, MEMBER, org=f"{OWN},{OTHER}")
    assert not context(both).scope.exact
    network = signed_in(demo_db, monkeypatch, MEMBER)
    assert not context(network).scope.exact
    # what the member sees of another organisation is exactly what the board sees of it
    board = signed_in(demo_db, monkeypatch, BOARD, org=OTHER)
    period = context(other).period
    assert figures(demo_db, context(other).scope, period) == figures(demo_db, context(board).scope, period)
    exact = figures(demo_db, Scope(org_codes=(OTHER,)), period)
    assert figures(demo_db, context(other).scope, period) != exact     # the demo has small client work
    # and its tiles are those protected figures, not the exact ones
    tiles = {m.label: m.value for m in other.metric}
    board_tiles = {m.label: m.value for m in board.metric}
    assert tiles == board_tiles


def test_leadership_sees_exact_counts_and_the_board_never(demo_db, monkeypatch):
    for org in (None, OWN):
        params = {"org": org} if org else {}
        assert context(signed_in(demo_db, monkeypatch, BOSS, **params)).scope.exact
        assert not context(signed_in(demo_db, monkeypatch, BOARD, **params)).scope.exact


def crafted_upload(at, data: bytes):
    at.get("file_uploader")[0].upload("toiminta.csv", data, "text/csv")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_member_uploads_for_its_own_organisation_only_whatever_the_file_says(demo_db, monkeypatch):
    at = signed_in(demo_db, monkeypatch, MEMBER, "pages/upload.py")
    picker = at.selectbox(key="upload_org_own")
    assert picker.disabled and picker.options == ["Esimerkkiyhdistys Aurinkoranta ry (demo)"]
    assert context(at).own_org == OWN
    names = "Kuvitteellinen Perhemajakka ry (demo)"      # another member's name in the file's column
    crafted = f"Organisaatio;Päivämäärä;Toimintamuoto;Lukumäärä\n{names};1/2020;Muu;3\n".encode()
    crafted_upload(at, crafted)
    assert at.error, "a file naming another organisation is refused"
    assert "wrong_org" in list_audit_codes(demo_db, MEMBER)
    assert not any(b.label == i18n.t("fi", "upload.confirm") for b in at.button)


def list_audit_codes(db, actor: str | None = None) -> list[str]:
    with Warehouse(str(db)) as wh:
        log = list_audit(wh, actions=["upload_refused"])
    if actor:
        log = log[log["actor"] == actor]
    return [code for details in log["details"] for code in json.loads(details)["codes"]]


def test_a_member_sees_and_withdraws_only_its_own_uploads(demo_db, monkeypatch):
    at = signed_in(demo_db, monkeypatch, MEMBER, "pages/upload.py")
    history = at.main.dataframe[-1].value
    # every row is the member's own: the organisation column, the same name on every row, is left out
    assert i18n.t("fi", "upload.hist_org") not in history.columns
    with Warehouse(str(demo_db)) as wh:
        own = set(wh.cursor().execute("select upload_id from uploads where org_code = ? and rolled_back_at is null",
                                      [OWN]).fetchall())
        sent_for_own = {row[0] for row in wh.cursor().execute("select upload_id from uploads where org_code = ?",
                                                              [OWN]).fetchall()}
    assert set(history[i18n.t("fi", "upload.hist_id")]) <= sent_for_own and len(history)
    offered = at.selectbox(key="upload_rollback_id").options
    assert {(int(o.split(" · ")[0]),) for o in offered} <= own   # "9 · 7.12.2026 14.02 · file.xlsx"
    assert all(o.count(" · ") == 2 and o.split(" · ")[2] for o in offered)   # a number, a time and a file


def test_a_network_upload_for_several_organisations_shows_a_member_nothing_of_the_others(
        tmp_path, monkeypatch, demo_db):
    from warehouse.imports import import_file

    db = copy_of(demo_db, tmp_path)
    lines = ["Organisaatio;Päivämäärä;Toimintamuoto;Lukumäärä;Kokemustoimijoita;Tavoitetut henkilöt;Tunnit;"
             "Kohdesektori;Kunta;Palaute", f"{OWN};2026-10-05;Vertaistukitapaaminen;3;1;3;2;Neuvola;Turku;"]
    lines += [f"{OTHER};2026-09-{day:02d};Vertaistukitapaaminen;2;1;2;1;Neuvola;Oulu;" for day in range(1, 21)]
    with Warehouse(str(db)) as wh:
        done = import_file(wh, "Majakka_luottamuksellinen_korjaus.csv", ("\n".join(lines) + "\n").encode(),
                           org_code=None, uploaded_by=BOSS, source="app")
        assert done.stored is not None
    at = signed_in(db, monkeypatch, MEMBER, "pages/upload.py")
    history = at.main.dataframe[-1].value
    t = lambda key: i18n.t("fi", f"upload.hist_{key}")  # noqa: E731
    sent = history[history[t("id")] == done.stored.upload_id].iloc[0]
    assert sent[t("file")] == t("file_network")
    assert (sent[t("added")], sent[t("replaced")]) == ("–", "–")
    assert sent[t("months")] == "10/2026"          # the member's own month, not the other's September
    assert sent[t("source")] == i18n.t("fi", "upload.source_app")
    assert set(history[history[t("id")] != done.stored.upload_id][t("source")]) == {i18n.t("fi", "upload.source_demo")}
    assert "Majakka" not in history.to_csv()
    # the member re-sends its October: the preview names what it replaces without the file or sender
    crafted_upload(at, "Päivämäärä;Toimintamuoto;Lukumäärä\n5.10.2026;Vertaistukitapaaminen;4\n".encode())
    replaces = i18n.t("fi", "upload.pv_replaces")
    preview = next(frame.value for frame in at.main.dataframe
                   if replaces in getattr(frame.value, "data", frame.value).columns)
    preview = getattr(preview, "data", preview)       # the styled table's frame
    assert list(preview[replaces]) and all(text.startswith("verkoston lähettämä, ") for text in preview[replaces])
    assert "Majakka" not in preview.to_csv() and BOSS not in preview.to_csv()
    # every row is the member's own: no organisation column, the same name on every row
    assert i18n.t("fi", "upload.pv_org") not in preview.columns
    # the large-change column only where a change is large (the warning above the table says so)
    large = [w for w in at.warning if w.value.startswith(i18n.catalogue("fi")["upload.preview_large"].split(":")[0])]
    assert (i18n.t("fi", "upload.pv_large") in preview.columns) == bool(large)


def test_signed_out_visitors_and_people_without_a_role_see_no_data(demo_db, monkeypatch):
    for email, gate in ((None, "sign_in"), ("stranger@elsewhere.example", "no_role")):
        for page in ALL_PAGES:
            at = signed_in(demo_db, monkeypatch, email, page)
            assert at.title[0].value == i18n.t("fi", f"access.{gate}_title")
            assert shows_no_data(at), page
    at = signed_in(demo_db, monkeypatch, "stranger@elsewhere.example", lang="en")
    assert "Ask for access" in at.markdown[0].value
    with Warehouse(str(demo_db)) as wh:
        denied = list_audit(wh, actions=["access_denied"])
    assert "stranger@elsewhere.example" in set(denied["actor"])


@pytest.mark.parametrize("verified", [False, "false", 0, 1, "yes", None, MISSING],
                         ids=["false", "false-string", "zero", "one", "yes", "null", "missing"])
def test_an_address_the_provider_has_not_verified_gets_no_role(demo_db, monkeypatch, verified):
    # some providers send the string "false", Entra ID sends no claim and lets the user set `email`
    at = signed_in(demo_db, monkeypatch, BOSS, claims={"email_verified": verified})
    assert at.title[0].value == i18n.t("fi", "access.no_role_title")
    assert shows_no_data(at)


@pytest.mark.parametrize("verified", [True, "true", "True"])
def test_a_verified_address_gets_its_role(demo_db, monkeypatch, verified):
    at = signed_in(demo_db, monkeypatch, BOSS, claims={"email_verified": verified})
    assert at.title[0].value == i18n.t("fi", "nav.overview")


def test_the_verified_claim_can_be_entra_ids_own(demo_db, monkeypatch):
    monkeypatch.setenv("KOKEMUSMITTARI_EMAIL_VERIFIED_CLAIM", "xms_edov")
    at = signed_in(demo_db, monkeypatch, BOSS, claims={"email_verified": MISSING, "xms_edov": True})
    assert at.title[0].value == i18n.t("fi", "nav.overview")
    at = signed_in(demo_db, monkeypatch, BOSS, claims={"email_verified": True, "xms_edov": False})
    assert at.title[0].value == i18n.t("fi", "access.no_role_title")


@pytest.mark.parametrize("email", ["johto@ver\u212aosto.fi", "\u212aalle@verkosto.fi", "johto@verkosto.fi\u200b"])
def test_a_look_alike_address_is_nobody(demo_db, monkeypatch, email):
    # U+212A (Kelvin sign) lower-cases to "k"; a zero-width space is not space
    at = signed_in(demo_db, monkeypatch, email)
    assert at.title[0].value == i18n.t("fi", "access.no_role_title")
    assert shows_no_data(at)


def test_a_removed_person_loses_access_on_the_next_rerun(tmp_path, monkeypatch, demo_db):
    db = copy_of(demo_db, tmp_path)
    at = signed_in(db, monkeypatch, MEMBER)
    assert at.metric
    with Warehouse(str(db)) as wh:
        set_person(wh, MEMBER, "board", actor=BOSS)
    at.run()
    assert context(at).role == "board" and not context(at).scope.exact
    with Warehouse(str(db)) as wh:
        remove_person(wh, MEMBER, actor=BOSS)
    at.run()
    assert at.title[0].value == i18n.t("fi", "access.no_role_title")
    assert shows_no_data(at)


def test_signing_out_in_one_tab_ends_every_other_tabs_session(tmp_path, monkeypatch, demo_db):
    db = copy_of(demo_db, tmp_path)
    other_tab = signed_in(db, monkeypatch, BOSS)
    other_tab.user = {**other_tab.user, "iat": int(time.time()) - 5}
    other_tab.run()
    assert other_tab.metric
    with Warehouse(str(db)) as wh:
        record_sign_out(wh, BOSS)            # what the sidebar's sign-out does first, in the first tab
    other_tab.run()
    assert other_tab.title[0].value == i18n.t("fi", "access.signed_out_title")
    assert shows_no_data(other_tab)
    # a sign-in after the sign-out opens again
    time.sleep(1.1)
    again = signed_in(db, monkeypatch, BOSS)
    assert again.metric
    with Warehouse(str(db)) as wh:
        log = list_audit(wh, actions=["signed_in", "signed_out"])
    assert list(log["action"])[:2] == ["signed_in", "signed_out"] and set(log["actor"]) == {BOSS}


def test_the_sidebar_sign_out_is_logged(tmp_path, monkeypatch, demo_db):
    db = copy_of(demo_db, tmp_path)
    at = signed_in(db, monkeypatch, BOARD)
    at.sidebar.button(key="frame_sign_out").click()
    at.run()
    with Warehouse(str(db)) as wh:
        assert list(list_audit(wh, actions=["signed_out"])["actor"]) == [BOARD]


@pytest.fixture
def listening_everywhere():
    before = config.get_option("server.address")
    config.set_option("server.address", "0.0.0.0")
    yield
    config.set_option("server.address", before)


def test_without_sign_in_a_server_reachable_from_the_network_shows_nothing(demo_db, monkeypatch,
                                                                            listening_everywhere):
    monkeypatch.setenv("KOKEMUSMITTARI_DB", str(demo_db))
    for page in ALL_PAGES:
        at = AppTest.from_file(APP, default_timeout=120)
        at.switch_page(page)
        at.run()
        assert not at.exception
        assert at.title[0].value == i18n.t("fi", "access.configure_title")
        assert shows_no_data(at)


def test_without_sign_in_on_loopback_the_local_user_is_leadership(demo_db, monkeypatch):
    monkeypatch.setenv("KOKEMUSMITTARI_DB", str(demo_db))
    monkeypatch.delenv("KOKEMUSMITTARI_VIEW_ROLE", raising=False)
    at = AppTest.from_file(APP, default_timeout=120)
    at.switch_page("pages/admin.py")
    at.run()
    assert context(at).role == "leadership" and context(at).actor == "local"
    assert not refused(at)


def test_every_page_of_the_app_is_opened_here_by_every_role():
    from pathlib import Path

    pages = {f"pages/{p.name}" for p in (Path(__file__).resolve().parents[1] / "pages").glob("*.py")}
    assert pages == set(ALL_PAGES)


def test_the_example_secrets_configure_sign_in_with_every_key_streamlit_needs():
    import tomllib
    from pathlib import Path

    example = tomllib.loads((Path(__file__).resolve().parents[1] / ".streamlit" / "secrets.example.toml")
                            .read_text(encoding="utf-8"))
    assert set(example["auth"]) == {"redirect_uri", "cookie_secret", "client_id", "client_secret",
                                    "server_metadata_url"}
    assert example["auth"]["redirect_uri"].endswith("/oauth2callback")
    assert set(example["kokemusmittari"]) <= {f.name for f in fields(Settings)}


def test_without_google_sheets_a_member_is_told_what_to_do_and_leadership_which_setting(demo_db, monkeypatch):
    """A member read 'the setting gsheets_service_account', which only leadership can ask for."""
    member = signed_in(demo_db, monkeypatch, MEMBER, "pages/upload.py")
    infos = [info.value for info in member.info]
    assert i18n.t("fi", "gsheets.not_configured_member") in infos
    assert not any("gsheets_service_account" in text for text in infos)
    leadership = signed_in(demo_db, monkeypatch, BOSS, "pages/upload.py")
    leadership.selectbox(key="upload_org").set_value(OWN).run()
    infos = [info.value for info in leadership.info]
    assert i18n.t("fi", "gsheets.error_no_account") in infos


def test_a_month_not_over_yet_is_stored_and_said_to_show_once_it_ends(demo_db, monkeypatch, tmp_path):
    """A member sent December on 8 December, read "the figures are updated at once", and found no
    December to choose: the period choices end at the last finished month."""
    from i18n.formats import local_today
    from ui.upload_views import month_spans, months_not_yet_shown

    today = local_today()
    at = signed_in(copy_of(demo_db, tmp_path), monkeypatch, MEMBER, "pages/upload.py")
    crafted_upload(at, f"Päivämäärä;Toimintamuoto;Lukumäärä\n1.{today.month}.{today.year};Vertaistukitapaaminen;4\n"
                   .encode())
    said = i18n.t_count("fi", "upload.not_yet_shown", 1, months=month_spans([today.replace(day=1)]))
    assert said in [c.value for c in at.caption]
    assert months_not_yet_shown([date(2026, 11, 1), date(2026, 12, 1)], date(2026, 12, 8)) == [date(2026, 12, 1)]
    assert months_not_yet_shown([date(2026, 11, 1)], date(2026, 12, 1)) == []


@pytest.mark.parametrize(("query", "noted"), [
    ({"lang": "sv", "compare": "year", "org": "demo_aurinko"},
     {"lang": "sv", "compare": "year", "org": "demo_aurinko"}),
    ({"lang": "sv", "next": "https://elsewhere.example/", "x" * 50: "y"}, {"lang": "sv"}),  # not the frame's: left out
    ({"lang": "sv", "org": "a," * 5_000}, {}),        # past the bound: nothing is noted, no half of it
    ({"lang": "sv", "org": "😀" * 300}, {}),           # 300 characters, 1,200 bytes: past it too
    ({}, {}),
])
def test_a_sign_in_notes_the_frames_choices_only_and_a_bounded_few(query, noted):
    """What the place-to-return-to holds is bounded whatever a crafted address holds: a script that
    clicks "sign in" with huge addresses cannot fill the process's memory (ui.auth.PLACE_LIMIT notes)."""
    from ui.auth import PLACE_PARAM_BYTES, noted_params

    kept = noted_params(query)
    assert kept == noted
    assert sum(len(k) + len(v.encode()) for k, v in kept.items()) <= PLACE_PARAM_BYTES


def test_the_upload_page_offers_no_period_or_scope_that_would_change_nothing(demo_db, monkeypatch):
    at = signed_in(demo_db, monkeypatch, MEMBER, "pages/upload.py", compare="year")
    assert not at.exception, [e.value for e in at.exception]
    assert [s.label for s in at.sidebar.selectbox] == [i18n.t("fi", "frame.language")]
    assert not at.sidebar.multiselect
    assert at.query_params["compare"] == "year"      # kept in the address for the next page


def test_a_large_change_is_marked_in_its_own_column_and_none_leaves_the_column_out(demo_db, monkeypatch, tmp_path):
    at = signed_in(copy_of(demo_db, tmp_path), monkeypatch, MEMBER, "pages/upload.py")   # it stores a month
    marked = i18n.t("fi", "upload.pv_large")
    for count, large in ((900, True), (None, False)):
        # then the month as it is stored now, but one less: no large change
        sent = 899 if count is None else count
        crafted_upload(at, f"Päivämäärä;Toimintamuoto;Lukumäärä\n5.10.2026;Vertaistukitapaaminen;{sent}\n".encode())
        frames = [getattr(f.value, "data", f.value) for f in at.main.dataframe]
        preview = next(f for f in frames if i18n.t("fi", "upload.pv_rows_after") in f.columns)
        assert (marked in preview.columns) is large
        if large:
            confirm = next(b for b in at.button if b.label == i18n.t("fi", "upload.confirm"))
            confirm.click().run()
            assert not at.exception


@pytest.mark.parametrize(("page", "offered"), [
    ("pages/overview.py", True), ("pages/activity.py", True), ("pages/present.py", True),
    ("pages/attitudes.py", False), ("pages/demand.py", False), ("pages/completeness.py", False),
])
def test_the_comparison_is_offered_only_where_a_page_compares(demo_db, monkeypatch, page, offered):
    at = signed_in(demo_db, monkeypatch, BOSS, page, compare="year")
    assert not at.exception, [e.value for e in at.exception]
    labels = [s.label for s in at.sidebar.selectbox]
    assert (i18n.t("fi", "filters.compare") in labels) is offered
    assert at.query_params["compare"] == "year"          # kept in the address either way
    assert context(at).compare == "year"
