"""The imbalanced-learn face shared by every GAN sampler of the package."""

import numbers
import warnings
from abc import abstractmethod

import numpy as np
import torch
from imblearn.over_sampling.base import BaseOverSampler
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_is_fitted
from sklearn_compat.utils.validation import validate_data

from ._core import TrainingData, derive_seed, make_generator, resolve_device, train

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

    def _fit_resample(self, X, y):
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
        return np.concatenate(X_parts), np.concatenate(y_parts)

    def _log_every(self):
        return max(1, min(50, self.n_iter // 10))

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
        X_new : ndarray of shape (n_samples, `n_features_in_`)
            New rows of ``class_label`` (float64).
        """
        check_is_fitted(self, "model_")
        if not isinstance(n_samples, numbers.Integral) or n_samples < 1:
            raise ValueError(f"n_samples must be a positive integer, got {n_samples!r}.")
        matches = np.flatnonzero(self.classes_ == class_label)
        if len(matches) == 0:
            raise ValueError(
                f"class_label={class_label!r} was not seen in fit; known: {list(self.classes_)}."
            )
        gen = make_generator(derive_seed(random_state), "cpu")
        return self._generate_rows(self.model_, int(matches[0]), int(n_samples), gen)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = False
        tags.non_deterministic = False
        return tags
