"""Helpers for posting the pages' forms as a browser does."""

import re

TOKEN = re.compile(r'name="token" value="([0-9a-f-]{36})"')


def form_token(client, url: str) -> str:
    """The one-time token the create form at `url` carries (read from the page, as a browser
    posts it back)."""
    body = client.get(url).content.decode()
    match = TOKEN.search(body)
    assert match, f"no form token on {url}"
    return match.group(1)
