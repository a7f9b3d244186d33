"""Milliseconds per P-GAN training iteration (one ``gan_step``) against batch size.

    python benchmarks/iteration_time.py --device cuda
    python benchmarks/iteration_time.py --device cpu --rows 2000 --features 64 --batch-sizes 64 256
    python benchmarks/iteration_time.py --device cuda --out benchmarks/results/iteration-time-cuda

The model is built as ``PolarityGANSampler._fit_resample`` builds it
(``TrainingData``, then the sampler's ``_build_model``) on the long-tailed
blobs of ``scaling.py``. The autoencoder stage is skipped: it changes the
weights, not the cost of a step. CUDA is timed with events, the CPU with
``time.perf_counter``, both after a warm-up.
"""

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from scaling import make_data  # benchmarks/ is on sys.path when run as a script

from imblearn_pgan import PolarityGANSampler
from imblearn_pgan._core import TrainingData, derive_seed, make_generator, resolve_device
from imblearn_pgan.suites.provenance import run_meta, write_meta


def build_model(X, y, batch_size, device):
    sampler = PolarityGANSampler(batch_size=batch_size, device=device, random_state=0)
    seed = derive_seed(sampler.random_state)
    counts = np.bincount(y)
    n_new = counts.max() - counts  # what sampling_strategy="auto" asks for
    data = TrainingData(X, y, len(counts), n_new, device)
    model = sampler._build_model(data, X, make_generator(seed, device), seed)
    model.fit_latent(0)
    model.train_mode(True)
    return model


def ms_per_step(model, device, warmup, steps):
    for step in range(warmup):
        model.gan_step(step)
    if device.type == "cuda":
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        torch.cuda.synchronize(device)
        start.record()
        for step in range(steps):
            model.gan_step(step)
        end.record()
        end.synchronize()
        return start.elapsed_time(end) / steps
    start = time.perf_counter()
    for step in range(steps):
        model.gan_step(step)
    return 1000 * (time.perf_counter() - start) / steps


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--device", default="auto")
    parser.add_argument("--rows", type=lambda s: int(float(s)), default=100_000)
    parser.add_argument("--features", type=int, default=512)
    parser.add_argument("--batch-sizes", type=int, nargs="+",
                        default=[64, 128, 256, 512, 1024, 4096])
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--steps", type=int, default=20, help="timed steps per batch size")
    parser.add_argument("--out", type=Path, default=None,
                        help="also write iteration_time.csv and meta.json to this folder")
    args = parser.parse_args()
    started = time.time()

    try:
        device = resolve_device(args.device)
    except ValueError as exc:
        parser.error(str(exc))
    X, y = make_data(args.rows, args.features)
    name = torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu"
    print(f"{name}, torch {torch.__version__}, {torch.get_num_threads()} CPU threads, "
          f"{len(y)} rows x {args.features} features\n")
    print("| batch_size | ms/iter | peak_cuda_mb |\n| --- | --- | --- |")
    rows = []
    for batch_size in args.batch_sizes:
        if device.type == "cuda":
            torch.cuda.empty_cache()
            torch.cuda.reset_peak_memory_stats(device)
        model = build_model(X, y, batch_size, device)
        ms = ms_per_step(model, device, args.warmup, args.steps)
        peak = (f"{torch.cuda.max_memory_allocated(device) / 2**20:.0f}"
                if device.type == "cuda" else "")
        print(f"| {batch_size} | {ms:.2f} | {peak} |", flush=True)
        rows.append({"batch_size": batch_size, "ms_per_iter": ms, "peak_cuda_mb": peak})
        del model
        if args.out is not None:  # after each size: a later one may run out of memory
            args.out.mkdir(parents=True, exist_ok=True)
            pd.DataFrame(rows).to_csv(args.out / "iteration_time.csv", index=False)
            write_meta(args.out, run_meta(started, {"arguments": vars(args),
                                                    "data_rows": len(y)}, device=device))


if __name__ == "__main__":
    main()
