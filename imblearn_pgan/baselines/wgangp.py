"""WGAN-GP (Gulrajani et al. 2017), class-conditional as in BAGAN-GP.

P-GAN's critic and losses (eq. 5) with an unconstrained generator and no
classifier: the closest baseline to P-GAN.
"""

import numbers

import torch
from imblearn.utils import Substitution
from sklearn.utils._param_validation import Interval

from .._core import critic_terms, optimizer_step
from ..networks import Critic
from ._common import SHARED_DOCS, BaselineGAN, BaselineGANSampler, ConditionalMLP, example

__all__ = ["WGANGP", "WGANGPSampler"]


class WGANGP(BaselineGAN):
    """G(z, onehot) against the class-conditional critic D(x|k) of P-GAN."""

    adversary = "critic"

    def __init__(self, data, rng, seed, *, n_critic, gradient_penalty, **common):
        self.n_critic, self.gp_weight = n_critic, gradient_penalty
        super().__init__(data, rng, seed, **common)

    def build(self, n_features, hidden_dim, latent_dim, n_classes):
        return {
            "generator": ConditionalMLP([latent_dim, hidden_dim, hidden_dim, n_features],
                                        n_classes),
            "critic": Critic(n_features, hidden_dim, n_classes),
        }

    def gan_step(self, step):
        data, rng, B = self.data, self.rng, self.batch_size
        for _ in range(self.n_critic):
            labels = data.sample_fake_labels(B, rng)
            with torch.no_grad():
                fake = self.fake(labels, rng)
            real = data.X[data.sample_rows(labels, rng)]  # same classes as the fakes
            wasserstein, gp = critic_terms(self.critic, real, fake, labels, rng)
            optimizer_step(self.opt_d, -wasserstein + self.gp_weight * gp)
        labels = data.sample_fake_labels(B, rng)
        fake = self.fake(labels, rng)
        g_loss = -self.critic(fake, labels).mean()
        optimizer_step(self.opt_g, g_loss)
        return {
            "critic": -wasserstein.detach(),
            "gradient_penalty": gp.detach(),
            "generator": g_loss.detach(),
            "spread": self.spread(fake, labels),
        }


@Substitution(**SHARED_DOCS,
              example=example("WGANGPSampler", "n_iter=10, hidden_dim=32, random_state=0"))
class WGANGPSampler(BaselineGANSampler):
    """Oversample with a class-conditional WGAN-GP.

    Trains a generator G(z, onehot(k)) against P-GAN's class-conditional
    critic D(x|k) with the Wasserstein loss and a gradient penalty on
    same-class interpolates (uniform weights in [0, 1]), ``n_critic`` critic
    updates per generator update, then returns the original rows followed by
    synthetic rows. It is P-GAN without the convex-hull generator, the
    classifier and the autoencoder start.

    Parameters
    ----------
    {common}

    {latent_dim}

    {hidden_dim}

    learning_rate : float, default=1e-4
        Adam learning rate of G and D (Gulrajani et al.'s value).

    betas : tuple of float, default=(0.5, 0.9)
        Adam betas (Gulrajani et al.'s code for low-dimensional data; BAGAN-GP).

    n_critic : int, default=5
        Critic updates per generator update.

    gradient_penalty : float, default=10.0
        Weight of the critic's gradient penalty.

    {columns_verbose_and_fitted}

    history_ : list of dict
        One dict per logged step: ``critic`` (minus the Wasserstein
        estimate), ``gradient_penalty``, ``generator``, ``spread`` (distance
        of fakes to their class mean over the same for real rows), ``stage``,
        ``step`` and ``elapsed_s``.

    generator_, critic_ : torch.nn.Module
        The trained networks, on the CPU.

    model_ : WGANGP
        The networks used by :meth:`sample`.

    {input_attributes}

    See Also
    --------
    PolarityGANSampler : The same critic with a convex-hull generator.

    Notes
    -----
    {notes}

    References
    ----------
    .. [1] I. Gulrajani, F. Ahmed, M. Arjovsky, V. Dumoulin and A. Courville,
       "Improved Training of Wasserstein GANs", NeurIPS 2017.

    .. [2] G. Huang and A. H. Jafari, "Enhanced balancing GAN: minority-class
       image generation", Neural Computing and Applications, 2021 (BAGAN-GP).

    Examples
    --------
    {example}
    """

    _parameter_constraints: dict = {
        **BaselineGANSampler._parameter_constraints,
        "n_critic": [Interval(numbers.Integral, 1, None, closed="left")],
        "gradient_penalty": [Interval(numbers.Real, 0, None, closed="left")],
    }

    _model = WGANGP

    def __init__(self, *, sampling_strategy="auto", random_state=None, n_iter=1000,
                 batch_size=128, device="auto", n_threads="auto", latent_dim=32,
                 hidden_dim=256, learning_rate=1e-4,
                 betas=(0.5, 0.9), n_critic=5, gradient_penalty=10.0,
                 categorical_features=None, discrete_features=None, verbose=0):
        super().__init__(
            sampling_strategy=sampling_strategy, random_state=random_state, n_iter=n_iter,
            batch_size=batch_size, device=device, n_threads=n_threads, latent_dim=latent_dim,
            hidden_dim=hidden_dim, learning_rate=learning_rate, betas=betas,
            categorical_features=categorical_features, discrete_features=discrete_features,
            verbose=verbose)
        self.n_critic, self.gradient_penalty = n_critic, gradient_penalty
