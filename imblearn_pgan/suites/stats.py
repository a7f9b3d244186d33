"""How the oversampling field aggregates a many-data-set comparison.

Kovács (2019) and most KEEL studies rank the samplers in every (data set,
classifier) cell, average the ranks, and test one sampler against each other
one with the Wilcoxon signed-rank test over the cells.
"""

import numpy as np
import pandas as pd
from scipy.stats import wilcoxon

__all__ = ["average_ranks", "cell_means", "cell_ranks", "compare_with"]

#: Differences at most this large count as ties in win/tie/loss counts.
TIE_TOLERANCE = 1e-9


def cell_means(folds, metric):
    """Mean of ``metric`` over the folds of every (data set, classifier, method).

    Parameters
    ----------
    folds : pandas.DataFrame
        One row per data set, fold, method and classifier, with columns
        ``dataset``, ``classifier``, ``method`` and ``metric``.
    metric : str
        The score column (higher is better).

    Returns
    -------
    means : pandas.DataFrame
        Index (dataset, classifier), one column per method.
    """
    means = folds.groupby(["dataset", "classifier", "method"], sort=False)[metric].mean()
    table = means.unstack("method")
    return table[list(dict.fromkeys(folds["method"]))]


def cell_ranks(means):
    """Rank of every method in every cell of ``means`` (as :func:`cell_means` gives it):
    1 is the best, ties share the average, a missing score ranks only the others."""
    return means.rank(axis=1, ascending=False, method="average")


def average_ranks(means):
    """Average rank of every method, over all cells and per classifier.

    Parameters
    ----------
    means : pandas.DataFrame
        As returned by :func:`cell_means`.

    Returns
    -------
    table : pandas.DataFrame
        One row per method, sorted best first: column ``all`` (over every
        cell), then one column per classifier.
    """
    ranks = cell_ranks(means)
    table = pd.DataFrame({"all": ranks.mean()})
    for classifier, part in ranks.groupby(level="classifier", sort=False):
        table[classifier] = part.mean()
    return table.sort_values("all")


def compare_with(means, reference):
    """Wilcoxon signed-rank test and win/tie/loss counts of one method against each.

    Parameters
    ----------
    means : pandas.DataFrame
        As returned by :func:`cell_means`.
    reference : str
        The method compared with every other one, cell by cell.

    Returns
    -------
    table : pandas.DataFrame
        One row per other method: ``cells`` (paired cells), ``wins``,
        ``ties``, ``losses`` of ``reference``, ``median_diff`` and
        ``mean_diff`` (reference minus other), ``p_two_sided`` and
        ``p_greater`` (the alternative that ``reference`` scores higher).
        The p-values are NaN when every difference is zero.
    """
    rows = []
    for other in means.columns:
        if other == reference:
            continue
        pair = means[[reference, other]].dropna()
        diff = (pair[reference] - pair[other]).to_numpy()
        wins = int((diff > TIE_TOLERANCE).sum())
        losses = int((diff < -TIE_TOLERANCE).sum())
        nonzero = np.abs(diff) > TIE_TOLERANCE
        if nonzero.any():
            p_two = float(wilcoxon(diff[nonzero]).pvalue)
            p_greater = float(wilcoxon(diff[nonzero], alternative="greater").pvalue)
        else:
            p_two = p_greater = float("nan")
        rows.append({
            "method": other, "cells": len(diff), "wins": wins,
            "ties": len(diff) - wins - losses, "losses": losses,
            "median_diff": float(np.median(diff)) if len(diff) else float("nan"),
            "mean_diff": float(np.mean(diff)) if len(diff) else float("nan"),
            "p_two_sided": p_two, "p_greater": p_greater,
        })
    columns = ["method", "cells", "wins", "ties", "losses", "median_diff", "mean_diff",
               "p_two_sided", "p_greater"]
    return pd.DataFrame(rows, columns=columns).set_index("method")
