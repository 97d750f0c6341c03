"""Sentence alignment across a story's articles: which sentences report the same content.

Every article is split into sentences (:func:`newsfold.text.sentences`). Two sentences of
different articles are *aligned* when

* they are compared at all: both are real sentences (four words or more, not scraping debris),
  their TF-IDF cosine over stemmed content terms (IDF over the story's sentences) is at least
  :data:`MIN_COSINE`, and they do not give different values for one quantity, date or time
  (:func:`clash`: a disagreement, never the same content);
* they report the same content (:func:`same_content`): a logistic regression over surface
  features (:data:`FEATURES`: how much of each sentence the other covers, the words, names and
  numbers one has and the other lacks, length, word order, and the measures machine
  translation is scored by: word n-gram precision in both directions, word edit rate,
  character n-gram overlap; plus shared names and numbers and a negation on one side only)
  gives a probability of at least :data:`SAME_MIN`. A shared word says little on its own; what
  the other sentence lacks is what makes two reports of one event differ. The weights
  (:data:`WEIGHTS`) are fitted on human judgements of news sentence pairs
  (``bench/same_content_fit.py``); the decision needs no sentence vectors;
* or they share a specific fact (:func:`shares_fact`): the same number with a unit or head
  noun, time or date that few sentences of the story hold, or the same rare name, at a cosine
  of at least :data:`ANCHOR_MIN` or :data:`NAME_MIN`. Such sentences are one fact that several
  outlets agree on, though neither says all the other says.

The pairwise decision is public so that ``newsfold eval support`` measures the same code:
:func:`pair_features`, :func:`pair_probability`, :func:`same_content`, :func:`shares_fact`
and :func:`pair_score` (two sentence strings, with an :class:`AlignContext` of IDF, rare names
and anchor counts standing in for the story's).

Aligned pairs are merged into content groups best-first (union-find, by probability), never
putting two sentences of the same article in one group, which stops chains of loose matches.
The groups are the facts; the summary cites a sentence's group.

All per-sentence work (terms, anchors, names, surface) is cached by sentence string. A story's
analysis (:func:`analyze`) is computed by its caller and passed to every part that reads it (the
brief computes it once for its facts, conflicts, entities, timeline and summary).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from newsfold.compare.anchors import MONTHS, WEEKDAYS, Anchor, find_anchors
from newsfold.ingest.dates import SENTENCE_DATELINE
from newsfold.records import Article, parse_iso
from newsfold.text import (
    CLOSING_MARK,
    END_MARK,
    STOPWORDS,
    WORD_RE,
    content_term,
    content_terms,
    fold,
    proper_nouns,
    sentences,
    stem,
)

_URL_RE = re.compile(r"https?://|www\.\w|\w@\w+\.\w")
_DEBRIS_RE = re.compile(
    r"^(?:photo|image|images|picture|file photo|video|watch|read more|related|advertisement|click|"
    r"subscribe|sign up|follow|share|copyright|©|\(c\)|credit|getty|ap photo|reuters/)\b",
    re.IGNORECASE,
)
_CALENDAR_TERMS = frozenset(stem(w) for w in list(MONTHS) + list(WEEKDAYS)) | frozenset(
    MONTHS) | {"sept"}
_YEAR_RE = re.compile(r"^(?:19|20)\d\d$")
_POSS_RE = re.compile(r"'s?$")
_NOT_NAMES = set(MONTHS) | set(WEEKDAYS) | {"sept", "yes", "no", "i", "i'm", "mr", "mrs", "ms"}
_END_RE = re.compile(rf"{END_MARK}{CLOSING_MARK}*$|[\"'”’]$")


@dataclass(frozen=True, slots=True)
class SentenceInfo:
    """Cached, article-independent facts about one sentence string."""

    terms: tuple[str, ...]
    anchors: tuple[Anchor, ...]
    names: tuple[str, ...]
    n_words: int
    debris: bool
    question: bool


@lru_cache(maxsize=100_000)
def sentence_info(text: str) -> SentenceInfo:
    anchors = find_anchors(text)
    # Calendar words and years are left to the anchors; anchors count as terms themselves.
    terms = tuple(
        [t for t in content_terms(text) if t not in _CALENDAR_TERMS and not _YEAR_RE.match(t)]
        + [f"@{a.key}" for a in anchors if a.kind != "year"]
    )
    names = tuple(sorted(_names(text)))
    toks = text.split()
    n_words = len(toks)
    letters = [c for c in text if c.isalpha()]
    upper_share = sum(c.isupper() for c in letters) / max(1, len(letters))
    debris = (
        not letters
        or upper_share > 0.6
        or bool(_URL_RE.search(text))
        or bool(_DEBRIS_RE.match(text))
        or not _END_RE.search(text)
        or text.count("|") >= 2
    )
    question = text.rstrip("\"'”’) ").endswith("?")
    return SentenceInfo(terms, anchors, names, n_words, debris, question)


def _names(text: str) -> set[str]:
    """Folded proper-noun spans; a one-word span opening the sentence may be an ordinary word."""
    out = set()
    for k, span in enumerate(proper_nouns(text)):
        if len(span) < 2:
            continue
        if k == 0 and text.startswith(span) and " " not in span:
            continue
        name = _POSS_RE.sub("", fold(span))
        if name in _NOT_NAMES or len(name) < 2:
            continue
        out.add(name)
    return out


def _trim(s: str) -> str:
    """Drop a dangling opening quote at the end (it belongs to the next sentence) and a
    dateline glued to the start ("Saturday, March 26, 2005 Up to ..."): the unit stays a
    verbatim substring of the article."""
    m = SENTENCE_DATELINE.match(s)
    if m and m.end() < len(s):
        s = s[m.end():]
    while s and s[-1] in "“‘" or (s.endswith(' "') and s.count('"') % 2 == 1):
        s = s[:-1].rstrip()
    return s


@lru_cache(maxsize=4096)
def article_sentences(text: str) -> tuple[str, ...]:
    return tuple(sentences(text))


@dataclass(slots=True)
class Unit:
    """One sentence of one article in a story."""

    idx: int
    article: int
    """Index of the article in the story's input order."""
    position: int
    """Index of the sentence in its article (0 = lead)."""
    text: str
    info: SentenceInfo

    @property
    def usable(self) -> bool:
        """Worth stating as a fact or a summary sentence."""
        i = self.info
        return not i.debris and not i.question and i.n_words >= 6


