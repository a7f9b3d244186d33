"""What the GAN baselines share: conditional MLPs, a model base and a sampler base.

Each baseline adds only its networks and losses; the loop, seeding, device and
divergence handling are the shared core (:mod:`imblearn_pgan._core`).
"""

import numbers
from abc import abstractmethod

import torch
import torch.nn.functional as F
from sklearn.utils._param_validation import Interval
from torch import nn

from .._base import BaseGANSampler
from .._core import GANModel, SpreadMeter, adam, seeded_init
from ..networks import mlp

class ConditionalMLP(nn.Module):
    """An MLP reading its input concatenated with the one-hot class (CGAN style)."""

    def __init__(self, sizes, n_classes):
        super().__init__()
        self.n_classes = n_classes
        self.net = mlp([sizes[0] + n_classes, *sizes[1:]])

    def forward(self, x, labels):
        onehot = F.one_hot(labels, self.n_classes).to(x.dtype)
        return self.net(torch.cat([x, onehot], dim=1))


def bce(logits, target):
    """Binary cross-entropy of logits against a constant target (1 real, 0 fake)."""
    return F.binary_cross_entropy_with_logits(logits, torch.full_like(logits, target))


class BaselineGAN(GANModel):
    """A generator G and one adversary, each with its Adam, trained for ``n_iter`` steps.

    Subclasses implement :meth:`build` (the networks, one named
    ``"generator"`` and one named :attr:`adversary`) and :meth:`gan_step`.
    G reads Gaussian noise and the class; :meth:`fake` can be overridden.
    """

    adversary = "discriminator"

    def __init__(self, data, rng, seed, *, n_iter, batch_size, latent_dim, hidden_dim,
                 learning_rate, betas):
        self.data, self.rng = data, rng
        self.mean, self.scale = data.mean, data.scale
        self.n_iter, self.batch_size, self.latent_dim = n_iter, batch_size, latent_dim
        self.learning_rate, self.betas = learning_rate, betas
        with seeded_init(seed):
            self.networks = self.build(data.n_features, hidden_dim, latent_dim, data.n_classes)
        for name, net in self.networks.items():
            setattr(self, name, net)
        self.to(data.device)
        self.opt_g = self.adam(self.generator)
        self.opt_d = self.adam(self.networks[self.adversary])
        self.spread = SpreadMeter(data)

    @abstractmethod
    def build(self, n_features, hidden_dim, latent_dim, n_classes):
        """Return the networks by name; called with seeded initialisers."""

    @abstractmethod
    def gan_step(self, step):
        """One update of the adversary and one of G; returns the losses."""

    def adam(self, *modules):
        return adam(modules, self.learning_rate, self.betas)

    def stages(self):
        return [("gan", self.n_iter, self.gan_step)]

    def fake(self, labels, rng):
        """G(z|k) for each label, z standard Gaussian noise."""
        z = torch.randn(len(labels), self.latent_dim, generator=rng, device=labels.device)
        return self.generator(z, labels)

    @torch.no_grad()
    def generate(self, class_index, n, rng):
        labels = torch.full((n,), class_index, dtype=torch.long, device=self.device)
        Z = self.fake(labels, rng)
        # Back to the input space with the model's own mean and scale: the data is
        # released after fit.
        return Z, Z.double().cpu().numpy() * self.scale + self.mean

    def release_training_data(self):
        super().release_training_data()
        self.opt_g = self.opt_d = None

    def to(self, device):
        super().to(device)
        self.device = torch.device(device)
        return self


def _param(text):
    """A parameter entry, indented for a class docstring."""
    name, *lines = text.strip().split("\n")
    return "\n".join([name, *("    " + line if line else "" for line in lines)])


