"""A stored brief read back: the records, JSON and renderings of the brief built from the same
articles, and reading it loads none of the code that builds briefs."""

from __future__ import annotations

import json
from pathlib import Path

from newsfold import Newsfold, Settings
from newsfold.records import Brief
from newsfold.summarize import render_html, render_markdown
from newsfold.summarize.stored import StoredBrief, recipe

from ..conftest import EXAMPLES
from ..helpers import python_output


def test_a_brief_read_back_from_its_json_is_the_brief(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    with Newsfold(db, settings=Settings(db=db, brief_entity_model=False)) as nf:
        nf.ingest([EXAMPLES])
        briefs = [nf.brief(s.id) for s in nf.stories()]
    assert any(b.summary and b.facts and b.quotes for b in briefs)
    for brief in briefs:
        data = json.loads(json.dumps(brief.to_dict()))
        back = Brief.from_dict(data, [s.position for s in brief.summary])
        assert back.to_dict() == data
        assert render_markdown(back) == render_markdown(brief)
        assert render_html(back) == render_html(brief)
        assert back.summary == brief.summary and back.facts == brief.facts
        assert [a.outlet for a in back.articles] == [a.outlet for a in brief.articles]
        stored = StoredBrief.of(brief, 3)
        again = StoredBrief.from_json(stored.to_json(), 3)
        assert again.data == data and again.passages == stored.passages
        assert again.brief.summary == brief.summary


def test_the_recipe_names_what_a_brief_depends_on() -> None:
    base = recipe(Settings())
    assert "summary 120 words" in base and "200 articles at most" in base
    assert recipe(Settings(summary_max_words=80)) != base
    assert recipe(Settings(brief_max_articles=50)) != base
    assert "entities rules" in recipe(Settings(brief_entity_model=False))


def test_printing_a_stored_brief_loads_no_code_that_builds_briefs(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    with Newsfold(db, settings=Settings(db=db)) as nf:
        nf.ingest([EXAMPLES / "wikinews.jsonl"])
        sid = nf.stories()[0].id
        assert nf.stored_brief(sid) is not None  # built and stored
    code = (
        "import sys\n"
        "from newsfold import Newsfold, Settings\n"
        "from newsfold.summarize import render_markdown\n"
        f"nf = Newsfold({db!r}, settings=Settings(db={db!r}))\n"
        f"kept = nf.stored_brief({sid!r}, build=False)\n"
        "assert kept is not None and render_markdown(kept.brief)\n"
        "print(sorted(m for m in sys.modules\n"
        "             if m.split('.')[0] in ('spacy', 'thinc', 'nltk')\n"
        "             or m.startswith('newsfold.compare')))\n"
    )
    assert python_output(code).strip() == "[]"