@dataclass(slots=True)
class StoryAnalysis:
    articles: list[Article]
    group: list[str]
    """Duplicate-group key of each article (``duplicate_of`` or its own id)."""
    group_outlet: dict[str, str]
    units: list[Unit]
    by_article: list[list[int]]
    sim: np.ndarray
    idf: dict[str, float]
    pairs: list[tuple[float, int, int]] = field(default_factory=list)
    """Aligned pairs (score, i, j) with i < j, best first."""
    partners: dict[int, list[tuple[float, int]]] = field(default_factory=dict)
    """The same pairs by unit: (score, the other unit)."""
    cluster_of: list[int] = field(default_factory=list)
    clusters: list[list[int]] = field(default_factory=list)

    def ids(self, article_indices: set[int] | list[int]) -> list[str]:
        return [self.articles[a].id for a in sorted(set(article_indices))]

    def outlets(self, article_indices: set[int] | list[int]) -> list[str]:
        """Independent outlets among these articles (a duplicate group counts once)."""
        seen: dict[str, None] = {}
        groups: dict[str, None] = {}
        for a in sorted(set(article_indices)):
            groups.setdefault(self.group[a], None)
        for g in groups:
            seen.setdefault(self.group_outlet[g], None)
        return list(seen)

    def paraphrased_by(self, unit: int) -> set[int]:
        """Articles with a sentence aligned with ``unit`` directly that says the same thing
        more likely than not (:data:`PARAPHRASE_MIN`), not only a shared figure or name."""
        return {self.units[o].article for score, o in self.partners.get(unit, ())
                if score >= PARAPHRASE_MIN}

    def cluster_articles(self, unit: int) -> list[int]:
        return sorted({self.units[u].article for u in self.clusters[self.cluster_of[unit]]})

    def publication_order(self) -> list[int]:
        """Article indices by publication time (undated last), ties by input order."""
        def key(i: int) -> tuple[int, float, int]:
            dt = parse_iso(self.articles[i].published)
            return (0, dt.timestamp(), i) if dt else (1, 0.0, i)
        return sorted(range(len(self.articles)), key=key)


