"""``fold`` and ``content_terms`` against the straightforward unicodedata versions, on real
titles and texts and on random strings of the characters that matter."""

from __future__ import annotations

import json
import random
import unicodedata
from pathlib import Path

from newsfold import text as T

DATA = Path(__file__).resolve().parent / "data"


def _fold_ref(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"').lower()


def _content_terms_ref(text: str) -> list[str]:
    out = []
    for w in T.WORD_RE.findall(_fold_ref(text)):
        if len(w) < 2 or w in T.STOPWORDS:
            continue
        out.append(T.stem(w) if w.isalpha() else w)
    return out


def _texts() -> list[str]:
    texts = [
        "", "Hello", "Hello.", "One. Two", "Mr. Smith went to Washington. He said “no.”",
        "U.S. officials met. They agreed!", "Wait... what?! Yes.", 'He said: "Go." Then left.',
        "Ends with quote.\u201d", "A.  B", "A.\tB", "A.\xa0B", "Zoë’s café. Naïve résumé!",
        "İstanbul. ǅ. ﬁn.", "。終わり。次", "Numbers 3.5 and 1,000. Next (yes).", "«Oui.» Non",
        "First para. Second.\n\nThird para! Fourth?\n“Quote.”\n)", "(Reuters) - Text. More.",
    ]
    for r in (json.loads(x) for x in (DATA / "cluster" / "articles.jsonl").read_text(
            encoding="utf-8").splitlines() if x.strip()):
        texts += [r["title"], r["text"] or ""]
    alphabet = list(" .!?a bC'\"()[]-—…,;:\t\n\xa0") + [
        "’", "“", "”", "é", "\u0301", "$", "5", "Mr.", "U.S.", "..."]
    rnd = random.Random(7)
    for _ in range(3000):
        texts.append("".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 50))))
    return texts


def test_text_fast_paths_match_reference() -> None:
    for t in _texts():
        assert T.fold(t) == _fold_ref(t), t
        assert T.content_terms(t) == _content_terms_ref(t), t
