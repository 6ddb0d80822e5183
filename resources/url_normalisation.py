"""Web addresses: only the characters a URI may have, and one catalogue entry per normalised
URL."""

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.core.exceptions import ValidationError

# Query parameters that say where a click came from, not what page it is.
TRACKING_PARAMETERS = {
    "gclid",
    "gclsrc",
    "dclid",
    "fbclid",
    "msclkid",
    "mc_cid",
    "mc_eid",
    "_ga",
    "_gl",
    "yclid",
}
DEFAULT_PORTS = {"http": 80, "https": 443}


# What a web address may contain: the characters RFC 3986 allows in a URI, % with two hexadecimal
# digits, and letters beyond ASCII (an IRI, RFC 3987, as browsers show café; the API writes them
# percent-encoded). Django's URLValidator takes any path without spaces, so
# "https://example.org/"><script>" passed it, and the API's web_address (format: uri) broke its
# own description.
URI_CHARACTER = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2}|[^\x00-\x7f]")


def validate_web_address(value):
    """Refuse an address with a character no URI has, naming the characters. Spaces are left to
    URLValidator, which every URLField runs too, so an address is not refused twice for one."""
    strays = dict.fromkeys(URI_CHARACTER.sub("", "".join((value or "").split())))
    if strays:
        shown = [f"“{character}”" for character in strays]
        listed = " or ".join([", ".join(shown[:-1]), shown[-1]] if len(shown) > 1 else shown)
        raise ValidationError(
            "A web address cannot contain %(characters)s. Copy it from your browser's address "
            "bar, which writes such characters with %% signs.",
            code="invalid_characters",
            params={"characters": listed},
        )


def is_tracking_parameter(name):
    name = name.lower()
    return name.startswith("utm_") or name in TRACKING_PARAMETERS


def normalise_url(url):
    """The form of `url` used to recognise the same page entered twice.

    Scheme and host are lower-cased, http is treated as https and a leading "www." is
    dropped from the host (england.nhs.uk and www.england.nhs.uk are one site); default
    ports, the fragment, tracking parameters and a trailing slash are dropped. The rest
    of the path and the remaining query are kept as they are, since servers may treat
    them case-sensitively. An empty or unparseable value normalises to "".
    """
    url = (url or "").strip()
    if not url:
        return ""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return ""
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if not scheme or not host:
        return ""
    if scheme == "http":
        scheme = "https"
    if host.startswith("www.") and "." in host.removeprefix("www."):
        host = host.removeprefix("www.")
    netloc = host if port in (None, DEFAULT_PORTS.get(parts.scheme.lower())) else f"{host}:{port}"
    path = parts.path.rstrip("/")
    query = urlencode(
        [
            (name, value)
            for name, value in parse_qsl(parts.query, keep_blank_values=True)
            if not is_tracking_parameter(name)
        ]
    )
    return urlunsplit((scheme, netloc, path, query, ""))


def address_lines(urls):
    """Several addresses normalised and stored as one text, each between newlines ("\\na\\nb\\n"),
    so that a lookup for "\\n<address>\\n" finds any one of them on every database."""
    normalised = sorted({normalise_url(url) for url in urls} - {""})
    return "".join(f"\n{url}" for url in normalised) + "\n" if normalised else ""
