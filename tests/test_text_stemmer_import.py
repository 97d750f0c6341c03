"""The Porter stemmer is imported without NLTK's optional SciPy and scikit-learn, which still
import normally afterwards."""

from __future__ import annotations

from .helpers import python_output


def test_stemming_leaves_scipy_and_sklearn_unimported_and_importable() -> None:
    code = (
        "import sys\n"
        "from newsfold.text import stem\n"
        "print(stem('day'), stem('dying'), stem('running'), stem('conflicts'))\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('scipy', 'sklearn')))\n"
        "import scipy.stats\n"
        "from sklearn.feature_extraction.text import TfidfVectorizer\n"
        "print(TfidfVectorizer().fit_transform(['alpha beta', 'beta gamma']).shape)\n"
    )
    out = python_output(code).splitlines()
    assert out == ["day die run conflict", "[]", "(2, 3)"]


def test_with_other_threads_running_nothing_is_hidden() -> None:
    code = (
        "import sys, threading\n"
        "stop = threading.Event()\n"
        "t = threading.Thread(target=stop.wait)\n"
        "t.start()\n"
        "try:\n"
        "    from newsfold.text import stem\n"
        "    stem('day')\n"
        "finally:\n"
        "    stop.set()\n"
        "print('scipy.stats' in sys.modules)\n"
    )
    out = python_output(code).split()
    assert out == ["True"]  # NLTK's own start-up imported it, as it does without newsfold
