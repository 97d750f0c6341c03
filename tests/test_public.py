"""The curated public API, the settings and the documentation of every command and setting."""

from __future__ import annotations

import re
from dataclasses import fields

import click

import newsfold
from newsfold.cli import main
from newsfold.settings import Settings

from .conftest import ROOT

PUBLIC = {
    "Article", "Brief", "CleanResult", "ConfigError", "Conflict", "Entity", "ExtractionError",
    "Fact", "GroupSummary", "IngestReport", "InputError", "Newsfold", "NewsfoldError",
    "NotFoundError", "Quote", "ReadResult", "Removal", "Settings", "StoreError", "StoryInfo",
    "SummarySentence", "TimelineEvent", "__version__", "clean_text", "extract_html",
    "read_articles", "summarize_articles",
}


def test_public_api_is_pinned() -> None:
    assert set(newsfold.__all__) == PUBLIC
    for name in PUBLIC:
        assert getattr(newsfold, name) is not None


def test_errors_form_one_tree() -> None:
    for name in ("ConfigError", "ExtractionError", "InputError", "NotFoundError", "StoreError"):
        assert issubclass(getattr(newsfold, name), newsfold.NewsfoldError)


def test_every_setting_is_documented_and_read_from_the_environment() -> None:
    doc = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    for f in fields(Settings):
        assert f"`{f.name}`" in doc and f"`NEWSFOLD_{f.name.upper()}`" in doc, f.name
    s = Settings.from_env({"NEWSFOLD_SUMMARY_MAX_WORDS": "77", "NEWSFOLD_DB": "x.db"})
    assert s.summary_max_words == 77 and s.db == "x.db"


def test_a_bad_setting_is_a_config_error() -> None:
    try:
        Settings.from_env({"NEWSFOLD_CLUSTER_THRESHOLD": "high"})
    except newsfold.ConfigError as err:
        assert "NEWSFOLD_CLUSTER_THRESHOLD" in str(err)
    else:
        raise AssertionError("no ConfigError")


def _commands(group: click.Group, prefix: str = "") -> dict[str, click.Command]:
    out: dict[str, click.Command] = {}
    for name, cmd in group.commands.items():
        full = f"{prefix}{name}"
        if isinstance(cmd, click.Group):
            out.update(_commands(cmd, full + " "))
        else:
            out[full] = cmd
    return out


def test_every_command_and_option_is_documented() -> None:
    doc = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## `newsfold ([^`]*)`", doc, flags=re.M)
    for name, cmd in _commands(main).items():
        section = next((h for h in headings if h.startswith(name + " ") or h == name), None)
        assert section is not None, f"newsfold {name} is not documented"
        for param in cmd.params:
            if isinstance(param, click.Option):
                assert any(opt in section for opt in param.opts), f"{name} {param.opts}"
