"""The benchmark loop: data and features per seed, then every method and classifier."""

import contextlib
import os
import tempfile
import time
import warnings
from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from joblib import Memory, delayed
from threadpoolctl import threadpool_limits

from .._core import resolve_device, torch_threads
from ..datasets import load_benchmark_data
from .common import PartStore, check_names, run_tasks, runnable_methods
from .tuning import (NO_CLASS_WEIGHT, NO_PROBABILITIES, LogitAdjustedClassifier,
                     after_sampler, balanced, synthetic_count)
from .features import FEATURES, extract_features
from .methods import CLASSIFIERS, DATASET_GAN_PARAMS, METHODS, make_classifier
from .metrics import (
    PLACEMENT_COLUMNS,
    classification_metrics,
    placement,
    synthetic_uncertainty,
    timed_fit_resample,
)
from .provenance import estimator_settings, run_meta
from .report_images import write_report

__all__ = ["run_images"]

# Methods whose first-seed points are drawn in projection.png.
_PROJECTED = ("smote", "pgan")


@contextlib.contextmanager
def _thread_limit(n):
    """At most ``n`` threads in torch and in the BLAS / OpenMP pools, restored after."""
    if n is None:
        yield
        return
    with torch_threads(n), threadpool_limits(limits=n):
        yield


def _judge(X, y, seed):
    """The fixed classifier that scores every sampler's synthetic rows."""
    judge = LogisticRegression(max_iter=2000, random_state=seed)
    return make_pipeline(StandardScaler(), judge).fit(X, y)


def _describe_call(**kwargs):
    args = ", ".join(f"{k}={v!r}" for k, v in kwargs.items())
    return f"run_images({args})"


