"""The imbalanced-learn face shared by every GAN sampler of the package."""

import numbers
import time
import warnings
from abc import abstractmethod

import numpy as np
import torch
from imblearn.over_sampling.base import BaseOverSampler
from sklearn.exceptions import NotFittedError
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn_compat.utils.validation import validate_data

from ._columns import (
    ColumnLayout,
    check_finite_columns,
    numeric_columns_expected,
    resolve_columns,
)
from ._dask import as_dask_arrays, is_dask_collection, scan, synthetic_block
from ._core import (
    TRAINING_ROWS_PER_CLASS,
    TrainingData,
    check_betas,
    derive_seed,
    format_label,
    make_generator,
    resolve_device,
    stage_seconds,
    standardisation,
    torch_threads,
    train,
)

__all__ = ["BaseGANSampler"]


class BaseGANSampler(BaseOverSampler):
    """Base class: validation, device, seeding, training and appending rows.

    Subclasses define the parameters constrained here (every sampler trains
    with Adam, hence ``betas``) and their own, implement
    :meth:`_build_model` and may override :meth:`_select` to choose among
    generated candidates.
    Warning: This class should not be used directly.
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "n_iter": [Interval(numbers.Integral, 1, None, closed="left")],
        "batch_size": [Interval(numbers.Integral, 1, None, closed="left")],
        "device": [str, torch.device],
        "n_threads": [Interval(numbers.Integral, 1, None, closed="left"), None,
                      StrOptions({"auto"})],
        "verbose": ["verbose"],
        "betas": [tuple],
        "categorical_features": [None, StrOptions({"auto"}), "array-like"],
        "discrete_features": [None, StrOptions({"auto"}), "array-like"],
    }

    #: The ``categorical_features`` and ``discrete_features`` entries of the docstrings.
    _columns_docstring = """categorical_features : "auto", array-like or None, default=None
        Categorical columns: indices, names (for a DataFrame) or a boolean
        mask, as for imbalanced-learn's ``SMOTENC``; ``"auto"`` takes the
        pandas ``category``, ``object``, ``string`` and ``bool`` columns (and
        the non-numeric columns of an object array). The networks see them
        one-hot, and each synthetic row gets, in each of them, a category its
        class has. ``None`` treats every column as numeric. At least one
        column must be numeric (for all-categorical data use ``SMOTEN``).

    discrete_features : "auto", array-like or None, default=None
        Integer-valued numeric columns (counts, 0/1 flags), in the forms of
        ``categorical_features``; ``"auto"`` takes every numeric column whose
        training values are all integers. A synthetic row keeps each of them
        an integer in its class's range, and a two-valued one (a flag) one of
        the values its class has. ``None`` treats them as continuous, but for
        the integer-dtype columns of a DataFrame, which come back with their
        dtype: they are always kept integer (rounded, never truncated)."""

    #: The ``n_threads`` entry of the samplers' docstrings.
    _n_threads_docstring = """n_threads : int, None or "auto", default="auto"
        CPU threads torch uses while this sampler trains and generates; the
        caller's setting is restored afterwards. ``"auto"``: one thread,
        except for the generation of a fit on more than 131,072 rows
        (``2**17``), which runs on torch's own setting (by default one per
        core), as SMOTE's neighbour search uses every core. The small
        networks train faster on one thread, many times faster on a busy
        machine; generation works on blocks of 8,192 rows, where threads pay
        on an idle machine and cost on a busy one ("Data larger than memory"
        in :doc:`/benchmarking`). With ``"auto"`` or a fixed count the output
        does not depend on the machine's cores (generation gives the same rows
        on any number of threads); ``None`` keeps torch's current setting
        throughout, and the CPU output then depends on it."""

    #: The ``random_state`` entry of the samplers' docstrings: what derive_seed does.
    _random_state_docstring = """random_state : int, RandomState instance or None, default=None
        Seeds the networks' initialisation and every random draw of
        ``fit_resample``; the global numpy and torch RNGs are left alone.

        - If int, it is the seed: the same value gives the same rows on the
          CPU;
        - If ``RandomState`` instance, one integer drawn from it is the seed
          (the instance advances);
        - If ``None``, the seed is fresh entropy from the operating system:
          each fit differs."""

    #: The first fitted attributes of every GAN sampler, for the docstrings.
    _fitted_docstring = """sampling_strategy_ : dict
        Class label to number of rows generated.

    classes_ : ndarray
        Class labels in sorted order.

    device_ : torch.device
        The device that trained the networks.

    categorical_features_ : ndarray of int
        Indices of the categorical columns (empty without any).

    discrete_features_ : ndarray of int
        Indices of the columns kept integer or two-valued (empty without any)."""

    #: What a class with a single row leads to, said in the warning about it.
    _single_row_effect = (
        "its convex hull is that point, so the rows generated for it are copies of it."
    )

    # Rows generated at once: bounds memory at generation time.
    _generation_chunk = 4096

    def __init__(self, *, sampling_strategy, random_state, n_iter, batch_size, device,
                 n_threads, hidden_dim, categorical_features, discrete_features, verbose):
        # The parameters every GAN sampler has; each subclass's own __init__ lists
        # them with its defaults, as scikit-learn's get_params reads them there.
        super().__init__(sampling_strategy=sampling_strategy)
        self.random_state, self.n_iter, self.batch_size = random_state, n_iter, batch_size
        self.device, self.n_threads, self.hidden_dim = device, n_threads, hidden_dim
        self.categorical_features, self.discrete_features = categorical_features, discrete_features
        self.verbose = verbose

    def _check_X_y(self, X, y, accept_sparse=None):
        from imblearn.utils import check_target_type

        y, binarize_y = check_target_type(y, indicate_one_vs_all=True)
        self._categorical, self._discrete = resolve_columns(
            X, self.categorical_features, self.discrete_features, type(self).__name__)
        if len(self._categorical):
            X, y = validate_data(self, X=X, y=y, reset=True, accept_sparse=False, dtype=None,
                                 ensure_all_finite=False)
            X = X.astype(object, copy=False)
        else:
            with numeric_columns_expected(X, type(self).__name__):
                X, y = validate_data(self, X=X, y=y, reset=True, accept_sparse=False,
                                     dtype=[np.float64, np.float32], ensure_all_finite=False)
        self._check_missing(X)
        return X, y, binarize_y

    def _check_missing(self, X):
        check_finite_columns(X, self._categorical, type(self).__name__,
                             getattr(self, "feature_names_in_", None))

    def _validate_params(self):
        super()._validate_params()
        if "betas" in self._parameter_constraints:
            check_betas(self.betas, "betas")

    def _memory_hint(self):
        """What to lower when memory runs out (named in the MemoryError)."""
        return f"batch_size (now {self.batch_size!r})"

    @abstractmethod
    def _build_model(self, data, X, rng, seed):
        """Return the :class:`~imblearn_pgan._core.GANModel` to train.

        ``rng`` is the torch generator of every draw, ``seed`` seeds the
        networks' initialisation.
        """

    def fit_resample(self, X, y, **params):
        if is_dask_collection(X) or is_dask_collection(y):
            return self._fit_resample_dask(X, y)
        # sample() returns what fit_resample returned: a DataFrame for a DataFrame.
        frame = hasattr(X, "columns") and hasattr(X, "iloc")
        self._frame_columns_ = X.columns if frame else None
        self._frame_dtypes_ = X.dtypes if frame else None
        X_res, y_res = super().fit_resample(X, y, **params)
        self._integer_dtype_ = self._whole_output_dtype(X)
        if self._integer_dtype_ is not None:
            X_res = X_res.astype(self._integer_dtype_)
        return X_res, y_res

    def _whole_output_dtype(self, X):
        """The integer dtype of an integer array X when every output column is kept
        integer (``discrete_features``), as SMOTE keeps the input's dtype; else None."""
        dtype = getattr(X, "dtype", None)
        if (self._frame_columns_ is not None or dtype is None or dtype.kind not in "iu"
                or len(self.categorical_features_)
                or len(self.discrete_features_) != self.n_features_in_):
            return None
        return dtype

    fit_resample.__doc__ = BaseOverSampler.fit_resample.__doc__.rstrip() + """

        Notes
        -----
        A Dask array or data frame X (and y) is never loaded whole: the
        networks train on a class-wise sample drawn in one pass over the
        chunks, and the output is a lazy Dask collection, the original chunks
        followed by synthetic ones generated when computed (see "Data larger
        than memory" in the user guide).
        """

    def _fit_resample_dask(self, X, y):
        """``fit_resample`` on Dask collections (:mod:`imblearn_pgan._dask`)."""
        import dask
        import dask.array as da
        from imblearn.utils import check_sampling_strategy

        name = type(self).__name__
        self._validate_params()
        if self.categorical_features is not None or self.discrete_features is not None:
            raise ValueError(f"{name} takes numeric Dask input only: categorical_features "
                             "and discrete_features must be None.")
        X, y, columns = as_dask_arrays(X, y, name)
        seed = derive_seed(self.random_state)
        self.classes_, counts, mean, scale, X_sample, y_sample = scan(X, y, seed, name)
        self.n_features_in_ = X.shape[1]
        self._frame_columns_ = self._frame_dtypes_ = self._integer_dtype_ = None
        if columns is not None and all(isinstance(c, str) for c in columns):
            self.feature_names_in_ = np.asarray(columns, dtype=object)
        # The strategy sees the class counts; small class codes stand for the rows of y.
        codes = np.repeat(np.arange(len(counts), dtype=np.min_scalar_type(len(counts))), counts)
        strategy = check_sampling_strategy(
            self.sampling_strategy,
            np.repeat(self.classes_, counts) if callable(self.sampling_strategy) else codes,
            self._sampling_type)
        del codes
        self.sampling_strategy_ = {
            (label if callable(self.sampling_strategy) else self.classes_[label]): n
            for label, n in strategy.items()}
        y_index = np.searchsorted(self.classes_, y_sample)
        n_new = np.zeros(len(self.classes_), dtype=np.int64)
        for label, n in self.sampling_strategy_.items():
            n_new[np.searchsorted(self.classes_, label)] = n
        self._categorical, self._discrete, self._columns = [], None, None
        self.categorical_features_ = self.discrete_features_ = np.zeros(0, dtype=int)
        self.device_ = resolve_device(self.device)
        self._forget_previous_fit()
        self._warn_single_row_classes(counts, n_new)
        if not n_new.any():
            self.history_ = []
            return (X, y) if columns is None else (self._as_frames(X, y, columns))
        with torch_threads(self._threads("training")):
            try:
                model, _ = self._train(X_sample, y_index, n_new, seed,
                                       population=(counts, mean, scale))
            except torch.OutOfMemoryError as exc:
                raise self._out_of_memory_error() from exc
        self._keep_networks(model)
        self.synthetic_uncertainty_, self.synthetic_anchors_ = {}, {}
        fitted = dask.delayed(self, traverse=False)
        X_parts, y_parts = [X], [y]
        size = max(int(X.chunks[0][0]), 1)
        for label, n in self.sampling_strategy_.items():
            k = int(np.searchsorted(self.classes_, label))
            for j, start in enumerate(range(0, n, size)):
                m = min(size, n - start)
                block_seed = int(np.random.SeedSequence([seed, k, j]).generate_state(1)[0])
                X_parts.append(da.from_delayed(
                    dask.delayed(synthetic_block)(fitted, k, m, block_seed, X.dtype),
                    shape=(m, X.shape[1]), dtype=X.dtype))
                y_parts.append(da.full(m, label, dtype=y.dtype, chunks=m))
        X_res, y_res = da.concatenate(X_parts), da.concatenate(y_parts)
        return (X_res, y_res) if columns is None else self._as_frames(X_res, y_res, columns)

    @staticmethod
    def _as_frames(X, y, columns):
        import dask.dataframe as dd

        return dd.from_dask_array(X, columns=columns), dd.from_dask_array(y)

    def _forget_previous_fit(self):
        # A refit starts clean: no networks of an earlier fit stay behind.
        previous = self.__dict__.pop("model_", None)
        for name in getattr(previous, "networks", {}):
            self.__dict__.pop(f"{name}_", None)

    def _fit_resample(self, X, y):
        self._forget_previous_fit()
        return self._train_and_generate(X, y)

    def _threads(self, stage):
        """torch threads of ``stage`` (``"training"`` or ``"generation"``), as
        ``n_threads`` says: ``"auto"`` is one, but torch's own setting for the
        generation of a large fit (:data:`~imblearn_pgan._core.LARGE_FIT_ROWS`)."""
        if self.n_threads != "auto":
            return self.n_threads
        return None if stage == "generation" and self._large_fit else 1

    def _train_and_generate(self, X, y):
        self.device_ = resolve_device(self.device)
        seed = derive_seed(self.random_state)
        y_index, n_new = self._index_classes(y)
        self._warn_single_row_classes(np.bincount(y_index, minlength=len(self.classes_)), n_new)
        self._layout_columns(X, y_index)
        if not n_new.any():
            self.history_ = []
            return X.copy(), y.copy()
        start = time.perf_counter()
        try:
            X_train, y_train, population = self._training_sample(self._encode(X), y_index, seed)
            with torch_threads(self._threads("training")):
                model, rng = self._train(X_train, y_train, n_new, seed, population)
            X_res, y_res = self._resampled_arrays(X, y)
            with torch_threads(self._threads("generation")):
                self._generate_synthetic(model, rng, X_res[len(X):], y_res[len(y):])
        except torch.OutOfMemoryError as exc:
            raise self._out_of_memory_error() from exc
        self._keep_networks(model)
        if self.verbose:
            print(self._summary(time.perf_counter() - start, sum(n_new)))
        return X_res, y_res

    def _resampled_arrays(self, X, y):
        """The output, allocated once: the original rows, then room for the synthetic ones.

        The synthetic rows are written into it chunk by chunk, so that no copy of
        them is concatenated to X afterwards.
        """
        n_out = len(y) + sum(self.sampling_strategy_.values())
        X_res = np.empty((n_out, X.shape[1]), dtype=X.dtype)
        y_res = np.empty(n_out, dtype=y.dtype)
        X_res[:len(X)], y_res[:len(y)] = X, y
        return X_res, y_res

    def _index_classes(self, y):
        """Set ``classes_``; return each row's class index and the rows to generate per class."""
        self.classes_ = np.unique(y)
        y_index = np.searchsorted(self.classes_, y)
        n_new = np.zeros(len(self.classes_), dtype=np.int64)
        for label, n in self.sampling_strategy_.items():
            n_new[np.searchsorted(self.classes_, label)] = n
        return y_index, n_new

    def _picks_counts(self):
        """Whether a synthetic row's count columns are one anchor's values (P-GAN's
        ``gan_params`` ``discrete_values="anchor"``); the baselines round theirs."""
        return False

    def _picks_together(self):
        """Whether one anchor gives all of a synthetic row's picked columns (P-GAN's
        ``gan_params`` ``discrete_draw="row"``); the baselines snap theirs column by column."""
        return False

    def _layout_columns(self, X, y_index):
        """Resolve the column kinds (``categorical_features_``, ``discrete_features_``).

        Without categorical or discrete columns the networks train on X as it is.
        """
        self._columns = None
        if len(self._categorical) or self._discrete is not None:
            layout = ColumnLayout(X, y_index, len(self.classes_), self._categorical,
                                  self._discrete, getattr(self, "feature_names_in_", None),
                                  pick_counts=self._picks_counts(),
                                  pick_together=self._picks_together())
            self._columns = None if layout.trivial else layout
        self.categorical_features_ = np.asarray(self._categorical, dtype=int)
        self.discrete_features_ = (self._columns.numeric[np.r_[self._columns.binary,
                                                                self._columns.rounded]]
                                   if self._columns is not None else np.zeros(0, dtype=int))
        self.discrete_features_.sort()

    def _encode(self, X):
        """The float rows the networks see (X itself for an all-continuous table)."""
        return X if self._columns is None else self._columns.encode(X)

    def _warn_single_row_classes(self, counts, n_new):
        tiny = [str(c) for c, k, m in zip(self.classes_, counts, n_new) if k == 1 and m > 0]
        if tiny:
            warnings.warn(
                f"Classes {', '.join(tiny)} have a single row: {self._single_row_effect}",
                UserWarning,
            )

    def _training_sample(self, X, y_index, seed):
        """The rows the networks train on: all of them, or a sample of the largest classes.

        A class of more than ``TRAINING_ROWS_PER_CLASS`` rows is represented by
        that many of its rows, drawn at random (as the Dask path does), with
        the whole data's class counts and column statistics (``population``,
        None when every row is kept), so that a fit on millions of rows holds
        no float32 copy of X. Data with smaller classes trains on every row.
        """
        counts = np.bincount(y_index, minlength=len(self.classes_))
        if counts.max() <= TRAINING_ROWS_PER_CLASS:
            return X, y_index, None
        rng = np.random.default_rng(seed)
        rows = [np.flatnonzero(y_index == k) for k in range(len(counts))]
        rows = np.sort(np.concatenate([
            r if len(r) <= TRAINING_ROWS_PER_CLASS
            else rng.choice(r, TRAINING_ROWS_PER_CLASS, replace=False) for r in rows]))
        return X[rows], y_index[rows], (counts, *standardisation(X))

    def _train(self, X, y_index, n_new, seed, population=None):
        """Build the model on the device and train it; return it and its random generator.

        ``population``: see :class:`~imblearn_pgan._core.TrainingData`.
        """
        rng = make_generator(seed, self.device_)
        data = TrainingData(X, y_index, len(self.classes_), n_new, self.device_, self._columns,
                            population)
        self._large_fit = data.large
        model = self._build_model(data, X, rng, seed)
        self.history_ = train(model, log_every=self._log_every(), verbose=self.verbose,
                              desc=type(self).__name__)
        return model, rng

    def _generate_synthetic(self, model, rng, X_out, y_out):
        """Fill ``X_out`` and ``y_out`` with the synthetic rows, class by class of
        ``sampling_strategy_``."""
        start = 0
        for label, n in self.sampling_strategy_.items():
            if n == 0:
                continue
            k = int(np.searchsorted(self.classes_, label))
            self._generate_rows(model, k, n, rng, X_out[start:start + n])
            y_out[start:start + n] = label
            start += n

    def _out_of_memory_error(self):
        """The MemoryError that replaces torch's, naming what to lower; CUDA cache released."""
        if self.device_.type == "cuda":
            torch.cuda.empty_cache()
        return MemoryError(
            f"{type(self).__name__} ran out of memory on {self.device_}: lower "
            f"{self._memory_hint()}, "
            "or use device='cpu'."
        )

    def _keep_networks(self, model):
        """Keep the trained model on the CPU for :meth:`sample`, its networks as ``<name>_``."""
        model.release_training_data()
        self.model_ = model.to("cpu")
        for name, net in model.networks.items():
            setattr(self, f"{name}_", net)

    def _summary(self, total, n_rows):
        """The one line a verbose fit leaves on screen."""
        stages = ", ".join(f"{stage} {sec:.1f} s"
                           for stage, sec in stage_seconds(self.history_).items())
        # None: the caller's setting, which is back now.
        used = [self._threads(stage) or torch.get_num_threads()
                for stage in ("training", "generation")]
        threads = (f", {used[0]} thread(s)" if used[0] == used[1] else
                   f", {used[0]} thread(s) training, {used[1]} generating")
        threads = threads if self.device_.type == "cpu" else ""
        return (f"{type(self).__name__}: {n_rows} rows generated in {total:.1f} s "
                f"({stages}; generation included in the total) on {self.device_}{threads}")

    def _log_every(self):
        # ``n_iter_`` where a sampler resolves its steps from the data ("auto").
        return max(1, min(50, getattr(self, "n_iter_", self.n_iter) // 10))

    def _generate_rows(self, model, k, n, rng, out):
        """Write ``n`` rows of class index ``k`` into ``out``, in the input's columns and dtype.

        A chunk at a time: memory at generation grows with the chunk, not with ``n``.
        """
        for start in range(0, n, self._generation_chunk):
            m = min(self._generation_chunk, n - start)
            rows = self._select(model, k, m, rng)
            if not np.all(np.isfinite(rows)):
                raise FloatingPointError(
                    f"{type(self).__name__} generated non-finite rows for class "
                    f"{format_label(self.classes_[k])}; lower learning_rate or check the "
                    "input scale."
                )
            out[start:start + m] = rows if self._columns is None else (
                self._columns.decode(rows, k, out.dtype))

    def _select(self, model, k, n, rng):
        """``n`` rows of class index ``k`` in the input space; raw draws by default."""
        _, original = model.generate(k, n, rng)
        return original

    def sample(self, n_samples, *, class_label=None, random_state=None):
        """Draw new rows of one class from the fitted model, without retraining.

        Parameters
        ----------
        n_samples : int
            Number of rows to draw.
        class_label : object, default=None
            A class seen in ``fit_resample``. ``None`` means the only class
            that ``fit_resample`` oversampled (the one with a positive count
            in ``sampling_strategy_``); when it oversampled several, name one.
        random_state : int, RandomState instance or None, default=None
            Seeds the draw; the same value gives the same rows on the CPU.
            ``None`` takes a fresh seed from the operating system.

        Returns
        -------
        X_new : ndarray or DataFrame of shape (n_samples, `n_features_in_`)
            New rows of ``class_label``: float64, object with categorical
            columns, or the integer dtype of an integer X whose columns are all
            kept integer; a DataFrame with the training columns and dtypes when
            ``fit_resample`` was given a DataFrame.
        """
        if not hasattr(self, "model_"):
            if hasattr(self, "sampling_strategy_") and hasattr(self, "history_"):
                strategy = ", ".join(f"{format_label(label)}: {int(n)}"
                                     for label, n in self.sampling_strategy_.items())
                reason = ("the last fit_resample had no row to generate (sampling_strategy_ "
                          f"is {{{strategy}}}), so no networks were trained")
            else:
                reason = ("the networks are trained by fit_resample; fit only validates the "
                          "input, as for every imbalanced-learn sampler")
            raise NotFittedError(
                f"{type(self).__name__}.sample needs trained networks: {reason}. Call "
                "fit_resample(X, y) on data with a class to oversample first."
            )
        if not isinstance(n_samples, numbers.Integral) or n_samples < 1:
            raise ValueError(f"n_samples must be a positive integer, got {n_samples!r}.")
        k = self._class_index(class_label)
        rng = make_generator(derive_seed(random_state), "cpu")
        with torch_threads(self._threads("generation")):
            # Floats, or objects where categories come back.
            dtype = np.float64 if self._columns is None or not len(self._categorical) else object
            rows = np.empty((int(n_samples), self.n_features_in_), dtype=dtype)
            self._generate_rows(self.model_, k, int(n_samples), rng, rows)
        if getattr(self, "_integer_dtype_", None) is not None:
            rows = rows.astype(self._integer_dtype_)
        columns = getattr(self, "_frame_columns_", None)
        if columns is not None:
            import pandas as pd

            return pd.DataFrame(rows, columns=columns).astype(self._frame_dtypes_)
        return rows

    def _class_index(self, class_label):
        """Index in ``classes_`` of ``class_label``, or of the one oversampled class for None."""
        if class_label is None:
            oversampled = [label for label, n in self.sampling_strategy_.items() if n > 0]
            if len(oversampled) != 1:
                raise ValueError(
                    "class_label=None stands for the only class fit_resample oversampled, "
                    f"but it oversampled {len(oversampled)}: "
                    f"{', '.join(map(format_label, oversampled))}. Pass one as class_label."
                )
            class_label = oversampled[0]
        matches = np.flatnonzero(self.classes_ == class_label)
        if len(matches) == 0:
            raise ValueError(
                f"class_label={format_label(class_label)} was not seen in fit; known: "
                f"{', '.join(map(format_label, self.classes_))}."
            )
        return int(matches[0])

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = False
        tags.non_deterministic = False
        return tags
