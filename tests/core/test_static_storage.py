"""core.static_storage keeps each file's URL: the URLs are WhiteNoise's, in every case."""

import json

import pytest
from whitenoise.storage import CompressedManifestStaticFilesStorage

from core.static_storage import StaticStorage

MANIFEST = {
    "css/app.css": "css/app.0123abcd.css",
    "img/favicon.svg": "img/favicon.4567ef01.svg",
    "fonts/icons.woff2": "fonts/icons.89ab.woff2",
}


@pytest.fixture
def root(tmp_path):
    payload = {"paths": MANIFEST, "version": "1.1", "hash": "x"}
    (tmp_path / "staticfiles.json").write_text(json.dumps(payload))
    return tmp_path


def _pair(root):
    options = {"location": str(root), "base_url": "/static/"}
    return StaticStorage(**options), CompressedManifestStaticFilesStorage(**options)


NAMES = ["css/app.css", "img/favicon.svg", "fonts/icons.woff2?#iefix", "fonts/icons.woff2#x"]


@pytest.mark.parametrize("name", NAMES)
def test_the_urls_are_whitenoise_s_and_stay_so(root, name):
    kept, stock = _pair(root)
    first = kept.url(name)
    assert first == stock.url(name)
    assert kept.url(name) == first
    assert first.startswith("/static/") and "." in first.rsplit("/", 1)[1]


def test_only_names_in_the_manifest_are_kept(root):
    kept, stock = _pair(root)
    kept.url("css/app.css")
    kept.url("fonts/icons.woff2?#iefix")
    assert set(kept._urls) == {"css/app.css"}
    for missing in ("css/missing.css", "../../etc/passwd"):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            kept.url(missing)
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            stock.url(missing)
    assert set(kept._urls) == {"css/app.css"}


def test_debug_and_force_are_not_kept(root, settings):
    kept, stock = _pair(root)
    settings.DEBUG = True
    assert kept.url("css/app.css") == stock.url("css/app.css") == "/static/css/app.css"
    assert kept.url("css/app.css", force=True) == stock.url("css/app.css", force=True)
    assert kept._urls == {}


def test_collectstatic_forgets_the_kept_urls(root):
    kept, _ = _pair(root)
    kept.url("css/app.css")
    assert list(kept.post_process({}, dry_run=True)) == []
    assert kept._urls == {}
