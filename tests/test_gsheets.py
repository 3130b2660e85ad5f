"""A Google Sheet read end to end by the real gspread code against a local server that answers
like Sheets API v4 and Drive v3 (tests/google_fake.py), then checked as a file is."""

import json
import socket
from datetime import date

import gspread
import pytest
from google_fake import FakeGoogle, FakeSheet, LocalGoogle

from data_sources.gsheets import SheetError, check_sheet, read_sheet, revision, sheet_key
from warehouse import Warehouse
from warehouse.ledger import store_upload
from warehouse.organisations import add_organisation, load_registry

KEY = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"
ACCOUNT = "kokemusmittari@network-project.iam.gserviceaccount.com"
HEADER = ["Päivämäärä", "Toimintamuoto", "Lukumäärä"]


def good_sheet(**changes) -> FakeSheet:
    sheet = FakeSheet(title="Aurinko ry – kuukausiraportti", tabs={"Toiminta": [
        HEADER,
        ["1.3.2025", "Vertaistukitapaaminen", 12.0],   # a date as the sheet shows it, a number as it holds it
        ["2.3.2025", "Ammattilaisten koulutus", 3.0],
        ["15.4.2025", "Vertaistukitapaaminen", 7.0],
    ], "Ohjeet": [["Täytä yksi rivi tapahtumaa kohden."]]})
    for name, value in changes.items():
        setattr(sheet, name, value)
    return sheet


@pytest.fixture
def google(httpserver):
    fake = FakeGoogle()
    fake.serve(httpserver)
    session = LocalGoogle(httpserver.url_for("/"))
    return fake, gspread.Client(auth=None, session=session), session


@pytest.fixture
def wh(tmp_path):
    with Warehouse(str(tmp_path / "wh.duckdb")) as warehouse:
        add_organisation(warehouse, "aurinko", "Aurinko ry", start_month=date(2025, 1, 1))
        yield warehouse


def check(wh, content):
    return check_sheet(content, registry=load_registry(wh), uploader_org="aurinko", today=date(2026, 12, 4))


def no_sleep(pauses: list):
    return pauses.append


def test_a_good_sheet_is_read_checked_and_stored_like_a_file(google, wh):
    fake, client, session = google
    fake.sheets[KEY] = good_sheet()
    content = read_sheet(client, KEY)
    assert content.title == "Aurinko ry – kuukausiraportti"
    assert (content.revision.version, content.revision.modified_time) == ("7", "2026-12-01T09:30:00.000Z")
    assert [t.name for t in content.tabs] == ["Toiminta", "Ohjeet"]
    assert content.tabs[0].rows[1] == ["1.3.2025", "Vertaistukitapaaminen", 12]
    checked = check(wh, content)
    assert checked.ok, [(p.code, p.row) for p in checked.errors]
    assert checked.file_type == "gsheets" and checked.file_name == content.title
    frame = checked.sheets["toiminta"]
    assert frame["count_activities"].tolist() == [12, 3, 7]
    assert [str(m)[:7] for m in frame["activity_month"]] == ["2025-03", "2025-03", "2025-04"]
    stored = store_upload(wh, checked, 0, uploaded_by="t", org_code="aurinko", source="gsheets")
    total = wh.cursor().execute("select sum(count_activities)::int from activities").fetchone()[0]
    assert total == 22 and not stored.unchanged
    # the same sheet read again is the same upload: nothing changes, and the store says so
    again = check(wh, read_sheet(client, KEY))
    assert again.content_hash == checked.content_hash
    assert store_upload(wh, again, 0, uploaded_by="t", org_code="aurinko", source="gsheets").unchanged
    # every request went to Google's two API hosts (rewritten to the local server), nowhere else
    assert session.seen and all(p.startswith(("GET /v4/spreadsheets/", "GET /drive/v3/files/")) for p in session.seen)


def test_the_session_refuses_any_other_address(google):
    _, _, session = google
    with pytest.raises(AssertionError, match="refused"):
        session.get("https://example.org/")


def test_the_revision_is_read_without_reading_a_cell(google):
    fake, client, _ = google
    fake.sheets[KEY] = good_sheet(version=12)
    assert revision(client, KEY).version == "12"
    assert fake.reads == 0


@pytest.mark.parametrize(("setup", "code"), [
    (lambda fake: fake.sheets.__setitem__(KEY, good_sheet(shared=False)), "not_shared"),
    (lambda fake: None, "not_found"),
])
def test_a_sheet_not_shared_or_not_there(google, setup, code):
    fake, client, _ = google
    setup(fake)
    with pytest.raises(SheetError) as raised:
        read_sheet(client, KEY, sleep=no_sleep([]))
    assert raised.value.code == code
    message = raised.value.message("fi", account=ACCOUNT)
    assert "{" not in message
    if code == "not_shared":
        assert ACCOUNT in message and "Jaa" in message


