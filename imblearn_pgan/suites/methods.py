"""The rows of the benchmark: resamplers, downstream classifiers, GAN settings.

Every resampler is paired with the same downstream classifiers, so two rows
of one classifier differ only by how the training set was resampled.
"""

import inspect
import logging
import math
import numbers
from dataclasses import dataclass

import numpy as np
import pandas as pd
from imblearn.over_sampling import (
    ADASYN,
    SMOTE,
    SMOTENC,
    SVMSMOTE,
    BorderlineSMOTE,
    RandomOverSampler,
)
from imblearn.over_sampling.base import BaseOverSampler
from imblearn.utils import check_target_type
from joblib import parallel_config
from scipy import sparse
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.neighbors import KNeighborsClassifier
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils import check_array, check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import validate_data

from ..convex import ConvexRandomSampler


__all__ = [
    "CLASSIFIERS",
    "CTGAN_EPOCHS",
    "CTGAN_INSTALL",
    "CTGANSampler",
    "SMOTE_VARIANTS_INSTALL",
    "SmoteVariantsSampler",
    "DATASET_GAN_PARAMS",
    "METHODS",
    "Method",
    "gan_params",
    "make_classifier",
]


#: The install lines of the optional smote-variants peers. smote-variants
#: declares tensorflow, keras and mkl, which the samplers used here never import.
SMOTE_VARIANTS_INSTALL = (
    "pip install --no-deps smote-variants==1.0.1 && pip install minisom metric-learn seaborn"
)


def _smote_variants():
    try:
        import smote_variants
    except ImportError as exc:
        raise ImportError(
            f"the smote-variants peers need the optional package: {SMOTE_VARIANTS_INSTALL}"
        ) from exc
    # It logs every call at INFO on its own logger: keep the benchmark's output readable.
    logging.getLogger("smote_variants").setLevel(logging.WARNING)
    return smote_variants


