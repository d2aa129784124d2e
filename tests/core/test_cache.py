"""The file cache culls on a sample of writes, yet stays near its size limit and serves what
it stores."""

import random
from pathlib import Path

import pytest

from teilhabe.core.cache import SampledCullFileCache


@pytest.fixture(autouse=True)
def same_sample_every_run(monkeypatch):
    monkeypatch.setattr("teilhabe.core.cache.random", random.Random(20261121))


def test_it_stores_answers_and_stays_near_its_limit(tmp_path: Path):
    cache = SampledCullFileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 50}})
    for number in range(1000):
        cache.set(f"answer-{number}", b"x" * 10)

    assert cache.get("answer-999") == b"x" * 10
    stored = len(list(tmp_path.glob("*.djcache")))
    # Culled (a third at a time) on about one write in 32: never far above the limit.
    assert stored <= 50 + 4 * SampledCullFileCache.CULL_EVERY


def test_it_lists_the_folder_on_a_sample_of_writes_only(tmp_path: Path, monkeypatch):
    cache = SampledCullFileCache(str(tmp_path), {})
    listings = []
    original = SampledCullFileCache._list_cache_files
    monkeypatch.setattr(
        SampledCullFileCache,
        "_list_cache_files",
        lambda self: listings.append(1) or original(self),
    )
    for number in range(640):
        cache.set(f"answer-{number}", 1)

    assert 0 < len(listings) < 640 / 8
