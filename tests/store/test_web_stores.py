"""The web app on both stores: the pages and the REST API answer the same from SQLite and from
PostgreSQL, and an article POSTed to a server on either is folded in the same way."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsfold import Newsfold, Settings
from newsfold.api import read_articles

from ..conftest import EXAMPLES, SEED_IDS

pytestmark = pytest.mark.extras

TOKEN = "t-stores"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def _answers(address: str) -> dict[str, object]:
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from newsfold.web import create_app

    settings = Settings(db=address, brief_entity_model=False)
    with Newsfold(address, settings=settings) as nf:
        nf.ingest([EXAMPLES])
    original = read_articles([EXAMPLES / "wikinews.jsonl"]).articles[0]
    out: dict[str, object] = {}
    with TestClient(create_app(address, settings=settings, ingest_token=TOKEN)) as client:
        listing = client.get("/api/stories", params={"limit": 100}).json()
        out["stories"] = listing
        out["briefs"] = {s["id"]: client.get(f"/api/stories/{s['id']}").json()
                         for s in listing["stories"]}
        out["article"] = client.get(f"/api/articles/{SEED_IDS[0]}").json()
        found = client.get("/api/search", params={"q": "navy personnel"}).json()
        out["search"] = (found["total_articles"], sorted(a["id"] for a in found["articles"]),
                         sorted(s["id"] for s in found["stories"]))
        pages = [client.get("/"), client.get(f"/stories/{listing['stories'][0]['id']}"),
                 client.get("/search", params={"q": "navy"}),
                 client.get(f"/articles/{SEED_IDS[0]}")]
        assert [p.status_code for p in pages] == [200] * 4
        assert "navy" in pages[2].text.lower()
        assert client.get("/api/stories/s-0000000000").status_code == 404
        body = {"id": "posted-copy", "title": original.title, "text": original.text,
                "source": "Another Outlet"}
        posted = client.post("/api/articles", json=body, headers=AUTH)
        assert posted.status_code == 201, posted.text
        out["posted"] = client.get("/api/articles/posted-copy").json()
    return out


def test_the_web_api_answers_the_same_on_both_stores(tmp_path: Path, pg_db: str) -> None:
    try:
        import fastapi  # noqa: F401
    except ImportError:
        pytest.fail("the [web] extra is not installed: run make install")
    lite = _answers(str(tmp_path / "web.db"))
    pg = _answers(pg_db)
    assert lite["stories"] == pg["stories"]
    assert lite["briefs"] == pg["briefs"]
    assert lite["article"] == pg["article"]
    assert lite["search"] == pg["search"] and pg["search"][0] > 0  # type: ignore[index]
    posted = pg["posted"]
    assert isinstance(posted, dict) and posted["duplicate_of"] is not None
    assert lite["posted"] == posted
