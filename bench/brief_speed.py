"""Time the brief of 20-article stories built from MultiLing 2011 topics (two topics each).

    .venv/bin/python bench/brief_speed.py [DIR]
"""

from __future__ import annotations

import sys
import time

from newsfold import read_articles
from newsfold.summarize import build_brief


def main() -> None:
    directory = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/multiling2011"
    read = read_articles([f"{directory}/articles.jsonl"])
    topics: dict[str, list] = {}
    for a in read.articles:
        topics.setdefault(str(a.metadata["story"]), []).append(a)
    names = sorted(topics)
    for i, name in enumerate(names):
        articles = (topics[name] + topics[names[(i + 1) % len(names)]])[:20]
        build_brief(name, articles, 120)  # warm caches
        start = time.perf_counter()
        build_brief(name, articles, 120)
        seconds = time.perf_counter() - start
        words = sum(len(a.text.split()) for a in articles)
        print(f"{name}: {len(articles)} articles, {words} words, {seconds:.3f} s")


if __name__ == "__main__":
    main()
