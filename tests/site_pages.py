"""The public site as a visitor finds it: every HTML page reachable by following links from the
home page, grouped by page type (URL name). Shared by the page-content tests and the browser
tests, so a page added later is checked without anyone listing it."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlencode, urlsplit

from django.test import Client
from django.urls import Resolver404, resolve

# Not pages: data, images, the admin, and what the API serves as JSON/CSV.
SKIPPED_PREFIXES = ("/static/", "/api/v1/", "/charts/", "/admin/", "/geography/")
SKIPPED_SUFFIXES = (".csv", ".zip", ".geojson", ".json", ".svg", ".png")
# Reached by typing an address rather than by a link from the site.
UNLINKED_PAGES = ("/api/v1/docs", "/search/?q=burglary")


class _Links(HTMLParser):
    """Links, and GET forms submitted as a visitor would: each select's first real choice."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.page = page
        self.hrefs: list[str] = []
        self._form: dict[str, str] | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "a" and attributes.get("href"):
            self.hrefs.append(attributes["href"])
        elif tag == "form" and attributes.get("method", "get").lower() == "get":
            self._form = {"": attributes.get("action") or urlsplit(self.page).path}
        elif tag == "select" and self._form is not None:
            self._select = attributes.get("name")
        elif (
            tag == "option"
            and self._form is not None
            and self._select
            and attributes.get("value")
            and self._select not in self._form
        ):
            self._form[self._select] = attributes["value"]

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "form" and self._form is not None:
            action = self._form.pop("")
            if self._form:
                self.hrefs.append(f"{action}?{urlencode(self._form)}")
            self._form = None


def _followable(href: str) -> str | None:
    url, _fragment = urldefrag(href)
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    if parts.path.startswith(SKIPPED_PREFIXES) or parts.path.endswith(SKIPPED_SUFFIXES):
        return None
    if "format=" in parts.query:
        return None
    return url


@dataclass
class Site:
    pages: dict[str, str] = field(default_factory=dict)  # URL -> HTML
    kinds: dict[str, list[str]] = field(default_factory=dict)  # URL name -> URLs

    def one_of_each_kind(self) -> list[str]:
        return [urls[0] for _name, urls in sorted(self.kinds.items())]


def crawl(client: Client, limit: int = 400) -> Site:
    """Every page linked from ``/`` (breadth first, up to ``limit``), plus the unlinked ones.
    Fails on any page that does not answer 200 with HTML."""
    site = Site()
    queue = deque(["/", *UNLINKED_PAGES])
    seen = set(queue)
    while queue and len(site.pages) < limit:
        url = queue.popleft()
        response = client.get(url, follow=True)
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        if response.redirect_chain:  # a form that redirects (your area -> the area's page)
            url = response.redirect_chain[-1][0]
            if url in site.pages:
                continue
        assert response["Content-Type"].startswith("text/html"), url
        html = response.content.decode("utf-8")
        site.pages[url] = html
        try:
            name = resolve(urlsplit(url).path).url_name or url
        except Resolver404:  # pragma: no cover - a 200 always resolves
            name = url
        site.kinds.setdefault(name, []).append(url)
        parser = _Links(url)
        parser.feed(html)
        for href in parser.hrefs:
            target = _followable(href)
            if target is not None and target not in seen:
                seen.add(target)
                queue.append(target)
    return site
