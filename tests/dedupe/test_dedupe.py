from __future__ import annotations

import json
from pathlib import Path

from newsfold.dedupe import Deduper, content_hash, find_copies
from newsfold.records import Article, parse_iso

DATA = Path(__file__).resolve().parents[1] / "data"
SEEDS = sorted((DATA / "seeds").glob("*.txt"))
MULTILING = DATA / "dedupe" / "multiling2011_first20.jsonl"


def seed(path: Path, aid: str) -> Article:
    title, _, body = path.read_text(encoding="utf-8").partition("\n")
    return Article(id=aid, title=title.strip(), text=body.strip())


def step(d: Deduper, a: Article) -> str | None:
    h = content_hash(a.title, a.text)
    sig = d.signature(a)
    canon = d.find(a, h, sig)
    d.add(a.id, h, sig, canon)
    return canon


def test_exact_copy_found() -> None:
    d = Deduper()
    a = seed(SEEDS[0], "a")
    b = Article(id="b", title=a.title.upper(), text="  " + a.text.replace(" ", "  "))
    assert step(d, a) is None
    assert step(d, b) == "a"


def test_near_copy_with_masthead_and_byline_change() -> None:
    d = Deduper()
    a = seed(SEEDS[0], "orig")
    edited = "By Staff Reporter, The Washington Times\n" + a.text.replace(
        "<!– Temp removal of in article reco", "Advertisement")
    edited += "\nCopyright 2021 The Washington Times, LLC."
    b = Article(id="copy", title=a.title, text=edited)
    c = Article(id="copy2", title=a.title + " - Washington Times", text=edited)
    assert step(d, a) is None
    assert step(d, b) == "orig"
    assert step(d, c) == "orig"  # canonical is the group's first article


def test_different_articles_are_not_copies() -> None:
    d = Deduper()
    assert step(d, seed(SEEDS[0], "s0")) is None
    # Same event, other outlet: not a copy.
    assert step(d, seed(SEEDS[1], "s1")) is None
    rows = [json.loads(x) for x in MULTILING.read_text(encoding="utf-8").splitlines()[:20]]
    for r in rows:
        assert step(d, Article(id=r["id"], title=r["title"], text=r["text"])) is None


def test_signature_round_trip_and_rebuild() -> None:
    a = seed(SEEDS[0], "a")
    d1 = Deduper()
    sig = d1.signature(a)
    assert isinstance(sig, bytes) and len(sig) == 64 * 8
    assert bytes(bytearray(sig)) == sig
    assert d1.signature(a) == sig  # deterministic
    assert Deduper().signature(a) == sig
    # A new run rebuilds state from stored rows with add().
    d2 = Deduper()
    d2.add("a", content_hash(a.title, a.text), bytes(bytearray(sig)), None)
    b = Article(id="b", title=a.title, text="Updated 5:02 PM\n" + a.text)
    assert d2.find(b, content_hash(b.title, b.text), d2.signature(b)) == "a"


def test_short_texts_match_exactly_only() -> None:
    d = Deduper()
    a = Article(id="h1", title="Europe reaches crunch point on banking union", text="")
    b = Article(id="h2", title="Europe reaches crunch point on bank union", text="")
    assert d.signature(a) == b""
    assert step(d, a) is None
    assert step(d, b) is None
    c = Article(id="h3", title="EUROPE reaches crunch point on  banking union", text="")
    assert step(d, c) == "h1"


def test_evict_forgets_old_signatures_and_keeps_recent_ones() -> None:
    rows = [json.loads(x) for x in MULTILING.read_text(encoding="utf-8").splitlines()[:6]]
    recent = [Article(id=r["id"], title=r["title"], text=r["text"]) for r in rows]
    old = seed(SEEDS[0], "old")
    day = 86400.0
    t_old, t_new = 1_400_000_000.0, 1_400_000_000.0 + 1000 * day

    def build() -> Deduper:
        d = Deduper()
        d.add(old.id, content_hash(old.title, old.text), d.signature(old), None, t_old)
        d.add("old-copy", content_hash(old.title, old.text), d.signature(old), "old", t_old)
        for i, a in enumerate(recent):
            d.add(a.id, content_hash(a.title, a.text), d.signature(a), None, t_new + i)
        d.add("undated", "h-undated", b"", None)
        return d

    def near(a: Article, aid: str) -> Article:
        return Article(id=aid, title=a.title, text="By Staff Reporter\n" + a.text)

    def find(d: Deduper, a: Article) -> str | None:
        return d.find(a, content_hash(a.title, a.text), d.signature(a))

    exact_old = Article(id="x1", title=old.title.upper(), text=old.text)
    kept = build()
    assert find(kept, near(old, "n1")) == "old" and find(kept, exact_old) == "old"
    d = build()
    assert d.evict(None) == 0 and d.evict(t_old) == 0  # nothing dated before the cut-off
    assert d.evict(t_new - 10 * day) == 2
    assert "old" not in d._sigs and "old-copy" not in d._sigs
    assert "old" not in d._lsh.keys and "old-copy" not in d._lsh.keys
    assert content_hash(old.title, old.text) not in d._exact
    assert find(d, near(old, "n1")) is None and find(d, exact_old) is None
    # recent articles are still found, exactly and as near copies; undated ones stay
    assert find(d, near(recent[2], "n2")) == recent[2].id
    assert find(d, recent[3]) == recent[3].id
    assert d._exact["h-undated"] == "undated"
    assert len(d) == 9 and d.evict(t_new - 10 * day) == 0
    # new articles get fresh orders (first-added still wins among the remaining ones)
    copy = near(recent[2], "n3")
    d.add(copy.id, content_hash(copy.title, copy.text), d.signature(copy), recent[2].id, t_new)
    assert find(d, near(recent[2], "n4")) == recent[2].id


def test_find_copies_finds_copies_within_the_sequence_and_dates_them() -> None:
    first = seed(SEEDS[0], "orig")
    orig = Article(id="orig", title=first.title, text=first.text, published="2021-12-27")
    copy = Article(id="copy", title=orig.title, text="By Staff Reporter\n" + orig.text,
                   published="2021-12-28T10:00:00+00:00")
    other = seed(SEEDS[1], "other")
    again = Article(id="again", title=other.title.upper(), text=other.text)
    d = Deduper()

    def entries(*arts: Article) -> list[tuple[Article, str, bytes]]:
        return [(a, content_hash(a.title, a.text), d.signature(a)) for a in arts]

    assert find_copies(d, entries(orig, copy, other, again)) == [None, "orig", None, "other"]
    # each was dated by its publication time: the two dated ones can be forgotten
    cut = parse_iso("2022-01-01")
    assert cut is not None and d.evict(cut.timestamp()) == 2
    late = Article(id="late", title=orig.title, text="Updated\n" + orig.text)
    assert find_copies(d, entries(late, Article(id="x", title=other.title, text=other.text))) \
        == [None, "other"]
