"""Addresses written as valid URLs: for links in Markdown bodies and for sources' `url`.

A contributor pastes an address as the browser's bar shows it, with spaces, `|` or `[ ]`
in it; browsers send those percent-encoded, and the Nu HTML Checker rejects an `href` that
holds them. One function, so a body's links and a source's `url` follow one rule.
"""

from __future__ import annotations

import re

_UNSAFE = re.compile(r"%(?![0-9A-Fa-f]{2})|[\x00-\x20\x7f\"<>\\\[\]^`{|}]")
_SPLIT_URL = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*:)?(//[^/?#\\]*)?(.*)", re.DOTALL)
_LABEL = r"[^\x00-\x20\x7f\"#%/:<>?@\[\\\]^`{|}.]+"
_HOST = re.compile(rf"(?:{_LABEL}\.)*{_LABEL}\.?|\[[0-9A-Fa-f:.]+\]")


def valid_url(url: str) -> str | None:
    """`url` written as a valid URL, the way a browser sends it: a space, `|`, `[`, `]`, `{`,
    `}`, `^`, a backtick, `<`, `>` or `"` after the host is percent-encoded, so is a `%` that
    starts no escape and a second `#`, and a backslash in the path is the slash it means; None
    when the host or the port cannot be right (`https://a..b/`, `https:///x`, port 99999),
    since no encoding makes those work."""
    match = _SPLIT_URL.fullmatch(url)
    assert match is not None  # the expression matches every string
    scheme, authority, rest = match.group(1) or "", match.group(2), match.group(3)
    if authority is not None or scheme.lower() in ("http:", "https:"):
        if authority is None:
            return None
        host_and_port = authority[2:].rpartition("@")[2]
        host, colon, port = host_and_port.rpartition(":")
        if not colon or host_and_port.endswith("]"):  # no port, or an IPv6 address
            host, port = host_and_port, ""
        if not _HOST.fullmatch(host) or (port and not (port.isdigit() and int(port) < 65536)):
            return None
    path, hash_sign, fragment = rest.partition("#")
    if not scheme or scheme.lower() in ("http:", "https:"):  # a browser reads a backslash there as a slash
        path, question_mark, query = path.partition("?")
        path = path.replace("\\", "/") + question_mark + query
    return scheme + (authority or "") + _encode(path) + hash_sign + _encode(fragment).replace("#", "%23")


def _encode(text: str) -> str:
    return _UNSAFE.sub(lambda match: "".join(f"%{byte:02X}" for byte in match.group().encode()), text)
