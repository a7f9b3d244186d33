"""Time of P-GAN's ``fit_resample`` on the dev tables, native categorical columns.

The tables suite's goal: a 5,000-row table with about 20 columns (mlc_churn)
fits in at most 10 s on one CPU thread. Run it on an idle machine::

    python benchmarks/table_fit_time.py --out benchmarks/results/table-fit-time
"""

import time

import pandas as pd

from imblearn_pgan import PolarityGANSampler
from imblearn_pgan.suites.provenance import run_meta, write_meta
from imblearn_pgan.suites.tables import imputed_tables, table_study_arguments


def main(argv=None):
    args = table_study_arguments(__doc__.splitlines()[0], argv)
    started = time.time()
    rows = []
    for name, table, X in imputed_tables(args.datasets):  # imputed: this times the sampler
        for seed in range(args.seeds):
            sampler = PolarityGANSampler(categorical_features="auto", discrete_features="auto",
                                         random_state=seed)
            start = time.perf_counter()
            sampler.fit_resample(X, table.target)
            rows.append({"dataset": name, "rows": X.shape[0], "columns": X.shape[1],
                         "seed": seed,
                         "n_iter": sampler.n_iter_, "fit_s": time.perf_counter() - start})
            print(rows[-1], flush=True)
    frame = pd.DataFrame(rows)
    frame.to_csv(args.out / "fit_time.csv", index=False)
    summary = frame.groupby("dataset", sort=False)["fit_s"].agg(["mean", "std", "max"]).round(2)
    print(summary.to_string())
    summary.to_csv(args.out / "summary.csv")
    write_meta(args.out, run_meta(started, {"datasets": args.datasets, "seeds": args.seeds},
                                  device="cpu"))


if __name__ == "__main__":
    main()
