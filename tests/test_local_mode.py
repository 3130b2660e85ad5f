"""When the app may serve its one local user without sign-in: only a loopback server, reached
straight from this machine — the attacker's ways of looking local are refused."""

import pytest

from ui.auth import request_is_local

BROWSER = {"Host": "127.0.0.1:8501", "Origin": "http://127.0.0.1:8501"}


@pytest.mark.parametrize("address", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_a_browser_on_this_machine_is_local(address):
    assert request_is_local(address, BROWSER)
    assert request_is_local(address, {"Host": "localhost:8501", "Origin": "http://localhost:8501"})
    assert request_is_local(address, {"Host": "[::1]:8501", "Origin": "http://[::1]:8501"})
    assert request_is_local(address, {})      # AppTest: no request at all


@pytest.mark.parametrize("address", [None, "", "0.0.0.0", "::", "192.168.1.10", "kokemusmittari.example.fi"])
def test_a_server_listening_beyond_loopback_is_never_local(address):
    assert not request_is_local(address, BROWSER)
    assert not request_is_local(address, {})


@pytest.mark.parametrize("headers", [
    {**BROWSER, "X-Forwarded-For": "203.0.113.7"},
    {**BROWSER, "X-Real-Ip": "203.0.113.7"},
    {**BROWSER, "Forwarded": "for=203.0.113.7"},
    {**BROWSER, "X-Forwarded-Host": "kokemusmittari.example.fi"},
    {**BROWSER, "X-Forwarded-Proto": "https"},
    {"Host": "kokemusmittari.example.fi", "Origin": "https://kokemusmittari.example.fi"},
    # a proxy that keeps its own Host and adds no header still passes the browser's Origin on
    {"Host": "127.0.0.1:8501", "Origin": "https://kokemusmittari.example.fi"},
    {"Host": "127.0.0.1:8501", "Origin": "http://127.0.0.1.evil.example"},
    {"Host": "127.0.0.1:8501", "Origin": "http://127.0.0.1@evil.example"},
    {"Host": "127.0.0.1:8501", "Origin": "http://evil.example@127.0.0.1"},
    {"Host": "127.0.0.1:8501", "Origin": "null"},
    {"Host": "127.0.0.1.evil.example"},
    {"Host": "localhost:80@evil.example"},
    {"Host": "localhost.evil.example"},
    {"Host": "[::1]evil.example"},
    {"Host": "[::1"},
    # a program through a port forward, or nginx's defaults (Host rewritten to the upstream,
    # no X-Forwarded header): without a browser's Origin, or without a Host, it is not local
    {"Host": "127.0.0.1:8501"},
    {"Host": "127.0.0.1:8501", "X-Forwarded-For": ""},
    {"Origin": "http://127.0.0.1:8501"},
    {"User-Agent": "python-websockets"},
])
def test_a_request_that_came_through_something_else_is_not_local(headers):
    assert not request_is_local("127.0.0.1", headers)


def test_an_ipv4_mapped_loopback_is_loopback():
    assert request_is_local("::ffff:127.0.0.1", {"Host": "[::ffff:127.0.0.1]:8501",
                                                 "Origin": "http://[::ffff:127.0.0.1]:8501"})
