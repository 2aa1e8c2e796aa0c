"""The bench follows the links of the pages by what assistive technology reads: the pager's
"»" says "Last page" in visually hidden text, not in an aria-label."""

from bench.timing import find_link

PAGER = (
    '<ul><li><span class="page-link"><span aria-hidden="true">«</span>'
    '<span class="visually-hidden">First page</span></span></li>'
    '<li><a href="?after=x" rel="next">Next</a></li>'
    '<li><a class="page-link" href="?last=1"><span aria-hidden="true">»</span>'
    '<span class="visually-hidden">Last page</span></a></li>'
    '<li><a href="?q=1" aria-label="Labelled">x<br>y</a></li></ul>'
)


def test_a_link_is_found_by_its_name_without_its_hidden_sign():
    assert find_link(PAGER, "http://h/contacts/", name="Last page") == "http://h/contacts/?last=1"
    assert find_link(PAGER, "http://h/contacts/", name="»Last page") is None
    assert find_link(PAGER, "http://h/contacts/", name="First page") is None  # disabled
    assert find_link(PAGER, "http://h/contacts/", name="Labelled") == "http://h/contacts/?q=1"
    assert find_link(PAGER, "http://h/contacts/", rel="next") == "http://h/contacts/?after=x"
