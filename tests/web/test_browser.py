"""End to end in headless Chromium (Debian's /usr/bin/chromium) driven by Playwright: a real
uvicorn server on a free loopback port; every page at a desktop width and a phone width, with
layout facts checked in the browser and full-page screenshots saved (``--screenshots DIR``)."""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsfold.api import Newsfold

from ..conftest import SEED_IDS

pytestmark = [pytest.mark.extras, pytest.mark.slow]

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WIDTHS = {"desktop": 1280, "phone": 390}
RAW_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")

# In the page: every text of the shown coverage chart inside the chart's box, and the tick
# labels apart from each other.
CHART_FACTS = """() => {
  const svg = [...document.querySelectorAll('svg.chart')].find(s => s.getBoundingClientRect().width > 0);
  if (!svg) return null;
  const box = svg.getBoundingClientRect();
  const out = [], ticks = [];
  for (const t of svg.querySelectorAll('text')) {
    const r = t.getBoundingClientRect();
    if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5
        || r.bottom > box.bottom + 0.5) out.push(t.textContent);
    if (t.classList.contains('tick')) ticks.push([r.left, r.right, t.textContent]);
  }
  const overlaps = [];
  for (let i = 1; i < ticks.length; i++)
    if (ticks[i][0] < ticks[i - 1][1]) overlaps.push(ticks[i - 1][2] + ' / ' + ticks[i][2]);
  return {outside: out, overlaps: overlaps, width: box.width, texts: svg.querySelectorAll('text').length,
          fontPx: parseFloat(getComputedStyle(svg.querySelector('text')).fontSize) * box.width / svg.viewBox.baseVal.width};
}"""


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


@pytest.fixture
def shots(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    folder = request.config.getoption("--screenshots")
    path = Path(folder) if folder else tmp_path / "shots"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _pages(db: str) -> dict[str, str]:
    """The pages to visit: the list, stories of different shapes, an article, search, docs."""
    with Newsfold(db) as nf:
        stories = nf.stories()
        briefs = {s.id: nf.brief(s.id) for s in stories}
        seed = nf.article(SEED_IDS[0]).story_id

    def first(test: Any) -> str:
        return next(sid for sid, b in briefs.items() if test(b))

    assert seed and briefs[seed].facts and briefs[seed].timeline  # facts, a timeline, 2 outlets
    return {
        "list": "/",
        "story": f"/stories/{seed}",
        "story-one-outlet": "/stories/" + first(
            lambda b: len({a.outlet for a in b.articles}) == 1 and len(b.articles) > 2
            and b.timeline),
        "story-minutes": "/stories/" + first(lambda b: len(b.articles) > 4 and all(
            a.published and "T" in a.published for a in b.articles)),
        "story-undated": "/stories/" + first(
            lambda b: b.articles and not any(a.published for a in b.articles)),
        "article": f"/articles/{SEED_IDS[1]}",
        "search": "/search?q=Putin",
        "docs": "/docs",
    }


def test_pages_at_desktop_and_phone_widths(server: str, hostile_db: str, shots: Path,
                                           tmp_path: Path) -> None:
    assert os.path.exists(CHROMIUM), f"{CHROMIUM} missing: 'make install' installs Debian's chromium"
    from playwright import sync_api

    pages = _pages(hostile_db)
    with Newsfold(hostile_db) as nf:
        ids = {a.id for s in nf.stories() for a in nf.brief(s.id).articles}
    problems: list[str] = []
    dialogs: list[str] = []
    missing: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            for width in WIDTHS.values():
                context = browser.new_context(viewport={"width": width, "height": 900})
                page = context.new_page()
                page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
                page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
                page.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
                page.set_default_timeout(20_000)
                for name, path in pages.items():
                    page.goto(server + path)
                    where = f"{name} at {width} px"
                    scroll, inner = page.evaluate(
                        "[document.documentElement.scrollWidth, window.innerWidth]")
                    assert scroll <= inner, f"{where}: {scroll} px wide in a {inner} px window"
                    text = page.locator("body").inner_text()
                    assert not RAW_STAMP.search(text), (where, RAW_STAMP.findall(text)[:3])
                    assert "unknown (" not in text, where
                    for cite in page.locator("a.cite").all_inner_texts():
                        assert cite.strip() not in ids, f"{where}: a citation reads {cite!r}"
                    chart = page.evaluate(CHART_FACTS)
                    if name in ("story-one-outlet", "story-minutes"):  # dated: a chart
                        assert chart is not None and chart["texts"] > 0, where
                    if chart is not None:
                        assert not chart["outside"], (where, chart["outside"])
                        assert not chart["overlaps"], (where, chart["overlaps"])
                        assert chart["fontPx"] >= 11, (where, chart["fontPx"])  # readable
                    page.screenshot(path=str(shots / f"{name}-{width}.png"), full_page=True)
                context.close()

            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.set_default_timeout(20_000)
            assert page.request.get(server + "/favicon.ico").status == 200

            # A story's summary citation leads to the highlighted passage.
            page.goto(server + pages["story"])
            cites = page.locator("#summary a.cite")
            assert cites.count() > 0
            assert set(cites.all_inner_texts()) <= {"unnamed outlet", "Los Angeles Times"}
            href = cites.first.get_attribute("href") or ""
            assert href.startswith("/articles/") and "#s-" in href
            cites.first.click()
            page.wait_for_url("**/articles/**")
            target = page.locator(f"[id='{href.split('#', 1)[1]}']")
            assert target.count() == 1 and target.inner_text().strip()
            assert "used" in (target.get_attribute("class") or "")

            # The story page is two columns on a wide screen, one on a phone.
            page.goto(server + pages["story"])
            main_box = page.locator(".col-main").bounding_box()
            side_box = page.locator(".col-side").bounding_box()
            assert main_box and side_box and side_box["x"] > main_box["x"] + main_box["width"] - 1
            page.set_viewport_size({"width": 390, "height": 900})
            summary = page.locator("#summary").bounding_box()
            compare = page.locator("#compare").bounding_box()
            assert summary and compare and abs(summary["x"] - compare["x"]) < 1
            assert compare["y"] > summary["y"]

            # Hostile text is shown as text and runs nothing.
            page.set_viewport_size({"width": 1280, "height": 900})
            page.goto(server + "/articles/hostile-raw")
            assert "<img src=x onerror=alert(1)>" in page.locator(".text").inner_text()
            assert "<script>alert(1)</script>" in page.locator("h1").inner_text()
            page.goto(server + "/search?q=zebrafish")
            assert page.locator("ul.hits a[href='/articles/hostile-raw']").count() == 1
            context.close()
        finally:
            browser.close()
    assert not dialogs, dialogs
    assert not missing, missing  # no 404: the favicon, the stylesheet
    assert not problems, problems  # no console error, no Content Security Policy report
    assert len(list(shots.glob("*.png"))) >= 2 * len(pages)
