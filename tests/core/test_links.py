"""core.links.url_for keeps reversed URLs per URLconf and script prefix."""

from django.urls import reverse, set_script_prefix

from core.links import url_for


def test_the_url_is_reverse_s():
    assert url_for("contacts:list") == reverse("contacts:list")
    assert url_for("contacts:profile", "99") == reverse("contacts:profile", args=[99])


def test_a_script_prefix_is_kept_apart():
    plain = url_for("contacts:list")
    set_script_prefix("/crm/")
    try:
        assert url_for("contacts:list") == "/crm" + plain
    finally:
        set_script_prefix("/")
    assert url_for("contacts:list") == plain