SHARED_DOCS = dict(
    # The first parameters of every baseline, in order.
    common="\n\n    ".join([
        BaseGANSampler._sampling_strategy_docstring,
        BaseGANSampler._random_state_docstring,
        _param("""
n_iter : int, default=1000
    Generator updates."""),
        _param("""
batch_size : int, default=128
    Rows per batch for every network. Lower it if CUDA runs out of memory."""),
        _param("""
device : {"auto", "cpu", "cuda", "cuda:N"} or torch.device, default="auto"
    Where to train; ``"auto"`` picks CUDA when available."""),
        _param(BaseGANSampler._n_threads_docstring.replace("\n        ", "\n    ")),
    ]),
    latent_dim=_param("""
latent_dim : int, default=32
    Size of G's noise input (as P-GAN's latent code, for a like-for-like
    comparison)."""),
    hidden_dim=_param("""
hidden_dim : int, default=256
    Width of the hidden layers of every network (as P-GAN's)."""),
    # The last parameters, then the fitted attributes every baseline has.
    columns_verbose_and_fitted="\n\n    ".join([
        _param(BaseGANSampler._columns_docstring.replace("\n        ", "\n    ")),
        _param("""
verbose : int, default=0
    Show a progress bar per training stage when positive."""),
        "Attributes\n    ----------\n    " + BaseGANSampler._fitted_docstring,
    ]),
    input_attributes=_param("""
n_features_in_ : int
    Number of features seen in ``fit_resample``.

feature_names_in_ : ndarray of shape (`n_features_in_`,)
    Names of features seen, when X has string column names."""),
    notes=(
        "G is an unconstrained MLP on the standardised features: unlike P-GAN's\n"
        "    generator, its rows may leave the convex hull of their class. Fake labels\n"
        "    are drawn in proportion to the rows each class is short of. Dense input\n"
        "    only. With categorical or discrete columns G's rows are snapped after\n"
        "    generation: each categorical column takes the category of its largest\n"
        "    one-hot output among those the class has, integer columns are rounded\n"
        "    into the class's range."
    ),
)


def example(class_name, arguments):
    """The Examples section of a baseline's docstring: ``class_name(arguments)`` on a
    300-row two-class problem."""
    return f""">>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from imblearn_pgan.baselines import {class_name}
    >>> X, y = make_classification(n_samples=300, weights=[0.9, 0.1], random_state=0)
    >>> sampler = {class_name}({arguments})
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> sorted(Counter(y_res.tolist()).items())
    [(0, 268), (1, 268)]"""


class BaselineGANSampler(BaseGANSampler):
    """Sampler base of the baselines: shared parameters and model construction.

    A subclass names its model class in ``_model``; the model receives every
    parameter that is not the sampler's own (sampling strategy, seed, device,
    threads, verbosity). Warning: This class should not be used directly.
    """

    _parameter_constraints: dict = {
        **BaseGANSampler._parameter_constraints,
        "latent_dim": [Interval(numbers.Integral, 1, None, closed="left")],
        "hidden_dim": [Interval(numbers.Integral, 1, None, closed="left")],
        "learning_rate": [Interval(numbers.Real, 0, None, closed="neither")],
    }

    _single_row_effect = "the GAN learns that class from one row."

    def __init__(self, *, sampling_strategy="auto", random_state=None, n_iter=1000,
                 batch_size=128, device="auto", n_threads="auto", latent_dim=32,
                 hidden_dim=256, learning_rate=2e-4,
                 betas=(0.5, 0.999), categorical_features=None, discrete_features=None,
                 verbose=0):
        # AC-GAN's and CGAN's defaults (Odena et al.'s); WGAN-GP and BAGAN set theirs.
        super().__init__(
            sampling_strategy=sampling_strategy, random_state=random_state, n_iter=n_iter,
            batch_size=batch_size, device=device, n_threads=n_threads, hidden_dim=hidden_dim,
            categorical_features=categorical_features, discrete_features=discrete_features,
            verbose=verbose)
        self.latent_dim, self.learning_rate, self.betas = latent_dim, learning_rate, betas

    _model: type

    def _build_model(self, data, X, rng, seed):
        params = self.get_params()
        for name in ("sampling_strategy", "random_state", "device", "n_threads", "verbose",
                     "categorical_features", "discrete_features"):
            del params[name]
        params["betas"] = tuple(self.betas)
        return self._model(data, rng, seed, **params)
