"""The story list's order, on both stores: most recent activity first, a dated story by its
latest publication time, an undated one by when newsfold last added an article to it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsfold import Newsfold, Settings
from newsfold.records import Article, parse_iso
from newsfold.store import open_store

from ..conftest import EXAMPLES


def _settings(address: str) -> Settings:
    return Settings(db=address, brief_entity_model=False)


def _order_key(store: object, ids: list[str]) -> list[str]:
    rows = store.rows(  # type: ignore[attr-defined]
        "SELECT id, activity_ts, updated_seq, seq FROM stories")
    return [r["id"] for r in sorted(rows, key=lambda r: (
        -r["activity_ts"], -r["updated_seq"], r["seq"]))]


def test_undated_stories_sort_by_when_they_were_added(store_address: str) -> None:
    start = datetime.now(UTC).replace(microsecond=0)
    with Newsfold(store_address, settings=_settings(store_address)) as nf:
        nf.ingest([EXAMPLES])
        stories = nf.stories()
        activity = nf.store.story_activity(s.id for s in stories)
        undated = [s for s in stories if s.last_published is None]
        dated = [s for s in stories if s.last_published is not None]
        assert len(undated) == 6 and len(dated) == 6
        # the examples' undated stories were added just now: newer than any 2014 story
        assert [s.id for s in stories[:len(undated)]] == [s.id for s in undated]
        for s in undated:
            assert start <= activity[s.id] <= datetime.now(UTC) + timedelta(seconds=1)
        for s in dated:
            published = parse_iso(s.last_published or "")
            assert published is not None and activity[s.id] == published.astimezone(UTC)
        assert [s.id for s in dated][:2] == ["s-ee4f77d032", "s-55fe389186"]
        assert [s.id for s in stories] == _order_key(nf.store, [s.id for s in stories])
        assert nf.store.stale_briefs(nf.brief_recipe) == [s.id for s in stories]

        # an article added to the undated story at the bottom of the undated ones lifts it
        # to the top (a tie on the second is broken by the story updated last)
        last = undated[-1]
        head = next(nf.store.articles(last.id))
        report = nf.add_articles([Article(id="later-copy", title=head.title, text=head.text,
                                          source="Another Outlet")])
        assert report.touched_stories == [last.id]
        after = nf.stories()
        assert after[0].id == last.id
        assert [s.id for s in after[1:len(undated)]] == [s.id for s in undated[:-1]]
        assert nf.store.story_activity([last.id])[last.id] >= activity[last.id]


def test_an_older_store_gets_activity_times_on_upgrade(store_address: str) -> None:
    with Newsfold(store_address, settings=_settings(store_address)) as nf:
        nf.ingest([EXAMPLES])
        want = [s.id for s in nf.stories()]
        created = {r["id"]: r["created_at"] for r in nf.store.rows(
            "SELECT id, created_at FROM stories WHERE last_ts IS NULL")}
    store = open_store(store_address)
    try:
        with store.transaction():
            # back to schema 7: step 8's columns and index gone
            store.run("DROP INDEX stories_activity_order")
            store.run("ALTER TABLE stories DROP COLUMN updated_at")
            store.run("ALTER TABLE stories DROP COLUMN activity_ts")
            if store_address.startswith("postgresql://"):
                store.run("UPDATE newsfold_schema SET version = 7")
            else:
                store.run("PRAGMA user_version = 7")
    finally:
        store.close()
    store = open_store(store_address)
    try:
        assert [s.id for s in store.stories()] == want
        activity = store.story_activity(want)
        for sid, at in created.items():
            assert activity[sid] == datetime.fromisoformat(at)
        filled = store.rows("SELECT id, updated_at, created_at FROM stories")
        assert all(r["updated_at"] == r["created_at"] for r in filled)
    finally:
        store.close()
