"""Balancing GAN (BAGAN, Mariani et al. 2018): autoencoder start, K+1-way D."""

import numbers

import torch
import torch.nn.functional as F
from imblearn.utils import Substitution
from sklearn.utils._param_validation import Interval
from torch import nn

from .._core import optimizer_step
from ..networks import mlp
from ._common import SHARED_DOCS, BaselineGAN, BaselineGANSampler, example

__all__ = ["BAGAN", "BAGANSampler", "ClassGaussians"]


class ClassGaussians(nn.Module):
    """BAGAN's class conditioning: a Gaussian per class on the encoded rows.

    Each covariance gets a ridge relative to its mean variance, so that small
    or degenerate classes still have a Cholesky factor.
    """

    def __init__(self, n_classes, dim, ridge=1e-3):
        super().__init__()
        self.ridge = ridge
        self.register_buffer("mean", torch.zeros(n_classes, dim))
        self.register_buffer("chol", torch.eye(dim).repeat(n_classes, 1, 1))

    @torch.no_grad()
    def fit(self, encoder, data, chunk=8192):
        eye = torch.eye(self.mean.shape[1], device=data.device)
        for k in range(data.n_classes):
            codes = torch.cat([encoder(data.X[rows]) for rows in data.rows_of(k).split(chunk)])
            centred = codes - codes.mean(0)
            cov = centred.T @ centred / max(len(codes) - 1, 1)
            self.mean[k] = codes.mean(0)
            ridge = self.ridge * (1 + cov.diagonal().mean()) * eye
            self.chol[k] = torch.linalg.cholesky(cov + ridge)

    def forward(self, labels, rng):
        eps = torch.randn(len(labels), self.mean.shape[1], 1, generator=rng, device=labels.device)
        return self.mean[labels] + (self.chol[labels] @ eps).squeeze(2)


