"""Read the preference switches out of a page, so tests do not depend on markup whitespace."""

from html.parser import HTMLParser


class _Checkboxes(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") == "checkbox" and attrs.get("name"):
            self.found[attrs["name"]] = {"checked": "checked" in attrs, "disabled": "disabled" in attrs}


def switches(html: str) -> dict[str, dict[str, bool]]:
    """{category key: {"checked": bool, "disabled": bool}} for every switch on the page."""
    parser = _Checkboxes()
    parser.feed(html)
    return parser.found
