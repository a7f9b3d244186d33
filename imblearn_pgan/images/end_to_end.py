"""Algorithm 1 of the Polarity-GAN paper in full: P-GAN with a trained feature extractor.

:class:`PolarityGANClassifier` trains the feature extractor F on images
jointly with P-GAN's classifier C, critic D and generator G, and predicts
with C(F(x)). The GAN part is :class:`~imblearn_pgan.polarity.PolarityGAN`,
built as :class:`~imblearn_pgan.PolarityGANSampler` builds it, and the loop is
the shared training core; this module only adds F and the re-embedding of the
images each time F has changed.
"""

import copy
import numbers
import os
import re
import warnings

import numpy as np
import torch
import torch.nn.functional as F
from sklearn.base import _fit_context
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted
from torch import nn

from .._core import (
    GANModel,
    TrainingData,
    adam,
    check_betas,
    derive_seed,
    make_generator,
    optimizer_step,
    resolve_device,
    seeded_init,
    train,
)
from ..networks import Classifier
from ..sampler import GAN_PARAMS, PolarityGANSampler, split_settings
from ._base import INFERENCE_BATCHES, ImageClassifier
from ._vision import WeightsEnum
from ._input import (
    ImageInput,
    as_tensor,
    check_images_to_predict,
    check_training_images,
    unit_float,
)
from .cnn import small_cnn
from .losses import LDAMLoss, NormedLinear, effective_number_weights
from .embedding import RANDOM_WEIGHTS_WARNING, RESNET_FEATURES, ResNetEmbedder

__all__ = ["PolarityGANClassifier"]

#: Side a ResNet resizes images to when ``image_size`` is None (ImageNet's).
_RESNET_SIZE = 224
#: PolarityGANSampler parameters that ``sampler_params`` may not set: the
#: classifier sets them itself, or they concern resampled output.
_NOT_SAMPLER_PARAMS = frozenset({
    "sampling_strategy", "random_state", "n_iter", "batch_size", "device", "uncertainty",
    "pool_factor", "verbose",
})


#: Below this many training images PolarityGANClassifier's C is, by default, one
#: cosine layer on F's features, as CNNClassifier's LDAM-DRW network (the dev data
#: bracket it: digits' 344 and 500 images, Fashion-MNIST's 14,891 and 17,400; see
#: the :doc:`experiment log </experiment_log>`, entries 15 and 16).
SMALL_IMAGE_SET = 2000

#: Scale of C's cosine logits with ``classifier_loss="ldam-drw"`` (Cao et al.'s s).
LDAM_SCALE = 30.0


class _ScaledCosine(nn.Module):
    """C's last layer for LDAM: ``scale`` times the cosine logits of :class:`NormedLinear`."""

    def __init__(self, in_features, out_features, scale=LDAM_SCALE):
        super().__init__()
        self.cosine = NormedLinear(in_features, out_features)
        self.scale = scale

    def forward(self, x):
        return self.scale * self.cosine(x)


class _RawFeatures(nn.Module):
    """Standardised features back to F's own: ``z * scale + mean``.

    Ahead of a one-layer C, so that C reads F's features as a CNN's head does,
    and is the same function of them whatever standardisation the GAN's rows
    use (it changes at every re-embedding; the buffers follow it).
    """

    def __init__(self, n_features):
        super().__init__()
        self.register_buffer("mean", torch.zeros(n_features))
        self.register_buffer("scale", torch.ones(n_features))

    def forward(self, z):
        return z * self.scale + self.mean


