"""fit_resample's time on the pretrained features themselves (no PCA): P-GAN against SVMSMOTE.

Fashion-MNIST's paper profile (seed 0), ImageEmbedder's 1280-d EfficientNet-Lite0
features at 112 px (read from the embedding cache that ``pgan-benchmark
--features pretrained`` fills), one thread, one fit each of P-GAN (its
defaults), SVMSMOTE and SMOTE::

    python benchmarks/embedding_fit_time.py --out benchmarks/results/embedding-fit-time

Needs the optional extra ``pretrained`` and Fashion-MNIST's files.
"""

import argparse
import time
from pathlib import Path

import pandas as pd
from imblearn.over_sampling import SMOTE, SVMSMOTE
from threadpoolctl import threadpool_limits

from imblearn_pgan import PolarityGANSampler
from imblearn_pgan._core import torch_threads
from imblearn_pgan.datasets import load_benchmark_data
from imblearn_pgan.suites.features import extract_features
from imblearn_pgan.suites.provenance import run_meta, write_meta


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--image-size", type=int, default=112)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    started = time.time()
    data = load_benchmark_data("fashion-mnist", profile="paper", random_state=0)
    X, _, description = extract_features(data, "pretrained",
                                         pretrained_image_size=args.image_size,
                                         embedding_cache="auto", random_state=0)
    samplers = {"pgan": PolarityGANSampler(random_state=0), "svmsmote": SVMSMOTE(random_state=0),
                "smote": SMOTE(random_state=0)}
    rows = []
    with torch_threads(1), threadpool_limits(limits=1):
        for name, sampler in samplers.items():
            start = time.perf_counter()
            X_res, _ = sampler.fit_resample(X, data.y_train)
            rows.append({"sampler": name, "rows": X.shape[0], "features": X.shape[1],
                         "synthetic": X_res.shape[0] - X.shape[0],
                         "fit_s": time.perf_counter() - start})
            print(rows[-1], flush=True)
    frame = pd.DataFrame(rows)
    print(description)
    print(frame.round(2).to_string(index=False))
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        frame.to_csv(args.out / "fit_time.csv", index=False)
        write_meta(args.out, run_meta(started, {"image_size": args.image_size,
                                                "features": description}, device="cpu"))


if __name__ == "__main__":
    main()