class SmoteVariantsSampler(BaseOverSampler):
    """An oversampler of the ``smote-variants`` package behind ``fit_resample``.

    ``smote-variants`` (Kovács 2019) implements 85 SMOTE variants with a
    ``sample(X, y)`` method; this wrapper gives them imbalanced-learn's
    interface, so that they run in the same pipelines and folds as every
    other sampler. Binary data go to the variant directly (it balances the
    classes); more classes go through ``smote_variants.MulticlassOversampling``.
    Some variants also remove rows they judge noisy (e.g. ``SMOTE_IPF``), so
    the originals are not always all kept.

    Parameters
    ----------
    variant : str, default="ProWSyn"
        Class name in ``smote_variants``, e.g. ``"polynom_fit_SMOTE_star"``,
        ``"ProWSyn"`` or ``"SMOTE_IPF"`` (the top of Kovács' ranking).
    random_state : int or None, default=None
        Seeds the variant.

    Attributes
    ----------
    sampling_strategy_ : dict
        As computed by imbalanced-learn (the variant decides the counts).

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from imblearn_pgan.suites.methods import SmoteVariantsSampler
    >>> X, y = make_classification(n_samples=200, weights=[0.9], random_state=0)
    >>> X_res, y_res = SmoteVariantsSampler(variant="ProWSyn",
    ...                                     random_state=0).fit_resample(X, y)  # doctest: +SKIP
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "variant": [str],
        "random_state": [None, numbers.Integral],
    }

    def __init__(self, *, variant="ProWSyn", random_state=None):
        super().__init__(sampling_strategy="auto")
        self.variant = variant
        self.random_state = random_state

    def _fit_resample(self, X, y):
        if sparse.issparse(X):
            raise TypeError(f"smote-variants' {self.variant} needs dense X; pass X.toarray().")
        sv = _smote_variants()
        if not hasattr(sv, self.variant):
            raise ValueError(f"smote_variants has no oversampler {self.variant!r}.")
        if len(np.unique(y)) == 2:
            oversampler = getattr(sv, self.variant)(random_state=self.random_state)
        else:
            oversampler = sv.MulticlassOversampling(
                oversampler=self.variant,
                oversampler_params={"random_state": self.random_state})
        X_res, y_res = oversampler.sample(np.asarray(X, dtype=np.float64), y)
        return X_res.astype(X.dtype, copy=False), y_res.astype(y.dtype, copy=False)


#: The install lines of the optional CTGAN peer. ctgan 0.12.1 needs rdt, and
#: rdt 2.0.0 declares pandas<3, so a plain install would downgrade pandas:
#: rdt runs on pandas 3 all the same (the CTGAN tests check it), and its one
#: need that this package lacks is Faker.
CTGAN_INSTALL = ("pip install --no-deps ctgan==0.12.1 rdt==2.0.0 && "
                 "pip install 'Faker>=17,!=37.11.0'")

#: Training epochs of the CTGAN row: a third of ctgan's default of 300. Its fits
#: then take 10 to 70 s per fold of the dev tables on one CPU thread, about five
#: times P-GAN's.
CTGAN_EPOCHS = 100


def _ctgan():
    try:
        from ctgan import CTGAN
    except ImportError as exc:
        raise ImportError(f"the CTGAN peer needs the optional package: {CTGAN_INSTALL}") from exc
    return CTGAN


class CTGANSampler(BaseOverSampler):
    """CTGAN (Xu et al. 2019; the ``ctgan`` package) behind ``fit_resample``.

    One CTGAN learns the whole training table with the label as a discrete
    column, then draws each class's new rows conditioned on its label. The
    wrapper works around the pitfalls of ``ctgan`` 0.12.1:

    * its ``sample`` leaves the generator in training mode (batch-norm on
      batch statistics), so the generator is put in ``eval()`` mode first;
    * the condition on the label is only encouraged by a loss, so rows of
      another label are rejected and drawn again, at most ``max_draws`` times;
    * it finds a condition's place in the condition vector as if its column
      were the first discrete one, so the label is passed as the first column;
    * ``batch_size`` must be even and a multiple of ``pac``: it is rounded down
      to one (``batch_size_``);
    * it draws from the global random generators: it is seeded with its own
      ``set_random_state``, which saves and restores them;
    * its data transformer runs one joblib process per column on 500 rows or
      more: it runs sequentially here, and torch on one thread, as the
      benchmark's folds are the parallel unit.

    As SDV's ``CTGANSynthesizer`` does by default, numeric values are clipped
    to their column's training range and integer-valued columns are rounded.
    Missing values are refused: impute them first.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        As in :class:`imblearn.over_sampling.RandomOverSampler`.
    categorical_features : "auto" or list of str or int, default="auto"
        The discrete columns: names or positions, or ``"auto"`` for the
        pandas ``category``, ``object``, ``string`` and ``bool`` columns.
    epochs : int, default=300
        CTGAN's training epochs (``ctgan``'s default).
    batch_size : int, default=500
        CTGAN's batch size, before rounding (``ctgan``'s default).
    pac : int, default=10
        Rows the critic sees together (``ctgan``'s default).
    max_draws : int, default=20
        Draws of as many rows as a class needs before giving up.
    device : str, default="cpu"
        ``"cpu"``, ``"auto"`` (a GPU where there is one) or a torch device.
        Only CPU fits repeat exactly: CTGAN draws its training noise on the
        device.
    random_state : int, RandomState instance or None, default=None
        Seeds CTGAN.

    Attributes
    ----------
    sampling_strategy_ : dict
        Class label to number of rows generated.
    ctgan_ : ctgan.CTGAN
        The fitted synthesizer.
    batch_size_ : int
        The batch size used.
    categorical_features_ : list
        The discrete columns (names of the frame CTGAN saw).
    acceptance_ : dict
        Class label to the share of its conditioned draws that had the label.

    Examples
    --------
    >>> import pandas as pd
    >>> from imblearn_pgan.suites.methods import CTGANSampler
    >>> X = pd.DataFrame({"x": range(60), "c": pd.Categorical(["a", "b", "c"] * 20)})
    >>> y = [0] * 45 + [1] * 15
    >>> X_res, y_res = CTGANSampler(epochs=5, random_state=0).fit_resample(X, y)  # doctest: +SKIP
    >>> X_res.dtypes.tolist(), len(X_res)  # doctest: +SKIP
    ([dtype('int64'), CategoricalDtype(categories=['a', 'b', 'c'], ...)], 90)
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "categorical_features": [StrOptions({"auto"}), list],
        "epochs": [Interval(numbers.Integral, 1, None, closed="left")],
        "batch_size": [Interval(numbers.Integral, 1, None, closed="left")],
        "pac": [Interval(numbers.Integral, 1, None, closed="left")],
        "max_draws": [Interval(numbers.Integral, 1, None, closed="left")],
        "device": [str],
        "random_state": ["random_state"],
    }

    def __init__(self, *, sampling_strategy="auto", categorical_features="auto", epochs=300,
                 batch_size=500, pac=10, max_draws=20, device="cpu", random_state=None):
        super().__init__(sampling_strategy=sampling_strategy)
        self.categorical_features = categorical_features
        self.epochs = epochs
        self.batch_size = batch_size
        self.pac = pac
        self.max_draws = max_draws
        self.device = device
        self.random_state = random_state

    def _check_X_y(self, X, y):
        # As SMOTENC: strings pass; a DataFrame keeps its column types.
        y, binarize_y = check_target_type(y, indicate_one_vs_all=True)
        if not hasattr(X, "columns"):
            X = check_array(X, dtype=None, ensure_all_finite=False)
        validate_data(self, X=X, y=y, reset=True, skip_check_array=True)
        return X, y, binarize_y

    def _categorical(self, frame):
        if isinstance(self.categorical_features, str):
            return [c for c, t in frame.dtypes.items()
                    if not pd.api.types.is_numeric_dtype(t) or pd.api.types.is_bool_dtype(t)]
        names = list(frame.columns)
        unknown = [c for c in self.categorical_features
                   if not (c in names or isinstance(c, numbers.Integral) and 0 <= c < len(names))]
        if unknown:
            raise ValueError(f"categorical_features {unknown} are not columns of X")
        return [c if c in names else names[c] for c in self.categorical_features]

    def _draw(self, model, label, value, n):
        """``n`` rows of class ``value``: CTGAN's conditioned draws, the wrong labels rejected."""
        kept, drawn = [], 0
        for _ in range(self.max_draws):
            rows = model.sample(n, condition_column=label, condition_value=value)
            drawn += len(rows)
            kept.append(rows[rows[label] == value])
            if sum(map(len, kept)) >= n:
                self.acceptance_[value] = sum(map(len, kept)) / drawn
                return pd.concat(kept).iloc[:n].drop(columns=label)
        raise RuntimeError(
            f"CTGAN drew {sum(map(len, kept))} rows of class {value} out of {drawn} "
            f"conditioned on it, in {self.max_draws} draws of {n}: its condition on the label "
            "is only encouraged by a loss; train it longer (epochs) or raise max_draws")

    def _fit_resample(self, X, y):
        from .._core import torch_threads  # torch stays out of pgan-benchmark --help

        CTGAN = _ctgan()
        if hasattr(X, "columns"):
            frame = X.reset_index(drop=True)
        else:  # rdt needs string column names
            frame = pd.DataFrame(X, columns=[str(i) for i in range(X.shape[1])]).infer_objects()
        self.categorical_features_ = self._categorical(frame)
        missing = frame.columns[frame.isna().any().to_numpy()].tolist()
        if missing:
            raise ValueError(f"CTGANSampler: the columns {missing} have missing values; "
                             "impute them first (e.g. a SimpleImputer before it in the pipeline)")
        numeric = [c for c in frame.columns if c not in self.categorical_features_]
        label = "label"
        while label in frame.columns:
            label = f"_{label}"
        # The label first: ctgan 0.12.1 finds a condition's slot as if its column
        # were the first discrete column. Categories pass as plain values.
        data = pd.concat([pd.Series(y, name=label), frame.astype(
            {**{c: object for c in self.categorical_features_},
             **{c: np.float64 for c in numeric}})], axis=1)
        step = math.lcm(2, self.pac)
        self.batch_size_ = max(step, self.batch_size // step * step)
        self.ctgan_ = CTGAN(epochs=self.epochs, batch_size=self.batch_size_, pac=self.pac,
                            enable_gpu=self.device != "cpu")
        if self.device not in ("auto", "cpu"):
            self.ctgan_.set_device(self.device)
        if self.random_state is not None:
            seed = (self.random_state if isinstance(self.random_state, numbers.Integral)
                    else check_random_state(self.random_state).randint(2**31 - 1))
            self.ctgan_.set_random_state(int(seed))
        self.acceptance_ = {}
        wanted = {value: n for value, n in self.sampling_strategy_.items() if n > 0}
        with torch_threads(1), parallel_config(backend="sequential"):
            self.ctgan_.fit(data, discrete_columns=[label, *self.categorical_features_])
            self.ctgan_._generator.eval()
            new = [self._draw(self.ctgan_, label, value, n) for value, n in wanted.items()]
        new = pd.concat(new, ignore_index=True) if new else frame.iloc[:0].copy()
        for c in numeric:
            values = new[c].astype(np.float64).clip(frame[c].min(), frame[c].max())
            if np.all(np.mod(frame[c].to_numpy(np.float64), 1) == 0):
                values = values.round()
            new[c] = values
        X_res = pd.concat([frame, new.astype(frame.dtypes.to_dict())], ignore_index=True)
        y_res = np.concatenate([y, np.repeat(list(wanted), list(wanted.values()))])
        if not hasattr(X, "columns"):
            X_res = X_res.to_numpy(dtype=X.dtype)
        return X_res, y_res.astype(y.dtype, copy=False)


# ------------------------------------------------------------- classifiers


def _lr(seed):
    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000, random_state=seed))


