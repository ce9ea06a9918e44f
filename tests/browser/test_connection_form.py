"""
The VideoSDK connection form as a user meets it in the Airflow UI, in a real headless Chromium.

The form is the declarative one of ``get_provider_info()`` (``conn-fields`` and
``ui-field-behaviour``), which Airflow renders from 3.2 on. Airflow 3.1 ignores it and shows its
generic form, where every setting is still reachable: the tests of the labelled form are skipped
there and one test checks the generic form instead.
"""

from __future__ import annotations

import re
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from airflow import __version__ as airflow_version

from videosdk_provider.emulator import VideoSDKEmulator

pytestmark = pytest.mark.browser
_AIRFLOW_MINOR = tuple(int(part) for part in re.findall(r"\d+", airflow_version)[:2])
declarative_form = pytest.mark.skipif(
    _AIRFLOW_MINOR < (3, 2), reason="Airflow renders the declarative connection form from 3.2 on"
)
generic_form = pytest.mark.skipif(
    _AIRFLOW_MINOR >= (3, 2), reason="Airflow before 3.2 shows its generic connection form"
)

REPO = Path(__file__).resolve().parents[2]
ARTIFACT = REPO / "test-artifacts" / "connection-form.png"
README_IMAGE = REPO / "docs" / "connection-form.png"
WAIT_SECONDS = 30
AUTH_FAILED = "authentication failed: check the API key and secret"


def _wait(browser: Any) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, WAIT_SECONDS)


