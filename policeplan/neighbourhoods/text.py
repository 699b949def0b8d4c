"""Make the API's HTML fragments and contact details safe to show.

The data.police.uk neighbourhood texts are HTML written by forces. We never render it as
markup: it becomes plain text (templates then escape it as usual), and links are only made
from ``http``/``https`` URLs and valid email addresses.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.html import strip_tags

_HIDDEN = re.compile(r"<(script|style|template|iframe)\b[^>]*>.*?</\1\s*>", re.I | re.S)
_LINE_BREAK = re.compile(r"<br\s*/?>", re.I)
_BLOCK_END = re.compile(r"</(p|div|li|h[1-6]|ul|ol|tr)\s*>", re.I)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def plain_text(fragment: str | None) -> str:
    """An HTML fragment as plain text: scripts dropped, tags stripped, entities decoded,
    paragraphs kept as blank lines. The result must still be escaped when shown."""
    if not fragment:
        return ""
    text = _HIDDEN.sub("", fragment)
    text = _LINE_BREAK.sub("\n", text)
    text = _BLOCK_END.sub("\n\n", text)
    text = html.unescape(strip_tags(text))
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def web_link(value: object) -> str | None:
    """``value`` if it is an absolute http(s) URL, else None (no ``javascript:`` links)."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc or " " in url:
        return None
    return url


def email_address(value: object) -> str | None:
    """``value`` if it is a valid email address, else None."""
    if not isinstance(value, str):
        return None
    try:
        validate_email(value.strip())
    except ValidationError:
        return None
    return value.strip()


@dataclass(frozen=True)
class ContactDetail:
    """One contact detail ready to show: ``href`` is set only for a safe link."""

    label: str
    text: str
    href: str | None = None
    external: bool = False


CONTACT_LABELS = {
    "email": "Email",
    "telephone": "Telephone",
    "mobile": "Mobile",
    "fax": "Fax",
    "address": "Address",
    "web": "Website",
    "facebook": "Facebook",
    "twitter": "X (Twitter)",
    "youtube": "YouTube",
    "instagram": "Instagram",
    "flickr": "Flickr",
    "blog": "Blog",
    "forum": "Forum",
    "e-messaging": "E-messaging",
    "rss": "RSS",
    "google-plus": "Google+",
    "myspace": "Myspace",
    "bebo": "Bebo",
}
_PLAIN_KEYS = {"telephone", "mobile", "fax", "address"}


def contact_details(details: object) -> list[ContactDetail]:
    """The API's ``contact_details`` object as a list to show, email and phone first."""
    if not isinstance(details, Mapping):
        return []
    order = list(CONTACT_LABELS)
    keys = sorted(
        (k for k in details if isinstance(k, str)),
        key=lambda k: (order.index(k) if k in order else len(order), k),
    )
    shown: list[ContactDetail] = []
    for key in keys:
        value = details[key]
        if not isinstance(value, str) or not value.strip():
            continue
        label = CONTACT_LABELS.get(key, key.replace("-", " ").replace("_", " ").capitalize())
        text = plain_text(value)
        if key == "email":
            address = email_address(text)
            shown.append(ContactDetail(label, text, f"mailto:{address}" if address else None))
        elif key in _PLAIN_KEYS:
            shown.append(ContactDetail(label, text))
        else:
            link = web_link(value)
            shown.append(ContactDetail(label, text, link, external=link is not None))
    return shown


T = TypeVar("T")


def group_by_initial(
    items: Iterable[T], name: Any = lambda item: str(item)
) -> list[tuple[str, list[T]]]:
    """Items (already sorted by name) grouped under their name's first letter; names not
    starting with a letter go under "#"."""
    groups: dict[str, list[T]] = {}
    for item in items:
        first = str(name(item)).strip()[:1].upper()
        groups.setdefault(first if first.isalpha() else "#", []).append(item)
    return sorted(groups.items(), key=lambda group: (group[0] == "#", group[0]))
