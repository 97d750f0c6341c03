"""Property-based tests on the web's inputs. Any query string or integer given to any
parameter answers 200 or 422 with the error shape (never 500); any JSON body sent to POST
answers 200, 201, 413 or 422, never 500. Derandomized, so every run tries the same inputs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsfold.web import create_app
from newsfold.web.app import MAX_BODY

from .conftest import AUTH, TOKEN, copy_store

pytestmark = pytest.mark.extras

CHECKS = settings(derandomize=True, max_examples=60, deadline=None, database=None,
                  suppress_health_check=[HealthCheck.function_scoped_fixture,
                                         HealthCheck.too_slow])

values = st.one_of(
    st.text(max_size=40),
    st.integers().map(str),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(["", " ", "1e3", "5.0", "0x10", "+5", "-0", "٣", "1_000", "nan", "inf",
                     "\x00", "9" * 30, "%", "&", "page=2"]),
)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, web_db: str) -> Iterator[TestClient]:
    path = copy_store(web_db, tmp_path_factory.mktemp("props") / "props.db")
    with TestClient(create_app(path, ingest_token=TOKEN), raise_server_exceptions=False) as c:
        yield c


def _ok_or_shaped_422(r: Any, api: bool) -> None:
    assert r.status_code in (200, 422), (r.status_code, r.text[:300])
    if r.status_code == 422:
        if api:
            assert r.json()["error"]["status"] == 422 and r.json()["error"]["message"]
        else:
            assert "<h1>422" in r.text
    assert r.headers["x-content-type-options"] == "nosniff"


@CHECKS
@given(limit=values, offset=values)
def test_api_stories_any_paging(client: TestClient, limit: str, offset: str) -> None:
    r = client.get("/api/stories", params={"limit": limit, "offset": offset})
    _ok_or_shaped_422(r, api=True)
    if r.status_code == 200:
        body = r.json()
        assert body["limit"] >= 1
        assert body["next_offset"] is None or body["next_offset"] > body["offset"]


@CHECKS
@given(q=st.text(max_size=60), limit=values, offset=values)
def test_api_search_any_parameters(client: TestClient, q: str, limit: str, offset: str) -> None:
    _ok_or_shaped_422(client.get("/api/search", params={"q": q, "limit": limit, "offset": offset}),
                      api=True)


@CHECKS
@given(page=values, q=st.text(max_size=40))
def test_pages_any_page_number(client: TestClient, page: str, q: str) -> None:
    _ok_or_shaped_422(client.get("/", params={"page": page}), api=False)
    _ok_or_shaped_422(client.get("/search", params={"q": q, "page": page}), api=False)


@CHECKS
@given(ident=st.text(min_size=1, max_size=40))
def test_any_id_answers_200_or_404(client: TestClient, ident: str) -> None:
    for prefix in ("/api/stories/", "/api/articles/", "/stories/", "/articles/"):
        r = client.get(prefix + quote(ident, safe=""))
        assert r.status_code in (200, 404, 422), (prefix, ident, r.status_code)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner,
                                                                max_size=4),
    max_leaves=20,
)
articleish = st.fixed_dictionaries(
    {},
    optional={k: json_values for k in ("id", "title", "text", "url", "source", "published",
                                       "language", "author")},
)


@CHECKS
@given(body=st.one_of(json_values, articleish, st.lists(articleish, max_size=3),
                      st.fixed_dictionaries({"articles": json_values})))
def test_post_any_json_never_500(client: TestClient, body: Any) -> None:
    r = client.post("/api/articles", content=json.dumps(body).encode(), headers=AUTH)
    assert r.status_code in (200, 201, 413, 422), (r.status_code, r.text[:300])
    if r.status_code >= 400:
        assert r.json()["error"]["status"] == r.status_code
    assert len(json.dumps(body)) < MAX_BODY


@CHECKS
@given(raw=st.binary(max_size=200))
def test_post_any_bytes_never_500(client: TestClient, raw: bytes) -> None:
    r = client.post("/api/articles", content=raw, headers=AUTH)
    assert r.status_code in (200, 201, 413, 422), (r.status_code, r.text[:300])
