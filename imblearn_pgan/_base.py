"""The imbalanced-learn face shared by every GAN sampler of the package."""

import numbers
import time
import warnings
from abc import abstractmethod

import numpy as np
import torch
from imblearn.over_sampling.base import BaseOverSampler
from sklearn.utils._param_validation import Interval
from sklearn.exceptions import NotFittedError
from sklearn_compat.utils.validation import validate_data

from ._core import (
    TrainingData,
    derive_seed,
    make_generator,
    resolve_device,
    stage_seconds,
    torch_threads,
    train,
)

__all__ = ["BaseGANSampler"]


class BaseGANSampler(BaseOverSampler):
    """Base class: validation, device, seeding, training and appending rows.

    Subclasses list their own parameters, implement :meth:`_build_model` and
    may override :meth:`_select` to choose among generated candidates.
    Warning: This class should not be used directly.
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "n_iter": [Interval(numbers.Integral, 1, None, closed="left")],
        "batch_size": [Interval(numbers.Integral, 1, None, closed="left")],
        "device": [str, torch.device],
        "n_threads": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "verbose": ["verbose"],
    }

    #: What a class with a single row leads to, said in the warning about it.
    _single_row_effect = (
        "its convex hull is that point, so the rows generated for it are copies of it."
    )

    #: The parameter that bounds memory besides ``batch_size``, named in OOM errors.
    _memory_parameters = ("batch_size",)

    # Rows generated at once: bounds memory at generation time.
    _generation_chunk = 4096

    def _check_X_y(self, X, y, accept_sparse=None):
        from imblearn.utils import check_target_type

        y, binarize_y = check_target_type(y, indicate_one_vs_all=True)
        X, y = validate_data(
            self, X=X, y=y, reset=True, accept_sparse=False, dtype=[np.float64, np.float32]
        )
        return X, y, binarize_y

    @abstractmethod
    def _build_model(self, data, X, gen, seed):
        """Return the :class:`~imblearn_pgan._core.GANModel` to train."""

    def fit_resample(self, X, y, **params):
        # sample() returns what fit_resample returned: a DataFrame for a DataFrame.
        self._frame_columns_ = X.columns if hasattr(X, "columns") and hasattr(X, "iloc") else None
        return super().fit_resample(X, y, **params)

    fit_resample.__doc__ = BaseOverSampler.fit_resample.__doc__

    def _fit_resample(self, X, y):
        # A refit starts clean: no networks of an earlier fit stay behind.
        previous = self.__dict__.pop("model_", None)
        for name in getattr(previous, "networks", {}):
            self.__dict__.pop(f"{name}_", None)
        with torch_threads(self.n_threads):
            return self._train_and_generate(X, y)

    def _train_and_generate(self, X, y):
        betas = getattr(self, "betas", (0.0, 0.0))
        if len(betas) != 2 or not all(0 <= b < 1 for b in betas):
            raise ValueError(f"betas must be two floats in [0, 1), got {betas!r}.")
        self.device_ = resolve_device(self.device)
        seed = derive_seed(self.random_state)
        self.classes_ = np.unique(y)
        y_index = np.searchsorted(self.classes_, y)
        n_new = np.zeros(len(self.classes_), dtype=np.int64)
        for label, n in self.sampling_strategy_.items():
            n_new[np.searchsorted(self.classes_, label)] = n
        counts = np.bincount(y_index, minlength=len(self.classes_))
        tiny = [str(c) for c, k, m in zip(self.classes_, counts, n_new) if k == 1 and m > 0]
        if tiny:
            warnings.warn(
                f"Classes {', '.join(tiny)} have a single row: {self._single_row_effect}",
                UserWarning,
            )
        if not n_new.any():
            self.history_ = []
            return X.copy(), y.copy()

        start = time.perf_counter()
        try:
            gen = make_generator(seed, self.device_)
            data = TrainingData(X, y_index, len(self.classes_), n_new, self.device_)
            model = self._build_model(data, X, gen, seed)
            self.history_ = train(model, log_every=self._log_every(), verbose=self.verbose,
                                  desc=type(self).__name__)
            X_parts, y_parts = [X], [y]
            for label, n in self.sampling_strategy_.items():
                if n == 0:
                    continue
                k = int(np.searchsorted(self.classes_, label))
                X_parts.append(self._generate_rows(model, k, n, gen).astype(X.dtype))
                y_parts.append(np.full(n, label, dtype=y.dtype))
        except torch.OutOfMemoryError as exc:
            if self.device_.type == "cuda":
                torch.cuda.empty_cache()
            lower = " or ".join(f"{p} (now {getattr(self, p)!r})" for p in self._memory_parameters)
            raise MemoryError(
                f"{type(self).__name__} ran out of memory on {self.device_}: lower {lower}, "
                "or use device='cpu'."
            ) from exc
        model.release_training_data()
        self.model_ = model.to("cpu")
        for name, net in model.networks.items():
            setattr(self, f"{name}_", net)
        if self.verbose:
            print(self._summary(time.perf_counter() - start, sum(n_new)))
        return np.concatenate(X_parts), np.concatenate(y_parts)

    def _summary(self, total, n_rows):
        """The one line a verbose fit leaves on screen."""
        stages = ", ".join(f"{stage} {sec:.1f} s"
                           for stage, sec in stage_seconds(self.history_).items())
        threads = f", {torch.get_num_threads()} thread(s)" if self.device_.type == "cpu" else ""
        return (f"{type(self).__name__}: {n_rows} rows generated in {total:.1f} s "
                f"({stages}; generation included in the total) on {self.device_}{threads}")

    def _log_every(self):
        # ``n_iter_`` where a sampler resolves its steps from the data ("auto").
        return max(1, min(50, getattr(self, "n_iter_", self.n_iter) // 10))

    def _generate_rows(self, model, k, n, gen):
        parts = []
        for start in range(0, n, self._generation_chunk):
            m = min(self._generation_chunk, n - start)
            parts.append(self._select(model, k, m, gen))
        rows = np.concatenate(parts)
        if not np.all(np.isfinite(rows)):
            raise FloatingPointError(
                f"{type(self).__name__} generated non-finite rows for class "
                f"{self.classes_[k]!r}; lower learning_rate or check the input scale."
            )
        return rows

    def _select(self, model, k, n, gen):
        """``n`` rows of class index ``k`` in the input space; raw draws by default."""
        _, original = model.generate(k, n, gen)
        return original

    def sample(self, n_samples, *, class_label, random_state=None):
        """Draw new rows of one class from the fitted model, without retraining.

        Parameters
        ----------
        n_samples : int
            Number of rows to draw.
        class_label : object
            A class seen in ``fit_resample``.
        random_state : int, RandomState instance or None, default=None
            Seeds the draw; the same value gives the same rows on the CPU.

        Returns
        -------
        X_new : ndarray or DataFrame of shape (n_samples, `n_features_in_`)
            New rows of ``class_label`` (float64); a DataFrame with the
            training columns when ``fit_resample`` was given a DataFrame.
        """
        if not hasattr(self, "model_"):
            if hasattr(self, "sampling_strategy_") and hasattr(self, "history_"):
                reason = ("the last fit_resample had no row to generate (sampling_strategy_ "
                          f"is {self.sampling_strategy_}), so no networks were trained")
            else:
                reason = ("the networks are trained by fit_resample; fit only validates the "
                          "input, as for every imbalanced-learn sampler")
            raise NotFittedError(
                f"{type(self).__name__}.sample needs trained networks: {reason}. Call "
                "fit_resample(X, y) on data with a class to oversample first."
            )
        if not isinstance(n_samples, numbers.Integral) or n_samples < 1:
            raise ValueError(f"n_samples must be a positive integer, got {n_samples!r}.")
        matches = np.flatnonzero(self.classes_ == class_label)
        if len(matches) == 0:
            raise ValueError(
                f"class_label={class_label!r} was not seen in fit; known: {list(self.classes_)}."
            )
        gen = make_generator(derive_seed(random_state), "cpu")
        with torch_threads(self.n_threads):
            rows = self._generate_rows(self.model_, int(matches[0]), int(n_samples), gen)
        columns = getattr(self, "_frame_columns_", None)
        if columns is not None:
            import pandas as pd

            return pd.DataFrame(rows, columns=columns)
        return rows

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = False
        tags.non_deterministic = False
        return tags