class _EndToEnd(GANModel):
    """Algorithm 1 with F: C, D and G work on features that F re-embeds every round.

    With ``pgan=None`` (``resample=False``) D and G are left out: the rounds
    update F and C on real images only, the same number of times.
    """

    def __init__(self, images, y_index, n_classes, n_new, extractor, sampler, rng, seed, *,
                 resample, warmup_steps, n_rounds, feature_steps, gan_steps, learning_rate,
                 feature_betas, fake_weight, classifier_loss, classifier_head,
                 joint_feature_steps=False, balance_steps=0):
        self.images, self.y_index = images, y_index
        self.n_classes, self.n_new = n_classes, n_new
        self.device = images.device
        self.extractor = extractor.to(self.device)
        options = sampler._options()
        self.rng, self.batch_size = rng, sampler.batch_size
        self.warmup_steps, self.n_rounds = warmup_steps, n_rounds
        self.feature_steps, self.gan_steps = feature_steps, gan_steps
        self.classifier_steps = gan_steps * options["n_critic"]
        self.balance_steps = balance_steps

        self.pgan = self.raw_features = None
        Z = self.embed()
        self._choose_losses(classifier_loss, n_new, fake_weight,
                            warmup_steps + n_rounds * feature_steps)
        head = self._head(classifier_head, Z.shape[1], sampler.hidden_dim)
        if resample:
            self.pgan = sampler._build_model(
                self.data, Z, rng, seed, fake_weight=fake_weight, logit_offset=self.mix_offset,
                real_row_loss=self.ldam, classifier_head=head)
            self.classifier = self.pgan.classifier
        else:
            with seeded_init(seed):
                self.classifier = Classifier(Z.shape[1], sampler.hidden_dim, n_classes)
            if head is not None:
                head(self.classifier, seed)
            self.classifier.to(self.device)
        self.follow_standardisation()
        learning_rate_c, betas = options["learning_rate"], tuple(options["betas"])
        if not resample:
            self.opt_c = adam([self.classifier], learning_rate_c, betas)
        # The final stage's C updates (its own Adam: D's state stays out of it).
        self.opt_balance = adam([self.classifier], learning_rate_c, betas)
        self.opt_f = adam([self.extractor], learning_rate, feature_betas)
        self.opt_warmup = adam([self.extractor, self.classifier], learning_rate, feature_betas)
        # Step 2's optimizer: F alone (C fixed, the paper), or F and C as in the warm-up.
        self.opt_step2 = self.opt_warmup if joint_feature_steps else self.opt_f
        gan_networks = self.pgan.networks if resample else {"classifier": self.classifier}
        self.networks = {"feature_extractor": self.extractor, **gan_networks}

    def _choose_losses(self, classifier_loss, n_new, fake_weight, feature_updates):
        """C's loss on real rows: LDAM with deferred re-weighting, or logit adjustment by
        the log prior of what C learns from (the images alone in the warm-up and step 2,
        the images and G's points in steps 4 and 7), or plain cross-entropy."""
        self.image_offset = self.mix_offset = self.ldam = None
        counts = np.bincount(self.y_index, minlength=self.n_classes)
        self.f_updates, self.drw_update = 0, None
        if classifier_loss == "ldam-drw":
            # Margins in units of the scaled cosine logits; DRW from 4/5 of F's updates,
            # as CNNClassifier's drw_epoch="auto".
            self.ldam = LDAMLoss(counts, max_margin=0.5 * LDAM_SCALE, scale=1.0)
            self.drw_weight = effective_number_weights(counts)
            self.drw_update = (4 * feature_updates) // 5
        if classifier_loss == "logit-adjusted":
            prior = counts / len(self.y_index)
            fakes = n_new / n_new.sum()
            self.image_offset = torch.as_tensor(np.log(prior), dtype=torch.float32,
                                                device=self.device)
            mix = (prior + fake_weight * fakes) / (1 + fake_weight)
            self.mix_offset = torch.as_tensor(np.log(mix), dtype=torch.float32,
                                              device=self.device)

    def _head(self, classifier_head, n_features, hidden_dim):
        """What reshapes C before its optimizer is built, or None to keep the MLP's.

        C's last layer a cosine one for LDAM, as LDAM-DRW's networks. A linear
        head is C's only layer, on F's own features, as the CNN's head.
        """
        if self.ldam is None and classifier_head != "linear":
            return None
        linear = classifier_head == "linear"
        in_features = n_features if linear else hidden_dim

        def reshape(classifier, seed):
            with seeded_init(seed):
                last = (_ScaledCosine(in_features, self.n_classes) if self.ldam is not None
                        else nn.Linear(in_features, self.n_classes))
            if linear:
                self.raw_features = _RawFeatures(in_features)
                classifier.net = nn.Sequential(self.raw_features, last)
            else:
                classifier.net[-1] = last

        return reshape

    def stages(self):
        stages = [("warmup", self.warmup_steps, self.warmup_step), ("embed", 1, self.embed_step)]
        if self.pgan is not None:
            # G starts from the autoencoder; its latent is refitted every round.
            stages.append(("autoencoder", self.pgan.autoencoder_steps,
                           self.pgan.autoencoder_step))
        return stages + [("rounds", self.n_rounds, self.round_step),
                         ("balance", self.balance_steps, self.balance_step)]

    @torch.no_grad()
    def embed(self):
        """Z = F(all images), with BatchNorm as at prediction; point the GAN at it."""
        self.extractor.eval()
        # A training batch at a time: on the CPU, 64 images of the small CNN embed 1.8
        # times faster than 256 (their activations stay in cache), with the same output.
        chunks = self.images.split(self.batch_size)
        Z = torch.cat([self.extractor(unit_float(x)) for x in chunks]).double().cpu().numpy()
        self.extractor.train()
        self.data = TrainingData(Z, self.y_index, self.n_classes, self.n_new, self.device)
        self.mean = torch.as_tensor(self.data.mean, dtype=torch.float32, device=self.device)
        self.scale = torch.as_tensor(self.data.scale, dtype=torch.float32, device=self.device)
        self.follow_standardisation()
        if self.pgan is not None:
            self.pgan.refresh(self.data, Z)
        return Z

    def follow_standardisation(self):
        """A linear head's C undoes the features' new standardisation."""
        if self.raw_features is not None:
            self.raw_features.mean.copy_(self.mean)
            self.raw_features.scale.copy_(self.scale)

    def embed_step(self, step):
        self.embed()
        return {}

    def features(self, rows):
        """Standardised F features of some training images, as C sees them."""
        return (self.extractor(unit_float(self.images[rows])) - self.mean) / self.scale

    def image_loss(self):
        """C's loss on a batch of images, for one update of F: counts it for DRW."""
        if self.f_updates == self.drw_update:  # deferred re-weighting of LDAM, from here on
            self.ldam.weight = self.drw_weight
        self.f_updates += 1
        rows = self.data.sample_any(self.batch_size, self.rng)
        return self.real_loss(self.classifier(self.features(rows)), self.data.y[rows])

    def real_loss(self, logits, labels):
        """C's loss on real rows: cross-entropy, logit-adjusted or LDAM when asked."""
        if self.ldam is not None:
            return self.ldam(logits, labels)
        if self.image_offset is not None:
            logits = logits + self.image_offset
        return F.cross_entropy(logits, labels)

    def warmup_step(self, step):
        """F and C together on real images, so that G starts in a useful feature space."""
        loss = self.image_loss()
        optimizer_step(self.opt_warmup, loss)
        return {"cross_entropy": loss.detach()}

    def round_step(self, step):
        """One iteration of Algorithm 1's outer loop (steps 1–13): step 2, then steps 3–12."""
        # Step 2: F descends on CE(C(F(X)), Y); C stays fixed unless joint_feature_steps.
        for _ in range(self.feature_steps):
            f_loss = self.image_loss()
            optimizer_step(self.opt_step2, f_loss)
        self.embed()
        if self.pgan is None:
            for _ in range(self.classifier_steps):
                rows = self.data.sample_any(self.batch_size, self.rng)
                c_loss = self.real_loss(self.classifier(self.data.X[rows]), self.data.y[rows])
                optimizer_step(self.opt_c, c_loss)
            losses = {"classifier": c_loss.detach()}
        else:
            # Steps 3–12 (the paper's j is gan_steps) with F fixed, on the anchors re-encoded
            # in the new features.
            self.pgan.fit_latent(step)
            for _ in range(self.gan_steps):
                losses = self.pgan.gan_step(step)
        return {"feature_extractor": f_loss.detach(), **losses}

    def balance_step(self, step):
        """C alone, on a batch of the balanced set: every class equally likely.

        With G, a class's draw is one of G's points with the share of the
        class's rows in the balanced set that G adds (``n_new / (n + n_new)``),
        else a real row: the set PolarityGANSampler would return. Without G,
        real rows only (classifier re-training on class-balanced batches).
        """
        data, rng = self.data, self.rng
        labels = torch.randint(self.n_classes, (self.batch_size,), generator=rng,
                               device=self.device).sort().values
        x = data.X[data.sample_rows(labels, rng)]
        if self.pgan is not None:
            share = data.n_new / (data.counts + data.n_new)
            use_fake = torch.rand(len(labels), generator=rng, device=self.device) < share[labels]
            with torch.no_grad():
                fake = self.pgan.fake(labels, rng)[0]
            x = torch.where(use_fake[:, None], fake, x)
        loss = F.cross_entropy(self.classifier(x), labels)
        optimizer_step(self.opt_balance, loss)
        return {"classifier": loss.detach()}

    def generate(self, class_index, n, rng):
        """G's points of one class in the current features (``resample`` only)."""
        return self.pgan.generate(class_index, n, rng)


