"""
Check every link within a built HTML site, offline.

Each relative ``href`` or ``src`` must lead to a file of the site and, when it names an
``#anchor``, to an element with that id. Links that leave the site (``http:``, ``https:``,
``mailto:``, ...) are not followed: the site must work offline.

Usage: python scripts/check_site_links.py SITE_DIR   (exit 1 and one line per broken link)
"""

from __future__ import annotations

import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Page(HTMLParser):
    """Collect a page's element ids and the relative links it makes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("id", "name") and (name == "id" or tag == "a"):
                self.ids.add(value)
            elif name in ("href", "src") and not (tag == "link" and ("rel", "preconnect") in attrs):
                self.links.append(value)


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8", errors="replace"))
    return page


def broken_links(site: Path) -> list[str]:
    """Every link within ``site`` that leads nowhere, as ``page: link (reason)``."""
    site = site.resolve()
    pages = {path: _parse(path) for path in sorted(site.rglob("*.html"))}
    problems: list[str] = []
    for path, page in pages.items():
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("javascript:", "data:")):
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if target.is_dir():
                target = target / "index.html"
            where = f"{path.relative_to(site)}: {link}"
            if not target.is_relative_to(site) or not target.is_file():
                problems.append(f"{where} (no such file)")
                continue
            anchor = unquote(parts.fragment)
            if anchor and target.suffix == ".html":
                target_page = pages.get(target) or _parse(target)
                if anchor not in target_page.ids:
                    problems.append(f"{where} (no anchor #{anchor})")
    return problems


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    site = Path(argv[0])
    if not (site / "index.html").is_file():
        print(f"check_site_links: {site} holds no built site (no index.html)", file=sys.stderr)
        return 2
    problems = broken_links(site)
    for problem in problems:
        print(f"broken link: {problem}", file=sys.stderr)
    pages = len(list(site.rglob("*.html")))
    print(f"check_site_links: {pages} pages, {len(problems)} broken links")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