def _svc(seed):
    return make_pipeline(StandardScaler(), SVC(C=10, random_state=seed))


def _rf(seed):
    return RandomForestClassifier(n_estimators=200, n_jobs=1, random_state=seed)


def _mlp(seed):
    mlp = MLPClassifier(
        hidden_layer_sizes=(256,), max_iter=300, early_stopping=True, random_state=seed
    )
    return make_pipeline(StandardScaler(), mlp)


#: Downstream classifiers by name; each takes the seed. Scale-sensitive models
#: standardise inside their pipeline, on the (resampled) training rows only.
def _knn(seed):
    return make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=5))


def _tree(seed):
    return DecisionTreeClassifier(random_state=seed)


def _hgb(seed):
    # Gradient boosting, the strong learner of the tables literature; no scaling needed.
    return HistGradientBoostingClassifier(random_state=seed)


CLASSIFIERS = {"lr": _lr, "svc": _svc, "rf": _rf, "mlp": _mlp, "knn": _knn, "tree": _tree,
               "hgb": _hgb}


def make_classifier(name, seed):
    """A fresh, seeded downstream classifier.

    Parameters
    ----------
    name : {"lr", "svc", "rf", "mlp", "knn", "tree", "hgb"}
        The classifier.
    seed : int
        Its ``random_state``.

    Returns
    -------
    classifier : estimator
        Unfitted scikit-learn classifier (a pipeline with a
        ``StandardScaler`` for lr, svc, mlp and knn; kNN uses 5 neighbours).
    """
    return CLASSIFIERS[name](seed)


