import pytest

from contacts.management.commands.runlocal import site_url


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("127.0.0.1", "http://127.0.0.1:8080"),
        ("localhost", "http://localhost:8080"),
        ("0.0.0.0", "http://127.0.0.1:8080"),  # every interface: this machine opens it so
        ("::", "http://[::1]:8080"),
        ("::1", "http://[::1]:8080"),
        ("[::1]", "http://[::1]:8080"),
    ],
)
def test_links_in_mails_use_the_address_runlocal_serves_on(host, expected):
    assert site_url(host, "8080") == expected