def analyze(articles: list[Article]) -> StoryAnalysis:
    """The sentence alignment of one story: its sentences, their similarities, the aligned
    pairs and the content groups they form."""
    articles = list(articles)
    ids = {a.id for a in articles}
    group = [a.duplicate_of if a.duplicate_of else a.id for a in articles]
    group_outlet: dict[str, str] = {}
    for a, g in zip(articles, group, strict=True):
        if g == a.id or g not in ids:
            group_outlet.setdefault(g, a.outlet)
    for a, g in zip(articles, group, strict=True):
        group_outlet.setdefault(g, a.outlet)
    units: list[Unit] = []
    by_article: list[list[int]] = []
    for ai, art in enumerate(articles):
        row = []
        said: set[str] = set()
        for pos, s in enumerate(article_sentences(art.text)):
            s = _trim(s)
            if not s or s in said:
                continue  # a sentence its article repeats word for word counts once
            said.add(s)
            u = Unit(len(units), ai, pos, s, sentence_info(s))
            units.append(u)
            row.append(u.idx)
        by_article.append(row)
    n = len(units)
    df: Counter[str] = Counter()
    for u in units:
        df.update(set(u.info.terms))
    idf = {t: math.log((n + 1) / (c + 1)) + 1.0 for t, c in df.items()}
    vocab = {t: i for i, t in enumerate(df)}
    mat = np.zeros((n, len(vocab)), dtype=np.float32)
    for u in units:
        for t, c in Counter(u.info.terms).items():
            mat[u.idx, vocab[t]] = (1.0 + math.log(c)) * idf[t]
    norms = np.linalg.norm(mat, axis=1)
    norms[norms == 0] = 1.0
    mat /= norms[:, None]
    sim = mat @ mat.T if n else np.zeros((0, 0), dtype=np.float32)
    sa = StoryAnalysis(articles, group, group_outlet, units, by_article, sim, idf)
    sa.pairs = _aligned_pairs(sa)
    for score, i, j in sa.pairs:
        sa.partners.setdefault(i, []).append((score, j))
        sa.partners.setdefault(j, []).append((score, i))
    _cluster(sa)
    return sa


@dataclass(frozen=True, slots=True)
class AlignContext:
    """What the pairwise decision needs from the sentences around a pair.

    In a story, these come from all of its sentences (:func:`analyze`); to judge pairs out of
    any story, build one with :meth:`from_sentences` over the sentences they are drawn from.
    """

    idf: dict[str, float]
    """IDF of each term: ``log((n + 1) / (df + 1)) + 1`` over ``n`` sentences; an unknown
    term weighs as a term seen once."""
    rare_names: frozenset[str]
    """Names found in at most ``max(2, 3%)`` of the sentences: sharing one is evidence."""
    anchor_df: dict[str, int]
    """Sentences holding each anchor key."""
    anchor_limit: int
    """An anchor in more sentences than this (the date of the disaster) says nothing specific."""
    n: int

    @classmethod
    def from_sentences(cls, texts: Iterable[str]) -> AlignContext:
        """The context of these sentences, counted as :func:`analyze` counts a story's."""
        return _context_counts([sentence_info(t) for t in texts])

    def weight(self, term: str) -> float:
        got = self.idf.get(term)
        return got if got is not None else math.log((self.n + 1) / 2) + 1.0


