"""Extractive selection: concept coverage under a hard word budget.

The method is the concept-coverage model of Gillick and Favre (ICSISumm, TAC 2008–2011):

* **Concepts** are stemmed word bigrams of a sentence, tokenised as ROUGE tokenises (lower
  case, runs of letters and digits, Porter stems of words over three letters), leaving out
  bigrams of two stopwords.
* A concept **weighs** the number of independent articles (duplicate groups: a wire copy
  counts once) that contain it, doubled (``position_bonus``) when it also appears in an
  article's title or lead sentence (the position prior: news puts its main content first).
  With three or more independent articles, concepts in fewer than 30 % of them (3 of 10,
  at least 2) are dropped: they are not the story's shared content.
* Each chosen sentence adds its **centrality** per word (the mean, over the other independent
  articles, of its best TF-IDF cosine with their sentences): among near-equal coverages, the
  one made of sentences the other outlets also report wins.
* **Selection** maximises the total weight of the concepts covered by the chosen sentences,
  each concept counted once (so redundant sentences gain nothing), under a hard budget of
  ``max_words`` words, with at most one sentence per content group (sentences aligned as the
  same fact). By default the program is solved by greedy selection by gain per word, started
  from the empty set and from each of the 20 best single sentences (partial enumeration),
  then improved by local search (swap a chosen sentence for one of the best replacements and
  refill greedily) until no swap helps, which comes close to the exact optimum at a fraction
  of its cost. ``exact=True`` solves the integer program with HiGHS (``scipy.optimize.milp``)
  instead.
* Candidates must be fit to state (not debris, not a question), of at least
  :attr:`SelectParams.min_words` words (a length floor: short sentences are usually
  fragments; lowered when nothing else fits), at most
  :attr:`SelectParams.max_words_sentence`, and without quotation marks when other sentences
  are left (quotes go to the brief's quotes; a summary states facts).

Everything is deterministic: ties go to the earlier candidate (article, then position). The
chosen sentences are returned in reading order: article publication order, then position.
``bench/summarize_bench.py`` measures a change of parameters; ``newsfold eval summarize`` is
the reference measure.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from newsfold.compare.align import StoryAnalysis, Unit
from newsfold.text import STOPWORDS, dangling, fold, stem


@dataclass(frozen=True, slots=True)
class SelectParams:
    min_words: int = 10
    """Length floor of a candidate sentence (words); lowered when nothing else fits."""
    max_words_sentence: int = 60
    min_df_share: float = 0.3
    """A concept must be in at least ``max(2, round(min_df_share * groups))`` independent
    articles (3 of 10) when the story has three or more; else in one."""
    position_bonus: float = 1.0
    """Extra weight (× weight) of a concept found in a title or in an article's first
    ``lead_sentences`` sentences."""
    lead_sentences: int = 1
    position_prior: float = 0.0
    """Objective bonus per chosen sentence, decaying with its position (0 = none)."""
    centrality: float = 1.0
    """Objective bonus per word of a chosen sentence times its centrality (mean over the other
    independent articles of its best TF-IDF cosine with their sentences)."""
    drop_quotes: bool = True
    """Leave out sentences holding quotation marks (quotes are reported in the brief's
    quotes; summaries state facts), unless nothing else is left."""
    drop_dangling: bool = False
    """Leave out sentences opening with a word that points back to earlier text ("These
    demands", "He", "But"): out of context a reader cannot resolve it."""
    exact: bool = False
    """Solve the integer program exactly (HiGHS via scipy) instead of greedy + local search.
    Slower than the default search, which comes close to the optimum
    (``bench/summarize_bench.py --set exact=1`` compares them)."""
    time_limit: float = 10.0
    """Seconds the exact solver may take before its best solution so far is used."""
    mip_gap: float = 0.005
    """Relative optimality gap at which the exact solver stops."""


DEFAULT = SelectParams()

_TOKEN_RE = re.compile(r"[a-z0-9]+")
_QUOTE_RE = re.compile(r"[\"“”]")


@lru_cache(maxsize=100_000)
def _stem_token(tok: str) -> str:
    return stem(tok) if len(tok) > 3 else tok


@lru_cache(maxsize=100_000)
def bigram_concepts(text: str) -> frozenset[str]:
    """Stemmed word bigrams of a text, without bigrams made of two stopwords."""
    toks = _TOKEN_RE.findall(fold(text))
    out = set()
    for a, b in zip(toks, toks[1:], strict=False):
        if a in STOPWORDS and b in STOPWORDS:
            continue
        out.add(f"{_stem_token(a)} {_stem_token(b)}")
    return frozenset(out)


def unit_concepts(u: Unit, p: SelectParams = DEFAULT) -> frozenset[str]:
    return bigram_concepts(u.text)


def _candidates(sa: StoryAnalysis, max_words: int, p: SelectParams) -> list[Unit]:
    ok = [u for u in sa.units
          if u.usable and u.info.n_words <= min(p.max_words_sentence, max_words)]
    if p.drop_quotes:
        ok = [u for u in ok if not _QUOTE_RE.search(u.text)] or ok
    if p.drop_dangling:
        ok = [u for u in ok if not dangling(u.text)] or ok
    floor = p.min_words
    while floor > 6:
        cands = [u for u in ok if u.info.n_words >= floor]
        if cands:
            return cands
        floor -= 2
    return [u for u in ok if u.info.n_words >= 6]


def concept_weights(sa: StoryAnalysis, p: SelectParams = DEFAULT) -> dict[str, float]:
    """Weight of each concept of the story (see the module docstring)."""
    groups_of: dict[str, set[str]] = defaultdict(set)
    leads: set[str] = set()
    for ai, row in enumerate(sa.by_article):
        seen: set[str] = set()
        lead: set[str] = set(bigram_concepts(sa.articles[ai].title or ""))
        for k in row:
            u = sa.units[k]
            cs = unit_concepts(u, p)
            seen.update(cs)
            if u.position < p.lead_sentences:
                lead.update(cs)
        g = sa.group[ai]
        for c in seen:
            groups_of[c].add(g)
        leads |= lead
    n_groups = len(set(sa.group))
    min_df = max(2, round(p.min_df_share * n_groups)) if n_groups >= 3 else 1
    weights = {}
    for c, gs in groups_of.items():
        if len(gs) >= min_df:
            weights[c] = len(gs) * (1.0 + (p.position_bonus if c in leads else 0.0))
    if not weights and n_groups >= 3:
        weights = {c: float(len(gs)) for c, gs in groups_of.items() if len(gs) >= 2}
    return weights


def select(sa: StoryAnalysis, max_words: int, params: SelectParams | None = None) -> list[int]:
    """Indices of the chosen units, in reading order, except that a sentence which stands alone
    opens the summary."""
    p = params or DEFAULT
    cands = _candidates(sa, max_words, p)
    weights = concept_weights(sa, p)
    cand_concepts = {u.idx: [c for c in unit_concepts(u, p) if c in weights] for u in cands}
    cands = [u for u in cands if cand_concepts[u.idx]]
    if not cands:
        return []
    bonus = {u.idx: p.position_prior * math.exp(-u.position / 4.0) for u in cands}
    if p.centrality:
        cent = _centrality(sa, [u.idx for u in cands])
        for u in cands:
            bonus[u.idx] += p.centrality * cent[u.idx] * u.info.n_words
    chosen: list[int] | None = None
    if p.exact:
        chosen = _solve_exact(sa, cands, cand_concepts, weights, bonus, max_words, p.time_limit,
                              p.mip_gap)
    if chosen is None:
        chosen = _greedy(sa, cands, cand_concepts, weights, bonus, max_words)
    units = sa.units
    order = {a: k for k, a in enumerate(sa.publication_order())}
    chosen.sort(key=lambda i: (order[units[i].article], units[i].position))
    # A summary never opens on "He", "But" or "Those demands": the first sentence that stands
    # alone leads.
    lead = next((k for k, i in enumerate(chosen) if not dangling(units[i].text)), 0)
    chosen.insert(0, chosen.pop(lead))
    return chosen


def _centrality(sa: StoryAnalysis, idxs: list[int]) -> dict[int, float]:
    """Mean over the other independent articles of a unit's best cosine with their units."""
    import numpy as np

    groups = sorted(set(sa.group))
    if len(groups) < 2:
        return dict.fromkeys(idxs, 0.0)
    rows = sa.sim[idxs]
    out = np.zeros(len(idxs))
    cols_of = {g: [k for ai, row in enumerate(sa.by_article) if sa.group[ai] == g for k in row]
               for g in groups}
    own = np.array([sa.group[sa.units[i].article] for i in idxs])
    for g, cols in cols_of.items():
        if not cols:
            continue
        best = rows[:, cols].max(axis=1)
        out += np.where(own == g, 0.0, best)
    out /= len(groups) - 1
    return {i: float(v) for i, v in zip(idxs, out, strict=True)}


def _greedy(sa: StoryAnalysis, cands: list[Unit], cand_concepts: dict[int, list[str]],
            weights: dict[str, float], bonus: dict[int, float], max_words: int,
            rounds: int = 30, starts: int = 20, swaps: int = 5) -> list[int]:
    """Greedy by gain per word, then local search: drop one sentence and refill greedily,
    keeping the best improvement, until none improves the covered weight."""
    import numpy as np

    names = sorted({c for u in cands for c in cand_concepts[u.idx]})
    col = {c: k for k, c in enumerate(names)}
    x = np.zeros((len(cands), len(names)))
    for k, u in enumerate(cands):
        for c in cand_concepts[u.idx]:
            x[k, col[c]] = 1.0
    w = np.array([weights[c] for c in names])
    b = np.array([bonus[u.idx] for u in cands])
    length = np.array([u.info.n_words for u in cands], dtype=float)
    cluster = np.array([sa.cluster_of[u.idx] for u in cands])

    def value(chosen: list[int]) -> float:
        if not chosen:
            return 0.0
        cnt = x[chosen].sum(axis=0)
        return float(w[cnt > 0].sum() + b[chosen].sum())

    def fill(chosen: list[int]) -> list[int]:
        chosen = list(chosen)
        cnt = x[chosen].sum(axis=0) if chosen else np.zeros(len(names))
        left = max_words - float(length[chosen].sum())
        blocked = np.zeros(len(cands), dtype=bool)
        for k in chosen:
            blocked |= cluster == cluster[k]
        while True:
            gain = x @ (w * (cnt == 0)) + b
            ok = ~blocked & (length <= left) & (gain > 0)
            if not ok.any():
                return chosen
            ratio = np.where(ok, gain / length, -1.0)
            k = int(np.argmax(ratio))
            chosen.append(k)
            cnt += x[k]
            left -= length[k]
            blocked |= cluster == cluster[k]

    # Start from the plain greedy set and from greedy sets seeded with each of the best
    # sentences (partial enumeration), keep the best.
    best = fill([])
    best_value = value(best)
    singles = x @ w + b
    seeds = np.lexsort((np.arange(len(cands)), -singles))[:starts]
    for k in seeds.tolist():
        trial = fill([int(k)])
        v = value(trial)
        if v > best_value + 1e-9:
            best, best_value = trial, v
    # Local search: swap one chosen sentence for one of the best replacements, then refill.
    for _ in range(rounds):
        improved = False
        cnt = x[best].sum(axis=0)
        left = max_words - float(length[best].sum())
        for k in list(best):
            rest = [j for j in best if j != k]
            cnt_k = cnt - x[k]
            gain = x @ (w * (cnt_k == 0)) + b
            blocked = np.zeros(len(cands), dtype=bool)
            for j in rest:
                blocked |= cluster == cluster[j]
            blocked[k] = True
            ok = ~blocked & (length <= left + length[k]) & (gain > 0)
            if not ok.any():
                continue
            order = np.lexsort((np.arange(len(cands)), -np.where(ok, gain, -1.0)))
            for j in order[:swaps].tolist():
                if not ok[j]:
                    break
                trial = fill(rest + [int(j)])
                v = value(trial)
                if v > best_value + 1e-9:
                    best, best_value, improved = trial, v, True
                    break
            if improved:
                break
        if not improved:
            break
    return [cands[k].idx for k in best]


def _solve_exact(sa: StoryAnalysis, cands: list[Unit], cand_concepts: dict[int, list[str]],
                 weights: dict[str, float], bonus: dict[int, float], max_words: int,
                 time_limit: float, mip_gap: float) -> list[int] | None:
    """The integer program of the module docstring, or None when the solver gives nothing."""
    try:
        import numpy as np
        from scipy.optimize import Bounds, LinearConstraint, milp
        from scipy.sparse import coo_matrix
    except ImportError:  # pragma: no cover - scipy comes with scikit-learn
        return None
    # Concepts held by the same candidate sentences are one variable (weights summed); a
    # concept held by a single sentence is that sentence's own value. This shrinks the
    # program by an order of magnitude without changing its optimum.
    holders: dict[str, list[int]] = defaultdict(list)
    for k, u in enumerate(cands):
        for c in cand_concepts[u.idx]:
            holders[c].append(k)
    ns = len(cands)
    own = [0.0] * ns
    shared: dict[tuple[int, ...], float] = defaultdict(float)
    for c, hs in holders.items():
        if len(hs) == 1:
            own[hs[0]] += weights[c]
        else:
            shared[tuple(hs)] += weights[c]
    groups = sorted(shared)
    n = ns + len(groups)
    obj = np.zeros(n)
    for k, u in enumerate(cands):
        obj[k] = -(own[k] + bonus[u.idx])
    for j, g in enumerate(groups):
        obj[ns + j] = -shared[g]
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    lo: list[float] = []
    hi: list[float] = []
    r = 0
    # Budget.
    for k, u in enumerate(cands):
        rows.append(r)
        cols.append(k)
        vals.append(float(u.info.n_words))
    lo.append(-np.inf)
    hi.append(float(max_words))
    r += 1
    # A concept counts only if a chosen sentence contains it: c_j - sum_i s_i <= 0.
    for j, g in enumerate(groups):
        rows.append(r)
        cols.append(ns + j)
        vals.append(1.0)
        for k in g:
            rows.append(r)
            cols.append(k)
            vals.append(-1.0)
        lo.append(-np.inf)
        hi.append(0.0)
        r += 1
        # ... and a chosen sentence covers its concepts: s_i - c_j <= 0 (tightens the LP).
        for k in g:
            rows.extend((r, r))
            cols.extend((k, ns + j))
            vals.extend((1.0, -1.0))
            lo.append(-np.inf)
            hi.append(0.0)
            r += 1
    # At most one sentence per content group.
    by_cluster: dict[int, list[int]] = defaultdict(list)
    for k, u in enumerate(cands):
        by_cluster[sa.cluster_of[u.idx]].append(k)
    for ks in by_cluster.values():
        if len(ks) < 2:
            continue
        for k in ks:
            rows.append(r)
            cols.append(k)
            vals.append(1.0)
        lo.append(-np.inf)
        hi.append(1.0)
        r += 1
    a = coo_matrix((vals, (rows, cols)), shape=(r, n)).tocsr()
    res = milp(
        obj,
        constraints=LinearConstraint(a, np.array(lo), np.array(hi)),
        integrality=np.ones(n),
        bounds=Bounds(np.zeros(n), np.ones(n)),
        options={"time_limit": time_limit, "mip_rel_gap": mip_gap},
    )
    if res.x is None:
        return None
    picked = [k for k in range(ns) if res.x[k] > 0.5]
    if sum(cands[k].info.n_words for k in picked) > max_words:  # pragma: no cover - safety
        return None
    return [cands[k].idx for k in picked]