def _by_xpath(browser: Any, xpath: str) -> Any:
    """Wait for an element to be visible and return it."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    return _wait(browser).until(ec.visibility_of_element_located((By.XPATH, xpath)))


def _click(browser: Any, xpath: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    _wait(browser).until(ec.element_to_be_clickable((By.XPATH, xpath))).click()


def _open_connections_page(browser: Any, server: Any) -> None:
    """Go to Admin > Connections; Airflow 3.1 lands on the home page after its automatic login."""
    add = "//button[contains(., 'Add Connection')]"
    browser.get(f"{server.url}/connections")
    _by_xpath(browser, f"{add} | //*[normalize-space()='Welcome']")
    if not browser.current_url.endswith("/connections"):
        browser.get(f"{server.url}/connections")
    _by_xpath(browser, add)


def _connection_types(browser: Any) -> list[str]:
    """Open the connection-type drop-down and read its options."""
    from selenium.webdriver.common.by import By

    _by_xpath(browser, "//div[@role='dialog']//input[@role='combobox']").click()
    options = "//div[@role='dialog']//*[starts-with(@id, 'react-select') and contains(@id, '-option-')]"
    _by_xpath(browser, options)
    names = [option.text for option in browser.find_elements(By.XPATH, options)]
    browser.find_element(By.XPATH, "//div[@role='dialog']//input[@role='combobox']").click()
    return names


def _start_videosdk_form(browser: Any, server: Any, conn_id: str) -> None:
    """Open "Add Connection", enter the id and pick the VideoSDK type, as a user would."""
    from selenium.webdriver.common.keys import Keys

    _open_connections_page(browser, server)
    _click(browser, "//button[contains(., 'Add Connection')]")
    _by_xpath(browser, "//div[@role='dialog']//input[@name='connection_id']").send_keys(conn_id)
    combobox = _by_xpath(browser, "//div[@role='dialog']//input[@role='combobox']")
    combobox.send_keys("VideoSDK")
    _by_xpath(browser, "//div[@role='dialog']//*[contains(@id, '-option-') and normalize-space()='VideoSDK']")
    combobox.send_keys(Keys.ENTER)
    _by_xpath(browser, "//div[@role='dialog']//input[@name='login']")


def _visible_fields(browser: Any) -> dict[str, Any]:
    """Label text -> input, for every field of the open dialog that a user can see."""
    from selenium.webdriver.common.by import By

    fields = {}
    for group in browser.find_elements(By.XPATH, "//div[@role='dialog']//div[@role='group'][.//label]"):
        label = group.find_element(By.XPATH, ".//label")
        inputs = group.find_elements(By.XPATH, ".//input | .//textarea")
        if label.is_displayed() and inputs and inputs[0].is_displayed():
            fields[label.text.replace("*", "").strip()] = inputs[0]
    return fields


def _toast(browser: Any, title: str) -> str:
    """Wait for the notification with this title to show its message too; return both, one per line."""
    xpath = f"//*[@data-scope='toast' and @data-part='root'][contains(normalize-space(), '{title}')]"
    toast = _by_xpath(browser, xpath)
    _wait(browser).until(lambda _: len(toast.text.splitlines()) >= 2)
    return str(toast.text)


@pytest.fixture(scope="module")
def form_page(browser: Any, airflow_server: Any) -> Any:
    """Open the Add Connection dialog with the VideoSDK type picked and nothing typed yet."""
    _start_videosdk_form(browser, airflow_server, "videosdk_default")
    return browser


def test_videosdk_is_a_connection_type(browser: Any, airflow_server: Any) -> None:
    _open_connections_page(browser, airflow_server)
    _click(browser, "//button[contains(., 'Add Connection')]")
    assert "VideoSDK" in _connection_types(browser)


@declarative_form
def test_the_form_asks_for_base_url_port_api_key_and_secret_and_hides_the_schema(form_page: Any) -> None:
    fields = _visible_fields(form_page)
    standard = {label: field.get_attribute("name") for label, field in fields.items()}
    expected = {"Base URL": "host", "Port": "port", "API key": "login", "Secret": "password"}
    assert expected.items() <= standard.items()
    assert not {"Schema", "Host", "Login", "Password"} & fields.keys()


@declarative_form
def test_the_secret_is_masked(form_page: Any) -> None:
    assert _visible_fields(form_page)["Secret"].get_attribute("type") == "password"


@declarative_form
def test_placeholders_show_what_to_enter(form_page: Any) -> None:
    placeholders = {
        label: field.get_attribute("placeholder") for label, field in _visible_fields(form_page).items()
    }
    assert placeholders["Base URL"] == "https://api.videosdk.live"
    assert placeholders["API key"] == "API key from the VideoSDK dashboard"
    assert placeholders["Secret"] == "secret from the VideoSDK dashboard"
    assert placeholders["Port"] == "only for a base URL on a non-standard port"


@declarative_form
def test_the_extra_fields_are_labelled(form_page: Any) -> None:
    _click(form_page, "//div[@role='dialog']//button[normalize-space()='Extra Fields']")
    _by_xpath(form_page, "//div[@role='dialog']//label[normalize-space()='Meeting URL template']")
    assert {
        "Read timeout (s)",
        "Token lifetime (s)",
        "Max retries",
        "Retry backoff (s)",
        "Max retry wait (s)",
        "Retry deadline (s)",
        "Meeting URL template",
    } <= _visible_fields(form_page).keys()
    _click(form_page, "//div[@role='dialog']//button[normalize-space()='Standard Fields']")
    _by_xpath(form_page, "//div[@role='dialog']//input[@name='login']")


@declarative_form
def test_saving_the_form_stores_the_connection(
    form_page: Any, airflow_server: Any, videosdk_emulator: VideoSDKEmulator
) -> None:
    fields = _visible_fields(form_page)
    fields["API key"].send_keys(videosdk_emulator.api_key)
    fields["Secret"].send_keys(videosdk_emulator.secret)
    form_page.execute_script("document.activeElement.blur()")  # no blinking caret in the picture
    ARTIFACT.parent.mkdir(exist_ok=True)
    form_page.find_element("xpath", "//div[@role='dialog']").screenshot(str(ARTIFACT))
    README_IMAGE.parent.mkdir(exist_ok=True)
    shutil.copyfile(ARTIFACT, README_IMAGE)

    _click(form_page, "//div[@role='dialog']//button[normalize-space()='Save']")

    _by_xpath(form_page, "//tbody/tr/td[normalize-space()='videosdk_default']")
    stored = airflow_server.api("GET", "/connections/videosdk_default").json()
    assert (stored["conn_type"], stored["login"], stored["password"]) == (
        "videosdk",
        videosdk_emulator.api_key,
        "***",
    )


@generic_form
def test_airflow_3_1_shows_its_generic_form_with_every_setting_reachable(form_page: Any) -> None:
    fields = _visible_fields(form_page)
    names = {label: field.get_attribute("name") for label, field in fields.items()}
    assert {"Host": "host", "Login": "login", "Password": "password"}.items() <= names.items()
    assert fields["Password"].get_attribute("type") == "password"
    assert form_page.find_elements(
        "xpath", "//div[@role='dialog']//button[normalize-space()='Extra Fields JSON']"
    )


@pytest.fixture
def saved_connection(airflow_server: Any, videosdk_emulator: VideoSDKEmulator) -> Iterator[Any]:
    """
    Yield ``save(secret) -> conn_id``, storing a connection to the emulator; delete them afterwards.

    The emulator's port goes in the port field rather than in the base URL: the Test button of
    Airflow 3.3.0 to 3.3.2 sends ``port: 0`` for a connection without a port, which the server
    refuses as "a different destination" (apache/airflow#73298). The hook joins host and port.
    """
    created: list[str] = []

    def save(secret: str) -> str:
        conn_id = f"videosdk_{uuid.uuid4().hex[:8]}"
        host, port = videosdk_emulator.url.rsplit(":", 1)
        body = {
            "connection_id": conn_id,
            "conn_type": "videosdk",
            "host": host,
            "port": int(port),
            "login": videosdk_emulator.api_key,
            "password": secret,
        }
        airflow_server.api("POST", "/connections", json=body).raise_for_status()
        created.append(conn_id)
        return conn_id

    yield save
    for conn_id in created:
        airflow_server.api("DELETE", f"/connections/{conn_id}")


def _press_test(browser: Any, server: Any, conn_id: str) -> str:
    _open_connections_page(browser, server)
    _click(browser, f"//tbody/tr[td[normalize-space()='{conn_id}']]//button[@aria-label='Test Connection']")
    return _toast(browser, "Test Connection")


def test_test_button_succeeds_against_the_emulator(
    browser: Any,
    airflow_server: Any,
    saved_connection: Any,
    videosdk_emulator: VideoSDKEmulator,
) -> None:
    conn_id = saved_connection(videosdk_emulator.secret)

    message = _press_test(browser, airflow_server, conn_id)

    assert message.splitlines() == [
        "Test Connection Successful",
        f"Connection successfully tested: the VideoSDK API at {videosdk_emulator.url} accepted the key",
    ]
    assert [(r.method, r.path, r.status) for r in videosdk_emulator.requests] == [("GET", "/v2/rooms", 200)]


def test_test_button_with_a_wrong_secret_says_authentication_failed(
    browser: Any,
    airflow_server: Any,
    saved_connection: Any,
    videosdk_emulator: VideoSDKEmulator,
) -> None:
    conn_id = saved_connection("not-the-secret")

    message = _press_test(browser, airflow_server, conn_id)

    title, text = message.splitlines()
    assert title == "Test Connection Failed"
    assert AUTH_FAILED in text
    assert "not-the-secret" not in text
    assert [(r.method, r.path, r.status) for r in videosdk_emulator.requests] == [("GET", "/v2/rooms", 401)]
