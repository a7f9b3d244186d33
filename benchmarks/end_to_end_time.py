"""Where end-to-end P-GAN's fit time goes, against LDAM-DRW's, on one dev image set.

``PolarityGANClassifier`` as the benchmark's ``pgan-cnn`` row builds it (the
small CNN, ``epochs`` as the CNN rows, learning rate 1e-3; with ``--paper``,
as the ``pgan-cnn-paper`` row, the paper's schedule), one seed, its
stages timed: the warm-up, the autoencoder, and in the rounds F's updates
(step 2), the re-embedding of all training images, the refit of G's latent
codes and the GAN steps (steps 3–12). ``CNNClassifier(loss="ldam-drw")``
with the same epochs is timed beside it::

    python benchmarks/end_to_end_time.py --dataset digits --epochs 100 \\
        --out benchmarks/results/end-to-end-time-digits
    python benchmarks/end_to_end_time.py --dataset fashion-mnist --epochs 10 \\
        --out benchmarks/results/end-to-end-time-fashion

It writes ``times.json`` (seconds per part, and calls) and ``meta.json``.
"""

import argparse
import json
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

from imblearn_pgan.suites.methods import CNN_LEARNING_RATE, PAPER_END_TO_END
from imblearn_pgan.suites.provenance import run_meta, write_meta
from imblearn_pgan import CNNClassifier
from imblearn_pgan.datasets import load_benchmark_data
from imblearn_pgan.images import end_to_end
from imblearn_pgan.polarity import PolarityGAN

# The timed parts: (class, method, name); embeds inside a round count apart.
PARTS = [(end_to_end._EndToEnd, "warmup_step", "warm-up (F and C)"),
         (end_to_end._EndToEnd, "embed", "embedding all images"),
         (end_to_end._EndToEnd, "round_step", "rounds"),
         (PolarityGAN, "autoencoder_step", "autoencoder"),
         (PolarityGAN, "fit_latent", "rounds: G's latent refit"),
         (PolarityGAN, "gan_step", "rounds: GAN steps (C, D and G)")]


@contextmanager
def timed_parts():
    """Patch each part to add its seconds and calls to the yielded counters."""
    seconds, calls, inside = Counter(), Counter(), {"round": False}
    originals = [(cls, name, getattr(cls, name)) for cls, name, _ in PARTS]

    def wrap(method, label):
        def timed(self, *args, **kwargs):
            if method.__name__ == "round_step":
                inside["round"] = True
            key = ("rounds: " + label) if method.__name__ == "embed" and inside["round"] else label
            start = time.perf_counter()
            try:
                return method(self, *args, **kwargs)
            finally:
                seconds[key] += time.perf_counter() - start
                calls[key] += 1
                if method.__name__ == "round_step":
                    inside["round"] = False
        return timed

    for (cls, name, label), (_, _, method) in zip(PARTS, originals):
        setattr(cls, name, wrap(method, label))
    try:
        yield seconds, calls
    finally:
        for cls, name, method in originals:
            setattr(cls, name, method)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", default="digits", choices=["digits", "fashion-mnist"])
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--paper", action="store_true",
                        help="time the pgan-cnn-paper row's settings instead of the defaults")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    started = time.time()
    data = load_benchmark_data(args.dataset)
    X, y = data.images_train, data.y_train
    common = dict(epochs=args.epochs, learning_rate=CNN_LEARNING_RATE, device="cpu",
                  random_state=args.seed)

    settings = PAPER_END_TO_END if args.paper else {}
    model = end_to_end.PolarityGANClassifier(feature_extractor="cnn", **settings, **common)
    with timed_parts() as (seconds, calls):
        start = time.perf_counter()
        model.fit(X, y)
        total = time.perf_counter() - start
    parts = dict(seconds)
    # F's updates of step 2: what a round spends outside its embedding and GAN parts.
    parts["rounds: F updates (step 2)"] = parts["rounds"] - sum(
        v for k, v in seconds.items() if k.startswith("rounds: "))
    start = time.perf_counter()
    CNNClassifier(loss="ldam-drw", **common).fit(X, y)
    ldam_s = time.perf_counter() - start

    result = {"dataset": args.dataset, "images": len(y), "epochs": args.epochs,
              "pgan_cnn_fit_s": total, "ldam_drw_fit_s": ldam_s, "ratio": total / ldam_s,
              "warmup_steps": model.warmup_steps_, "feature_steps": model.feature_steps_,
              "n_rounds": model.n_rounds, "gan_steps": model.gan_steps,
              "settings": {k: model.get_params()[k]
                           for k in ("classifier_loss", "classifier_head", "gan_start")},
              "parts_s": {k: round(v, 3) for k, v in sorted(parts.items())},
              "calls": dict(sorted(calls.items()))}
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "times.json").write_text(json.dumps(result, indent=1) + "\n")
    write_meta(args.out, run_meta(started, {"arguments": {k: str(v) for k, v in vars(args).items()}}))
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