def _prepare_seed(data, seed, options):
    """Add the seed, the features and the judge to one seed's data Bunch."""
    data.seed = seed
    data.F_train, data.F_test, data.feature_description = extract_features(
        data, options["features"], pca=options["pca"], cnn_epochs=options["cnn_epochs"],
        resnet_arch=options["resnet_arch"], resnet_weights=options["resnet_weights"],
        resnet_image_size=options["resnet_image_size"],
        pretrained_image_size=options["pretrained_image_size"],
        embedding_cache=options["embedding_cache"], progress=options["progress"],
        device=options["device"], random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        data.judge = _judge(data.F_train, data.y_train, seed)
    return data


def _run_method(method, data, context, classifiers, classes, artifacts):
    """Records of one method on one seed's data, one per classifier.

    ``artifacts`` (a dict, or None after the first seed) collects what the
    figures and the report need.
    """
    seed, n_train = data.seed, len(data.y_train)
    base = {"method": method.name, "seed": seed, "n_train": n_train,
            "fit_s": 0.0, "fit_mem_mb": 0.0}
    if method.image_model is not None:
        model = method.image_model(seed, context)
        start = time.perf_counter()
        model.fit(data.images_train, data.y_train)
        base["fit_s"] = time.perf_counter() - start
        if artifacts is not None:
            artifacts["settings"][method.name] = estimator_settings(model)
        scores = classification_metrics(data.y_test, model.predict(data.images_test), classes)
        base.update(n_synthetic=0, **synthetic_uncertainty(data.judge, data.F_train[:0]),
                    **dict.fromkeys(PLACEMENT_COLUMNS, np.nan), anchors=np.nan)
        return [{**base, "classifier": c, "status": "ok", **scores} for c in method.classifiers]

    if method.tuning == "threshold":
        # The inner folds are the same for every classifier: a cache shares the
        # sampler's fits among them.
        with tempfile.TemporaryDirectory(prefix="pgan-seed-") as cache:
            memory = Memory(cache, verbose=0)
            return [_logit_adjusted_record(method, data, context, c, classes, base, memory)
                    for c in method.classifiers or classifiers]
    X_res, y_res = data.F_train, data.y_train
    if method.sampler is not None:
        sampler = method.sampler(seed, context)
        X_res, y_res, base["fit_s"], base["fit_mem_mb"] = timed_fit_resample(
            sampler, data.F_train, data.y_train)
        if artifacts is not None:
            _collect(artifacts, method, sampler, X_res[n_train:], y_res[n_train:])
    base["n_synthetic"] = len(y_res) - n_train
    base.update(synthetic_uncertainty(data.judge, X_res[n_train:]))
    base.update(placement(data.F_train, data.y_train, X_res[n_train:], y_res[n_train:]))
    base["anchors"] = np.mean(list(getattr(sampler, "synthetic_anchors_", {}).values())
                              or [np.nan]) if method.sampler is not None else np.nan

    records = []
    for c in method.classifiers or classifiers:
        classifier = make_classifier(c, seed)
        if method.tuning == "class_weight":
            classifier = balanced(classifier)
        if classifier is None:
            records.append({**base, "classifier": c, "status": NO_CLASS_WEIGHT})
            continue
        with warnings.catch_warnings():
            # MLP early stopping and SVC on tiny classes warn routinely.
            warnings.simplefilter("ignore", ConvergenceWarning)
            classifier.fit(X_res, y_res)
        records.append({**base, "classifier": c, "status": "ok",
                        **_scores(classifier, data, classes)})
    return records


def _scores(classifier, data, classes):
    """A fitted classifier's test scores, the Brier score where it has probabilities."""
    proba = (classifier.predict_proba(data.F_test) if hasattr(classifier, "predict_proba")
             else None)
    return classification_metrics(data.y_test, classifier.predict(data.F_test), classes, proba)


def _logit_adjusted_record(method, data, context, c, classes, base, memory):
    """A threshold row of the images suite: the classifier, after the row's sampler if it
    has one (its fits cached in ``memory``), with its logit adjustment tuned on inner
    folds (:mod:`.tuning`)."""
    classifier = make_classifier(c, data.seed)
    if not hasattr(classifier, "predict_proba"):
        return {**base, "classifier": c, "status": NO_PROBABILITIES}
    sampler = None if method.sampler is None else method.sampler(data.seed, context)
    classifier = after_sampler(sampler, classifier, memory)
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = LogitAdjustedClassifier(classifier, random_state=data.seed).fit(
            data.F_train, data.y_train)
    return {**base, "classifier": c, "status": "ok", "fit_s": time.perf_counter() - start,
            "n_synthetic": synthetic_count(model.estimator_), **_scores(model, data, classes)}


def _collect(artifacts, method, sampler, X_new, y_new):
    """Keep the first seed's sampler settings, synthetic points and P-GAN history."""
    params = estimator_settings(sampler)
    # "auto" settings as they resolved for this data.
    params.update({k: getattr(sampler, f"{k}_") for k in ("n_iter", "autoencoder_steps")
                   if hasattr(sampler, f"{k}_")})
    artifacts["settings"][method.name] = params
    if method.gan:
        artifacts["gan_settings"][method.name] = {
            k: params[k] for k in ("n_iter", "autoencoder_steps", "batch_size", "n_anchors",
                                   "selection") if k in params}
    if method.name in _PROJECTED:
        artifacts["synthetic"][method.name] = (X_new, y_new)
    if method.name == "pgan":
        artifacts["pgan_history"] = sampler.history_


class _Seeds:
    """Each seed's data, features and judge, prepared once for all its tasks (the
    tasks of a seed run one after the other: the last seed is kept)."""

    def __init__(self, name, profile, options, first):
        self.name, self.profile, self.options = name, profile, options
        self.last = first

    def get(self, seed):
        if self.last.seed != seed:
            self.last = _prepare_seed(load_benchmark_data(
                self.name, profile=self.profile, random_state=seed), seed, self.options)
        return self.last


def _run_task(seeds, seed, method, context, classifiers, classes, collect):
    """One method on one seed: its records, and the first seed's artifacts (``collect``)."""
    artifacts = {"settings": {}, "gan_settings": {}, "synthetic": {}} if collect else None
    data = seeds.get(seed)  # the data's own errors stop the run, as before
    try:
        records = _run_method(method, data, context, classifiers, classes, artifacts)
    except Exception as exc:  # a failing method must not stop the others
        status = f"failed: {type(exc).__name__}: {exc}".splitlines()[0]
        records = [{"method": method.name, "seed": seed, "classifier": c, "status": status}
                   for c in method.classifiers or classifiers]
    return f"seed{seed}", records, artifacts


def _data_meta(name, profile, first, classes, counts, rare):
    """The data of a run: profile, class counts of both splits, features, rarest classes."""
    test_classes, test_counts = np.unique(first.y_test, return_counts=True)
    return {
        "dataset": name,
        "profile": profile if not name.endswith(".npz") else "as stored (.npz)",
        "train_counts": {str(c): int(k) for c, k in zip(classes, counts)},
        "test_counts": {str(c): int(k) for c, k in zip(test_classes, test_counts)},
        "n_test": len(first.y_test),
        "features": first.feature_description,
        "rare_classes": [str(c) for c in rare],
    }


def _rows_meta(results, runnable, artifacts, seed):
    """What each row was and the settings of its first seed's sampler or model ("auto"
    resolved; None: no sampler, or it failed on that seed), and the classifiers'."""
    used = [c for c in results["classifier"].unique() if c in CLASSIFIERS]
    return {
        "methods": {m.name: {"description": m.description,
                             "settings": artifacts["settings"].get(m.name)}
                    for m in runnable},
        "classifier_settings": {c: estimator_settings(make_classifier(c, seed)) for c in used},
        "gan_settings": artifacts["gan_settings"],
    }


def _check_arguments(methods, classifiers, features, seeds, device):
    """The rows (None: the default ones), classifiers and seeds as lists, checked."""
    if methods is None:
        methods = [name for name, method in METHODS.items() if method.default]
    methods = check_names(methods, METHODS, "method")
    classifiers = check_names(classifiers, CLASSIFIERS, "classifier")
    if features not in FEATURES:
        raise ValueError(f"unknown features {features!r}; choose from {', '.join(FEATURES)}")
    seeds = list(range(seeds)) if isinstance(seeds, Integral) else [int(s) for s in seeds]
    if not seeds:
        raise ValueError("seeds must be at least 1")
    resolve_device(device)  # an unusable device fails before the data are loaded
    return methods, classifiers, seeds


#: Options that do not change the results: not part of the settings that --resume checks.
_NOT_RESULTS = ("embedding_cache", "progress")


def _seed_store(out, resume, first, settings):
    """Where each seed's rows are saved; the first seed always runs (the figures need
    its samplers' points)."""
    settings = {k: v for k, v in settings.items() if k not in _NOT_RESULTS}
    store = PartStore(out, "images_seeds", settings, resume)
    store.done.discard(f"seed{first}")
    return store


def _ordered(results):
    """The records by seed (stable), the identifying columns first."""
    results = results.sort_values("seed", kind="stable", ignore_index=True)
    leading = ["method", "classifier", "seed", "status"]
    return results[leading + [c for c in results.columns if c not in leading]]


def _merge_artifacts(artifacts, parts):
    """The first seed's settings, points and P-GAN history, from each of its tasks."""
    for part in parts:
        history = part.pop("pgan_history", None)
        for key, value in part.items():
            artifacts[key].update(value)
        if history is not None:
            artifacts["pgan_history"] = history


def run_images(
    dataset="digits",
    *,
    profile="paper",
    methods=None,
    classifiers=("lr", "svc"),
    seeds=3,
    features="pixels",
    pca="auto",
    cnn_epochs=10,
    resnet_arch="resnet50",
    resnet_weights=None,
    resnet_image_size=224,
    pretrained_image_size=112,
    embedding_cache="auto",
    n_iter=None,
    pgan_params=None,
    device="auto",
    threads=1,
    out=None,
    resume=False,
    progress=True,
    command=None,
):
    started = time.time()
    named = methods is not None
    methods, classifiers, seeds = _check_arguments(methods, classifiers, features, seeds, device)
    name = dataset if isinstance(dataset, str) else os.fspath(dataset)

    first = load_benchmark_data(name, profile=profile, random_state=seeds[0])
    has_images = first.images_train is not None
    runnable, unavailable = runnable_methods(
        [METHODS[m] for m in methods], lambda m: m.unavailable_reason(features, has_images),
        announce=False)
    classes, counts = np.unique(first.y_train, return_counts=True)
    rare = classes[np.argsort(counts, kind="stable")[:3]]
    embedders = {"resnet_arch": resnet_arch, "resnet_weights": resnet_weights,
                 "resnet_image_size": resnet_image_size,
                 "pretrained_image_size": pretrained_image_size}
    context = {"dataset": name, "n_iter": n_iter, "device": device,
               "pgan_params": pgan_params, "cnn_epochs": cnn_epochs, **embedders}
    options = {"profile": profile, "features": features, "pca": pca, "cnn_epochs": cnn_epochs,
               "device": device, "embedding_cache": embedding_cache, "progress": progress,
               **embedders}
    store = _seed_store(out, resume, seeds[0], {
        "dataset": name, "methods": [m.name for m in runnable], "classifiers": classifiers,
        "n_iter": n_iter, "pgan_params": pgan_params or {}, **options})

    artifacts = {"rare": rare, "synthetic": {}, "settings": {}, "gan_settings": {}}
    with _thread_limit(threads):
        # Features of the first seed before any run: their errors (tabular data
        # for image features, offline weights) surface before the progress bar.
        first = _prepare_seed(first, seeds[0], options)
        artifacts.update(X=first.F_train, y=first.y_train)
        prepared = _Seeds(name, profile, options, first)
        tasks = [(f"seed{seed}", delayed(_run_task)(prepared, seed, method, context,
                                                    classifiers, classes, seed == seeds[0]))
                 for seed in seeds for method in runnable]
        records, extras = run_tasks(tasks, store, progress=progress, desc="pgan-benchmark")
        _merge_artifacts(artifacts, extras.get(f"seed{seeds[0]}", []))
        results = _ordered(pd.DataFrame.from_records(records))
        # Within the thread limit: the meta records the threads the run used.
        results.attrs["meta"] = run_meta(started, {
            **_data_meta(name, profile, first, classes, counts, rare),
            "classifiers": classifiers, "seeds": seeds,
            "options": {**options, "n_iter": n_iter, "pgan_params": pgan_params or {},
                        "threads": threads},
            **_rows_meta(results, runnable, artifacts, seeds[0]),
            "gan_dataset_defaults": DATASET_GAN_PARAMS.get(name, {}),
            # A default run leaves out the rows this data cannot have without a word;
            # only rows the caller named are reported as unavailable.
            "unavailable": unavailable if named else {},
            "resumed": sorted(store.done),
        }, command=command or _describe_call(
            dataset=name, profile=profile, methods=methods, classifiers=classifiers,
            seeds=seeds, features=features, pca=pca, n_iter=n_iter, device=device),
            device=device)
    if out is not None:
        write_report(results, artifacts, out)
    return results


run_images.__doc__ = """Compare oversamplers on an imbalanced training set and a balanced test set.

    For every seed the data set is loaded (the seed draws the imbalanced
    subset where the loader takes one), features are fitted on its training
    split, and every method resamples the training features and is scored
    with every downstream classifier. A method that raises is recorded as
    failed and the others go on.

    Parameters
    ----------
    dataset : str or path-like, default="digits"
        ``"digits"`` (embedded, no download), ``"fashion-mnist"``,
        ``"mnist"`` or the path of an ``.npz`` file with ``X`` and ``y``; see
        :func:`imblearn_pgan.datasets.load_benchmark_data`.
    profile : {"paper", "exp", "step"}, default="paper"
        Imbalance profile passed to the loader (not used for ``.npz``).
    methods : sequence of str, default=None
        Rows from :data:`~imblearn_pgan.suites.methods.METHODS`; None
        runs all but the end-to-end small-CNN rows (``cnn-*``, ``pgan-cnn``),
        which are only run when named, and those this data cannot have
        (e.g. the ResNet rows without ``features="resnet"``). Named rows
        that cannot run are reported as unavailable.
    classifiers : sequence of str, default=("lr", "svc")
        Downstream classifiers among ``"lr"``, ``"svc"``, ``"rf"``, ``"mlp"``.
    seeds : int or sequence of int, default=3
        Number of seeds (0, 1, ...) or the seeds themselves.
    features : {"pixels", "cnn", "resnet", "pretrained"}, default="pixels"
        Feature space; see :func:`~imblearn_pgan.suites.features.extract_features`.
    pca : "auto", int or None, default="auto"
        PCA dimension of the features; ``"auto"`` is 64 for pixels with more
        than 64 columns and none otherwise.
    cnn_epochs : int, default=10
        Training epochs of the CNN feature extractor and of every
        end-to-end small-CNN row (``cnn-*`` and ``pgan-cnn``).
    resnet_arch : str, default="resnet50"
        ResNet architecture for ``features="resnet"``.
    resnet_weights : str or None, default=None
        ResNet weights (a name or local file); None is a random initialisation.
    resnet_image_size : int, default=224
        Side the images are resized to for the ResNet.
    pretrained_image_size : int, default=112
        Side the images are resized to for ``features="pretrained"``.
    embedding_cache : "auto", path-like or None, default="auto"
        Folder of the pretrained features, each image embedded once
        (``"auto"``: :func:`~imblearn_pgan.suites.embedding_cache.default_cache_dir`;
        None: no cache).
    n_iter : int, default=None
        ``n_iter`` of every GAN sampler; None uses the per-data-set settings
        of :data:`~imblearn_pgan.suites.methods.DATASET_GAN_PARAMS`, else
        each sampler's default.
    pgan_params : dict, default=None
        Settings of every P-GAN row (an ablation row's own setting wins).
    device : {"auto", "cpu", "cuda"}, default="auto"
        Passed to the GAN samplers and the feature networks.
    threads : int or None, default=1
        CPU threads of torch and of the BLAS / OpenMP pools during the run
        (restored afterwards); None leaves the libraries' settings. The
        models are small: extra threads gain little and, on a busy machine,
        cost much (on a loaded 2-core machine, 1 thread against 2: P-GAN on
        digits 10 s against 73 s, a logistic regression 0.02 s against 3 s).
    out : str or path-like, default=None
        Directory for ``results.csv``, ``results.md`` and the figures. Each
        seed's rows are also saved in ``out/images_seeds/`` as soon as they
        are done.
    resume : bool, default=False
        Load the seeds already saved in ``out`` by a stopped run with the
        same settings (the same content hash) instead of running them again;
        the first seed always runs, since the figures need its points.
    progress : bool, default=True
        Show a progress bar over the runs.
    command : str, default=None
        Command line recorded in ``results.md``; None describes the call.

    Returns
    -------
    results : pandas.DataFrame
        One row per method, classifier and seed: ``status`` ("ok" or
        "failed: <error>"), ``macro_f1``, ``balanced_accuracy``, ``g_mean``,
        ``recall_<label>`` per class, ``unc_<measure>`` (the four measures
        of eq. 7-10 on the synthetic rows, scored by a logistic regression
        fitted on the original training features; NaN without synthetic
        rows), ``fit_s`` and ``fit_mem_mb`` (wall time and peak resident
        memory growth of ``fit_resample``), ``n_train`` and ``n_synthetic``.
        ``results.attrs["meta"]`` (written to ``meta.json``) holds the
        provenance (see :func:`~imblearn_pgan.suites.provenance.run_meta`),
        the settings, the class counts of both splits, the rarest classes,
        every row's description and resolved settings, the classifiers'
        settings and the named methods that could not run, with why.

    Raises
    ------
    ValueError
        Unknown method, classifier, features or data set, or an unusable
        device.
    imblearn_pgan.datasets.DatasetNotFoundError
        The data set files cannot be found or downloaded.

    Examples
    --------
    >>> from imblearn_pgan.suites import run_images
    >>> results = run_images(methods=["none", "smote"], classifiers=["lr"],
    ...                         seeds=1, progress=False)  # doctest: +SKIP
    >>> results[["method", "classifier", "macro_f1"]]  # doctest: +SKIP
    """