def test_quota_answers_are_retried_with_back_off_then_reported(google):
    fake, client, _ = google
    fake.sheets[KEY] = good_sheet(failures=[(429, "Quota exceeded"), (429, "Quota exceeded")])
    pauses: list = []
    assert read_sheet(client, KEY, sleep=no_sleep(pauses)).title
    assert pauses == [1.0, 2.0]
    fake.sheets[KEY] = good_sheet(failures=[(429, "Quota exceeded")] * 4)
    pauses = []
    with pytest.raises(SheetError) as raised:
        read_sheet(client, KEY, sleep=no_sleep(pauses))
    assert raised.value.code == "quota" and pauses == [1.0, 2.0, 4.0]
    assert "minuutin" in raised.value.message("fi")


def test_a_server_error_without_json_is_read_from_its_status(google):
    fake, client, _ = google
    # gspread's APIError.code is -1 for a body that is not JSON: the status is what counts
    fake.sheets[KEY] = good_sheet(failures=[(502, "html")] * 4)
    with pytest.raises(SheetError) as raised:
        read_sheet(client, KEY, sleep=no_sleep([]))
    assert raised.value.code == "google_failed" and raised.value.detail == "502"
    assert "502" in raised.value.message("en")
    fake.sheets[KEY] = good_sheet(failures=[(503, "html")])
    assert read_sheet(client, KEY, sleep=no_sleep([])).tabs      # once is retried


def test_no_network(tmp_path):
    with socket.socket() as sock:          # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = gspread.Client(auth=None, session=LocalGoogle(f"http://127.0.0.1:{port}"))
    pauses: list = []
    with pytest.raises(SheetError) as raised:
        read_sheet(client, KEY, sleep=no_sleep(pauses))
    assert raised.value.code == "unreachable" and len(pauses) == 3


def test_a_sheet_that_fails_validation_says_which_row(google, wh):
    fake, client, _ = google
    sheet = good_sheet()
    sheet.tabs["Toiminta"][2] = ["31.13.2025", "Vertaistukitapaaminen", 2.0]
    fake.sheets[KEY] = sheet
    checked = check(wh, read_sheet(client, KEY))
    assert not checked.ok
    assert [(p.code, p.sheet, p.row) for p in checked.errors] == [("bad_date", "toiminta", 3)]


def test_personal_data_in_a_cell_or_a_note_refuses_the_sheet(google, wh):
    fake, client, _ = google
    sheet = good_sheet()
    sheet.tabs["Ohjeet"].append(["Yhteyshenkilö: maija.meikalainen@example.fi"])
    fake.sheets[KEY] = sheet
    checked = check(wh, read_sheet(client, KEY))
    # the cell names a contact person and holds an address: both said, at that cell, masked
    assert {(p.code, p.sheet, p.row) for p in checked.errors} == {("personal_data", "Ohjeet", 2)}
    assert not any("maija" in p.message("fi") for p in checked.errors)

    fake.sheets[KEY] = good_sheet(notes={("Toiminta", "B3"): "Soita äidille 040 123 4567"})
    checked = check(wh, read_sheet(client, KEY))
    assert [p.code for p in checked.errors] == ["personal_data"]
    problem = checked.errors[0]
    assert (problem.sheet, problem.row) == ("Toiminta", 3)
    assert "muistiinpanossa" in problem.message("fi") and "4567" not in problem.message("fi")


def test_a_sheet_over_the_grid_limits_is_refused_as_a_file_is(google, wh, monkeypatch):
    fake, client, _ = google
    fake.sheets[KEY] = good_sheet()
    from settings import load_settings

    small = load_settings(max_rows=3)
    content = read_sheet(client, KEY, settings=small)
    checked = check(wh, content)
    assert [p.code for p in checked.errors] == ["file_too_large"] and not content.tabs


@pytest.mark.parametrize(("given", "key"), [
    (f"https://docs.google.com/spreadsheets/d/{KEY}/edit#gid=0", KEY),
    (f"  {KEY}  ", KEY),
])
def test_the_key_is_taken_from_an_address_or_given(given, key):
    assert sheet_key(given) == key


@pytest.mark.parametrize("given", ["", "https://example.org/sheet", "abc", "javascript:alert(1)"])
def test_an_address_that_is_no_sheet_is_refused_plainly(given):
    with pytest.raises(SheetError) as raised:
        sheet_key(given)
    assert raised.value.code == "bad_address"
    assert "docs.google.com" in raised.value.message("en")


# ---- connected sheets from the command line ---------------------------------------------------

def run(db, *args, env):
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    done = subprocess.run([sys.executable, "cli.py", *args, "--db", str(db), "--json"],
                          cwd=Path(__file__).resolve().parents[1], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **env})
    return done.returncode, json.loads(done.stdout), done.stderr