def _context_counts(infos: list[SentenceInfo]) -> AlignContext:
    n = len(infos)
    df: Counter[str] = Counter()
    name_df: Counter[str] = Counter()
    anchor_df: Counter[str] = Counter()
    for i in infos:
        df.update(set(i.terms))
        name_df.update(set(i.names))
        anchor_df.update({a.key for a in i.anchors})
    idf = {t: math.log((n + 1) / (c + 1)) + 1.0 for t, c in df.items()}
    name_limit = max(2, int(0.03 * n))
    rare = frozenset(name for name, c in name_df.items()
                     if c <= name_limit and name not in STOPWORDS)
    return AlignContext(idf, rare, dict(anchor_df), max(3, int(0.03 * n)), n)


def _alignable(info: SentenceInfo) -> bool:
    return info.n_words >= 4 and not info.debris


def _evidence(info: SentenceInfo, ctx: AlignContext) -> tuple[set[str], set[str], set[str]]:
    """Strong anchor keys (time, date, number with a unit or head noun), weak ones (bare
    number) and rare names of one sentence, in this context."""
    limit = ctx.anchor_limit
    strong = {a.key for a in info.anchors
              if (a.kind in ("time", "date") or (a.kind == "num" and a.referent))
              and ctx.anchor_df.get(a.key, 0) <= limit}
    weak = {a.key for a in info.anchors
            if a.kind == "num" and not a.referent and ctx.anchor_df.get(a.key, 0) <= limit}
    return strong, weak, set(info.names) & ctx.rare_names


def clash(a: SentenceInfo, b: SentenceInfo) -> bool:
    """Whether two sentences give different values for one quantity, date or time and neither
    also gives the other's: a disagreement (a conflict to show), never the same content."""
    def values(info: SentenceInfo) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for an in info.anchors:
            if an.kind in ("date", "time") or (an.kind == "num" and an.referent):
                out.setdefault(an.referent, set()).add(an.value)
        return out

    va, vb = values(a), values(b)
    return any(not (va[r] & vb[r]) for r in va.keys() & vb.keys())


FEATURES: tuple[str, ...] = (
    "cover", "unmatched", "run_long", "run_short", "names_apart", "numbers_apart",
    "length_ratio", "length_gap", "bigrams", "order", "chars",
    "words1_min", "words1_max", "words2_min", "words2_max", "words3_min", "words3_max",
    "words4_min", "words4_max", "edit", "chars2_min", "chars2_max", "chars3_min", "chars3_max",
    "chars5_min", "chars5_max", "names_shared", "numbers_shared", "numbers_differ",
    "negation_apart",
)
"""The pair features the decision weighs (:func:`pair_features`), in order:

* ``cover``: IDF-weighted share of each sentence's terms that the other also has, the smaller
  of the two (the less covered sentence carries content the other lacks);
* ``unmatched``: content words of one sentence with no word of the same five-letter stem in
  the other, the larger count of the two sentences;
* ``run_long``, ``run_short``: the longest run of such unmatched content words in each
  sentence, larger and smaller (an added clause, "until elections can be held");
* ``names_apart``: capitalised words (after the first) of either sentence absent from the other;
* ``numbers_apart``: numbers written in one sentence and not the other;
* ``length_ratio``, ``length_gap``: shorter over longer word count, and their difference;
* ``bigrams``: shared content-term bigrams over the fewer of the two;
* ``order``: longest common word subsequence over the longer sentence's words;
* ``chars``: shared character 4-grams over the larger set;
* ``words1_min`` ... ``words4_max``: the n-gram precision of machine-translation metrics on
  the folded words (n = 1 to 4, counted with repeats): shared n-grams over each sentence's
  n-grams, the smaller and the larger of the two directions;
* ``edit``: word edit distance (insertions, deletions, substitutions) over the longer
  sentence's words, as a translation edit rate;
* ``chars2_min`` ... ``chars5_max``: shared character n-grams (n = 2, 3, 5, over the words
  joined by spaces) over each sentence's, smaller and larger;
* ``names_shared``: capitalised words (after the first) both have, over those either has;
* ``numbers_shared``: numbers both write over those either writes; ``numbers_differ``: both
  write numbers and not the same ones;
* ``negation_apart``: the sentences hold different counts of negation words ("not", "never",
  "didn't").
"""

