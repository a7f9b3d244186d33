"""Fingerprints of seeded outputs: a sha256 per sampler, baseline and classifier.

A refactor that must not move any published score runs this before and after and
compares the two files (``diff``): every line must be equal. Tiny settings, one
torch thread, the CPU, a few seconds.

    python benchmarks/output_fingerprints.py > before.txt
"""

import hashlib
import warnings

import numpy as np
import pandas as pd
import torch
from sklearn.datasets import load_digits, make_classification

from imblearn_pgan import (ACGANSampler, BAGANSampler, CGANSampler, ConvexRandomSampler,
                           PolarityGANClassifier, PolarityGANSampler, WGANGPSampler)

SMALL = dict(n_iter=6, batch_size=32, hidden_dim=16, device="cpu",
             gan_params=dict(autoencoder_steps=6))


def digest(*arrays):
    h = hashlib.sha256()
    for a in arrays:
        a = np.asarray(a)
        h.update(str(a.dtype).encode() + str(a.shape).encode())
        h.update(a.astype(str).tobytes() if a.dtype == object else np.ascontiguousarray(a).tobytes())
    return h.hexdigest()[:16]


def table():
    rng = np.random.default_rng(0)
    n = 120
    frame = pd.DataFrame({
        "num": rng.normal(size=n),
        "count": rng.integers(0, 6, size=n),
        "flag": rng.integers(0, 2, size=n),
        "plan": rng.choice(["a", "b", "c"], size=n),
    })
    return frame, np.r_[np.zeros(100, int), np.ones(20, int)]


def main():
    torch.set_num_threads(1)
    warnings.simplefilter("ignore")
    X, y = make_classification(n_samples=200, n_features=6, weights=[0.8, 0.15, 0.05],
                               n_informative=4, n_classes=3, random_state=0)
    frame, y_table = table()
    rows = {
        "pgan": PolarityGANSampler(random_state=0, **SMALL).fit_resample(X, y),
        "pgan-default-sizes": PolarityGANSampler(random_state=1, device="cpu", n_iter=10)
        .fit_resample(X, y),
        "pgan-top": PolarityGANSampler(random_state=0, selection="top", **SMALL)
        .fit_resample(X, y),
        "pgan-raw": PolarityGANSampler(random_state=0, uncertainty=None, **SMALL)
        .fit_resample(X, y),
        "pgan-all-anchors": PolarityGANSampler(random_state=0, n_anchors=None, **SMALL)
        .fit_resample(X, y),
        "pgan-table": PolarityGANSampler(random_state=0, categorical_features=[3],
                                         discrete_features="auto", **SMALL)
        .fit_resample(frame, y_table),
        "convex-random": ConvexRandomSampler(random_state=0).fit_resample(X, y),
    }
    for cls in (BAGANSampler, ACGANSampler, WGANGPSampler, CGANSampler):
        rows[cls.__name__] = cls(random_state=0, n_iter=6, batch_size=32, hidden_dim=16,
                                 device="cpu").fit_resample(X, y)
    for name, (X_res, y_res) in rows.items():
        print(f"{name:20s} {digest(np.asarray(X_res, dtype=object) if name == 'pgan-table' else X_res, y_res)}")

    digits = load_digits()
    keep = np.concatenate([np.flatnonzero(digits.target == d)[:n] for d, n in
                           {0: 30, 1: 12, 2: 6}.items()])
    images, labels = digits.images[keep] / 16.0, digits.target[keep]
    clf = PolarityGANClassifier(n_rounds=2, warmup_steps=3, feature_steps=1, gan_steps=1,
                                batch_size=16, device="cpu", random_state=0,
                                sampler_params=dict(autoencoder_steps=2, hidden_dim=8))
    print(f"{'pgan-classifier':20s} {digest(clf.fit(images, labels).predict_proba(images))}")
    from imblearn_pgan import CNNClassifier
    for loss in ("ce", "ldam-drw"):
        cnn = CNNClassifier(epochs=2, batch_size=16, width=16, device="cpu", random_state=0,
                            loss=loss)
        print(f"{'cnn-' + loss:20s} {digest(cnn.fit(images, labels).predict_proba(images))}")


if __name__ == "__main__":
    main()
