"""listing.py: what every list method of the fake shares: Google's
`filter` expressions (the subset the plugin and gcloud send) and
pagination with maxResults/pageSize and nextPageToken.

Filters: terms joined by AND or by juxtaposition, each optionally in
parentheses: `FIELD = VALUE`, `FIELD != VALUE`, `FIELD eq REGEX`,
`FIELD ne REGEX`, `FIELD:VALUE` (has). FIELD is a dotted path
(`labels.owner`, `name`, `status`). VALUE may be quoted.
"""
import base64
import re

from state import ApiError

TERM = re.compile(r"""\(?\s*([A-Za-z_][\w.\-]*)\s*(!=|=|:|\beq\b|\bne\b)\s*
                      ("[^"]*"|'[^']*'|[^\s)]+)\s*\)?""", re.X)


def _field(res, path):
    v = res
    for k in path.split("."):
        if not isinstance(v, dict) or k not in v:
            return None
        v = v[k]
    return v


def parse_filter(text):
    """[(field, op, value)] or raises ApiError 400."""
    text = (text or "").strip()
    terms = []
    pos = 0
    while pos < len(text):
        m = TERM.match(text, pos)
        if not m:
            raise ApiError(400, "Invalid value for field 'filter': '%s'. "
                           "Invalid list filter expression." % text,
                           "invalid")
        value = m.group(3)
        if value[:1] in "\"'":
            value = value[1:-1]
        terms.append((m.group(1), m.group(2), value))
        pos = m.end()
        rest = re.match(r"\s*(AND\s+)?", text[pos:])
        pos += rest.end()
    return terms


def matches(res, terms):
    for field, op, value in terms:
        got = _field(res, field)
        got = "" if got is None else str(got)
        if op == "=" and got != value:
            return False
        if op == "!=" and got == value:
            return False
        if op == "eq" and not re.fullmatch(value, got):
            return False
        if op == "ne" and re.fullmatch(value, got):
            return False
        if op == ":" and value not in (got, "*"):
            return False
        if op == ":" and value == "*" and not got:
            return False
    return True


def page(items, query, size_key="maxResults", default=500):
    """(items of this page, nextPageToken or None)."""
    size = int(query.get(size_key) or default)
    if size <= 0 or size > 500:
        size = 500
    token = query.get("pageToken")
    start = 0
    if token:
        try:
            start = int(base64.urlsafe_b64decode(token.encode()).decode())
        except ValueError:
            raise ApiError(400, "Invalid value for field 'pageToken': '%s'."
                           % token, "invalid")
    chunk = items[start:start + size]
    nxt = None
    if start + size < len(items):
        nxt = base64.urlsafe_b64encode(str(start + size).encode()).decode()
    return chunk, nxt
