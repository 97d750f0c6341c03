#!/bin/bash
# Cold start-up of the installed command: a new process each time, files in the page cache.
# Run from a checkout after `make demo`:  bench/startup.sh [TMPDIR]
set -eu
cd "$(dirname "$0")/.."
NF=$PWD/.venv/bin/newsfold
T=${1:-$(mktemp -d)}
rm -f $T/st.db*
$NF -q ingest examples/articles --db $T/st.db 2>/dev/null
big=$($NF stories --db $T/st.db --format json | .venv/bin/python -c 'import json,sys; s=max(json.load(sys.stdin), key=lambda s: s["articles"]); print(s["id"], s["articles"])')
set -- $big; ID=$1; echo "largest story $ID: $2 articles"
one() { /usr/bin/time -f "%e" -o $T/t.out "$@" >/dev/null 2>&1; cat $T/t.out; }
t() { for i in 1 2 3 4 5; do one "$@"; done | sort -n | sed -n 3p; }
echo "--help median of 5: $(t $NF --help)"
echo "stories median of 5: $(t $NF stories --db $T/st.db)"
echo "show $ID first (builds and stores the brief): $(one $NF show $ID --db $T/st.db)"
echo "show $ID, brief stored, median of 5: $(t $NF show $ID --db $T/st.db)"
rm -f $T/st2.db*; $NF -q ingest examples/articles --db $T/st2.db 2>/dev/null
n=$($NF stories --db $T/st2.db --format json | .venv/bin/python -c "import json,sys; print(len(json.load(sys.stdin)))")
echo "show --all, $n stories, nothing stored: $(one $NF show --all --db $T/st2.db)"
echo "show --all again, all stored: $(one $NF show --all --db $T/st2.db)"