def test_connect_sync_unchanged_changed_refused_and_unshared(google, tmp_path):
    fake, _, _ = google
    db = tmp_path / "cli.duckdb"
    with Warehouse(str(db)) as warehouse:
        add_organisation(warehouse, "aurinko", "Aurinko ry", start_month=date(2025, 1, 1))
    env = {"KOKEMUSMITTARI_GSHEETS_API": google[2].base_url}
    fake.sheets[KEY] = good_sheet()

    code, document, _ = run(db, "sheets", "connect", f"https://docs.google.com/spreadsheets/d/{KEY}/edit",
                            "--org", "Aurinko ry", env=env)
    assert code == 0 and document["status"] == "stored" and document["added_rows"] == 3
    with Warehouse(str(db)) as warehouse:
        ledger = warehouse.cursor().execute(
            "select file_name, file_type, source, source_ref, source_revision from uploads").fetchall()
    assert ledger == [("Aurinko ry – kuukausiraportti", "gsheets", "gsheets", KEY,
                       "version 7, 2026-12-01T09:30:00.000Z")]

    reads = fake.reads
    code, document, _ = run(db, "sync", env=env)
    assert code == 0 and [s["status"] for s in document["sheets"]] == ["unchanged"]
    assert fake.reads == reads                      # the same revision: not a cell read

    fake.sheets[KEY].version = 8                    # saved again, the same figures
    code, document, _ = run(db, "sync", "--org", "aurinko", env=env)
    assert code == 0 and document["sheets"][0]["status"] == "unchanged" and fake.reads == reads + 1

    fake.sheets[KEY].version = 9
    fake.sheets[KEY].tabs["Toiminta"][1][2] = 20.0
    code, document, _ = run(db, "sync", env=env)
    assert code == 0 and document["sheets"][0]["status"] == "stored"
    assert document["sheets"][0]["replaced_rows"] == 3 and document["sheets"][0]["added_rows"] == 3  # by month

    fake.sheets[KEY].version = 10
    fake.sheets[KEY].tabs["Toiminta"][2] = ["31.13.2025", "Vertaistukitapaaminen", 2.0]
    code, document, _ = run(db, "sync", env=env)
    assert code == 1 and document["sheets"][0]["status"] == "refused"
    assert document["sheets"][0]["errors"][0]["code"] == "bad_date"

    fake.sheets[KEY].shared = False
    code, document, stderr = run(db, "sync", env=env)
    assert code == 1 and document["sheets"][0]["code"] == "not_shared"
    assert "kokemusmittari@local-stand-in.invalid" in document["sheets"][0]["message"]
    assert "Traceback" not in stderr
    with Warehouse(str(db)) as warehouse:
        total = warehouse.cursor().execute("select sum(count_activities)::int from activities").fetchone()[0]
    assert total == 20 + 3 + 7                       # the last stored revision, nothing of the refused one


def test_a_sheet_without_a_tab_of_the_contract_is_refused_as_a_file_is(google, wh):
    fake, client, _ = google
    fake.sheets[KEY] = FakeSheet(title="Muistiinpanot",
                                 tabs={"Taulukko1": [["Päivämäärä", "Jotain"], ["1.3.2025", 4.0]]})
    checked = check(wh, read_sheet(client, KEY))
    assert [p.code for p in checked.errors] == ["no_known_sheet"]
    assert "Toiminta" in checked.errors[0].message("fi")


def test_the_key_comes_from_a_file_or_from_the_secrets_table(tmp_path, monkeypatch):
    """A JSON key file named by the setting, or the key's fields as a table of secrets.toml
    (Streamlit Community Cloud has no files of its own); a broken one is said plainly."""
    from data_sources.gsheets import account_email, client_for
    from settings import load_settings

    key = {"type": "service_account", "project_id": "verkosto", "private_key_id": "x",
           "private_key": "not a key", "client_email": "kokemusmittari@verkosto.iam.gserviceaccount.com",
           "client_id": "1", "token_uri": "https://oauth2.googleapis.com/token"}
    secrets = tmp_path / "secrets.toml"
    monkeypatch.setenv("KOKEMUSMITTARI_SECRETS", str(secrets))
    with pytest.raises(SheetError) as raised:
        account_email(load_settings())
    assert raised.value.code == "no_account"
    secrets.write_text("[gsheets_service_account]\n" + "".join(f'{k} = "{v}"\n' for k, v in key.items()))
    assert account_email(load_settings()) == key["client_email"]
    with pytest.raises(SheetError) as raised:       # the private key is not one: said, not a traceback
        client_for(load_settings())
    assert raised.value.code == "bad_key"
    file = tmp_path / "key.json"
    file.write_text(json.dumps({**key, "client_email": "other@verkosto.iam.gserviceaccount.com"}))
    monkeypatch.setenv("KOKEMUSMITTARI_GSHEETS_SERVICE_ACCOUNT", str(file))
    assert account_email(load_settings()) == "other@verkosto.iam.gserviceaccount.com"
    file.write_text("{not json")
    with pytest.raises(SheetError) as raised:
        account_email(load_settings())
    assert raised.value.code == "bad_key"
