"""Post forms the way a browser does: parse the rendered HTML, keep its values, change a few.

pretix's extract_form_fields idea, on the standard library's HTMLParser.
"""

from __future__ import annotations

from html.parser import HTMLParser


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, object] = {}
        self._select: str | None = None
        self._select_multiple = False
        self._textarea: str | None = None
        self._in_template = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "template":
            self._in_template += 1
        if self._in_template:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    if kind == "checkbox":
                        self.fields.setdefault(name, [])
                        self.fields[name].append(a.get("value", "on"))
                    else:
                        self.fields[name] = a.get("value", "on")
            elif kind not in ("submit", "button"):
                self.fields[name] = a.get("value", "")
        elif tag == "select" and name:
            self._select = name
            self._select_multiple = "multiple" in a
            self.fields.setdefault(name, [] if self._select_multiple else "")
        elif tag == "option" and self._select and "selected" in a:
            if self._select_multiple:
                self.fields[self._select].append(a.get("value", ""))
            else:
                self.fields[self._select] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""

    def handle_endtag(self, tag):
        if tag == "template":
            self._in_template -= 1
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and not self._in_template:
            self.fields[self._textarea] += data


def form_fields(html: str) -> dict[str, object]:
    parser = _FormParser()
    parser.feed(html)
    return {k: v for k, v in parser.fields.items() if k != "csrfmiddlewaretoken"}