# ------------------------------------------------------------- GAN settings

#: GAN settings per data set, used where a sampler has the parameter and its
#: default is a number (P-GAN's ``"auto"`` schedule sizes itself). The embedded
#: digits set (500 rows) needs far fewer steps than the baselines' defaults,
#: which are sized for the 17,400-row MNIST profile, and this keeps the
#: default run within minutes on a laptop CPU.
DATASET_GAN_PARAMS = {"digits": {"n_iter": 200, "autoencoder_steps": 100}}


def gan_params(sampler_class, dataset, n_iter=None):
    """Constructor settings of a GAN sampler for one data set.

    Parameters
    ----------
    sampler_class : type
        The GAN sampler class.
    dataset : str
        Data set name; :data:`DATASET_GAN_PARAMS` gives its settings.
    n_iter : int, default=None
        Overrides ``n_iter``. Pre-training stages (``autoencoder_steps``)
        are then scaled by the same factor as ``n_iter``, relative to the
        sampler's own defaults (equal to ``n_iter`` where both default to
        ``"auto"``), so a short run is short throughout.

    Returns
    -------
    params : dict
        Settings that differ from the sampler's defaults.
    """
    from ..sampler import GAN_PARAMS, PolarityGANSampler

    defaults = {
        name: p.default for name, p in inspect.signature(sampler_class).parameters.items()
    }
    if issubclass(sampler_class, PolarityGANSampler):
        defaults.update(GAN_PARAMS)
    params = {k: v for k, v in DATASET_GAN_PARAMS.get(dataset, {}).items()
              if k in defaults and defaults[k] != "auto"}
    if n_iter is not None:
        params["n_iter"] = n_iter
        if "autoencoder_steps" in defaults:
            steps, iters = defaults["autoencoder_steps"], defaults["n_iter"]
            ratio = 1.0 if "auto" in (steps, iters) else steps / iters
            params["autoencoder_steps"] = math.ceil(n_iter * ratio)
    return params


# ----------------------------------------------------------------- methods


