"""The built docs site renders in a real browser: the operator guide's code sample and the navigation."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import Any

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "example_dags" / "example_videosdk_daily_class.py"
MARKER = "howto_operator_videosdk_create_room"
#: The how-to guides, in the navigation's order (``docs/howto/<name>.rst``).
HOWTO_GUIDES = ("rooms", "sessions", "recordings", "streams", "archiving", "webhooks")

pytestmark = pytest.mark.browser


def example_block(path: Path, marker: str) -> str:
    """Return the code between an example DAG's ``[START marker]`` and ``[END marker]`` lines, dedented."""
    source = path.read_text()
    match = re.search(rf"# \[START {marker}\]\n(.*?)\n\s*# \[END {marker}\]", source, re.DOTALL)
    assert match is not None, f"no {marker} block in {path.name}"
    return textwrap.dedent(match[1])


@pytest.fixture
def rooms_guide(browser: Any, docs_site: Path) -> Any:
    browser.get((docs_site / "howto" / "rooms.html").as_uri())
    return browser


def test_the_operator_guide_shows_the_example_dags_code(rooms_guide: Any) -> None:
    from selenium.webdriver.common.by import By

    sample = rooms_guide.find_element(By.CSS_SELECTOR, "#creating-a-room div.highlight-python pre")

    assert sample.is_displayed()
    assert sample.text.strip() == example_block(EXAMPLE, MARKER).strip()
    assert sample.find_elements(By.CSS_SELECTOR, "span.nc, span.n, span.s2")  # highlighted, not bare text


def test_the_navigation_lists_the_guides_and_leads_to_them(rooms_guide: Any) -> None:
    from selenium.webdriver.common.by import By

    sidebar = rooms_guide.find_element(By.CSS_SELECTOR, ".sidebar-tree")
    links = {link.text: link for link in sidebar.find_elements(By.TAG_NAME, "a") if link.is_displayed()}
    current = sidebar.find_element(By.CSS_SELECTOR, "li.current-page > a")

    assert {"Rooms", "Sessions", "Errors and retries", "API reference", "VideoSDK connection"} <= set(links)
    assert current.text == "Rooms"
    links["Sessions"].click()
    assert rooms_guide.find_element(By.TAG_NAME, "h1").text.rstrip("#¶ ") == "Sessions"


def test_the_navigation_leads_to_every_how_to_guide_and_each_shows_example_code(rooms_guide: Any) -> None:
    from selenium.webdriver.common.by import By

    def guide_links() -> dict[str, Any]:
        """Return the displayed navigation links to how-to guides, by guide name, in their order."""
        sidebar = rooms_guide.find_element(By.CSS_SELECTOR, ".sidebar-tree")
        guides: dict[str, Any] = {}
        for link in sidebar.find_elements(By.TAG_NAME, "a"):
            folder, _, page = link.get_attribute("href").split("#")[0].rpartition("/")
            if link.is_displayed() and folder.endswith("/howto") and page != "index.html":
                guides.setdefault(page.removesuffix(".html"), link)
        return guides

    assert list(guide_links()) == list(HOWTO_GUIDES)
    for guide in HOWTO_GUIDES:
        link = guide_links()[guide]
        title = link.text
        link.click()

        assert rooms_guide.find_element(By.TAG_NAME, "h1").text.rstrip("#¶ ") == title, guide
        assert rooms_guide.find_element(By.CSS_SELECTOR, ".sidebar-tree li.current-page > a").text == title
        assert rooms_guide.find_elements(By.CSS_SELECTOR, "div.highlight-python pre"), guide
