"""Different values for one quantity or time never make "the same content" (a citation or an
agreed fact): they are a disagreement. Sentences from MRPC (Microsoft Research Paraphrase
Corpus, training part, MSR licence, research use), pair 2332152-2332298 at line 3882 of
``../shared/data/mrpc/pairs.jsonl``; the seed reports (tests/data/seeds) for the agreeing
case."""

from __future__ import annotations

from newsfold.compare.align import clash, same_content, sentence_info

HENRI_5PM = ("At 5 p.m. EDT, Henri had maximum sustained winds near 50 mph, with some gusts "
             "reaching 60 mph.")
HENRI_8PM = ("At 8 p.m. Friday, Henri was becoming disorganized, but still had maximum sustained "
             "winds near 50 mph, with stronger gusts.")


def test_two_times_for_one_report_are_not_the_same_content() -> None:
    # people judged this pair different; the sentences share most words and the wind speed
    assert clash(sentence_info(HENRI_5PM), sentence_info(HENRI_8PM))
    assert not same_content(HENRI_5PM, HENRI_8PM)


def test_the_same_figure_in_other_words_still_agrees() -> None:
    # the two seed reports of the Biden-Putin call (tests/data/seeds) both give 100,000 troops
    a = ("The White House said ahead of the call that Biden would tell Putin that a diplomatic "
         "path remains open even as the Russians have moved an estimated 100,000 troops toward "
         "Ukraine and Kremlin officials have turned up the volume on its demands for new "
         "guarantees from the U.S. and NATO.")
    b = ("But in the three weeks since his first conversation with Biden, Putin has done little "
         "to signal what direction he may go, keeping the roughly 100,000 Russian troops in "
         "place along the Ukraine border but not yet attacking.")
    assert not clash(sentence_info(a), sentence_info(b))
    # the same report with another figure disagrees
    assert clash(sentence_info(a), sentence_info(b.replace("100,000", "175,000")))