WEIGHTS: dict[str, float] = {
    "bias": 6.2046,
    "cover": 1.7067,
    "unmatched": 0.2101,
    "run_long": -0.2665,
    "run_short": -0.3450,
    "names_apart": 0.0764,
    "numbers_apart": -0.1375,
    "length_ratio": -7.7047,
    "length_gap": -0.2370,
    "bigrams": -1.3754,
    "order": 0.9116,
    "chars": 0.3509,
    "words1_min": 8.2867,
    "words1_max": -4.7873,
    "words2_min": 2.3581,
    "words2_max": -0.8280,
    "words3_min": -1.0711,
    "words3_max": -1.3968,
    "words4_min": -0.5493,
    "words4_max": 0.3454,
    "edit": -3.4840,
    "chars2_min": -1.3239,
    "chars2_max": 2.4055,
    "chars3_min": 2.9683,
    "chars3_max": 1.7004,
    "chars5_min": 2.2848,
    "chars5_max": -4.6358,
    "names_shared": -0.3982,
    "numbers_shared": -0.0638,
    "numbers_differ": -0.3519,
    "negation_apart": -1.2017,
}
"""Logistic-regression weights of :data:`FEATURES` and ``bias``, fitted on the MRPC training
pairs (``bench/same_content_fit.py`` fits them again and prints this block)."""
SAME_MIN = 0.7917
"""Probability (:func:`pair_probability`) at which two sentences report the same content: the
lowest at which the fitted pairs judged same are at least :data:`TARGET_PRECISION` right."""
TARGET_PRECISION = 0.92
"""Precision on the fitting pairs that :data:`SAME_MIN` is chosen for."""
PARAPHRASE_MIN = 0.5
"""Probability at which an aligned sentence of another article says a sentence's whole content
(more likely than not): what a summary sentence's citation and a fact's full agreement need;
lower than :data:`SAME_MIN`, which also decides what joins a content group."""
MIN_COSINE = 0.15
"""TF-IDF cosine below which two sentences are never compared (a story's candidate pairs)."""
ANCHOR_MIN = 0.15
"""Cosine at which two sentences sharing a specific number, time or date share a fact."""
NAME_MIN = 0.2
"""Cosine at which two sentences sharing a rare named entity share a fact."""

_NUM_RE = re.compile(r"\d+(?:[.,:]\d+)*")


_NEGATIONS = frozenset({"not", "no", "never", "nor", "without", "nothing", "none", "cannot"})
_NGRAM_SIZES = (1, 2, 3, 4)
_CHAR_SIZES = (2, 3, 5)


@dataclass(frozen=True, slots=True)
class _Surface:
    """The surface of one sentence that the pair features compare."""

    words: tuple[str, ...]
    """Folded words, in order."""
    keys: tuple[str, ...]
    """Five-letter stem prefix of each content word, in order ("" for a stopword)."""
    bigrams: frozenset[tuple[str, str]]
    grams: frozenset[str]
    caps: frozenset[str]
    nums: frozenset[str]
    ngrams: tuple[frozenset[tuple[tuple[str, ...], int]], ...]
    """Word n-grams for each size of :data:`_NGRAM_SIZES`, each with its occurrence number (the
    second "the" is ``(("the",), 1)``), so that a set intersection counts repeats as a
    multiset's would."""
    char_grams: tuple[frozenset[str], ...]
    """Character n-grams of the joined words for each size of :data:`_CHAR_SIZES`."""
    negations: int


