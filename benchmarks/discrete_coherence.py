"""How often P-GAN's rows combine discrete values that no real row of the class has.

P-GAN takes each categorical, flag and count column of a synthetic row from
one of its anchors. With ``discrete_draw="column"`` each column draws its own
anchor, so a row can take a plan from one customer and the plan's usage from
another; with ``"row"`` one anchor gives them all. For each dev table of the
tables suite and each seed, P-GAN is fitted on the whole imputed table, and
``unseen_share`` is the share of synthetic minority rows whose tuple of
categorical and discrete values matches no real minority row.

::

    python benchmarks/discrete_coherence.py --out benchmarks/results/discrete-coherence
"""

import time

import pandas as pd

from imblearn_pgan import PolarityGANSampler
from imblearn_pgan.suites.provenance import run_meta, write_meta
from imblearn_pgan.suites.tables import table_study_arguments, table_study_cells

DRAWS = ("column", "row")


def unseen_share(X, y, draw, seed):
    """Share of synthetic minority rows whose discrete tuple no real minority row has."""
    sampler = PolarityGANSampler(categorical_features="auto", discrete_features="auto",
                                 gan_params={"discrete_draw": draw}, random_state=seed)
    X_res, y_res = sampler.fit_resample(X, y)
    columns = X.columns[sorted([*sampler.categorical_features_, *sampler.discrete_features_])]
    minority = y_res[len(X):][0]
    real = set(map(tuple, X.loc[y == minority, columns].astype(str).to_numpy()))
    synthetic = X_res.iloc[len(X):][columns].astype(str).to_numpy()
    return sum(tuple(row) not in real for row in synthetic) / len(synthetic), len(columns)


def main(argv=None):
    args = table_study_arguments(__doc__.splitlines()[0], argv)
    started = time.time()
    records = []
    for name, table, X, seed, draw in table_study_cells(args, DRAWS):
        share, n_columns = unseen_share(X, table.target, draw, seed)
        records.append({"dataset": name, "seed": seed, "discrete_draw": draw,
                        "discrete_columns": n_columns, "unseen_share": share})
        print(records[-1], flush=True)
    runs = pd.DataFrame(records)
    runs.to_csv(args.out / "runs.csv", index=False)
    summary = runs.pivot_table(index=["dataset", "discrete_columns"], columns="discrete_draw",
                               values="unseen_share", aggfunc=["mean", "std"]).round(4)
    (args.out / "results.md").write_text(
        "# Synthetic minority rows whose discrete columns match no real minority row\n\n"
        f"```\npython benchmarks/discrete_coherence.py --out {args.out}\n```\n\n"
        f"Mean and std over {args.seeds} seeds:\n\n```\n{summary.to_string()}\n```\n")
    print(summary.to_string())
    write_meta(args.out, run_meta(started, {"datasets": args.datasets, "seeds": args.seeds},
                                  device="cpu"))


if __name__ == "__main__":
    main()
