"""PolarityGANSampler: Polarity-GAN as an imbalanced-learn oversampler."""

import math
import numbers

import numpy as np
import torch
from imblearn.utils import Substitution
from sklearn.utils._param_validation import (
    Interval,
    StrOptions,
    validate_parameter_constraints,
)

from ._base import BaseGANSampler
from ._core import check_betas
from .polarity import PolarityGAN, auto_width, schedule_steps
from .uncertainty import MEASURES, uncertainty_summary

__all__ = ["GAN_PARAMS", "PolarityGANSampler", "split_settings"]

#: The settings of ``PolarityGANSampler(gan_params=...)`` and their defaults: the
#: networks' and the game's, then the alternatives that lost on the dev data.
GAN_PARAMS = {
    "latent_dim": 32,
    "pseudo_dim": 64,
    "learning_rate": 2e-4,
    "betas": (0.6, 0.9),
    "n_critic": 2,
    "gradient_penalty": 10.0,
    "autoencoder_steps": "auto",
    "autoencoder_learning_rate": 1e-3,
    "max_anchors": 512,
    "latent_noise": 0.5,
    "support_temperature": 2.0,
    "pool_factor": 2.0,
    "support": "random",
    "anchor_draw": "uniform",
    "discrete_values": "anchor",
    "discrete_draw": "column",
    "dirichlet_share": 0.0,
    "critic_share": 0.0,
    "hard_training": False,
}

_GAN_PARAMS_CONSTRAINTS = {
    "latent_dim": [Interval(numbers.Integral, 1, None, closed="left")],
    "pseudo_dim": [Interval(numbers.Integral, 1, None, closed="left")],
    "learning_rate": [Interval(numbers.Real, 0, None, closed="neither")],
    "betas": [tuple],
    "n_critic": [Interval(numbers.Integral, 1, None, closed="left")],
    "gradient_penalty": [Interval(numbers.Real, 0, None, closed="left")],
    "autoencoder_steps": [Interval(numbers.Integral, 0, None, closed="left"),
                          StrOptions({"auto"})],
    "autoencoder_learning_rate": [Interval(numbers.Real, 0, None, closed="neither")],
    "max_anchors": [Interval(numbers.Integral, 1, None, closed="left")],
    "latent_noise": [Interval(numbers.Real, 0, None, closed="left")],
    "support_temperature": [Interval(numbers.Real, 0, None, closed="neither")],
    "pool_factor": [Interval(numbers.Real, 1, None, closed="left")],
    "support": [StrOptions({"random", "local"})],
    "anchor_draw": [StrOptions({"uniform", "uncertain", "confident"})],
    "discrete_values": [StrOptions({"anchor", "rounded"})],
    "discrete_draw": [StrOptions({"column", "row"})],
    "dirichlet_share": [Interval(numbers.Real, 0, 1, closed="both")],
    "critic_share": [Interval(numbers.Real, 0, 1, closed="left")],
    "hard_training": ["boolean"],
}

# The gan_params that are arguments of the model; the others the sampler reads.
_MODEL_OPTIONS = tuple(k for k in GAN_PARAMS if k not in (
    "autoencoder_steps", "pool_factor", "anchor_draw", "discrete_values", "discrete_draw"))


def split_settings(settings):
    """Flat P-GAN settings as ``PolarityGANSampler`` arguments: those of
    :data:`GAN_PARAMS` gathered into ``gan_params``.

    For the places that take settings by name (``pgan-benchmark --pgan-param``,
    ``PolarityGANClassifier(sampler_params=...)``, the benchmark's rows).

    Raises
    ------
    ValueError
        For a name that is neither a parameter nor a ``gan_params`` setting.
    """
    settings = dict(settings)
    known = set(PolarityGANSampler().get_params())
    unknown = sorted(set(settings) - known - set(GAN_PARAMS))
    if unknown:
        raise ValueError(f"PolarityGANSampler has no parameter or gan_params setting "
                         f"{unknown}")
    gan = {**(settings.pop("gan_params", None) or {}),
           **{k: settings.pop(k) for k in list(settings) if k in GAN_PARAMS}}
    return {**settings, "gan_params": gan} if gan else settings


