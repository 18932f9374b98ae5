"""Find every page and every form the site shows, as a browser (and an attacker) sees them.

Nothing here names a view: the URL patterns come from the resolver, their arguments from the
objects in the database (by argument name: slugs, ids, tokens), and from there the crawler
follows the links and reads the forms of each page it may see as anonymous, leader, staff and
superuser. A view added later is found the same way.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from itertools import product
from urllib.parse import parse_qsl, urldefrag, urlencode, urljoin, urlsplit

from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, get_resolver

# --- URL patterns --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    """One URL pattern: its route with <converter:name> parts, and those parts."""

    route: str
    params: tuple[tuple[str, str], ...]  # (converter, name)
    regex: re.Pattern

    def fill(self, values: dict[str, str]) -> str:
        path = self.route
        for converter, name in self.params:
            path = path.replace(f"<{converter}:{name}>", values[name]).replace(
                f"<{name}>", values[name]
            )
        return "/" + path

    def matches(self, path: str) -> bool:
        return bool(self.regex.fullmatch(path.lstrip("/")))


_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>\w+)>")


def url_patterns() -> list[Pattern]:
    """Every routable pattern of the project (admin included), as route strings."""
    found: list[Pattern] = []

    def walk(entries: Iterable[URLPattern | URLResolver], prefix: str, regex: str) -> None:
        for entry in entries:
            route = str(entry.pattern)
            entry_regex = entry.pattern.regex.pattern.lstrip("^").rstrip("$").removesuffix(r"\Z")
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + route, regex + entry_regex)
            else:
                full = prefix + route
                params = tuple((m["converter"] or "str", m["name"]) for m in _PARAM.finditer(full))
                found.append(Pattern(full, params, re.compile(regex + entry_regex)))

    walk(get_resolver().url_patterns, "", "")
    # Regex-only admin routes (e.g. the catch-all) have no <params> and a literal route;
    # keep those whose route is a plain path or made of named parameters.
    return [p for p in found if "(" not in p.route and "^" not in p.route]


def pattern_of(path: str, patterns: list[Pattern]) -> Pattern | None:
    for pattern in patterns:
        if pattern.matches(path):
            return pattern
    return None


# --- HTML: links and forms -------------------------------------------------------------------


@dataclass
class Field:
    """One named control of a form, as the browser would send it."""

    name: str
    tag: str  # input, select, textarea
    type: str  # text, date, time, number, checkbox, radio, hidden, select, select-multiple, ...
    value: str = ""
    checked: bool = False
    options: list[str] = field(default_factory=list)  # select options, or radio/checkbox values
    selected: list[str] = field(default_factory=list)
    attrs: dict[str, str] = field(default_factory=dict)

    @property
    def required(self) -> bool:
        return "required" in self.attrs

    def __repr__(self) -> str:  # short, for Hypothesis' report of a failing example
        return f"<{self.type} {self.name}>"


@dataclass
class Form:
    page: str
    action: str
    method: str
    fields: dict[str, Field] = field(default_factory=dict)

    def baseline(self) -> dict[str, list[str]]:
        """What the browser sends when the form is submitted as rendered."""
        data: dict[str, list[str]] = {}
        for f in self.fields.values():
            if f.type in ("checkbox", "radio"):
                if f.selected:
                    data[f.name] = list(f.selected)
            elif f.type in ("select", "select-multiple"):
                chosen = f.selected or ([f.options[0]] if f.options and f.type == "select" else [])
                if chosen:
                    data[f.name] = chosen
            elif f.type not in ("submit", "button", "reset", "file", "image"):
                data[f.name] = [f.value]
        return data

    def __repr__(self) -> str:
        return f"<form {self.method.upper()} {self.action} on {self.page}: {sorted(self.fields)}>"

    @property
    def signature(self) -> tuple:
        """One form per method and target: the same form on several pages is fuzzed once."""
        return (self.method, urlsplit(self.action).path)


class PageParser(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._option: str | None = None
        self._option_selected = False
        self._textarea: Field | None = None
        self._by_id: dict[str, Form] = {}
        self._orphans: list[tuple[str, dict[str, str]]] = []  # controls with form="id"

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = {k: (v if v is not None else "") for k, v in attrs_list}
        if tag == "a" and attrs.get("href"):
            self.links.append(urljoin(self.page, attrs["href"]))
        elif tag == "form":
            action = urljoin(self.page, attrs.get("action") or self.page)
            self._form = Form(self.page, action, (attrs.get("method") or "get").lower())
            self.forms.append(self._form)
            if attrs.get("id"):
                self._by_id[attrs["id"]] = self._form
        elif tag in ("input", "select", "textarea", "button"):
            self._control(tag, attrs)
        elif tag == "option" and self._select is not None:
            self._option = attrs.get("value")
            self._option_text = ""
            self._option_selected = "selected" in attrs

    def _target(self, attrs: dict[str, str]) -> Form | None:
        if attrs.get("form"):
            return self._by_id.get(attrs["form"])
        return self._form

    def _control(self, tag: str, attrs: dict[str, str]) -> None:
        name = attrs.get("name")
        form = self._target(attrs)
        if not name or form is None:
            if name and attrs.get("form"):
                self._orphans.append((tag, attrs))
            return
        kind = attrs.get("type", "text").lower() if tag == "input" else tag
        if tag == "button":
            kind = "submit" if attrs.get("type", "submit") == "submit" else "button"
        if tag == "select":
            kind = "select-multiple" if "multiple" in attrs else "select"
        existing = form.fields.get(name)
        if kind in ("checkbox", "radio") and existing is not None:
            existing.options.append(attrs.get("value", "on"))
            if "checked" in attrs:
                existing.selected.append(attrs.get("value", "on"))
            return
        control = Field(name=name, tag=tag, type=kind, value=attrs.get("value", ""), attrs=attrs)
        if kind in ("checkbox", "radio"):
            control.options.append(attrs.get("value", "on"))
            if "checked" in attrs:
                control.selected.append(attrs.get("value", "on"))
        if kind == "submit":
            # Several submit buttons of one name (check/send): keep them as a choice.
            control.options.append(attrs.get("value", ""))
        form.fields.setdefault(name, control)
        if tag == "select":
            self._select = form.fields[name]
        elif tag == "textarea":
            self._textarea = form.fields[name]
            self._textarea.value = ""

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data
        if self._option is None and self._select is not None and hasattr(self, "_option_text"):
            self._option_text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "option" and self._select is not None:
            value = self._option if self._option is not None else self._option_text.strip()
            self._select.options.append(value)
            if self._option_selected:
                self._select.selected.append(value)
            self._option = None

    def close(self) -> None:
        super().close()
        for tag, attrs in self._orphans:
            form = self._by_id.get(attrs["form"])
            if form is not None:
                saved, self._form = self._form, form
                self._control(tag, {k: v for k, v in attrs.items() if k != "form"})
                self._form = saved


def parse(page: str, html: str) -> PageParser:
    parser = PageParser(page)
    parser.feed(html)
    parser.close()
    return parser


# --- crawling --------------------------------------------------------------------------------


@dataclass
class Site:
    """What one role can reach: pages (path -> status), query parameters seen per path, forms."""

    role: str
    pages: dict[str, int] = field(default_factory=dict)
    params: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    forms: list[Form] = field(default_factory=list)


# The admin's delete pages are skipped (one per model would cost minutes); our own delete
# pages (e.g. a closure's) only ask, and are crawled.
SKIP = re.compile(
    r"^/(static|media)/|^/admin/(logout|jsi18n)|^/admin/.*/delete/$|^/accounts/logout/"
)


def _local(url: str, host: str) -> str | None:
    url = urldefrag(url)[0]
    parts = urlsplit(url)
    if parts.scheme not in ("", "http", "https") or (parts.netloc and parts.netloc != host):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def crawl(
    fetch: Callable[[str], HttpResponse],
    role: str,
    seeds: Iterable[str],
    patterns: list[Pattern],
    *,
    per_pattern: int = 2,
    limit: int = 600,
) -> Site:
    """Breadth-first over same-site links from `seeds`, at most `per_pattern` URLs per pattern
    (one per admin pattern: Django's admin pages are all alike). Seeds are visited first, all
    of them; `limit` bounds what is visited beyond them."""
    site = Site(role)
    seen_forms: dict[tuple, Form] = {}
    queue = list(dict.fromkeys(seeds))
    # Every seed is visited (they name each pattern with known ids); `limit` bounds only the
    # links found on the way, so a world with more ids cannot crowd out the last patterns.
    seeded = set(queue)
    visited: set[str] = set()
    per: dict[str, int] = defaultdict(int)
    while queue and (len(visited) < limit or queue[0] in seeded):
        url = queue.pop(0)
        if url in visited or SKIP.search(urlsplit(url).path):
            continue
        path = urlsplit(url).path
        pattern = pattern_of(path, patterns)
        key = pattern.route if pattern else path
        if per[key] >= (1 if key.startswith("admin/") else per_pattern):
            continue
        visited.add(url)
        response = fetch(url)
        site.pages[url] = response.status_code
        if response.status_code == 200:  # a wrong guess does not use up the pattern's turns
            per[key] += 1
        for name, _value in parse_qsl(urlsplit(url).query, keep_blank_values=True):
            site.params[path].add(name)
        content_type = response.get("Content-Type", "")
        if response.status_code != 200 or not content_type.startswith("text/html"):
            continue
        parsed = parse(f"http://testserver{url}", response.content.decode())
        for form in parsed.forms:
            form.action = _local(form.action, "testserver") or form.action
            form.page = url
            known = seen_forms.get(form.signature)
            if known is None:
                seen_forms[form.signature] = form
                site.forms.append(form)
            else:  # the same form elsewhere may show more fields (e.g. picked alternatives)
                for name, control in form.fields.items():
                    known.fields.setdefault(name, control)
        for link in parsed.links:
            local = _local(link, "testserver")
            if local and local not in visited:
                queue.append(local)
    return site


def fill_patterns(patterns: list[Pattern], values: dict[str, list[str]]) -> Iterator[str]:
    """Each pattern with every combination of known argument values (by argument name)."""
    for pattern in patterns:
        names = [name for _converter, name in pattern.params]
        if any(name not in values for name in names):
            continue
        for combination in product(*(values[name] for name in names)):
            yield pattern.fill(dict(zip(names, combination, strict=True)))


def with_query(path: str, params: dict[str, str]) -> str:
    return f"{path}?{urlencode(params)}" if params else path
