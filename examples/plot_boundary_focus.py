"""
===========================================
Where SMOTE and P-GAN put their new points
===========================================

Both SMOTE and P-GAN make new minority rows inside the convex hull of the
rows of their class: SMOTE by interpolating between a row and one of its
nearest neighbours, P-GAN by a learned convex combination of the class's
rows (eq. 3 of the paper). They differ in *where* in the hull the points
land. SMOTE spreads them over the whole class; P-GAN's generator plays
against a classifier, which pulls its points toward the region where the
classes meet, while its critic keeps them on the class's own distribution.

This example draws both on a 2-D toy problem with three overlapping,
imbalanced Gaussian blobs, and measures how close the new points are to the
other classes. It also shows what P-GAN's uncertainty filter (§5) does to
the generator's draws.
"""

# %%
# An imbalanced toy problem
# -------------------------
# A majority class of 400 rows and two minority classes of 60 and 30 rows
# that overlap with it.
import matplotlib.pyplot as plt
import numpy as np
from imblearn.over_sampling import SMOTE
from scipy.spatial import ConvexHull
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import NearestNeighbors
from threadpoolctl import threadpool_limits

from imblearn_pgan import PolarityGANSampler
from imblearn_pgan.uncertainty import entropy

# Small models: one BLAS/OpenMP thread is the fastest, and many times faster on a busy machine.
threadpool_limits(1)

rng = np.random.default_rng(0)
centres = np.array([[0.0, 0.0], [2.0, 0.0], [1.0, 1.8]])
sizes, spreads = (400, 60, 30), (1.0, 0.7, 0.7)
X = np.concatenate([c + s * rng.normal(size=(n, 2)) for c, n, s in zip(centres, sizes, spreads)])
y = np.repeat([0, 1, 2], sizes)
print("rows per class:", np.bincount(y))

# %%
# Oversample with SMOTE and with P-GAN
# ------------------------------------
# Both samplers return the original rows first, then the new ones, so the
# synthetic rows are ``X_res[len(X):]``. P-GAN trains for a fixed
# ``n_iter=400`` here; the default, ``"auto"``, sizes the steps to the data.
#
# P-GAN is run three times with the same seed, so with the same trained
# networks: with its default entropy filter, with the margin filter, and
# without a filter (``uncertainty=None``: the generator's raw draws). The
# filters keep the half of twice as many candidates that P-GAN's classifier
# is least sure about (``pool_factor``, a ``gan_params`` setting, 2).
X_smote, y_smote = SMOTE(random_state=0).fit_resample(X, y)
new = {"SMOTE": (X_smote[len(X):], y_smote[len(X):])}

for uncertainty in [None, "entropy", "margin"]:
    pgan = PolarityGANSampler(
        uncertainty=uncertainty,
        n_iter=400,
        gan_params={"autoencoder_steps": 200},
        batch_size=64,
        device="cpu",
        random_state=0,
    )
    X_pgan, y_pgan = pgan.fit_resample(X, y)
    new[f"P-GAN, uncertainty={uncertainty!r}"] = (X_pgan[len(X):], y_pgan[len(X):])

for name, (X_new, y_new) in new.items():
    labels, counts = np.unique(y_new, return_counts=True)
    print(f"{name}: new rows per class {dict(zip(labels.tolist(), counts.tolist()))}")

# %%
# The picture
# -----------
# The background shows the decision regions of a logistic regression fitted
# on the original rows; the outlines are the convex hulls of the two minority
# classes. Real rows are small dots, new rows are crosses. The raw draws
# (top right) show where P-GAN's generator puts its points; the two filtered
# panels keep a subset of such draws, the ones its classifier finds most
# uncertain.
reference = LogisticRegression().fit(X, y)
xx, yy = np.meshgrid(np.linspace(-3.5, 4.5, 300), np.linspace(-3.5, 4.5, 300))
regions = reference.predict(np.c_[xx.ravel(), yy.ravel()]).reshape(xx.shape)
colours = np.array(["tab:blue", "tab:orange", "tab:green"])

fig, axes = plt.subplots(2, 2, figsize=(10, 10), sharex=True, sharey=True)
for ax, (name, (X_new, y_new)) in zip(axes.flat, new.items()):
    ax.contourf(xx, yy, regions, levels=[-0.5, 0.5, 1.5, 2.5], colors=colours, alpha=0.08)
    ax.scatter(X[:, 0], X[:, 1], c=colours[y], s=6, alpha=0.5, linewidths=0)
    ax.scatter(X_new[:, 0], X_new[:, 1], c=colours[y_new], s=18, marker="x", linewidths=0.8)
    for k in (1, 2):
        rows = X[y == k]
        hull = rows[ConvexHull(rows).vertices]
        ax.fill(hull[:, 0], hull[:, 1], fill=False, edgecolor=colours[k], linewidth=1.2)
    ax.set_title(name)
    ax.set_xlim(-3.5, 4.5)
    ax.set_ylim(-3.5, 4.5)
    ax.set_aspect("equal")
fig.tight_layout()

# %%
# How close to the other classes?
# -------------------------------
# For each new row, the distance to the nearest real row of *another* class,
# and the entropy of the reference classifier's prediction (eq. 10: 0 for a
# confident prediction, 1 for a coin flip), and the spread of the rows within
# their class (standard deviation, averaged over coordinates and classes;
# near 0 means the rows pile up on one spot). The same numbers for the real
# minority rows give the scale.

def distance_to_other_classes(X_new, y_new):
    out = np.empty(len(X_new))
    for k in np.unique(y_new):
        nn = NearestNeighbors(n_neighbors=1).fit(X[y != k])
        out[y_new == k] = nn.kneighbors(X_new[y_new == k])[0].ravel()
    return out


minority = y > 0
rows = {"real minority rows": (X[minority], y[minority]), **new}
distances = {name: distance_to_other_classes(*xy) for name, xy in rows.items()}
for name, (X_new, y_new) in rows.items():
    h = entropy(reference.predict_proba(X_new))
    spread = np.mean([X_new[y_new == k].std(axis=0).mean() for k in (1, 2)])
    print(
        f"{name:>33}: distance to other class {np.median(distances[name]):.3f} (median), "
        f"entropy {h.mean():.3f} (mean), spread {spread:.3f}"
    )

fig, ax = plt.subplots(figsize=(8, 3.5))
bins = np.linspace(0, max(d.max() for d in distances.values()), 30)
for name, d in distances.items():
    ax.hist(d, bins=bins, histtype="step", density=True, linewidth=1.5, label=name)
ax.set_xlabel("distance to the nearest real row of another class")
ax.set_ylabel("density")
ax.legend()
fig.tight_layout()

# sphinx_gallery_thumbnail_number = 1
