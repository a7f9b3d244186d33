"""
=================================================
Uncertainty of the new rows (Table 3, eq. 7–10)
=================================================

The paper scores generated rows with four uncertainty measures of a
classifier's prediction (§5, Table 3): least confidence (eq. 7), margin of
confidence (eq. 8), ratio of confidence (eq. 9) and entropy (eq. 10). Each is
0 for a confident, one-hot prediction and 1 for a tie; rows near the class
boundary score high. :mod:`imblearn_pgan.uncertainty` implements them, and
:class:`~imblearn_pgan.PolarityGANSampler` uses one of them (``uncertainty=``)
to keep the most uncertain of a larger pool of generated candidates.

Here the new rows of SMOTE and of P-GAN, with and without that filter, are
scored by the *same* reference classifier: a logistic regression fitted on the
original imbalanced training rows of the embedded digits benchmark.
"""

# %%
# Data and reference classifier
# -----------------------------
# :func:`~imblearn_pgan.datasets.load_default_benchmark_data` needs no
# download: scikit-learn's 8x8 digits, made imbalanced (140 rows of digit 0
# down to 6 rows of digit 9).
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from imblearn.over_sampling import SMOTE
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

from imblearn_pgan import PolarityGANSampler
from imblearn_pgan.datasets import load_default_benchmark_data
from imblearn_pgan.uncertainty import MEASURES, uncertainty_summary

# Small models: one BLAS/OpenMP thread is the fastest, and many times faster on a busy machine.
threadpool_limits(1)

data = load_default_benchmark_data(random_state=0)
X, y = data.X_train, data.y_train
print("training rows per class:", np.bincount(y))

reference = LogisticRegression(max_iter=2000).fit(X, y)

# %%
# New rows from three samplers
# ----------------------------
# P-GAN trains briefly here (``n_iter=300``). With ``uncertainty=None`` it
# returns the generator's raw draws; with ``uncertainty="entropy"`` (the
# default) it draws ``pool_factor`` (a ``gan_params`` setting, 2) times as many candidates and keeps the
# most uncertain ones that its own classifier C still assigns to their class.
settings = {"n_iter": 300, "gan_params": {"autoencoder_steps": 200}, "batch_size": 64,
            "device": "cpu", "random_state": 0}
samplers = {
    "SMOTE": SMOTE(k_neighbors=5, random_state=0),
    "P-GAN, raw draws": PolarityGANSampler(uncertainty=None, **settings),
    "P-GAN, entropy filter": PolarityGANSampler(uncertainty="entropy", **settings),
}
new_rows = {}
for name, sampler in samplers.items():
    X_res, y_res = sampler.fit_resample(X, y)
    new_rows[name] = X_res[len(X):]
    print(f"{name}: {len(X_res) - len(X)} new rows")

# %%
# Table 3: mean of each measure over the new rows
# -----------------------------------------------
# :func:`~imblearn_pgan.uncertainty.uncertainty_summary` averages each
# measure over the rows, as the paper's Table 3 does. The real training rows
# give the scale: the reference classifier was fitted on them, so it is
# confident there.
table = pd.DataFrame(
    {"real training rows": uncertainty_summary(reference.predict_proba(X))}
    | {name: uncertainty_summary(reference.predict_proba(rows)) for name, rows in new_rows.items()}
).T
print(table.round(3).to_string())

# %%
# P-GAN also records how its *own* classifier C scores the rows it returned
# (``synthetic_uncertainty_``, per class), the quantity the filter acts on.
# Values near 0 mean that C, which was trained on G's rows, is sure of every
# one of them: the filter then ranks candidates by tiny differences, and the
# reference classifier above is the better judge of where the rows lie.
own = pd.DataFrame(samplers["P-GAN, entropy filter"].synthetic_uncertainty_).T
own.index.name = "class"
print(own.to_string(float_format="%.2g"))

# %%
# The distributions
# -----------------
# The mean hides the spread: box plots of each measure per sampler, with the
# real training rows first for scale.
groups = {"real training rows": X} | new_rows
fig, axes = plt.subplots(1, len(MEASURES), figsize=(13, 4.5), sharey=True)
for ax, (measure, fn) in zip(axes, MEASURES.items()):
    scores = [fn(reference.predict_proba(rows)) for rows in groups.values()]
    ax.boxplot(scores, showfliers=False)
    ax.set_xticks(range(1, len(groups) + 1), list(groups), rotation=30, ha="right")
    ax.set_title(measure)
axes[0].set_ylabel("score under the reference classifier")
fig.tight_layout()

# %%
# Choosing the measure
# --------------------
# The four measures rank rows alike in the two-class case; with many classes
# ``"least_confidence"``, ``"margin"`` and ``"ratio"`` look only at the top
# one or two probabilities, while ``"entropy"`` also reacts to probability
# spread over the other classes. See the user guide for more.
