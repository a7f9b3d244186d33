"""Where end-to-end P-GAN's fakes act: on F's features or only on C?

``PolarityGANClassifier`` trains F on real images only (Algorithm 1, step 2);
G's points live in F's feature space and reach F only through C. This script
separates the two. For each seed it trains, with the same CNN and budget as
the ``pgan-cnn-paper`` row of ``pgan-benchmark`` (``--epochs`` passes worth of F
updates, learning rate 1e-3):

- ``pgan-cnn``: Algorithm 1 in full (F, C, D and G);
- ``pgan-cnn-no-fakes``: the same schedule with D and G left out (``resample=False``);
- ``cnn-ce``: the CNN with plain cross-entropy (``CNNClassifier``);
- ``cnn-ldam-drw``: the CNN with LDAM-DRW;
- with ``--models``, also variants of the schedule and of C's losses
  (``pgan-cnn-balanced-fakes``: ``fake_weight="balanced"``;
  ``pgan-cnn-gan-steps-20``; ``pgan-cnn-n-critic-5``), and
  ``PolarityGANClassifier``'s current defaults with and without D and G
  (``pgan-cnn-defaults``, ``pgan-cnn-defaults-no-fakes``),

and scores on the balanced test set (macro-F1): the model's own predictions,
and two classifiers fitted on its frozen training features: a logistic
regression, and one with ``class_weight="balanced"``. If the fakes shaped F,
``pgan-cnn``'s features would beat ``pgan-cnn-no-fakes``' under the same
probe; if they helped C, its own score would beat the no-fakes C::

    python benchmarks/end_to_end_diagnostics.py --dataset digits --epochs 100 \
        --out benchmarks/results/end-to-end-diagnostics-digits
"""

import argparse
import json
import shlex
import sys
import time
import warnings
from pathlib import Path

import pandas as pd
import torch
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from imblearn_pgan.suites.methods import CNN_LEARNING_RATE, PAPER_END_TO_END
from imblearn_pgan.suites.provenance import estimator_settings, run_meta, write_meta
from imblearn_pgan import CNNClassifier, PolarityGANClassifier
from imblearn_pgan.datasets import load_benchmark_data


def models(epochs, seed):
    """The models of the study by name, all on the same CNN and F budget."""
    common = dict(learning_rate=CNN_LEARNING_RATE, device="cpu", random_state=seed)
    # The paper's schedule and C, the pgan-cnn-paper row's (the default before #23's study).
    defaults = dict(feature_extractor="cnn", epochs=epochs, **common)
    pgan = dict(**defaults, **PAPER_END_TO_END)
    return {
        "pgan-cnn": lambda: PolarityGANClassifier(**pgan),
        "pgan-cnn-no-fakes": lambda: PolarityGANClassifier(resample=False, **pgan),
        "pgan-cnn-balanced-fakes": lambda: PolarityGANClassifier(fake_weight="balanced",
                                                                 **pgan),
        "pgan-cnn-gan-steps-20": lambda: PolarityGANClassifier(gan_steps=20, **pgan),
        "pgan-cnn-n-critic-5": lambda: PolarityGANClassifier(
            sampler_params={"n_critic": 5}, **pgan),
        # PolarityGANClassifier's current defaults (the pgan-cnn row of pgan-benchmark).
        "pgan-cnn-defaults": lambda: PolarityGANClassifier(**defaults),
        "pgan-cnn-defaults-no-fakes": lambda: PolarityGANClassifier(resample=False, **defaults),
        "cnn-ce": lambda: CNNClassifier(epochs=epochs, **common),
        "cnn-ldam-drw": lambda: CNNClassifier(loss="ldam-drw", epochs=epochs, **common),
    }


DEFAULT_MODELS = "pgan-cnn,pgan-cnn-no-fakes,cnn-ce,cnn-ldam-drw"


def probe(features_train, y_train, features_test, y_test, seed, **kwargs):
    """Macro-F1 of a logistic regression fitted on frozen features."""
    lr = LogisticRegression(max_iter=2000, random_state=seed, **kwargs)
    model = make_pipeline(StandardScaler(), lr).fit(features_train, y_train)
    return f1_score(y_test, model.predict(features_test), average="macro")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", default="digits")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--models", default=DEFAULT_MODELS,
                        help=f"comma list from {', '.join(models(1, 0))} "
                        f"(default: {DEFAULT_MODELS})")
    parser.add_argument("--out", default=None)
    args = parser.parse_args(argv)
    started = time.time()
    command = shlex.join(["python", "benchmarks/end_to_end_diagnostics.py",
                          *(sys.argv[1:] if argv is None else argv)])
    torch.set_num_threads(1)

    records = []
    for seed in range(args.seeds):
        data = load_benchmark_data(args.dataset, profile="paper", random_state=seed)
        registry = models(args.epochs, seed)
        for name in args.models.split(","):
            model = registry[name]()
            start = time.perf_counter()
            model.fit(data.images_train, data.y_train)
            fit_s = time.perf_counter() - start
            F_train, F_test = model.transform(data.images_train), model.transform(data.images_test)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                lr = probe(F_train, data.y_train, F_test, data.y_test, seed)
                lr_balanced = probe(F_train, data.y_train, F_test, data.y_test, seed,
                                    class_weight="balanced")
            own = f1_score(data.y_test, model.predict(data.images_test), average="macro")
            records.append({"model": name, "seed": seed, "own": own, "lr_on_f": lr,
                            "balanced_lr_on_f": lr_balanced, "fit_s": fit_s})
            print(json.dumps(records[-1]), flush=True)

    results = pd.DataFrame(records)
    summary = results.groupby("model", sort=False)[["own", "lr_on_f", "balanced_lr_on_f",
                                                     "fit_s"]].agg(["mean", "std"])
    lines = [f"# End-to-end diagnostics: {args.dataset}, {args.epochs} epochs, "
             f"{args.seeds} seeds (macro-F1 on the balanced test set, mean ± std)", "",
             f"`{command}`",
             "",
             "| model | own predictions | LR on F | balanced LR on F | fit s |",
             "|---|---|---|---|---|"]
    for model, row in summary.iterrows():
        cells = [f"{row[(c, 'mean')]:.3f} ± {row[(c, 'std')]:.3f}"
                 for c in ("own", "lr_on_f", "balanced_lr_on_f")]
        lines.append(f"| {model} | {' | '.join(cells)} | {row[('fit_s', 'mean')]:.1f} |")
    text = "\n".join(lines)
    print(text)
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        results.to_csv(out / "diagnostics.csv", index=False)
        (out / "diagnostics.md").write_text(text + "\n", encoding="utf-8")
        registry = models(args.epochs, 0)
        write_meta(out, run_meta(started, {
            "arguments": vars(args),
            # The first seed's; random_state follows the seed.
            "model_settings": {name: estimator_settings(registry[name]())
                               for name in args.models.split(",")},
            "probes": "LogisticRegression(max_iter=2000) on standardised frozen features, "
                      "plain and class_weight='balanced'"}, command=command, device="cpu"))


if __name__ == "__main__":
    main()
