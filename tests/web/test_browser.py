"""End to end in headless Chromium (Debian's /usr/bin/chromium) driven by Playwright: a real
uvicorn server on a free loopback port, the story list, a story, a citation, a screenshot."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = [pytest.mark.extras, pytest.mark.slow]

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]



def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(hostile_db: str) -> Iterator[str]:
    import uvicorn

    from newsfold.web import create_app

    port = _free_port()
    config = uvicorn.Config(create_app(hostile_db), host="127.0.0.1", port=port,
                            log_level="warning", lifespan="on")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert thread.is_alive() and time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


def test_list_story_citation_screenshot(server: str, tmp_path: Path) -> None:
    assert os.path.exists(CHROMIUM), f"{CHROMIUM} missing: 'make install' installs Debian's chromium"
    from playwright import sync_api
    problems: list[str] = []
    dialogs: list[str] = []
    with sync_api.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=CHROMIUM, headless=True, args=ARGS,
            viewport={"width": 1100, "height": 900},
        )
        try:
            page = context.new_page()
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.set_default_timeout(20_000)

            page.goto(server + "/")
            assert page.locator("h1").inner_text() == "Stories"
            link = page.locator("a[href^='/stories/']", has_text="Putin").first
            link.click()
            page.wait_for_url("**/stories/*")
            assert "Putin" in page.locator("h1").inner_text()
            assert page.locator("#summary .cites a").count() > 0
            assert page.locator("svg.chart").count() == 1
            shot = tmp_path / "story.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.exists() and shot.stat().st_size > 0

            cite = page.locator("#summary .cites a").first
            href = cite.get_attribute("href") or ""
            assert href.startswith("/articles/") and "#s-" in href
            cite.click()
            page.wait_for_url("**/articles/**")
            anchor = href.split("#", 1)[1]
            target = page.locator(f"[id='{anchor}']")
            assert target.count() == 1 and target.inner_text().strip()
            assert "used" in (target.get_attribute("class") or "")
            page.screenshot(path=str(tmp_path / "article.png"))

            # Hostile text is shown as text and runs nothing.
            page.goto(server + "/articles/hostile-raw")
            assert "<img src=x onerror=alert(1)>" in page.locator(".text").inner_text()
            assert "<script>alert(1)</script>" in page.locator("h1").inner_text()
            page.goto(server + "/search?q=zebrafish")
            assert page.locator("ul.hits a[href='/articles/hostile-raw']").count() == 1
        finally:
            context.close()
    assert not dialogs, dialogs
    assert not [m for m in problems if "Content Security Policy" in m], problems
    if os.environ.get("NEWSFOLD_KEEP_SCREENSHOT"):
        import shutil

        shutil.copy(tmp_path / "story.png", os.environ["NEWSFOLD_KEEP_SCREENSHOT"])