class PolarityGANClassifier(ImageClassifier):
    """Polarity-GAN end to end on images: F, C, D and G trained together (Algorithm 1).

    A feature extractor F (a small CNN or a torchvision ResNet trunk) is
    first trained with P-GAN's classifier C on the images (warm-up), then
    G is started from an autoencoder, and each round of Algorithm 1's outer
    loop updates F through C with C fixed (step 2), re-embeds all images
    with F, and runs ``gan_steps`` updates of C, D and G on those features
    with F fixed (steps 3–12, as in :class:`~imblearn_pgan.PolarityGANSampler`).
    C is trained on real features and on G's points of the minority
    classes; predictions are C(F(x)).

    The defaults go beyond the paper, for the best macro-F1 at a bearable
    cost (see the user guide's "Images end to end"): C's loss on real
    images is LDAM with deferred re-weighting (Cao et al. 2019) on a cosine
    head, G joins late, for the last fifth of F's updates, when the
    re-weighting starts (10 rounds instead of the paper's 50), and on a
    small image set (fewer than :data:`SMALL_IMAGE_SET` images) C is one
    cosine layer on F's features, as :class:`CNNClassifier`'s LDAM-DRW
    network, instead of the sampler's two-layer C. The paper's Algorithm 1
    is ``classifier_loss="cross-entropy", classifier_head="mlp",
    warmup_steps=300, n_rounds=50, feature_steps=10`` (with ``epochs``:
    ``gan_start=0.375``).

    Parameters
    ----------
    feature_extractor : {"cnn", "resnet18", "resnet34", "resnet50", "resnet101"}, \
            default="cnn"
        F. ``"cnn"``: :func:`small_cnn`, for small images such as 8x8 digits
        or 28x28 Fashion-MNIST (128 features); a ResNet: its trunk without
        the ``fc`` head (512 or 2048 features), built as by
        :class:`~imblearn_pgan.ResNetEmbedder`.

    weights : None, str, os.PathLike or torchvision.models.WeightsEnum, default=None
        Starting weights of a ResNet, as ``weights`` of
        :class:`~imblearn_pgan.ResNetEmbedder`: None (random, seeded by
        ``random_state``), a weights name such as ``"IMAGENET1K_V2"`` (the
        paper starts from ImageNet weights) or a local ``state_dict`` file.
        Must be None for ``"cnn"``.

    image_size : int or None, default=None
        Side of the square the images are resized to. None keeps their size
        for ``"cnn"`` and means 224 for a ResNet. At least 32 for a ResNet.

    n_rounds : int, default=10
        Iterations of Algorithm 1's outer loop (the paper's schedule: 50).

    warmup_steps : int, default=640
        Updates of F and C together on real images before the rounds, before
        G joins (the paper's schedule: 300). The default 640 + 10 x 16 lets G
        join at four fifths of F's updates, when LDAM's re-weighting starts.

    feature_steps : int, default=16
        Updates of F per round (step 2; the paper's schedule: 10).

    gan_steps : int, default=10
        Updates of G per round (``j``); each makes ``n_critic`` updates of C
        and D (see ``sampler_params``).

    epochs : int or None, default=None
        When set, replaces ``warmup_steps`` and ``feature_steps``: F makes
        as many updates as ``epochs`` passes over the images in batches of
        ``batch_size`` (``epochs * ceil(N / batch_size)``), as
        :class:`CNNClassifier` with the same ``epochs``. The warm-up takes
        the share ``gan_start`` of them and the rounds the rest,
        ``feature_steps`` each (at least one). The resolved values are
        ``warmup_steps_`` and ``feature_steps_``.

    gan_start : float in [0, 1), default=0.8
        With ``epochs``: the share of F's updates made before G joins (the
        warm-up), as in the default 640 + 10 x 16. The paper's schedule,
        300 + 50 x 10, is 0.375 with ``n_rounds=50``.

    fake_weight : float or "balanced", default=1.0
        Weight of C's cross-entropy on G's points against that on real rows
        (steps 4 and 7 draw a batch of each). 1.0 weighs the two batches
        alike, as the sampler's C does. ``"balanced"``: the number of points
        G fills the classes up with over the number of images, so that C
        learns from real and generated rows in the proportion of the
        balanced set that ``PolarityGANSampler.fit_resample`` would return
        (tried as the default; no gain on the dev data, see the
        :doc:`experiment log </experiment_log>`).

    classifier_loss : {"cross-entropy", "logit-adjusted", "ldam-drw"}, \
            default="ldam-drw"
        C's loss. ``"cross-entropy"`` is the paper's. ``"logit-adjusted"``
        (Menon et al. 2021) adds to C's logits, in its loss only, the log
        class prior of the rows it learns from: the images' class shares in
        the warm-up and in F's step 2, and the mix of images and G's points
        (weighted by ``fake_weight``) in steps 4 and 7. C's predictions then
        estimate the class-balanced posterior. ``"ldam-drw"`` (Cao et al.
        2019): C's last layer becomes a scaled cosine head and its loss on
        real images (warm-up, step 2, steps 4 and 7) the LDAM margin loss,
        re-weighted by :func:`~imblearn_pgan.images.losses.effective_number_weights`
        from four fifths of F's updates on (warm-up and rounds, as
        :class:`CNNClassifier`'s ``drw_epoch="auto"``); G's points keep
        cross-entropy.

    classifier_head : {"auto", "mlp", "linear"}, default="auto"
        C's layers. ``"mlp"``: the sampler's C on the standardised features,
        two hidden layers of ``hidden_dim`` (see ``sampler_params``).
        ``"linear"``: one layer on F's own features, F being the depth, as
        the CNN's head (a cosine one with ``classifier_loss="ldam-drw"``); G's
        standardised points are mapped back to F's scale first. ``"auto"``:
        ``"linear"`` on fewer than :data:`SMALL_IMAGE_SET` images (two hidden
        layers overfit a few hundred images), else ``"mlp"``. The resolved
        value is ``classifier_head_``.

    joint_feature_steps : bool, default=False
        False: Algorithm 1's step 2, F descends on C's loss with C fixed, and
        C learns only in the GAN steps. True: step 2 updates C together with
        F on the real images, with the warm-up's optimizer, as a CNN trains
        its head with its features (LDAM-DRW's re-weighted phase), and C
        still learns from G's points in the GAN steps. Measured on digits
        (100 epochs, 3 seeds): 0.943 macro-F1 against the default's 0.944
        (the :doc:`experiment log </experiment_log>`, entry 20).

    balance_steps : int, default=0
        Updates of C alone after the rounds, with F, D and G fixed, on
        batches of the balanced set: every class equally likely, a class's
        draw one of G's points with the share of its rows that G adds, else
        a real image's features (without G, real ones only). 0: no such
        stage, as in the paper.

    resample : bool, default=True
        False leaves D and G out: F and C alone, fine-tuned end to end on the
        imbalanced images with the same schedule (the paper's "ResNet50"
        baseline when ``feature_extractor="resnet50"``).

    batch_size : int, default=64
        Images or feature rows per update.

    learning_rate : float, default=2e-4
        Adam learning rate of F (and of C during warm-up).

    feature_betas : tuple of float or None, default=None
        Adam's betas for F (and for C during the warm-up). None: the GAN's
        betas of ``sampler_params`` (0.6, 0.9 by default), as in the paper;
        C's, D's and G's steps of the game always use those. Adam's own
        (0.9, 0.999), :class:`CNNClassifier`'s, were tried as the default
        on small image sets and did not hold on the validation profile (the
        :doc:`experiment log </experiment_log>`, entry 16).

    sampler_params : dict or None, default=None
        Settings of the GAN part, by name: parameters of
        :class:`~imblearn_pgan.PolarityGANSampler` or settings of its
        ``gan_params`` (whose defaults apply, but ``hidden_dim`` is 256 at
        any size), such as ``hidden_dim``,
        ``latent_dim``, ``learning_rate``, ``betas``, ``n_critic`` or
        ``autoencoder_steps``; not those the classifier sets
        itself (``batch_size``, ``device``, ``random_state``, ``verbose``,
        ``n_iter``) or that concern resampled output (``sampling_strategy``,
        ``uncertainty``, ``pool_factor``).

    device : {"auto", "cpu", "cuda", "cuda:N"} or torch.device, default="auto"
        Where to train; ``"auto"`` picks CUDA when available. It is resolved
        again by :meth:`predict_proba` and :meth:`transform`, which work on a
        copy of the networks there.

    random_state : int, RandomState instance or None, default=None
        Seeds F's, C's, D's and G's initialisation and every draw of
        training; the global numpy and torch RNGs are left alone. The same
        value gives the same predictions on the CPU.

    verbose : int, default=0
        Show a progress bar per training stage when positive.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels in sorted order.

    warmup_steps_, feature_steps_ : int
        The warm-up and per-round F updates that ran (see ``epochs``).

    classifier_head_ : {"mlp", "linear"}
        C's layers as resolved from ``classifier_head``.

    history_ : list of dict
        Logged losses per stage (``warmup``, ``embed``, ``autoencoder``,
        ``rounds``), with ``stage``, ``step`` and ``elapsed_s``; the rounds
        log F's loss of step 2 (``feature_extractor``) and the last GAN
        update's losses (see ``PolarityGANSampler.history_``).

    device_ : torch.device
        The device that trained the networks.

    feature_extractor_ : torch.nn.Module
        F, on the CPU, in eval mode: takes ``(N, C, H, W)`` float images in
        [0, 1] of any size (it resizes and normalises them itself).

    classifier_ : torch.nn.Module
        C, on the CPU, in eval mode: takes standardised features.

    model_ : PolarityGAN or None
        C, D, G and the autoencoder with their anchors in the final
        features, on the CPU, training data released; None when
        ``resample=False``.

    n_features_out_ : int
        Number of features of F.

    feature_mean_, feature_scale_ : ndarray of shape (`n_features_out_`,)
        Standardisation of F's features that C was trained with.

    input_channels_ : int
        Channels of the training images; later images must have as many.

    See Also
    --------
    PolarityGANSampler : P-GAN on fixed features, as an oversampler.
    ResNetEmbedder : Fixed ResNet features for tabular oversamplers.

    Notes
    -----
    Images are accepted as by :class:`~imblearn_pgan.ResNetEmbedder`:
    ``(N, H, W)``, ``(N, H, W, C)`` or ``(N, C, H, W)`` with 1 or 3 channels,
    integers in [0, 255] or floats in [0, 1]. A ResNet repeats grayscale to
    three channels. The training images are kept on ``device`` at their own
    size and resized per batch.

    After each update of F, all training images are embedded again (one
    no-grad pass) and re-standardised; the anchors of G stay the same rows.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from imblearn_pgan import PolarityGANClassifier
    >>> digits = load_digits()
    >>> images, y = digits.images[:200] / 16, digits.target[:200]
    >>> clf = PolarityGANClassifier(
    ...     n_rounds=2, warmup_steps=5, feature_steps=2, gan_steps=2, batch_size=32,
    ...     sampler_params={"autoencoder_steps": 5, "hidden_dim": 16},
    ...     device="cpu", random_state=0,
    ... ).fit(images, y)
    >>> clf.predict_proba(images[:3]).shape
    (3, 10)
    >>> clf.transform(images[:3]).shape
    (3, 128)
    """

    _parameter_constraints: dict = {
        "feature_extractor": [StrOptions({"cnn", *RESNET_FEATURES})],
        "weights": [None, str, os.PathLike, WeightsEnum],
        "image_size": [Interval(numbers.Integral, 2, None, closed="left"), None],
        "n_rounds": [Interval(numbers.Integral, 1, None, closed="left")],
        "warmup_steps": [Interval(numbers.Integral, 0, None, closed="left")],
        "feature_steps": [Interval(numbers.Integral, 1, None, closed="left")],
        "gan_steps": [Interval(numbers.Integral, 1, None, closed="left")],
        "epochs": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "gan_start": [Interval(numbers.Real, 0, 1, closed="left")],
        "fake_weight": [StrOptions({"balanced"}), Interval(numbers.Real, 0, None, closed="left")],
        "classifier_loss": [StrOptions({"cross-entropy", "logit-adjusted", "ldam-drw"})],
        "classifier_head": [StrOptions({"auto", "mlp", "linear"})],
        "joint_feature_steps": ["boolean"],
        "balance_steps": [Interval(numbers.Integral, 0, None, closed="left")],
        "resample": ["boolean"],
        # BatchNorm in training mode needs two images.
        "batch_size": [Interval(numbers.Integral, 2, None, closed="left")],
        "learning_rate": [Interval(numbers.Real, 0, None, closed="neither")],
        "feature_betas": [tuple, None],
        "sampler_params": [dict, None],
        "device": [str, torch.device],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        *,
        feature_extractor="cnn",
        weights=None,
        image_size=None,
        n_rounds=10,
        warmup_steps=640,
        feature_steps=16,
        gan_steps=10,
        epochs=None,
        gan_start=0.8,
        fake_weight=1.0,
        classifier_loss="ldam-drw",
        classifier_head="auto",
        joint_feature_steps=False,
        balance_steps=0,
        resample=True,
        batch_size=64,
        learning_rate=2e-4,
        feature_betas=None,
        sampler_params=None,
        device="auto",
        random_state=None,
        verbose=0,
    ):
        self.feature_extractor = feature_extractor
        self.weights = weights
        self.image_size = image_size
        self.n_rounds = n_rounds
        self.warmup_steps = warmup_steps
        self.feature_steps = feature_steps
        self.gan_steps = gan_steps
        self.epochs = epochs
        self.gan_start = gan_start
        self.fake_weight = fake_weight
        self.classifier_loss = classifier_loss
        self.classifier_head = classifier_head
        self.joint_feature_steps = joint_feature_steps
        self.balance_steps = balance_steps
        self.resample = resample
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.feature_betas = feature_betas
        self.sampler_params = sampler_params
        self.device = device
        self.random_state = random_state
        self.verbose = verbose

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Train F, C, D and G on images (Algorithm 1).

        Parameters
        ----------
        X : array-like of shape (N, H, W), (N, H, W, C) or (N, C, H, W)
            Training images; see the Notes.

        y : array-like of shape (N,)
            Class labels, at least two distinct.

        Returns
        -------
        self : PolarityGANClassifier
            Fitted classifier.

        Raises
        ------
        MemoryError
            When CUDA runs out of memory (lower ``batch_size`` or ``image_size``).
        """
        X, self.classes_, y_index = check_training_images(X, y)
        sampler = self._sampler()
        self.classifier_head_ = (("linear" if len(X) < SMALL_IMAGE_SET else "mlp")
                                 if self.classifier_head == "auto" else self.classifier_head)
        feature_betas = tuple(sampler._options()["betas"] if self.feature_betas is None
                              else self.feature_betas)
        check_betas(feature_betas, "feature_betas")
        self.device_ = resolve_device(self.device)
        seed = derive_seed(self.random_state)
        counts = np.bincount(y_index)
        # Fakes fill the gap to the largest class (step 6's p_K - p_k); all
        # classes alike when there is no gap.
        n_new = counts.max() - counts if counts.min() < counts.max() else np.ones_like(counts)
        self.warmup_steps_, self.feature_steps_ = self._feature_schedule(len(X))

        try:
            model = _EndToEnd(
                as_tensor(X, self.device_), y_index, len(self.classes_), n_new,
                self._build_extractor(X, seed), sampler, make_generator(seed, self.device_),
                seed, resample=self.resample, warmup_steps=self.warmup_steps_,
                n_rounds=self.n_rounds, feature_steps=self.feature_steps_,
                gan_steps=self.gan_steps, learning_rate=self.learning_rate,
                feature_betas=feature_betas,
                fake_weight=float(n_new.sum() / len(y_index) if self.fake_weight == "balanced"
                                  else self.fake_weight),
                classifier_loss=self.classifier_loss, classifier_head=self.classifier_head_,
                joint_feature_steps=self.joint_feature_steps, balance_steps=self.balance_steps,
            )
            self.history_ = train(model, log_every=max(1, min(50, self.n_rounds // 10)),
                                  verbose=self.verbose, desc=type(self).__name__)
        except torch.OutOfMemoryError as exc:
            raise self._memory_error(
                exc, f"lower batch_size (now {self.batch_size}) or image_size") from exc

        self.feature_extractor_ = model.extractor.cpu()
        self.classifier_ = model.classifier.cpu()
        self.feature_mean_ = model.data.mean.astype(np.float32)
        self.feature_scale_ = model.data.scale.astype(np.float32)
        self.n_features_out_ = len(self.feature_mean_)
        self.input_channels_ = X.shape[1]
        self.model_ = model.pgan
        if self.model_ is not None:
            self.model_.release_training_data()
            self.model_.to("cpu")
        return self

    def _feature_schedule(self, n_images):
        """``(warmup_steps, feature_steps)``: as set, or from ``epochs`` (see there)."""
        if self.epochs is None:
            return self.warmup_steps, self.feature_steps
        total = self.epochs * -(-n_images // self.batch_size)
        feature_steps = max(1, round(total * (1 - self.gan_start) / self.n_rounds))
        return max(0, total - self.n_rounds * feature_steps), feature_steps

    def _sampler(self):
        """The PolarityGANSampler whose settings (and validation) the GAN part uses."""
        params = dict(self.sampler_params or {})
        allowed = sorted((set(PolarityGANSampler().get_params()) | set(GAN_PARAMS))
                         - _NOT_SAMPLER_PARAMS - {"gan_params"})
        unknown = sorted(set(params) - set(allowed))
        if unknown:
            raise ValueError(f"sampler_params does not take {unknown}; it takes {allowed}.")
        # The width measured end to end on images; auto_width's small-table
        # rule was chosen for resampling on its own.
        params = {"hidden_dim": 256, **params}
        sampler = PolarityGANSampler(**split_settings(params), batch_size=self.batch_size,
                                     n_iter=self.n_rounds * self.gan_steps)
        sampler._validate_params()
        return sampler

    def _build_extractor(self, X, seed):
        """F: the image preparation followed by the CNN or the ResNet trunk, on the CPU."""
        channels = X.shape[1]
        if self.feature_extractor == "cnn":
            if self.weights is not None:
                raise ValueError("weights apply to ResNets only; use weights=None with 'cnn'.")
            size = X.shape[2:] if self.image_size is None else (self.image_size,) * 2
            if min(size) < 2:
                raise ValueError(f"The CNN needs images of at least 2x2 pixels; got {size}.")
            with seeded_init(seed):
                trunk = small_cnn(channels)
            prepare = ImageInput(channels, tuple(size), (0.0,) * channels, (1.0,) * channels)
        else:
            size = _RESNET_SIZE if self.image_size is None else self.image_size
            if size < 32:
                raise ValueError(f"A ResNet needs image_size >= 32; got {size}.")
            # ResNetEmbedder builds the trunk and loads the weights; only the shape
            # of the image passed to fit matters.
            with warnings.catch_warnings():
                # A random trunk is what this trains end to end: no warning about it.
                warnings.filterwarnings("ignore", message=".*" + re.escape(RANDOM_WEIGHTS_WARNING))
                embedder = ResNetEmbedder(arch=self.feature_extractor, weights=self.weights,
                                          image_size=size, device="cpu", random_state=seed,
                                          verbose=self.verbose).fit(X[:1])
            trunk = embedder.model_.requires_grad_(True)
            prepare = ImageInput(3, (size, size), embedder.mean_, embedder.std_)
        return nn.Sequential(prepare, trunk)

    def _forward(self, X, use_classifier):
        """F's standardised features, or C's probabilities, in batches on ``device``."""
        check_is_fitted(self, "classifier_")
        X = check_images_to_predict(self, X, self.input_channels_)
        device = resolve_device(self.device)
        extractor, classifier = self.feature_extractor_, self.classifier_
        if device.type != "cpu":
            # Device copies keep the fitted networks on the CPU (safe to pickle).
            extractor, classifier = (copy.deepcopy(m).to(device) for m in (extractor, classifier))
        mean = torch.as_tensor(self.feature_mean_, device=device)
        scale = torch.as_tensor(self.feature_scale_, device=device)
        step = INFERENCE_BATCHES * self.batch_size
        parts = []
        with torch.inference_mode():
            for start in range(0, len(X), step):
                z = (extractor(unit_float(as_tensor(X[start:start + step], device))) - mean)
                z = z / scale
                out = torch.softmax(classifier(z), dim=1) if use_classifier else z
                parts.append(out.float().cpu())
        return torch.cat(parts).numpy()