class BAGAN(BaselineGAN):
    """Autoencoder, class Gaussians, then the decoder as G against a K+1-way D."""

    def __init__(self, data, rng, seed, *, autoencoder_steps, **common):
        self.autoencoder_steps = autoencoder_steps
        super().__init__(data, rng, seed, **common)
        self.opt_ae = self.adam(self.encoder, self.generator)

    def build(self, n_features, hidden_dim, latent_dim, n_classes):
        return {
            "encoder": mlp([n_features, hidden_dim, hidden_dim, latent_dim]),
            "generator": mlp([latent_dim, hidden_dim, hidden_dim, n_features]),
            # The encoder's body with a K+1-way head; the body gets the encoder's weights.
            "discriminator": mlp([n_features, hidden_dim, hidden_dim, n_classes + 1]),
            "latent": ClassGaussians(n_classes, latent_dim),
        }

    def stages(self):
        return [
            ("autoencoder", self.autoencoder_steps, self.autoencoder_step),
            ("latent", 1, self.fit_latent),
            ("gan", self.n_iter, self.gan_step),
        ]

    def autoencoder_step(self, step):
        """Unconditional, on all rows: the decoder learns to produce rows."""
        x = self.data.X[self.data.sample_any(self.batch_size, self.rng)]
        loss = F.mse_loss(self.generator(self.encoder(x)), x)
        optimizer_step(self.opt_ae, loss)
        return {"autoencoder": loss.detach()}

    def fit_latent(self, step):
        self.latent.fit(self.encoder, self.data)
        self.discriminator[:-1].load_state_dict(self.encoder[:-1].state_dict())
        return {}

    def fake(self, labels, rng):
        return self.generator(self.latent(labels, rng))

    def gan_step(self, step):
        data, rng, B, K = self.data, self.rng, self.batch_size, self.data.n_classes
        # D classifies every class plus "fake" (index K): it sees rows of all
        # classes and, as in BAGAN's code, B / K fakes beside B real rows.
        labels = data.sample_fake_labels(-(-B // K), rng)
        with torch.no_grad():
            fake = self.fake(labels, rng)
        rows = data.sample_any(B, rng)
        d_loss = F.cross_entropy(
            self.discriminator(torch.cat([data.X[rows], fake])),
            torch.cat([data.y[rows], torch.full_like(labels, K)]),
        )
        optimizer_step(self.opt_d, d_loss)
        # G: have D take G(z|k) for a real row of class k.
        labels = data.sample_fake_labels(B, rng)
        fake = self.fake(labels, rng)
        g_loss = F.cross_entropy(self.discriminator(fake), labels)
        optimizer_step(self.opt_g, g_loss)
        return {
            "discriminator": d_loss.detach(),
            "generator": g_loss.detach(),
            "spread": self.spread(fake, labels),
        }

    def release_training_data(self):
        super().release_training_data()
        self.opt_ae = None


@Substitution(**SHARED_DOCS,
              example=example("BAGANSampler",
                              "n_iter=10, autoencoder_steps=10, hidden_dim=32, random_state=0"))
class BAGANSampler(BaselineGANSampler):
    """Oversample with a balancing GAN (BAGAN).

    Trains an autoencoder on all rows without labels, fits a Gaussian per
    class (mean and ridge-regularised covariance) on the encoded rows of the
    class, then fine-tunes the decoder, as generator G(z) with z drawn from
    the class's Gaussian, against a discriminator with K+1 outputs (the K
    classes and "fake") whose body starts from the encoder's weights. D
    learns to put real rows in their class and fakes in "fake"; G learns to
    have G(z|k) put in class k. Then returns the original rows followed by
    synthetic rows.

    Parameters
    ----------
    {common}

    latent_dim : int, default=32
        Size of the autoencoder's bottleneck, which G reads (as P-GAN's).

    {hidden_dim}

    learning_rate : float, default=5e-5
        Adam learning rate of the autoencoder, G and D (BAGAN's code).

    betas : tuple of float, default=(0.5, 0.999)
        Adam betas (BAGAN's code: beta1 = 0.5, Keras's beta2).

    autoencoder_steps : int, default=500
        Autoencoder pre-training steps (as P-GAN's).

    {columns_verbose_and_fitted}

    history_ : list of dict
        One dict per logged step: ``autoencoder`` (reconstruction MSE) in
        stage ``"autoencoder"``; the losses ``discriminator`` and
        ``generator`` and ``spread`` (distance of fakes to their class mean
        over the same for real rows) in stage ``"gan"``; ``stage``, ``step``
        and ``elapsed_s``.

    encoder_, generator_, discriminator_ : torch.nn.Module
        The trained networks, on the CPU; the generator is the decoder.

    latent_ : ClassGaussians
        The per-class Gaussians of the latent space (buffers ``mean`` and
        ``chol``, the Cholesky factors of the covariances).

    model_ : BAGAN
        The networks used by :meth:`sample`.

    {input_attributes}

    See Also
    --------
    PolarityGANSampler : Also starts G from an autoencoder, but G mixes rows.

    Notes
    -----
    {notes} As in BAGAN's code, each D update sees ``batch_size`` rows of
    all classes and ``batch_size / K`` fakes, so that "fake" weighs as one
    class among K+1. BAGAN's code trains one GAN per minority class; here
    one GAN serves all classes, as D's K+1 outputs allow. Its users report
    that it diverges as published; the history's losses and ``spread`` show
    whether it did.

    References
    ----------
    .. [1] G. Mariani, F. Scheidegger, R. Istrate, C. Bekas and C. Malossi,
       "BAGAN: Data Augmentation with Balancing GAN", arXiv:1803.09655, 2018.

    Examples
    --------
    {example}
    """

    _parameter_constraints: dict = {
        **BaselineGANSampler._parameter_constraints,
        "autoencoder_steps": [Interval(numbers.Integral, 0, None, closed="left")],
    }

    _model = BAGAN

    def __init__(self, *, sampling_strategy="auto", random_state=None, n_iter=1000,
                 batch_size=128, device="auto", n_threads="auto", latent_dim=32,
                 hidden_dim=256, learning_rate=5e-5,
                 betas=(0.5, 0.999), autoencoder_steps=500, categorical_features=None,
                 discrete_features=None, verbose=0):
        super().__init__(
            sampling_strategy=sampling_strategy, random_state=random_state, n_iter=n_iter,
            batch_size=batch_size, device=device, n_threads=n_threads, latent_dim=latent_dim,
            hidden_dim=hidden_dim, learning_rate=learning_rate, betas=betas,
            categorical_features=categorical_features, discrete_features=discrete_features,
            verbose=verbose)
        self.autoencoder_steps = autoencoder_steps