@dataclass(frozen=True)
class Method:
    """One row family of the benchmark.

    Attributes
    ----------
    name : str
        Name on the command line and in the results.
    description : str
        One line for the report.
    sampler : callable or None
        ``sampler(seed, context) -> resampler``, with ``context`` a dict of
        ``dataset``, ``n_iter``, ``device``, ``pgan_params`` (settings of
        every P-GAN row, ``--pgan-param``), ``cnn_epochs`` and the ``resnet_arch``,
        ``resnet_weights`` and ``resnet_image_size`` settings; the tables
        suite gives ``ctgan_epochs`` and, to a sampler of its imputed frame,
        ``categorical_features`` (the frame's category columns). None means
        no resampling.
    image_model : callable or None
        ``image_model(seed, context) -> classifier`` trained end to end on
        the images instead of on features; the row then has no sampler.
    needs_images : bool
        Whether the row only exists for image data (any ``features``).
    needs_features : tuple of str or None
        The ``features`` settings the row only exists with, on image data
        (e.g. ``("resnet",)`` for the rows that fine-tune the ResNet); None:
        any.
    classifiers : tuple of str or None
        Fixed classifiers of the row; None uses the benchmark's.
    check : callable or None
        ``check() -> reason or None``: why the row cannot run (e.g. the
        ImportError of a missing module), None when it can.
    gan : bool
        Whether the sampler is a GAN, whose settings the report lists.
    default : bool
        Whether the row runs when no methods are named.
    table_stage : {"imputed", "encoded"} or None
        Where the tables suite puts the sampler: on the imputed frame, whose
        string columns are pandas categories, before the scaling and one-hot
        encoding; or after them, on the encoded matrix. None: the row is not
        part of the tables suite.
    tables_only : bool
        Whether the row only exists in the tables suite (it needs the
        columns' types, or it only differs from another row there).
    tuning : {"threshold", "class_weight"} or None
        What the row tunes instead of, or besides, resampling:
        ``"threshold"``, the decision threshold of the classifier (or of the
        pipeline of the row's sampler and the classifier) on inner folds,
        for balanced accuracy (binary suites), or the logit adjustment of a
        classifier with probabilities (images suite);
        ``"class_weight"``, balanced class weights where the classifier has
        them (an empty cell where not).
    """

    name: str
    description: str
    sampler: object = None
    image_model: object = None
    needs_images: bool = False
    needs_features: tuple = None
    classifiers: tuple = None
    check: object = None
    gan: bool = False
    default: bool = True
    table_stage: str = None
    tables_only: bool = False
    tuning: str = None

    def unavailable_reason(self, features, has_images):
        """Why the row cannot run in this setting, or None if it can.

        Parameters
        ----------
        features : str
            The ``features`` setting of the run; ``"table"`` for the tables
            suite.
        has_images : bool
            Whether the data set has images.

        Returns
        -------
        reason : str or None
            One line.
        """
        if features == "table" and self.table_stage is None:
            return "not a row of the tables suite"
        if features != "table" and self.tables_only:
            return "only for the tables suite (--suite tables)"
        if self.needs_features and (features not in self.needs_features or not has_images):
            return f"needs image data and --features {' or '.join(self.needs_features)}"
        if self.needs_images and not has_images:
            return "needs image data"
        return self.check() if self.check is not None else None


def _imblearn(cls, **kwargs):
    return lambda seed, context: cls(random_state=seed, **kwargs)


def _polarity(**settings):
    """A P-GAN row: ``settings`` by name, parameters or ``gan_params`` settings (the
    ablations' ``dirichlet_share``, ``critic_share``, ``support``, ... are the latter)."""
    def factory(seed, context):
        # Imported when used: torch stays out of ``pgan-benchmark --help``.
        from ..sampler import PolarityGANSampler, split_settings

        params = gan_params(PolarityGANSampler, context["dataset"], context["n_iter"])
        if "categorical_features" in context:
            # The tables suite's native row: the column types of the imputed frame.
            params.update(categorical_features="auto", discrete_features="auto")
        # The row's own settings (what makes it an ablation) win over the run's.
        params.update(context.get("pgan_params") or {}, **settings)
        return PolarityGANSampler(random_state=seed, device=context["device"],
                                  **split_settings(params))

    return factory


def _validated(lead):
    """A row of issue #40's validation-driven P-GAN (:mod:`.validated`), its P-GAN set as
    the ``pgan`` row's."""
    def factory(seed, context):
        from .validated import ValidatedPolarityGAN

        params = _polarity()(seed, context).get_params()
        for name in ("random_state", "sampling_strategy"):
            params.pop(name)
        return ValidatedPolarityGAN(lead=lead, random_state=seed, sampler_params=params)

    return factory


def _smotenc(seed, context):
    return SMOTENC(categorical_features=context["categorical_features"], random_state=seed)


def _importable(load):
    """The ``check`` of a row whose peer needs an optional package: why not, or None.

    ``load`` is called at each check (a lambda looks its loader up then).
    """
    def check():
        try:
            load()
        except ImportError as exc:
            return str(exc)
        return None

    return check


def _ctgan_row():
    def factory(seed, context):
        return CTGANSampler(epochs=context.get("ctgan_epochs", CTGAN_EPOCHS),
                            device=context["device"], random_state=seed)

    return {"sampler": factory, "check": _importable(lambda: _ctgan())}


def _baseline(class_name):
    def factory(seed, context):
        # Imported when used: torch stays out of ``pgan-benchmark --help``.
        from .. import baselines

        cls = getattr(baselines, class_name)
        params = gan_params(cls, context["dataset"], context["n_iter"])
        return cls(random_state=seed, device=context["device"], **params)

    return {"sampler": factory, "gan": True}


def _smote_variant(variant):
    def factory(seed, context):
        return SmoteVariantsSampler(variant=variant, random_state=seed)

    return {"sampler": factory, "check": _importable(lambda: _smote_variants())}


