"""The built documentation site: every internal link resolves, and no page loads
anything from another host (the site works offline).

These need the built HTML.  Set ``CROSSENTROPY_DOCS_HTML`` to its folder (CI does,
after ``python -m sphinx -b html docs docs/_build/html``); without it they skip.
"""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

SITE = os.environ.get("CROSSENTROPY_DOCS_HTML", "")

pytestmark = pytest.mark.skipif(not SITE, reason="CROSSENTROPY_DOCS_HTML is not set")

# Attributes through which a page loads something (as opposed to linking to it).
LOADING = {
    ("script", "src"),
    ("link", "href"),
    ("img", "src"),
    ("img", "srcset"),
    ("iframe", "src"),
    ("source", "src"),
    ("source", "srcset"),
    ("video", "src"),
    ("audio", "src"),
    ("embed", "src"),
    ("object", "data"),
}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.refs: list[tuple[str, str, str]] = []  # (tag, attribute, url)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("id", "name"):
                self.ids.add(value)
            if name in ("href", "src", "srcset", "data"):
                if name == "srcset":
                    urls = [u.strip().split(" ")[0] for u in value.split(",")]
                else:
                    urls = [value]
                self.refs.extend((tag, name, u) for u in urls if u)


def _pages() -> dict[Path, _Page]:
    root = Path(SITE)
    assert (root / "index.html").is_file(), f"no built site at {root}"
    pages = {}
    for path in sorted(root.rglob("*.html")):
        if path.relative_to(root).parts[0] in ("_static", "_sources"):
            continue  # the theme's Jinja macros and the sources are not pages
        page = _Page()
        page.feed(path.read_text(encoding="utf-8"))
        pages[path] = page
    return pages


@pytest.fixture(scope="module")
def pages() -> dict[Path, _Page]:
    return _pages()


def _is_remote(url: str) -> bool:
    return url.startswith("//") or urlsplit(url).scheme in ("http", "https", "ftp")


def test_site_has_the_expected_pages(pages):
    root = Path(SITE)
    names = {p.relative_to(root).as_posix() for p in pages}
    assert "index.html" in names
    assert sum(n.startswith("course/") and n[7:9].isdigit() for n in names) == 10
    assert sum(n.startswith("auto_examples/plot_") for n in names) >= 15
    assert "coming-from/scikit-learn.html" in names
    assert "api/generated/crossentropy.information.entropy.html" in names


def test_no_page_loads_anything_from_another_host(pages):
    remote = [
        f"{path.name}: <{tag} {attr}={url}>"
        for path, page in pages.items()
        for tag, attr, url in page.refs
        if (tag, attr) in LOADING and _is_remote(url)
    ]
    assert not remote, remote[:20]


def test_no_stylesheet_loads_anything_from_another_host():
    remote = []
    for css in Path(SITE).rglob("*.css"):
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", css.read_text(encoding="utf-8")):
            if _is_remote(url):
                remote.append(f"{css.name}: {url}")
        for url in re.findall(r"@import\s+['\"]([^'\"]+)", css.read_text(encoding="utf-8")):
            if _is_remote(url):
                remote.append(f"{css.name}: @import {url}")
    assert not remote, remote[:20]


def test_maths_is_served_from_the_site(pages):
    root = Path(SITE)
    page = pages[root / "course" / "01_information.html"]
    scripts = [url for tag, _, url in page.refs if tag == "script" and "mathjax" in url.lower()]
    assert scripts, "the course page loads no MathJax"
    for url in scripts:
        assert not _is_remote(url)
        assert (root / "course" / urlsplit(url).path).resolve().is_file(), url


def test_every_internal_link_resolves(pages):
    broken = []
    for path, page in pages.items():
        for tag, attr, url in page.refs:
            parts = urlsplit(url)
            if parts.scheme or url.startswith("//"):
                continue  # another site (links to it are allowed; loads are checked above)
            target = path if not parts.path else (path.parent / unquote(parts.path)).resolve()
            if parts.path.endswith("/"):
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{path.relative_to(SITE)}: <{tag} {attr}={url}>")
                continue
            anchor = unquote(parts.fragment)
            if anchor and target.suffix == ".html" and target in pages:
                if anchor not in pages[target].ids:
                    broken.append(f"{path.relative_to(SITE)}: {url} (no #{anchor})")
    assert not broken, f"{len(broken)} broken internal links, first ones: {broken[:20]}"
