"""Auxiliary-classifier GAN (Odena et al. 2017; the paper's eq. 12–13)."""

import torch
import torch.nn.functional as F
from imblearn.utils import Substitution

from .._core import optimizer_step
from ..networks import mlp
from ._common import SHARED_DOCS, BaselineGAN, BaselineGANSampler, ConditionalMLP, bce, example

__all__ = ["ACGAN", "ACGANSampler"]


class ACGAN(BaselineGAN):
    """G(z, onehot) against D(x) with a source head and a class head."""

    def build(self, n_features, hidden_dim, latent_dim, n_classes):
        return {
            "generator": ConditionalMLP([latent_dim, hidden_dim, hidden_dim, n_features],
                                        n_classes),
            # Output 0 is the source logit, the rest the class logits: two heads, one body.
            "discriminator": mlp([n_features, hidden_dim, hidden_dim, 1 + n_classes]),
        }

    def heads(self, x):
        out = self.discriminator(x)
        return out[:, 0], out[:, 1:]

    def gan_step(self, step):
        data, rng, B = self.data, self.rng, self.batch_size
        labels = data.sample_fake_labels(B, rng)
        with torch.no_grad():
            fake = self.fake(labels, rng)
        fake_source, fake_class = self.heads(fake)
        # The source head sees real rows of the fakes' classes, so that class
        # frequencies do not give the fakes away; the class head sees rows of
        # every class, so that it knows them all (as P-GAN's classifier).
        real_source, _ = self.heads(data.X[data.sample_rows(labels, rng)])
        rows = data.sample_any(B, rng)
        _, real_class = self.heads(data.X[rows])
        # D maximises L_S + L_C (eq. 12–13), i.e. minimises these cross-entropies.
        d_source = bce(real_source, 1.0) + bce(fake_source, 0.0)
        d_class = F.cross_entropy(real_class, data.y[rows]) + F.cross_entropy(fake_class, labels)
        optimizer_step(self.opt_d, d_source + d_class)
        # G maximises L_C - L_S: be taken for real (non-saturating) and for class k.
        labels = data.sample_fake_labels(B, rng)
        fake = self.fake(labels, rng)
        source, logits = self.heads(fake)
        g_source, g_class = bce(source, 1.0), F.cross_entropy(logits, labels)
        optimizer_step(self.opt_g, g_source + g_class)
        return {
            "discriminator_source": d_source.detach(),
            "discriminator_class": d_class.detach(),
            "generator_source": g_source.detach(),
            "generator_class": g_class.detach(),
            "spread": self.spread(fake, labels),
        }


@Substitution(**SHARED_DOCS,
              example=example("ACGANSampler", "n_iter=10, hidden_dim=32, random_state=0"))
class ACGANSampler(BaselineGANSampler):
    """Oversample with an auxiliary-classifier GAN (AC-GAN).

    Trains a generator G(z, onehot(k)) against a discriminator D(x) with two
    heads on one body: the source (real or fake, a logit) and the class
    (logits over all classes), with the log-likelihoods L_S and L_C of the
    paper's eq. 12–13. D maximises L_S + L_C; G maximises L_C - L_S, in the
    non-saturating form. Then returns the original rows followed by
    synthetic rows.

    Parameters
    ----------
    {common}

    {latent_dim}

    {hidden_dim}

    learning_rate : float, default=2e-4
        Adam learning rate of G and D (Odena et al.'s value).

    betas : tuple of float, default=(0.5, 0.999)
        Adam betas (Odena et al.'s).

    {columns_verbose_and_fitted}

    history_ : list of dict
        One dict per logged step: the losses ``discriminator_source``,
        ``discriminator_class``, ``generator_source`` and
        ``generator_class``, ``spread`` (distance of fakes to their class
        mean over the same for real rows), ``stage``, ``step`` and
        ``elapsed_s``.

    generator_, discriminator_ : torch.nn.Module
        The trained networks, on the CPU; the discriminator's first output is
        the source logit, the others the class logits.

    model_ : ACGAN
        The networks used by :meth:`sample`.

    {input_attributes}

    See Also
    --------
    CGANSampler : D reads the class instead of predicting it.
    PolarityGANSampler : G plays against a classifier too, but seeks its
        uncertain region instead of its confident one.

    Notes
    -----
    {notes}

    References
    ----------
    .. [1] A. Odena, C. Olah and J. Shlens, "Conditional Image Synthesis with
       Auxiliary Classifier GANs", ICML 2017.

    Examples
    --------
    {example}
    """

    _model = ACGAN
