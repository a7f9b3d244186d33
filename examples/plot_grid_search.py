"""
=====================================================
Choosing an oversampler with a pipeline and a grid
=====================================================

:class:`~imblearn_pgan.PolarityGANSampler` is an imbalanced-learn sampler, so
it goes into an :class:`imblearn.pipeline.Pipeline`, where it is applied to
the training folds only, and its parameters, or the sampler itself, can be
tuned with :class:`~sklearn.model_selection.GridSearchCV`.

Here the grid chooses between no oversampling, SMOTE, SVM-SMOTE and P-GAN in
front of a support vector classifier, on the embedded digits benchmark. The
paper's simplest baseline, *SMOTE-SVM* (SMOTE followed by an SVM), is one of
the candidates; the winner is compared with it on the balanced test set.
"""

# %%
# Data
# ----
# The embedded digits benchmark: an imbalanced training set (140 rows of
# digit 0 down to 6 of digit 9) and a balanced test set of 35 rows per digit.
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from imblearn.over_sampling import SMOTE, SVMSMOTE
from imblearn.pipeline import Pipeline
from sklearn.metrics import f1_score
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.svm import SVC
from threadpoolctl import threadpool_limits

from imblearn_pgan import PolarityGANSampler
from imblearn_pgan.datasets import load_default_benchmark_data

# Small models: one BLAS/OpenMP thread is the fastest, and many times faster on a busy machine.
threadpool_limits(1)

data = load_default_benchmark_data(random_state=0)
print("training rows per class:", np.bincount(data.y_train))
print("test rows per class:    ", np.bincount(data.y_test))

# %%
# Pipeline and grid
# -----------------
# With three folds the smallest class has only 4 training rows per fold, so
# SMOTE and SVM-SMOTE use 3 neighbours instead of their default 5. P-GAN
# trains briefly (``n_iter=200``) to keep this example fast.
pipe = Pipeline([("sampler", "passthrough"), ("svm", SVC())])
param_grid = {
    "sampler": [
        "passthrough",
        SMOTE(k_neighbors=3, random_state=0),
        SVMSMOTE(k_neighbors=3, random_state=0),
        PolarityGANSampler(
            n_iter=200, batch_size=64, device="cpu", random_state=0,
            gan_params={"autoencoder_steps": 100},
        ),
    ],
}
cv = StratifiedKFold(n_splits=3, shuffle=True, random_state=0)
search = GridSearchCV(pipe, param_grid, scoring="f1_macro", cv=cv, n_jobs=1)
search.fit(data.X_train, data.y_train)

names = ["none", "SMOTE", "SVM-SMOTE", "P-GAN"]
results = pd.DataFrame(
    {
        "sampler": names,
        "mean macro-F1": search.cv_results_["mean_test_score"],
        "std": search.cv_results_["std_test_score"],
        "fit time (s)": search.cv_results_["mean_fit_time"],
    }
)
print(results.round(3).to_string(index=False))
print("best:", names[search.best_index_])

# %%
# The cross-validated scores
# --------------------------
fig, ax = plt.subplots(figsize=(6, 3))
ax.errorbar(results["mean macro-F1"], names, xerr=results["std"], fmt="o", capsize=4)
ax.set_xlabel("macro-F1, 3-fold cross-validation (mean and std)")
ax.set_ylim(len(names) - 0.5, -0.5)
ax.grid(axis="x", alpha=0.3)
fig.tight_layout()

# %%
# The winner against SMOTE-SVM on the test set
# --------------------------------------------
# ``search`` was refitted on the whole training set with the best sampler.
# The SMOTE-SVM baseline is fitted the same way.
smote_svm = Pipeline([("sampler", SMOTE(k_neighbors=5, random_state=0)), ("svm", SVC())])
smote_svm.fit(data.X_train, data.y_train)
for name, model in [("SMOTE-SVM", smote_svm), (f"best ({names[search.best_index_]})", search)]:
    score = f1_score(data.y_test, model.predict(data.X_test), average="macro")
    print(f"{name:>18}: test macro-F1 {score:.3f}")

# %%
# The grid can of course also tune P-GAN's own parameters, e.g.
# ``{"sampler": [PolarityGANSampler(...)], "sampler__classifier_weight":
# [0.5, 1.0, 2.0]}``; every P-GAN candidate trains once per fold, so such
# grids are best run on a GPU (``device="cuda"``).