def _numbered(grams: Iterable[tuple[str, ...]]) -> frozenset[tuple[tuple[str, ...], int]]:
    seen: Counter[tuple[str, ...]] = Counter()
    out = []
    for g in grams:
        out.append((g, seen[g]))
        seen[g] += 1
    return frozenset(out)


@lru_cache(maxsize=16_384)
def _surface(text: str) -> _Surface:
    """The sentence's words and n-grams as pair scoring compares them, memoised: a sentence is
    paired with many others in one brief. The cache holds more sentences than a brief of
    ``brief_max_articles`` articles has, and no more: a surface's sets of character n-grams
    take tens of kilobytes, and a process that builds brief after brief (a server, ``newsfold
    briefs``) would otherwise keep gigabytes of other stories' sentences."""
    raw = WORD_RE.findall(text)
    words = tuple(fold(w) for w in raw)
    keys = tuple(content_term(w)[:5] for w in words)
    terms = content_terms(text)
    flat = " " + " ".join(words) + " "
    joined = flat[1:-1]
    caps = frozenset(fold(w) for w in raw[1:] if w[0].isupper() and fold(w) not in STOPWORDS)
    ngrams = tuple(_numbered(zip(*(words[k:] for k in range(n)), strict=False))
                   for n in _NGRAM_SIZES)
    char_grams = tuple(frozenset(joined[i:i + n] for i in range(len(joined) - n + 1))
                       for n in _CHAR_SIZES)
    negations = sum(1 for w in words if w in _NEGATIONS or w.endswith(("n't", "n’t")))
    return _Surface(words, keys, frozenset(zip(terms, terms[1:], strict=False)),
                    frozenset(flat[i:i + 4] for i in range(len(flat) - 3)), caps,
                    frozenset(_NUM_RE.findall(text)), ngrams, char_grams, negations)


def _unmatched(a: _Surface, b: _Surface) -> tuple[int, int]:
    """Distinct content words of ``a`` with no same-stem word in ``b``, and their longest run."""
    seen = set(b.keys) | set(b.words)
    run = best = 0
    missing: set[str] = set()
    for w, k in zip(a.words, a.keys, strict=True):
        if not k:
            continue
        if k in seen or w in seen:
            run = 0
        else:
            run += 1
            best = max(best, run)
            missing.add(k)
    return len(missing), best