@Substitution(
    sampling_strategy=BaseGANSampler._sampling_strategy_docstring,
    random_state=BaseGANSampler._random_state_docstring,
    columns=BaseGANSampler._columns_docstring,
    n_threads=BaseGANSampler._n_threads_docstring,
    fitted=BaseGANSampler._fitted_docstring,
)
class PolarityGANSampler(BaseGANSampler):
    """Oversample with Polarity-GAN (P-GAN): convex-hull points near the boundary.

    Trains the paper's generator G (Q then P), class-conditional Wasserstein
    critic D and classifier C, with G started from an autoencoder (Algorithm
    1), then returns the original rows followed by synthetic rows. Every
    synthetic row is a convex combination of training rows of its class
    (eq. 3), so it lies in that class's convex hull. Candidates are drawn in
    excess and the ones C finds most uncertain, among those it still assigns
    to their class, are kept (§5, eq. 7–10).

    Read more in the :ref:`User Guide <user_guide>`.

    Parameters
    ----------
    {sampling_strategy}

    {random_state}

    n_iter : int or "auto", default="auto"
        Generator updates: iterations of Algorithm 1's inner loop (steps
        4–11; with no feature extractor F the outer loop runs once).
        ``"auto"`` sizes them by the data: a tenth of the rows within [50, 200],
        and at least 20 per class up to 500
        (:func:`~imblearn_pgan.polarity.schedule_steps`). See
        :doc:`/benchmarking` for measurements.

    batch_size : int, default=128
        Rows per batch for every network. Lower it if CUDA runs out of memory.

    device : {{"auto", "cpu", "cuda", "cuda:N"}} or torch.device, default="auto"
        Where to train; ``"auto"`` picks CUDA when available.

    {n_threads}

    uncertainty : {{"entropy", "margin", "least_confidence", "ratio"}} or None, \
            default="entropy"
        Measure of C's uncertainty that chooses the kept rows among
        ``pool_factor`` (a ``gan_params`` setting, 2) times as many
        candidates (§5). ``None`` keeps G's raw
        draws (no pool, no filter).

    selection : {{"weighted", "top", "uniform"}}, default="weighted"
        How the uncertainty chooses, among the candidates that C assigns to
        their class: ``"weighted"`` draws them with probability proportional
        to it (the kept rows lean toward C's boundary and keep their spread);
        ``"top"`` keeps the most uncertain, which piles the rows on C's
        boundary; ``"uniform"`` draws them uniformly, so C only filters
        (less of a lean: a higher minority F1, the same G-mean on the KEEL
        dev sets). Candidates C puts in another class are kept only when too
        few are left. See :doc:`/benchmarking` for measurements.

    hidden_dim : int or "auto", default="auto"
        Width of the hidden layers of every network. ``"auto"``: 128 below
        1,000 rows, 256 from there on
        (:func:`~imblearn_pgan.polarity.auto_width`; measured in the
        :doc:`experiment log </experiment_log>`, entries 25 to 31).

    classifier_weight : float, default=0.1
        Weight of G's game against C relative to its game against D. Larger
        pushes points harder toward the class boundary and into the other
        classes' region. See :doc:`/benchmarking` for measurements.

    n_anchors : int or None, default=3
        Rows of its class that each synthetic row mixes: G draws that many
        distinct random anchors per point and chooses their weights, at a
        fixed temperature relative to their spread. ``None`` lets G weigh
        every anchor of the class (the paper's P over all rows). See
        :doc:`/benchmarking` for measurements.

    gan_params : dict or None, default=None
        Settings of the networks and of the game that rarely need a change,
        by name; ``None`` (or a missing name) keeps the default of
        :data:`~imblearn_pgan.sampler.GAN_PARAMS`:

        - ``latent_dim`` (32): the latent code that Q reads (the
          autoencoder's bottleneck); ``pseudo_dim`` (64): the pseudo space
          between Q and P.
        - ``learning_rate`` (2e-4, the paper's) and ``betas`` ((0.6, 0.9):
          the paper's beta1, WGAN-GP's beta2): Adam's, for every network.
        - ``n_critic`` (2): updates of C and D (steps 4–7 of Algorithm 1)
          per generator update (steps 8–11), as WGAN's critic iterations.
        - ``gradient_penalty`` (10.0): weight of the critic's gradient penalty.
        - ``autoencoder_steps`` ("auto", the rule of ``n_iter``) and
          ``autoencoder_learning_rate`` (1e-3): the autoencoder pre-training
          that initialises G.
        - ``max_anchors`` (512): at most this many seeded rows per class serve
          as G's anchors; bounds memory and time on very large classes.
        - ``latent_noise`` (0.5): noise added to G's latent input (a mix of
          the codes of the point's anchors), in units of the class's spread
          of codes.
        - ``support_temperature`` (2.0): temperature of G's weights over a
          point's ``n_anchors`` anchors, relative to their spread; larger
          mixes the anchors more evenly.
        - ``pool_factor`` (2.0): candidates drawn per kept row when
          ``uncertainty`` is set (>= 1).

        The other names are alternatives that were measured and lost on the
        dev data (the :doc:`experiment log </experiment_log>` says by how much),
        kept for the benchmark's ablation rows: ``support`` ("random" or
        "local"), ``anchor_draw`` ("uniform", "uncertain" or "confident"),
        ``discrete_values`` ("anchor" or "rounded"), ``discrete_draw``
        ("column" or "row"), ``dirichlet_share`` and ``critic_share`` (0.0)
        and ``hard_training`` (False); see :class:`~imblearn_pgan.polarity.PolarityGAN`.

    {columns}
        P-GAN's categorical, flag and count columns come from the point's own
        anchors: each takes the value of one anchor, drawn with G's weights
        (a count too, see ``discrete_values``), so no unseen category,
        fraction or out-of-range count appears. The networks see categories
        one-hot; G trains on its soft convex mixes (measured better than
        making them hard with a straight-through gradient). Needs ``n_anchors``. See
        :ref:`tables` in the user guide.

    verbose : int, default=0
        Show a progress bar per training stage when positive.

    Attributes
    ----------
    {fitted}

    history_ : list of dict
        One dict per logged step: the losses (autoencoder, critic, gradient
        penalty, classifier, generator against critic and classifier), the
        mean largest anchor weight (``max_weight``: 1 means copies of rows),
        the mean effective number of anchors (``effective_anchors``,
        ``1 / sum w_j^2``),
        ``spread`` (distance of fakes to their class mean over the same for
        real rows: near 0 means collapse on the mean), ``stage``, ``step``
        and ``elapsed_s``.

    generator_, critic_, classifier_, autoencoder_ : torch.nn.Module
        The trained networks, on the CPU.

    model_ : PolarityGAN
        Networks, anchors and latent Gaussians used by :meth:`sample`.

    synthetic_uncertainty_ : dict
        Class label to the mean of each uncertainty measure (eq. 7–10) over
        the returned synthetic rows, as scored by C.

    synthetic_anchors_ : dict
        Class label to the mean effective number of anchors
        (``1 / sum w_j^2``) of the returned synthetic rows: 1 for copies.

    n_iter_, autoencoder_steps_, hidden_dim_ : int
        The steps that ran and the networks' width (``"auto"`` resolved).

    n_features_in_ : int
        Number of features seen in ``fit_resample``.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen, when X has string column names.

    See Also
    --------
    imblearn.over_sampling.SMOTE : Interpolation between nearest neighbours.
    BAGANSampler, WGANGPSampler : Unconstrained GAN baselines.

    Notes
    -----
    Dense input only. Where the paper is vague, the choices made (and why)
    are listed in the user guide's "Deviations from the paper".

    References
    ----------
    .. [1] K. Deepshikha and A. Naman, "Removing Class Imbalance using
       Polarity-GAN: An Uncertainty Sampling Approach".

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from imblearn_pgan import PolarityGANSampler
    >>> X, y = make_classification(n_samples=300, weights=[0.9, 0.1], random_state=0)
    >>> sampler = PolarityGANSampler(random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> sorted(Counter(y_res.tolist()).items())
    [(0, 268), (1, 268)]
    >>> bool((X_res[:300] == X).all())
    True
    """

    _parameter_constraints: dict = {
        **{k: v for k, v in BaseGANSampler._parameter_constraints.items() if k != "betas"},
        "n_iter": [Interval(numbers.Integral, 1, None, closed="left"), StrOptions({"auto"})],
        "uncertainty": [StrOptions(set(MEASURES)), None],
        "selection": [StrOptions({"weighted", "top", "uniform"})],
        "hidden_dim": [Interval(numbers.Integral, 1, None, closed="left"), StrOptions({"auto"})],
        "classifier_weight": [Interval(numbers.Real, 0, None, closed="left")],
        "n_anchors": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "gan_params": [dict, None],
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, n_iter="auto",
                 batch_size=128, device="auto", n_threads="auto", uncertainty="entropy",
                 selection="weighted", hidden_dim="auto", classifier_weight=0.1, n_anchors=3,
                 gan_params=None, categorical_features=None, discrete_features=None,
                 verbose=0):
        super().__init__(
            sampling_strategy=sampling_strategy, random_state=random_state, n_iter=n_iter,
            batch_size=batch_size, device=device, n_threads=n_threads, hidden_dim=hidden_dim,
            categorical_features=categorical_features, discrete_features=discrete_features,
            verbose=verbose)
        self.uncertainty, self.selection = uncertainty, selection
        self.classifier_weight, self.n_anchors = classifier_weight, n_anchors
        self.gan_params = gan_params

    def _options(self):
        """Every ``gan_params`` setting, the defaults of :data:`GAN_PARAMS` filled in."""
        return {**GAN_PARAMS, **(self.gan_params or {})}

    def _validate_params(self):
        super()._validate_params()
        unknown = sorted(set(self.gan_params or {}) - set(GAN_PARAMS))
        if unknown:
            raise ValueError(f"gan_params of {type(self).__name__} has no setting {unknown}; "
                             f"it takes {sorted(GAN_PARAMS)}.")
        validate_parameter_constraints(_GAN_PARAMS_CONSTRAINTS, self._options(),
                                       caller_name=f"{type(self).__name__}.gan_params")
        options = self._options()
        check_betas(options["betas"], "gan_params['betas']")
        if options["anchor_draw"] != "uniform" and (self.n_anchors is None
                                                     or options["support"] != "random"):
            raise ValueError(
                f"gan_params anchor_draw={options['anchor_draw']!r} weighs the draw of a point's "
                "n_anchors rows from its class: it needs support='random' and an int "
                f"n_anchors (got support={options['support']!r}, "
                f"n_anchors={self.n_anchors!r})."
            )

    def _memory_hint(self):
        return (f"batch_size (now {self.batch_size!r}) or gan_params['max_anchors'] "
                f"(now {self._options()['max_anchors']!r})")

    def _picks_counts(self):
        return self._options()["discrete_values"] == "anchor"

    def _picks_together(self):
        return self._options()["discrete_draw"] == "row"

    def _build_model(self, data, X, rng, seed, **model_choices):
        """P-GAN's model; ``model_choices``: the end-to-end classifier's arguments of
        :class:`~imblearn_pgan.polarity.PolarityGAN` (``fake_weight``, ...)."""
        options = self._options()
        auto = schedule_steps(data.n_population, data.n_classes)
        self.n_iter_ = auto if self.n_iter == "auto" else self.n_iter
        steps = options["autoencoder_steps"]
        self.autoencoder_steps_ = auto if steps == "auto" else steps
        self.hidden_dim_ = (auto_width(data.n_population) if self.hidden_dim == "auto"
                            else self.hidden_dim)
        model_options = {k: options[k] for k in _MODEL_OPTIONS}
        return PolarityGAN(
            data, X, rng, seed,
            n_iter=self.n_iter_,
            batch_size=self.batch_size,
            hidden_dim=self.hidden_dim_,
            classifier_weight=self.classifier_weight,
            autoencoder_steps=self.autoencoder_steps_,
            n_anchors=self.n_anchors,
            **{**model_options, "betas": tuple(model_options["betas"])},
            **model_choices,
        )

    def _train(self, X, y_index, n_new, seed, population=None):
        model, rng = super()._train(X, y_index, n_new, seed, population)
        model.weigh_anchors(self._options()["anchor_draw"],
                            MEASURES[self.uncertainty or "entropy"])
        return model, rng

    def _fit_resample(self, X, y):
        # C's probabilities and the anchor counts of the kept rows, per class.
        self._kept = {}
        try:
            X_res, y_res = super()._fit_resample(X, y)
            kept = self._kept
        finally:
            # Only fit_resample notes them; sample() must not grow a list.
            del self._kept
        self.synthetic_uncertainty_ = {}
        self.synthetic_anchors_ = {}
        for k, parts in kept.items():
            label = self.classes_[k]
            self.synthetic_uncertainty_[label] = uncertainty_summary(
                np.concatenate([proba for proba, _ in parts]))
            self.synthetic_anchors_[label] = float(
                np.concatenate([anchors for _, anchors in parts]).mean())
        return X_res, y_res

    def _select(self, model, k, n, rng):
        """§5 uncertainty sampling: keep ``n`` of a larger pool by C's uncertainty.

        Candidates that C assigns to their class come first: the most
        uncertain (``"top"``), or drawn without replacement with probability
        proportional to the uncertainty (``"weighted"``, Efraimidis-Spirakis
        keys). Those C puts in another class fill in last, the least wrong first.
        """
        if self.uncertainty is None:
            Z, original, anchors = self._candidates(model, k, n, rng)
            return self._keep(original, anchors, slice(None), k, Z, model)
        pool = math.ceil(self._options()["pool_factor"] * n)
        Z, original, anchors = self._candidates(model, k, pool, rng)
        proba = model.predict_proba(Z).double().cpu().numpy()
        score = MEASURES[self.uncertainty](proba)
        own_class = proba.argmax(1) == k
        if self.selection != "top":
            u = torch.rand(len(score), generator=rng, device=rng.device).double().cpu().numpy()
            # "uniform": the same keys with every weight 1.
            weight = np.maximum(score, 1e-12) if self.selection == "weighted" else 1.0
            score = np.log(np.maximum(u, 1e-300)) / weight
        keep = np.lexsort((-np.where(own_class, score, proba[:, k]), ~own_class))[:n]
        return self._keep(original, anchors, keep, k, proba=proba)

    @staticmethod
    def _candidates(model, k, n, rng):
        """``n`` of G's points of class ``k``; with the model's ``critic_share`` s, the
        ``n`` that D scores best of a pool of ``n / (1 - s)``."""
        if not model.critic_share:
            return model.generate(k, n, rng, with_anchors=True)
        Z, original, anchors = model.generate(k, math.ceil(n / (1 - model.critic_share)),
                                              rng, with_anchors=True)
        # Stable: equal scores keep G's order, so the output stays reproducible.
        best = torch.argsort(-model.critic_scores(Z, k), stable=True)[:n].cpu().numpy()
        return Z[best], original[best], anchors[best]

    def _keep(self, original, anchors, keep, k, Z=None, model=None, proba=None):
        """The kept rows; inside ``fit_resample`` C's probabilities and anchor counts
        of them are noted too (``Z`` is scored when no ``proba`` is given)."""
        if hasattr(self, "_kept"):
            if proba is None:
                proba = model.predict_proba(Z).double().cpu().numpy()
            self._kept.setdefault(k, []).append((proba[keep], anchors[keep]))
        return original[keep]
