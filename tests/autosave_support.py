"""Post an autosaved page as the browser does: with the version the page was loaded with (cqp/autosave.py refuses a
post without one)."""

import re

VERSION = re.compile(r'<input type="hidden" name="version"(?: id="livret-version")? value="(-?\d+)"')


def post_as_page(client, path, data=None, **kwargs):
    """GET ``path`` as ``client``, then POST ``data`` with the page's version (kept if ``data`` has one). A page the
    person may not open has no version: the post goes without one, and is refused before any version check."""
    data = dict(data or {})
    if "version" not in data:
        found = VERSION.search(client.get(path).content.decode())
        if found:
            data["version"] = found.group(1)
    return client.post(path, data, **kwargs)