def _lcs(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    """Length of the longest common subsequence of two word sequences (bit-parallel: one
    big-integer step per word of ``a``)."""
    masks: dict[str, int] = {}
    for i, w in enumerate(b):
        masks[w] = masks.get(w, 0) | (1 << i)
    full = (1 << len(b)) - 1
    v = full
    for w in a:
        u = v & masks.get(w, 0)
        v = ((v + u) | (v - u)) & full
    return len(b) - v.bit_count()


def _edit(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    """Edit distance between two word sequences (insertions, deletions and substitutions of
    words; bit-parallel: one big-integer step per word of ``b``)."""
    m = len(a)
    if m == 0:
        return len(b)
    peq: dict[str, int] = {}
    for i, w in enumerate(a):
        peq[w] = peq.get(w, 0) | (1 << i)
    mask = (1 << m) - 1
    high = 1 << (m - 1)
    pv, mv, score = mask, 0, m
    for w in b:
        eq = peq.get(w, 0)
        xv = eq | mv
        xh = ((((eq & pv) + pv) & mask) ^ pv) | eq
        ph = (mv | ~(xh | pv)) & mask
        mh = pv & xh
        if ph & high:
            score += 1
        elif mh & high:
            score -= 1
        ph = ((ph << 1) | 1) & mask
        mh = (mh << 1) & mask
        pv = (mh | ~(xv | ph)) & mask
        mv = ph & xv
    return score


def _shares(shared: int, na: int, nb: int) -> tuple[float, float]:
    """``shared`` over each of two sizes: the smaller and the larger share."""
    ra, rb = shared / max(1, na), shared / max(1, nb)
    return (ra, rb) if ra <= rb else (rb, ra)


def pair_features(a: str, b: str, ctx: AlignContext) -> tuple[float, ...]:
    """The values of :data:`FEATURES` for two sentences; symmetric in ``a`` and ``b``."""
    ia, ib = sentence_info(a), sentence_info(b)
    ta, tb = set(ia.terms), set(ib.terms)
    w = ctx.weight
    shared = sum(w(t) for t in ta & tb)
    wa, wb = sum(w(t) for t in ta), sum(w(t) for t in tb)
    cover = min(shared / wa if wa else 0.0, shared / wb if wb else 0.0)
    sa, sb = _surface(a), _surface(b)
    (ua, ra), (ub, rb) = _unmatched(sa, sb), _unmatched(sb, sa)
    fa, fb = set(sa.words), set(sb.words)
    names = len(sa.caps - fb) + len(sb.caps - fa)
    na, nb = len(sa.words), len(sb.words)
    bigrams = len(sa.bigrams & sb.bigrams) / max(1, min(len(sa.bigrams), len(sb.bigrams)))
    order = _lcs(sa.words, sb.words) / max(1, na, nb)
    chars = len(sa.grams & sb.grams) / max(1, len(sa.grams), len(sb.grams))
    out = [cover, float(max(ua, ub)), float(max(ra, rb)), float(min(ra, rb)), float(names),
           float(len(sa.nums ^ sb.nums)), min(na, nb) / max(1, na, nb), float(abs(na - nb)),
           bigrams, order, chars]
    for ga, gb in zip(sa.ngrams, sb.ngrams, strict=True):
        out += _shares(len(ga & gb), len(ga), len(gb))
    out.append(_edit(sa.words, sb.words) / max(1, na, nb))
    for ca, cb in zip(sa.char_grams, sb.char_grams, strict=True):
        out += _shares(len(ca & cb), len(ca), len(cb))
    out.append(len(sa.caps & sb.caps) / max(1, len(sa.caps | sb.caps)))
    out.append(len(sa.nums & sb.nums) / max(1, len(sa.nums | sb.nums)))
    out.append(float(bool(sa.nums) and bool(sb.nums) and sa.nums != sb.nums))
    out.append(float(sa.negations != sb.negations))
    return tuple(out)


def probability(features: Iterable[float], weights: dict[str, float] | None = None) -> float:
    """The fitted probability that a pair with these :data:`FEATURES` reports the same content."""
    wt = WEIGHTS if weights is None else weights
    z = wt["bias"] + sum(wt[n] * x for n, x in zip(FEATURES, features, strict=True))
    return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0


def _vector(info: SentenceInfo, ctx: AlignContext) -> dict[str, float]:
    v = {t: (1.0 + math.log(c)) * ctx.weight(t) for t, c in Counter(info.terms).items()}
    norm = math.sqrt(sum(x * x for x in v.values()))
    return {t: x / norm for t, x in v.items()} if norm else v


def pair_cosine(a: str, b: str, ctx: AlignContext) -> float:
    """TF-IDF cosine of two sentences' terms, weighted as in a story's similarity matrix."""
    va, vb = _vector(sentence_info(a), ctx), _vector(sentence_info(b), ctx)
    if len(vb) < len(va):
        va, vb = vb, va
    return sum(x * vb.get(t, 0.0) for t, x in va.items())


def pair_probability(a: str, b: str, ctx: AlignContext,
                     cosine: float | None = None) -> float | None:
    """The fitted probability that two sentences report the same content, or ``None`` when
    they are never compared: too short, debris, a :func:`clash` of values, or a TF-IDF
    cosine (``cosine`` if known) below :data:`MIN_COSINE`."""
    ia, ib = sentence_info(a), sentence_info(b)
    if not (_alignable(ia) and _alignable(ib)) or clash(ia, ib):
        return None
    cos = pair_cosine(a, b, ctx) if cosine is None else cosine
    if cos < MIN_COSINE:
        return None
    return probability(pair_features(a, b, ctx))


def shares_fact(a: str, b: str, ctx: AlignContext, cosine: float | None = None) -> bool:
    """Whether two comparable sentences name the same specific fact: a number with a unit or
    head noun, a time or a date that few sentences of the context hold (cosine at least
    :data:`ANCHOR_MIN`), or a rare name (cosine at least :data:`NAME_MIN`). Weaker than
    :func:`same_content`: "100,000 troops" in two otherwise different sentences."""
    ia, ib = sentence_info(a), sentence_info(b)
    if not (_alignable(ia) and _alignable(ib)) or clash(ia, ib):
        return False
    cos = pair_cosine(a, b, ctx) if cosine is None else cosine
    (sa_, _wa, na), (sb, _wb, nb) = _evidence(ia, ctx), _evidence(ib, ctx)
    return bool((sa_ & sb and cos >= ANCHOR_MIN) or (na & nb and cos >= NAME_MIN))


def pair_score(a: str, b: str, ctx: AlignContext, *, threshold: float = SAME_MIN,
               cosine: float | None = None) -> float | None:
    """The alignment score of two sentences (of different articles) in this context, or
    ``None`` when :func:`analyze` would not align them: they are aligned when they report the
    same content (probability at least ``threshold``, :data:`SAME_MIN` in the brief) or share
    a specific fact (:func:`shares_fact`). The score is the probability, so paraphrases join
    content groups before sentences that only share a fact."""
    p = pair_probability(a, b, ctx, cosine)
    if p is None:
        return None
    return p if p >= threshold or shares_fact(a, b, ctx, cosine) else None


def same_content(a: str, b: str, ctx: AlignContext | None = None) -> bool:
    """Whether two sentences report the same content (one is a paraphrase of the other), by
    the fitted probability (:data:`SAME_MIN`). Sentences that give different values for one
    quantity, date or time (:func:`clash`) never do. The brief also aligns sentences that only
    share a specific fact (:func:`pair_score`).

    ``ctx`` supplies the IDF; in a story it is the story's. Without one, the two sentences
    alone are the context.
    """
    ctx = ctx if ctx is not None else AlignContext.from_sentences([a, b])
    p = pair_probability(a, b, ctx)
    return p is not None and p >= SAME_MIN


def _aligned_pairs(sa: StoryAnalysis) -> list[tuple[float, int, int]]:
    units = sa.units
    n = len(units)
    if n == 0:
        return []
    art = [u.article for u in units]
    alignable = [_alignable(u.info) for u in units]
    ii, jj = np.nonzero(np.triu(sa.sim, 1) >= MIN_COSINE)
    ctx = _context_counts([u.info for u in units])
    out: list[tuple[float, int, int]] = []
    for i, j in zip(ii.tolist(), jj.tolist(), strict=True):
        if art[i] == art[j] or not (alignable[i] and alignable[j]):
            continue
        score = pair_score(units[i].text, units[j].text, ctx, cosine=float(sa.sim[i, j]))
        if score is not None:
            out.append((score, i, j))
    out.sort(key=lambda t: (-t[0], t[1], t[2]))
    return out


def _cluster(sa: StoryAnalysis) -> None:
    """Best-first union of aligned pairs; a group never holds two sentences of one article."""
    n = len(sa.units)
    parent = list(range(n))
    members: dict[int, set[int]] = {i: {sa.units[i].article} for i in range(n)}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for _score, i, j in sa.pairs:
        ri, rj = find(i), find(j)
        if ri == rj or members[ri] & members[rj]:
            continue
        if ri > rj:
            ri, rj = rj, ri
        parent[rj] = ri
        members[ri] |= members.pop(rj)
    roots: dict[int, int] = {}
    clusters: list[list[int]] = []
    cluster_of = [0] * n
    for u in range(n):
        r = find(u)
        if r not in roots:
            roots[r] = len(clusters)
            clusters.append([])
        clusters[roots[r]].append(u)
        cluster_of[u] = roots[r]
    sa.clusters = clusters
    sa.cluster_of = cluster_of
