"""P-GAN on data larger than a worker's memory: a Dask LocalCluster, output to disk.

X (float32, two Gaussian classes, 5 % minority) is generated lazily by the
workers, resampled by ``PolarityGANSampler.fit_resample`` on the Dask arrays,
and the output is written chunk by chunk with ``dask.array.to_npy_stack``.
Reports the time of the fit (one pass over the chunks, then training on the
client) and of computing and writing the output, each worker's peak memory
(``VmHWM``, Linux) and whether any worker was restarted. The benchmark page's
run::

    python benchmarks/dask_cluster.py --rows 20000000 --features 64 --chunk 100000 \\
        --workers 2 --memory-limit 1GB --out benchmarks/results/dask-20m

A worker that has imported torch holds about 700 MB before any task, so
with a 1 GB limit Dask's default pause at 80 % would stop it most of the
time: the pause is moved to 90 %; the nanny still restarts a worker at
95 %, and the run reports any restart.

The output (about twice the input) goes to ``--scratch`` and is deleted
afterwards unless ``--keep`` is given.
"""

import argparse
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np


def worker_memory():
    """RSS and peak RSS of a worker (``VmHWM``: ``ru_maxrss`` would start at the
    peak of the process that spawned it)."""
    status = dict(line.split(":", 1) for line in open("/proc/self/status"))
    return {"rss_mb": int(status["VmRSS"].split()[0]) / 1024,
            "peak_mb": int(status["VmHWM"].split()[0]) / 1024, "pid": os.getpid()}


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=lambda s: int(float(s)), default=20_000_000)
    parser.add_argument("--features", type=int, default=64)
    parser.add_argument("--chunk", type=int, default=100_000, help="rows per chunk")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--memory-limit", default="1GB", help="per worker")
    parser.add_argument("--scratch", type=Path, default=None,
                        help="folder for the output (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the written output")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()

    import dask
    import dask.array as da
    from dask.utils import parse_bytes
    from distributed import Client, LocalCluster

    from imblearn_pgan import PolarityGANSampler
    from imblearn_pgan.suites.provenance import estimator_settings, run_meta, write_meta

    started = time.time()
    scratch = Path(tempfile.mkdtemp(dir=args.scratch))
    n, d = args.rows, args.features
    data_bytes = n * d * 4
    result = {"rows": n, "features": d, "chunk_rows": args.chunk, "workers": args.workers,
              "memory_limit_per_worker_gb": parse_bytes(args.memory_limit) / 1e9,
              "data_gb": data_bytes / 1e9,
              "limit_over_data": parse_bytes(args.memory_limit) / data_bytes}
    dask.config.set({"distributed.worker.memory.pause": 0.9})
    try:
        with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                          memory_limit=args.memory_limit, dashboard_address=None) as cluster, \
                Client(cluster) as client:
            pids = {w: m["pid"] for w, m in client.run(worker_memory).items()}
            X = da.random.default_rng(0).standard_normal(size=(n, d), chunks=(args.chunk, d),
                                                         dtype=np.float32)
            y = (da.random.default_rng(1).random(n, chunks=args.chunk) < 0.05).astype(np.int8)
            X = X + y[:, None].astype(np.float32)
            sampler = PolarityGANSampler(random_state=0)
            start = time.perf_counter()
            X_res, y_res = sampler.fit_resample(X, y)
            result["fit_s"] = time.perf_counter() - start
            start = time.perf_counter()
            da.to_npy_stack(scratch / "X", X_res)
            da.to_npy_stack(scratch / "y", y_res)
            result["write_s"] = time.perf_counter() - start
            memory = client.run(worker_memory)
            result["peak_worker_mb"] = max(m["peak_mb"] for m in memory.values())
            result["worker_peaks_mb"] = sorted(m["peak_mb"] for m in memory.values())
            result["workers_restarted"] = sum(memory[w]["pid"] != p for w, p in pids.items()
                                              if w in memory) + len(set(pids) - set(memory))
            result["output_rows"] = int(X_res.shape[0])
            result["output_gb"] = X_res.shape[0] * (d * 4 + 1) / 1e9
            result["n_iter"] = int(sampler.n_iter_)
            settings = estimator_settings(sampler)
        result["total_s"] = result["fit_s"] + result["write_s"]
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)
    print(json.dumps(result, indent=1))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "result.json").write_text(json.dumps(result, indent=1) + "\n")
    write_meta(args.out, run_meta(started, {"arguments": {k: str(v) for k, v in
                                                          vars(args).items()},
                                            "sampler": settings}, device="cpu"))


if __name__ == "__main__":
    main()