def _end_to_end(resample):
    def build(seed, context):
        from ..images.end_to_end import PolarityGANClassifier

        return PolarityGANClassifier(
            feature_extractor=context["resnet_arch"], weights=context["resnet_weights"],
            image_size=context["resnet_image_size"], resample=resample,
            device=context["device"], random_state=seed,
        )

    return build


#: Adam learning rate of every small-CNN row: a CNN trained from scratch
#: learns faster than with the 2e-4 of the paper, meant for fine-tuning a ResNet.
CNN_LEARNING_RATE = 1e-3


def _cnn(**kwargs):
    """A row of the small CNN trained end to end with a long-tail loss or sampler."""
    def build(seed, context):
        from ..images.cnn import CNNClassifier

        return CNNClassifier(epochs=context["cnn_epochs"], learning_rate=CNN_LEARNING_RATE,
                             device=context["device"], random_state=seed, **kwargs)

    return {"image_model": build, "needs_images": True, "classifiers": ("end-to-end",),
            "default": False}


#: PolarityGANClassifier as the paper's Algorithm 1 (its defaults before #23's study):
#: C the sampler's cross-entropy MLP, G joining after 3/8 of F's updates, 50 rounds.
PAPER_END_TO_END = dict(classifier_loss="cross-entropy", classifier_head="mlp",
                        gan_start=0.375, n_rounds=50)


def _pgan_cnn(**kwargs):
    def build(seed, context):
        from ..images.end_to_end import PolarityGANClassifier

        # As many F updates as the CNN rows' epochs (see PolarityGANClassifier.epochs).
        return PolarityGANClassifier(feature_extractor="cnn", epochs=context["cnn_epochs"],
                                     learning_rate=CNN_LEARNING_RATE, device=context["device"],
                                     random_state=seed, **kwargs)

    return build


