"""Read a page's form as a browser would submit it, and a table's rows as a user reads them."""

import re
from html import unescape
from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.values: dict[str, str] = {}
        self._select: str | None = None
        self._select_first: str | None = None
        self._textarea: str | None = None

    def _belongs(self, attrs: dict) -> bool:
        owner = attrs.get("form")
        return owner == self.form_id if owner is not None else self.inside

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside = True
        if not attrs.get("name") and tag != "option" or "disabled" in attrs:
            return
        if tag == "input" and self._belongs(attrs):
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("submit", "button", "reset"):
                self.values[attrs["name"]] = attrs.get("value") or ""
        elif tag == "select" and self._belongs(attrs):
            self._select, self._select_first = attrs["name"], None
        elif tag == "option" and self._select:
            value = attrs.get("value") or ""
            if self._select_first is None:
                self._select_first = value
            if "selected" in attrs:
                self.values[self._select] = value
        elif tag == "textarea" and self._belongs(attrs):
            self._textarea = attrs["name"]
            self.values[self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select:
            self.values.setdefault(self._select, self._select_first or "")
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            text = self.values[self._textarea]
            # A browser drops the newline right after <textarea>.
            self.values[self._textarea] = text + (data if text else data.removeprefix("\n"))


def form_values(html: str, form_id: str) -> dict[str, str]:
    """What submitting the form with this id would send, by field name."""
    reader = _FormReader(form_id)
    reader.feed(html)
    return reader.values


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def table_rows(html: str, caption: str) -> list[list[str]]:
    """The body rows (cell texts) of the table with this caption."""
    for table in re.findall(r"<table.*?</table>", html, flags=re.S):
        found = re.search(r"<caption[^>]*>(.*?)</caption>", table, flags=re.S)
        if found and _text(found.group(1)) == caption:
            body = re.search(r"<tbody>(.*?)</tbody>", table, flags=re.S)
            rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body.group(1) if body else "", flags=re.S)
            return [
                [_text(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
                for row in rows
            ]
    raise AssertionError(f"No table with the caption {caption!r}")
