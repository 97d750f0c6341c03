"""Sentence splitting on real news text (each case names the dev-set article it comes from)."""

from __future__ import annotations

import random

from newsfold.text import sentences


def test_opening_quote_starts_the_next_sentence() -> None:
    # duc2006 APW19990711.0052
    text = ("Summers was asked on NBC's “Meet the Press” whether the GOP plan to use $800 billion "
            "over 10 years for tax cuts would be a “nonstarter” and vetoed. “Absolutely,” he "
            "replied. On ABC's “This Week,” White House chief of staff John Podesta said the "
            "latest House proposal was worse.")
    got = sentences(text)
    assert got[0].endswith("and vetoed.")
    assert got[1] == "“Absolutely,” he replied."
    # tac2011 APW_ENG_20070316.1531: a straight opening quote after a space
    text = ('Interior Secretary Dirk Kempthorne said Friday. "We have to ask ourselves that. '
            "And by 'we,' I mean not only those in the department.\"")
    assert sentences(text)[1] == '"We have to ask ourselves that.'


def test_titles_and_initials_do_not_end_sentences() -> None:
    # polnear breitbart_2016-02-20_the-latest-hillary-clinton-tells
    text = ("Texas Lt. Gov. Dan Patrick says Sen. Ted Cruz is “standing tall” despite losing the "
            "South Carolina primary to Donald Trump.")
    assert sentences(text) == [text]
    # duc2006 APW19990602.0201
    text = ("“The review process has been disappointing to us,” Ingram chairman John R. Ingram "
            "said. “The events of the last several days have made it clear.”")
    assert sentences(text) == [
        "“The review process has been disappointing to us,” Ingram chairman John R. Ingram said.",
        "“The events of the last several days have made it clear.”"]
    assert len(sentences("Del. Bob Marshall filed the bill. It failed.")) == 2


def test_a_dotted_abbreviation_ends_a_sentence_only_before_a_sentence_start() -> None:
    # polnear breitbart_2015-12-07_clinton-camp-trump-s-islamaphobi
    text = ("Donald Trump proposed a ban on Muslims trying to enter the U.S. The proposal has "
            "drawn harsh criticism from fellow GOP presidential hopefuls.")
    assert len(sentences(text)) == 2
    # polnear breitbart_2016-01-05_the-latest-cruz-to-give-away-eng
    text = ("Cox says Obama is trying to distract from his lack of a strategy to prevent "
            "terrorist attacks in the U.S. He says Americans don’t need any more lectures.")
    assert len(sentences(text)) == 2
    assert len(sentences("The U.S. Senate voted at 9 p.m. Tuesday on the bill.")) == 1
    # tac2011 XIN_ENG_20070102.0055: a bracket after "p.m." goes on with the sentence
    text = ("The plane lost contact with Makassar airport at 3:07 p.m. (0807 GMT) Monday on its "
            "way from Surabaya to Manado. The illfated plane was found.")
    assert sentences(text)[0].endswith("to Manado.") and len(sentences(text)) == 2


def test_sentences_are_verbatim_and_cover_the_text() -> None:
    rnd = random.Random(7)
    alphabet = list(" .!?a bC'\"()[]-—…,;:\t\n\xa0") + ["’", "“", "”", "Mr.", "U.S.", "。", "5"]
    for _ in range(3000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 50)))
        got = sentences(text)
        pos = 0
        for s in got:
            assert s and s == s.strip()
            at = text.find(s, pos)
            assert at >= 0, (text, s)
            assert not text[pos:at].strip(), (text, got)  # nothing skipped but spaces
            pos = at + len(s)
        assert not text[pos:].strip()