_ROWS = [
    Method("none", "no resampling", table_stage="imputed"),
    Method("ros", "RandomOverSampler", _imblearn(RandomOverSampler), table_stage="imputed"),
    Method("smote", "SMOTE (k=5); smote + svc is the paper's SMOTE-SVM", _imblearn(SMOTE)),
    Method("borderline", "BorderlineSMOTE", _imblearn(BorderlineSMOTE)),
    Method("adasyn", "ADASYN", _imblearn(ADASYN)),
    Method("svmsmote", "SVMSMOTE; svmsmote + svc is the other SMOTE-SVM", _imblearn(SVMSMOTE)),
    Method("convex-random", "random Dirichlet(1) mixes of 2-3 class rows, no learning",
           _imblearn(ConvexRandomSampler)),
    Method("convex-local", "random Dirichlet(1) mixes of a class row and 1-2 of its 5 "
           "nearest class rows, no learning", _imblearn(ConvexRandomSampler, n_neighbors=5),
           default=False),
    Method("polynom-fit-smote-star", "smote-variants polynom_fit_SMOTE_star "
           "(top of Kovacs' 2019 ranking)", **_smote_variant("polynom_fit_SMOTE_star")),
    Method("prowsyn", "smote-variants ProWSyn", **_smote_variant("ProWSyn")),
    Method("smote-ipf", "smote-variants SMOTE_IPF", **_smote_variant("SMOTE_IPF")),
    Method("pgan", "PolarityGANSampler (entropy uncertainty sampling)",
           _polarity(), gan=True, table_stage="imputed"),
    Method("pgan-raw", "PolarityGANSampler(uncertainty=None): G's raw draws",
           _polarity(uncertainty=None), gan=True),
    Method("pgan-top", "PolarityGANSampler(selection='top'): the most uncertain candidates",
           _polarity(selection="top"), gan=True),
    Method("pgan-all-anchors", "PolarityGANSampler(n_anchors=None): G weighs every row "
           "of the class (the paper's P)", _polarity(n_anchors=None), gan=True),
    Method("pgan-local", "P-GAN with gan_params support='local': each point mixes a seed "
           "anchor and its nearest class anchors", _polarity(support="local"), gan=True,
           default=False),
    Method("pgan-dirichlet", "PolarityGANSampler trained as the default, its output points "
           "weighted by flat Dirichlet draws instead of G (does G's learning pay?)",
           _polarity(dirichlet_share=1.0), gan=True, default=False),
    Method("pgan-half-dirichlet", "PolarityGANSampler trained as the default, its output "
           "points weighted half by G and half by the Dirichlet draw of its latent input",
           _polarity(dirichlet_share=0.5), gan=True, default=False),
    Method("pgan-critic-filter", "PolarityGANSampler with D dropping the half of a doubled "
           "candidate pool it scores lowest before C's selection (does D's learning pay?)",
           _polarity(critic_share=0.5), gan=True, table_stage="imputed", default=False),
    Method("pgan-uncertain-anchors", "P-GAN with gan_params anchor_draw='uncertain': output "
           "points draw their anchors in proportion to C's uncertainty on them",
           _polarity(anchor_draw="uncertain"), gan=True, table_stage="imputed", default=False),
    Method("pgan-confident-anchors", "P-GAN with gan_params anchor_draw='confident': output "
           "points draw their anchors in proportion to C's probability of their class",
           _polarity(anchor_draw="confident"), gan=True, table_stage="imputed", default=False),
    Method("pgan-uniform-selection", "PolarityGANSampler(selection='uniform'): C keeps the "
           "candidates it assigns to their class, drawn uniformly (no uncertainty weights)",
           _polarity(selection="uniform"), gan=True, table_stage="imputed", default=False),
    Method("pgan-h256", "PolarityGANSampler(hidden_dim=256): the width at every size, as "
           "before the small-data rule of hidden_dim='auto'", _polarity(hidden_dim=256),
           gan=True, default=False),
    Method("pgan-val-amount", "P-GAN adding the share of the gap (0, 1/4, 1/2, 1) that a "
           "logistic proxy's G-mean on held-out halves chooses (#40, lead 1)",
           _validated("amount"), gan=True, default=False),
    Method("pgan-val-influence", "P-GAN drawing twice the gap and keeping the points whose "
           "influence most lowers a logistic proxy's held-out loss (#40, lead 2)",
           _validated("influence"), gan=True, default=False),
    Method("pgan-val-influence-amount", "P-GAN keeping only the pool's points whose "
           "influence lowers the held-out loss, up to the gap (#40, lead 3)",
           _validated("influence-amount"), gan=True, default=False),
    Method("pgan-ae-only", "PolarityGANSampler(n_iter=1): the autoencoder start, "
           "one GAN step", _polarity(n_iter=1), gan=True),
    Method("smote-onehot", "SMOTE (k=5) after the scaling and one-hot encoding",
           _imblearn(SMOTE), table_stage="encoded", tables_only=True, default=False),
    Method("smotenc", "SMOTENC (k=5) on the imputed frame, its category columns as "
           "categorical_features", _smotenc, table_stage="imputed", tables_only=True,
           default=False),
    Method("pgan-onehot", "PolarityGANSampler after the scaling and one-hot encoding "
           "(P-GAN without categorical_features)", _polarity(), gan=True,
           table_stage="encoded", tables_only=True, default=False),
    Method("ctgan", f"CTGAN (ctgan 0.12.1, {CTGAN_EPOCHS} epochs; 5 with --quick) on the "
           "imputed frame, "
           "conditioned on the label, wrong labels rejected (CTGANSampler)",
           **_ctgan_row(), gan=True, table_stage="imputed", tables_only=True, default=False),
    # What a practitioner would do instead of resampling, or besides it.
    Method("none-threshold", "no resampling; the classifier's decision threshold tuned for "
           "balanced accuracy on 5 stratified inner folds (TunedThresholdClassifierCV); "
           "images: the logit adjustment tau tuned likewise (Menon et al. 2021)",
           tuning="threshold", table_stage="imputed", default=False),
    Method("class-weight", "no resampling; class_weight='balanced' (an empty cell for a "
           "classifier without it, such as kNN)", tuning="class_weight",
           table_stage="imputed", default=False),
    Method("pgan-threshold", "P-GAN inside the pipeline and the whole pipeline's threshold "
           "(images: logit adjustment) tuned on inner folds, each of them resampled as the "
           "outer ones are", _polarity(), gan=True, tuning="threshold", table_stage="imputed",
           default=False),
    Method("smote-threshold", "SMOTE (k=5; on the tables after the encoding) inside the "
           "pipeline, its threshold tuned likewise", _imblearn(SMOTE), tuning="threshold",
           table_stage="encoded", default=False),
    Method("bagan", "BAGANSampler", **_baseline("BAGANSampler")),
    Method("acgan", "ACGANSampler", **_baseline("ACGANSampler")),
    Method("wgangp", "WGANGPSampler", **_baseline("WGANGPSampler")),
    Method("cgan", "CGANSampler", **_baseline("CGANSampler")),
    Method("cnn-ce", "small CNN end to end (--cnn-epochs), cross-entropy", **_cnn()),
    Method("cnn-weighted-ce", "small CNN end to end, cross-entropy weighted n/(K n_k)",
           **_cnn(loss="weighted-ce")),
    Method("cnn-balanced-sampling", "small CNN end to end, cross-entropy on class-balanced "
           "batches (WeightedRandomSampler)", **_cnn(sampling="class-balanced")),
    Method("cnn-logit-adjusted", "small CNN end to end, logit-adjusted loss (tau=1; "
           "Menon et al. 2021)", **_cnn(loss="logit-adjusted")),
    Method("cnn-balanced-softmax", "small CNN end to end, balanced softmax (Ren et al. "
           "2020)", **_cnn(loss="balanced-softmax")),
    Method("cnn-ldam-drw", "small CNN end to end, LDAM on a cosine head with deferred "
           "re-weighting (Cao et al. 2019)", **_cnn(loss="ldam-drw")),
    Method("pgan-cnn", "Algorithm 1 in full on the small CNN: F trained jointly with C, D "
           "and G, as many F updates as the CNN rows (PolarityGANClassifier's defaults)",
           image_model=_pgan_cnn(), needs_images=True, classifiers=("end-to-end",),
           default=False),
    Method("pgan-cnn-linear", "pgan-cnn with C one cosine layer on F's own features, as "
           "the CNN's head (PolarityGANClassifier(classifier_head='linear'); the default "
           "below 2,000 images)",
           image_model=_pgan_cnn(classifier_head="linear"), needs_images=True,
           classifiers=("end-to-end",), default=False),
    Method("pgan-cnn-mlp", "pgan-cnn with C the sampler's two-layer C on the standardised "
           "features (PolarityGANClassifier(classifier_head='mlp'); the default from 2,000 "
           "images)",
           image_model=_pgan_cnn(classifier_head="mlp"), needs_images=True,
           classifiers=("end-to-end",), default=False),
    Method("pgan-cnn-adam-betas", "pgan-cnn with F's Adam betas Adam's own (0.9, 0.999), "
           "as the CNN rows', instead of the GAN's (feature_betas=(0.9, 0.999))",
           image_model=_pgan_cnn(feature_betas=(0.9, 0.999)), needs_images=True,
           classifiers=("end-to-end",), default=False),
    Method("pgan-cnn-joint", "pgan-cnn with C updated together with F in step 2, on the "
           "real images (joint_feature_steps=True)",
           image_model=_pgan_cnn(joint_feature_steps=True), needs_images=True,
           classifiers=("end-to-end",), default=False),
    Method("pgan-cnn-paper", "pgan-cnn as the paper: C the sampler's cross-entropy MLP, G "
           "from 3/8 of F's updates, 50 rounds (PolarityGANClassifier(classifier_loss="
           "'cross-entropy', classifier_head='mlp', gan_start=0.375, n_rounds=50))",
           image_model=_pgan_cnn(**PAPER_END_TO_END), needs_images=True,
           classifiers=("end-to-end",), default=False),
    Method("pgan-cnn-balanced", "pgan-cnn-paper with a final stage of 300 C updates on "
           "batches of the balanced set, real rows and G's points (balance_steps=300)",
           image_model=_pgan_cnn(**PAPER_END_TO_END, balance_steps=300), needs_images=True,
           classifiers=("end-to-end",), default=False),
    Method("pgan-cnn-ldam-drw", "pgan-cnn-paper with C's head cosine and its loss on real "
           "images LDAM with deferred re-weighting (classifier_loss='ldam-drw')",
           image_model=_pgan_cnn(**{**PAPER_END_TO_END, "classifier_loss": "ldam-drw"}),
           needs_images=True, classifiers=("end-to-end",), default=False),
    Method("pgan-cnn-logit-adjusted", "pgan-cnn-paper with C's loss logit-adjusted by the "
           "prior of what it learns from (classifier_loss='logit-adjusted')",
           image_model=_pgan_cnn(**{**PAPER_END_TO_END, "classifier_loss": "logit-adjusted"}),
           needs_images=True, classifiers=("end-to-end",), default=False),
    Method("embedding+rf", "a pretrained network's embeddings (--features pretrained or "
           "resnet) + random forest, no resampling: the paper's ResNet+RF",
           needs_features=("pretrained", "resnet"), classifiers=("rf",)),
    Method("resnet50", "ResNet (--resnet-arch) fine-tuned end to end, no resampling: "
           "PolarityGANClassifier(resample=False) with its default schedule",
           image_model=_end_to_end(False), needs_features=("resnet",), classifiers=("end-to-end",)),
    Method("pgan-end-to-end", "Algorithm 1 in full: ResNet F trained jointly with C, D and G "
           "(PolarityGANClassifier)", image_model=_end_to_end(True), needs_features=("resnet",),
           classifiers=("end-to-end",)),
]

#: The benchmark's rows by name, in report order.
METHODS = {method.name: method for method in _ROWS}
