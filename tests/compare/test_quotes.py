"""Quote speakers on real sentences of PolNeAR (US political news, 2015-16; networkdynamics/
PolNeAR, train split; research use). Each case names its article and line of
``../shared/data/polnear/articles.jsonl``."""

from __future__ import annotations

from newsfold.compare.quotes import quote_spans


def _speakers(text: str) -> list[str | None]:
    return [speaker for _s, _e, _q, speaker in quote_spans(text, min_words=3)]


def test_a_title_before_the_name_does_not_cut_the_speaker() -> None:
    # huff-post_2016-02-01_here-s-why-winning-iowa-could-br (line 151)
    text = ("In some parts of the country, the shift of black voters to the black candidate in "
            "2008 felt less dramatic. “It’s not new in Virginia,” said Rep. Bobby Scott (D-Va.) at "
            "the time, adding that “we’ve been electing African-Americans to office for a long "
            "time.”")
    assert _speakers(text)[0] == "Rep. Bobby Scott"


def test_a_role_in_lower_case_before_the_name() -> None:
    # politico_2016-01-05_republicans-blast-obama-after-no (line 382)
    text = ('"There’s nothing that’s occurred in the last 24 hours that has caused the United States '
            'government to change our assessment of North Korea’s technical and military '
            'capabilities," White House press secretary Josh Earnest told reporters.')
    assert _speakers(text) == ["Josh Earnest"]


def test_speech_verbs_beyond_said() -> None:
    # usa-today_2016-01-12_energy-guns-top-young-voters-age (line 506)
    text = ('"I\'m a voter and I vote," declares Stephanie Acs, 27, a Navy veteran attending school '
            "in Albuquerque who was among those polled.")
    assert _speakers(text) == ["Stephanie Acs"]


def test_a_partial_quote_inside_reported_speech() -> None:
    # west-journal_2015-12-09_the-email-that-makes-benghazi-lo (line 733)
    text = ("Hicks said the four Americans killed in the attack might have been saved “if we had "
            "been able to scramble a fighter or aircraft or two over Benghazi as quickly as "
            "possible after the attack commenced.”")
    assert _speakers(text) == ["Hicks"]


def test_a_weekday_or_a_pronoun_is_never_a_speaker() -> None:
    text = ("“We will keep every promise we made to these families,” he said on Friday. "
            "“It is the right thing to do for the country,” Friday said.")
    assert _speakers(text) == [None, None]


def test_a_noun_phrase_after_the_quote() -> None:
    # west-journal_2016-03-14_billionaire-mark-cuban-just-reve (line 774)
    text = ("“If you’re in the Senate and another senator says you could get shot and nobody in the "
            "Senate would come to your aid,” the investor said, “that’s even worse.”")
    assert _speakers(text)[0] == "the investor"


def test_an_attribution_closing_the_sentence() -> None:
    # wash-post_2015-12-13_agreement-is-a-big-win-for-obama (line 615)
    text = ('Obama "felt a moral obligation to do something about" climate change, Axelrod said. '
            '"This is not just a cosmetic item on his list. This is core stuff for him."')
    assert _speakers(text) == ["Axelrod", "Axelrod"]


def test_a_short_attributed_quote_passes_its_speaker_on() -> None:
    # huff-post_2016-04-12_republicans-finally-confirmed-a- (line 183)
    text = ("“It’s doable,” Risch told The Spokesman-Review on Monday. “Is it going to happen? You "
            "know, that’s like trying to say who’s going to be president of the United States "
            "these days.”")
    assert [sp for _s, _e, _q, sp in quote_spans(text, min_words=5)] == ["Risch"]
