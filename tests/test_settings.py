"""Settings are judged in one place: a bad value is a ConfigError naming it (exit status 3 from
the command line), never a traceback from deep inside a stage."""

from __future__ import annotations

import math
import subprocess
from dataclasses import fields
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from newsfold.errors import ConfigError
from newsfold.settings import RANGES, Settings, check_setting

from .conftest import EXAMPLES, ROOT, SEED_IDS
from .helpers import NEWSFOLD

NUMERIC = [f.name for f in fields(Settings)
           if isinstance(f.default, int | float) and not isinstance(f.default, bool)]


@pytest.mark.parametrize("env", [
    {"NEWSFOLD_BATCH_SIZE": "-5"},
    {"NEWSFOLD_DEDUPE_NUM_PERM": "0"},
    {"NEWSFOLD_DEDUPE_THRESHOLD": "5"},
    {"NEWSFOLD_CLUSTER_THRESHOLD": "nan"},
    {"NEWSFOLD_FETCH_TIMEOUT": "inf"},
    {"NEWSFOLD_BATCH_SIZE": "99999999999999999999999"},
    {"NEWSFOLD_SUMMARY_MAX_WORDS": "ten"},
])
def test_bad_settings_in_the_environment_end_in_exit_3_and_a_named_message(
    env: dict[str, str], tmp_path: Path
) -> None:
    """Out-of-range, non-finite and non-numeric settings in the environment, run as a user
    would (``ingest`` of a real article): exit 3, a message naming the setting, no store."""
    import os

    run = subprocess.run(
        [*NEWSFOLD, "ingest", str(EXAMPLES / f"{SEED_IDS[0]}.txt"), "--db", str(tmp_path / "x.db")],
        env={**os.environ, **env}, capture_output=True, text=True, timeout=120, cwd=ROOT,
    )
    (key,) = env
    assert run.returncode == 3, run.stderr
    assert "Traceback" not in run.stderr
    assert run.stderr.startswith(f"newsfold: error: {key}=") and "unset it or fix it" in run.stderr
    assert not (tmp_path / "x.db").exists()  # nothing done


def test_every_numeric_setting_has_a_range_and_its_default_is_in_it() -> None:
    assert set(NUMERIC) == set(RANGES)
    for name in NUMERIC:
        assert check_setting(name, getattr(Settings(), name)) is None, name


def test_ranges_are_documented_in_settings_md() -> None:
    doc = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    section = doc.split("## Accepted values", 1)[1]
    for name, rng in RANGES.items():
        kind = "whole number" if isinstance(getattr(Settings(), name), int) else "number"
        assert f"| `{name}` | {kind} {rng.describe()} |" in section, name


def test_python_settings_are_checked_too() -> None:
    with pytest.raises(ConfigError, match=r"batch_size=-5 \(NEWSFOLD_BATCH_SIZE\)"):
        Settings(batch_size=-5)
    with pytest.raises(ConfigError, match="NaN"):
        Settings(cluster_threshold=math.nan)
    with pytest.raises(ConfigError, match="whole number"):
        Settings(batch_size=2.5)  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="true or false"):
        Settings(fetch_allow_private="no")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="line break"):
        Settings(fetch_user_agent="bot\r\nX-Injected: 1")
    assert Settings(cluster_evict_margin_days=math.inf).cluster_evict_margin_days == math.inf
    with pytest.raises(ConfigError):
        Settings(cluster_window_days=math.inf)


def test_the_edges_of_the_dedupe_ranges_build_a_deduper() -> None:
    """The two MinHash settings constrain each other; every pair inside the ranges works."""
    from newsfold.dedupe import Deduper

    t, n = RANGES["dedupe_threshold"], RANGES["dedupe_num_perm"]
    for threshold in (t.low, 0.5, t.high):
        for num_perm in (int(n.low), 17, 64, int(n.high)):
            Deduper(threshold=threshold, num_perm=num_perm)


@hsettings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(name=st.sampled_from([f.name for f in fields(Settings)]),
       raw=st.one_of(st.text(max_size=30), st.sampled_from(
           ["nan", "-nan", "inf", "-inf", "1e400", "0", "-1", "1", "0.5", "true", " 7 ", ""])))
def test_any_environment_value_is_a_setting_or_a_config_error(name: str, raw: str) -> None:
    try:
        s = Settings.from_env({f"NEWSFOLD_{name.upper()}": raw})
    except ConfigError as err:
        assert f"NEWSFOLD_{name.upper()}" in str(err)
        return
    value = getattr(s, name)
    assert check_setting(name, value) is None
    if isinstance(value, float):
        assert not math.isnan(value)
