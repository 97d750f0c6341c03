"""The store contract: the same assertions on SQLite and on PostgreSQL (a throwaway server
the tests start, see ``pg_server`` in tests/conftest.py)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from newsfold import Newsfold, NotFoundError, Settings
from newsfold.errors import StoreBusyError, StoreError
from newsfold.store import Store, open_store
from newsfold.store.base import TABLES
from newsfold.store.feeds import (
    add_feed,
    due_feeds,
    feed,
    feeds,
    known_article,
    mark_fetched,
    next_poll_ts,
    record_poll,
)
from newsfold.store.migrations import MIGRATIONS, POSTGRES_MIGRATIONS

from ..conftest import EXAMPLES, SEED_IDS
from ..helpers import python_output


def _settings(address: str, **kw: object) -> Settings:
    return Settings(db=address, brief_entity_model=False, **kw)  # type: ignore[arg-type]


def test_import_and_the_sqlite_path_never_import_psycopg(tmp_path: object) -> None:
    code = (
        "import sys, newsfold\n"
        "from newsfold.store import open_store\n"
        f"open_store({str(tmp_path) + '/x.db'!r}).close()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'psycopg'))\n"
    )
    assert python_output(code).strip() == "[]"


def test_both_stores_have_every_migration_step() -> None:
    assert len(POSTGRES_MIGRATIONS) == len(MIGRATIONS)


def test_a_store_opens_twice_and_is_empty(store_address: str) -> None:
    store = open_store(store_address)
    assert store.article_count() == 0 and store.story_count() == 0
    assert store.marks() == (0, 0)
    store.close()
    again = open_store(store_address)  # migrated once only
    assert again.stories() == []
    again.close()


def test_ingest_stories_articles_and_brief(store_address: str) -> None:
    with Newsfold(store_address, settings=_settings(store_address)) as nf:
        report = nf.ingest([EXAMPLES / "wikinews.jsonl"])
        assert report.added == 8 and not report.skipped
        stories = nf.stories()
        assert nf.story_count() == len(stories) == 2
        assert sum(s.articles for s in stories) == 8
        first = nf.stories(limit=1)
        assert [s.id for s in first] == [stories[0].id]
        assert [s.id for s in nf.stories(limit=5, offset=1)] == [s.id for s in stories[1:]]
        for info in stories:
            full = nf.store.story_articles(info.id)
            assert {a.story_id for a in full} == {info.id} and len(full) == info.articles
            heads = nf.store.story_heads(info.id)
            assert [a.id for a in heads] == [a.id for a in full]
            assert nf.story(info.id) == info
            brief = nf.brief(info.id)
            assert brief.id == info.id and brief.summary
        one = next(nf.articles())
        assert nf.article(one.id) == one
        assert nf.store.content_hashes([one.id, "missing"]) == {one.id: one.content_hash}
        again = nf.ingest([EXAMPLES / "wikinews.jsonl"])
        assert again.already_stored == 8 and again.added == 0
        with pytest.raises(NotFoundError, match="no story with id"):
            nf.brief("s-0000000000")
        with pytest.raises(NotFoundError, match="no article with id"):
            nf.article("missing")


def test_state_rows_and_marks_follow_the_sequence(store_address: str) -> None:
    with Newsfold(store_address, settings=_settings(store_address, batch_size=2)) as nf:
        nf.ingest([EXAMPLES / "wikinews.jsonl"])
        seq, merge = nf.store.marks()
        rows = list(nf.store.state_rows())
        assert len(rows) == 8 and rows[-1].seq == seq and merge == 0
        assert [r.seq for r in rows] == sorted(r.seq for r in rows)
        assert [r.id for r in nf.store.state_rows(after=rows[0].seq)] == [r.id for r in rows[1:]]
        assert all(r.signature for r in rows) and all(r.features for r in rows)
        assert [a.id for a in nf.articles()] == [r.id for r in rows]
        # the latest dated articles, latest first (what a restore sets its clock by)
        dated = sorted((a.published_at, a.published) for a in nf.articles() if a.published_at)
        assert len(dated) >= 3
        assert nf.store.latest_published(3) == [p for _, p in dated[::-1][:3]]
        assert nf.store.latest_published(100) == [p for _, p in dated[::-1]]


def test_a_merge_moves_articles_and_old_ids_resolve(store_address: str) -> None:
    with Newsfold(store_address, settings=_settings(store_address)) as nf:
        nf.ingest([EXAMPLES / "wikinews.jsonl"])
        older, younger = sorted(nf.stories(), key=lambda s: s.created_seq)
        nf.store.merge_stories([(older.id, younger.id)])
        (merged,) = nf.stories()
        assert merged.id == older.id and merged.articles == older.articles + younger.articles
        assert nf.story(younger.id).id == older.id
        assert nf.store.merged_into(younger.id) == older.id
        assert nf.store.marks()[1] == 1
        assert list(nf.store.merges()) == [(younger.id, older.id)]
        assert list(nf.store.merges(after=1)) == []
    with Newsfold(store_address, settings=_settings(store_address)) as nf:
        report = nf.ingest([EXAMPLES / "wikinews.jsonl"])
        assert report.already_stored == 8
        assert {nf.pipeline.clusterer.story_of(a.id) for a in nf.articles()} == {older.id}


def test_merges_list_each_absorbed_id_with_the_id_it_goes_by_now(store_address: str) -> None:
    store = open_store(store_address)
    store.merge_stories([("s-b", "s-c")])
    store.merge_stories([("s-a", "s-b")])
    assert dict(store.merges()) == {"s-c": "s-a", "s-b": "s-a"}
    store.close()


def test_compared_and_headlines(store_address: str) -> None:
    with Newsfold(store_address, settings=_settings(store_address)) as nf:
        nf.ingest([EXAMPLES / "wikinews.jsonl"])
        ids = [s.id for s in nf.stories()]
        nf.store.set_compared({ids[0]: 7})
        before = nf.store.compared([ids[1]])
        assert nf.store.compared()[ids[0]] == 7
        assert nf.store.compared([ids[1], ids[0], "missing"]) == {ids[0]: 7, **before}
        nf.store.set_headlines({ids[1]: "A headline set by hand"})
        assert nf.story(ids[1]).headline == "A headline set by hand"


def test_mentions_round_trip_by_model_and_key(store_address: str) -> None:
    store = open_store(store_address)
    store.put_mentions("m1", {"k1": [("Vladimir Putin", "PERSON")], "k2": []})
    store.put_mentions("m1", {"k1": [("changed", "ORG")]})  # the first write stays
    assert store.get_mentions("m1", ["k1", "k2", "k3"]) == {
        "k1": [("Vladimir Putin", "PERSON")], "k2": []}
    assert store.get_mentions("m2", ["k1"]) == {}
    many = [f"k{i}" for i in range(1200)]
    store.put_mentions("m1", {k: [] for k in many})
    assert len(store.get_mentions("m1", many)) == 1200
    store.close()


def test_a_failed_transaction_leaves_nothing(store_address: str) -> None:
    store = open_store(store_address)
    with pytest.raises(RuntimeError), store.transaction():
        add_feed(store, "https://example.org/feed")  # joins the open transaction
        raise RuntimeError("stop")
    assert feeds(store, subscribed_only=False) == []
    store.close()


def test_a_write_waits_for_another_writer_then_gives_up(store_address: str) -> None:
    holder = open_store(store_address)
    waiter = open_store(store_address)
    try:
        with holder.transaction():
            with pytest.raises(StoreBusyError, match="is busy"), waiter.transaction(wait=0.2):
                pass
            waiter.put_mentions("m", {"k": []})  # the cache gives up quietly
        assert waiter.get_mentions("m", ["k"]) == {}
        released = threading.Event()

        def hold() -> None:
            with holder.transaction():
                released.wait(0.3)

        thread = threading.Thread(target=hold)
        thread.start()
        with waiter.transaction(wait=30):  # granted once the other commits
            waiter.put_mentions("m", {"k": []})
        thread.join()
        assert waiter.get_mentions("m", ["k"]) == {"k": []}
    finally:
        holder.close()
        waiter.close()


def test_opening_and_reading_never_wait_for_a_writer(store_address: str) -> None:
    holder = open_store(store_address)
    try:
        with holder.transaction():
            add_feed(holder, "https://example.org/feed")
            reader = open_store(store_address, Settings(busy_timeout=0.1))
            assert reader.article_count() == 0 and feeds(reader) == []  # not yet committed
            reader.close()
        reader = open_store(store_address, Settings(busy_timeout=0.1))
        assert [f.url for f in feeds(reader)] == ["https://example.org/feed"]
        reader.close()
    finally:
        holder.close()


def test_feeds_and_fetched_state(store_address: str) -> None:
    store: Store = open_store(store_address)
    url = "https://example.org/feed.xml"
    assert add_feed(store, url, title="Example", interval_s=600.0)
    assert not add_feed(store, url)  # already subscribed
    row = feed(store, url)
    assert row is not None and row.subscribed and row.title == "Example" and row.interval_s == 600
    assert [r.url for r in due_feeds(store, 1.0)] == [url]
    record_poll(store, url, ok=False, next_poll_ts=50.0, error="timeout")
    record_poll(store, url, ok=False, next_poll_ts=100.0, error="timeout")
    row = feed(store, url)
    assert row is not None and row.failures == 2 and row.last_error == "timeout"
    assert due_feeds(store, 99.0) == [] and next_poll_ts(store) == 100.0
    record_poll(store, url, ok=True, next_poll_ts=200.0, etag='"e1"', ttl_s=60.0, stored=3)
    row = feed(store, url)
    assert row is not None and (row.failures, row.etag, row.items_stored) == (0, '"e1"', 3)
    record_poll(store, "https://example.org/other", ok=True, next_poll_ts=5.0)
    other = feed(store, "https://example.org/other")
    assert other is not None and not other.subscribed
    assert [r.url for r in feeds(store)] == [url]
    assert add_feed(store, "https://example.org/other")  # re-subscribed
    mark_fetched(store, ["https://example.org/a", "guid:1"], url="https://example.org/a",
                 article_id="missing-article", status="stored")
    mark_fetched(store, ["https://example.org/b"], url=None, article_id=None, status="no-text")
    assert known_article(store, ["https://example.org/b"]) == "no-text"
    # a stored mark whose article is missing does not count
    assert known_article(store, ["guid:1"]) is None
    assert known_article(store, ["https://example.org/unknown"]) is None
    store.close()


def test_search_finds_every_word_ranks_titles_and_groups_stories(store_address: str) -> None:
    with Newsfold(store_address, settings=_settings(store_address)) as nf:
        nf.ingest([EXAMPLES / f"{i}.txt" for i in SEED_IDS] + [EXAMPLES / "wikinews.jsonl"])
        arts = list(nf.articles())
        title_word = next(w for w in arts[-1].title.split() if len(w) > 6 and w.isalpha())
        found = nf.search(title_word)
        assert found.total_articles >= 1 and found.articles[0].id == arts[-1].id
        assert any(hit for text, hit in found.articles[0].snippet)
        assert {s.id for s in found.stories} == {a.story_id for a in found.articles}
        assert nf.search("").total_articles == 0
        assert nf.search('" * ^ (:').total_articles == 0  # no word: no FTS syntax error
        assert nf.search(f'"{title_word}" OR (').total_articles == nf.search(
            f"{title_word} or").total_articles  # operators are plain words
        assert nf.search(f"{title_word} zzqxnotaword").total_articles == 0
        wide = nf.search("the")
        assert wide.total_articles == len(arts)
        assert [a.id for a in nf.search("the", limit=2, offset=1).articles] == [
            a.id for a in wide.articles[1:3]]
        assert nf.search("the", offset=1).stories == []


def test_a_newer_schema_is_refused(store_address: str) -> None:
    store = open_store(store_address)
    with store.transaction():
        if store_address.startswith("postgresql://"):
            store.run("UPDATE newsfold_schema SET version = version + 1")
        else:
            store.run(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    store.close()
    with pytest.raises(StoreError, match="upgrade newsfold"):
        open_store(store_address)


def test_every_table_dumps_as_rows_by_column(store_address: str) -> None:
    with Newsfold(store_address, settings=_settings(store_address)) as nf:
        nf.ingest([EXAMPLES / "wikinews.jsonl"])
        dumped = {table: list(nf.store.dump(table)) for table in TABLES}
        assert [r["id"] for r in dumped["articles"]] == [a.id for a in nf.articles()]
        assert {r["id"] for r in dumped["stories"]} == {s.id for s in nf.stories()}
        assert all(isinstance(r["signature"], bytes) for r in dumped["articles"])
        assert "fts" not in dumped["articles"][0]  # what PostgreSQL derives is not copied


# -- stored briefs ------------------------------------------------------------------------------
def _wikinews_in_two(tmp_path: Path, first: int) -> tuple[Path, Path]:
    """wikinews.jsonl split after its ``first`` lines: two inputs ingested one after the other."""
    lines = (EXAMPLES / "wikinews.jsonl").read_text(encoding="utf-8").splitlines()
    head, tail = tmp_path / "head.jsonl", tmp_path / "tail.jsonl"
    head.write_text("\n".join(lines[:first]) + "\n", encoding="utf-8")
    tail.write_text("\n".join(lines[first:]) + "\n", encoding="utf-8")
    return head, tail


def test_briefs_are_kept_by_story_version_and_recipe(store_address: str) -> None:
    with Newsfold(store_address, settings=_settings(store_address)) as nf:
        nf.ingest([EXAMPLES / "wikinews.jsonl"])
        a, b = (s.id for s in nf.stories())
        store = nf.store
        va, vb = store.story_version(a), store.story_version(b)
        assert va > 0 and vb > 0
        assert store.stale_briefs("r1") == [a, b]  # every story, in the list's order
        assert store.get_brief(a, "r1") is None
        store.put_briefs([(a, va, "r1", '{"x": "\u00e9"}'), (b, vb - 1, "r1", "{}")])
        assert store.get_brief(a, "r1") == (va, '{"x": "\u00e9"}')
        assert store.get_brief(a, "r2") is None
        assert store.stale_briefs("r1") == [b]  # stored from an older version: stale
        assert store.stale_briefs("r2") == [a, b]  # another recipe: stale
        store.put_briefs([(a, va - 1, "r1", "older")])  # never over a newer one
        assert store.get_brief(a, "r1") == (va, '{"x": "\u00e9"}')
        store.put_briefs([(a, va, "r2", "by r2")])  # another recipe replaces it
        assert store.get_brief(a, "r2") == (va, "by r2") and store.get_brief(a, "r1") is None
        assert [r["story_id"] for r in store.dump("briefs")] == sorted([a, b])
        store.merge_stories([(a, b)])  # the kept story changes; the absorbed one's brief goes
        assert store.story_version(a) > va
        assert [r["story_id"] for r in store.dump("briefs")] == [a]
        assert store.stale_briefs("r2") == [a]
        with pytest.raises(NotFoundError, match="no story with id"):
            store.story_version(b)


def test_a_stored_brief_is_the_brief_built_afresh(store_address: str, tmp_path: Path) -> None:
    from newsfold.summarize import render_html, render_markdown
    from newsfold.summarize.stored import StoredBrief

    head, tail = _wikinews_in_two(tmp_path, 6)
    with Newsfold(store_address, settings=_settings(store_address)) as nf:
        nf.ingest([head])
        ids = [s.id for s in nf.stories()]
        assert all(nf.stored_brief(sid, build=False) is None for sid in ids)
        built = {sid: nf.stored_brief(sid) for sid in ids}  # built now, and stored
        assert nf.store.stale_briefs(nf.brief_recipe) == []
    with Newsfold(store_address, settings=_settings(store_address)) as nf:
        for sid in ids:
            kept = nf.stored_brief(sid, build=False)
            assert isinstance(kept, StoredBrief) and built[sid] is not None
            fresh = nf.brief(sid)
            assert kept.brief.summary and kept.data == fresh.to_dict() == built[sid].data
            assert kept.brief.to_dict() == fresh.to_dict()
            assert render_markdown(kept.brief) == render_markdown(fresh)
            assert render_html(kept.brief) == render_html(fresh)
            assert [s.position for s in kept.brief.summary] == \
                [s.position for s in fresh.summary]
            assert kept.passages == built[sid].passages and kept.passages
        report = nf.ingest([tail])  # adds to one story and starts another
        grown = [sid for sid in report.touched_stories if sid in ids]
        assert grown and set(nf.store.stale_briefs(nf.brief_recipe)) == \
            set(report.touched_stories)
        for sid in grown:
            assert nf.stored_brief(sid, build=False) is None
            again = nf.stored_brief(sid)
            assert again is not None and again.data == nf.brief(sid).to_dict() != built[sid].data
            assert len(again.brief.articles) > len(built[sid].brief.articles)
            kept = nf.stored_brief(sid, build=False)
            assert kept is not None and kept.data == again.data
