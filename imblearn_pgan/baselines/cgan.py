"""Conditional GAN (Mirza & Osindero 2014; the paper's eq. 11)."""

import torch
from imblearn.utils import Substitution

from .._core import optimizer_step
from ._common import SHARED_DOCS, BaselineGAN, BaselineGANSampler, ConditionalMLP, bce, example

__all__ = ["CGAN", "CGANSampler"]


class CGAN(BaselineGAN):
    """G(z, onehot) against D(x, onehot), a real/fake logit, with BCE losses."""

    def build(self, n_features, hidden_dim, latent_dim, n_classes):
        return {
            "generator": ConditionalMLP([latent_dim, hidden_dim, hidden_dim, n_features],
                                        n_classes),
            "discriminator": ConditionalMLP([n_features, hidden_dim, hidden_dim, 1], n_classes),
        }

    def logit(self, x, labels):
        return self.discriminator(x, labels).squeeze(1)

    def gan_step(self, step):
        data, rng, B = self.data, self.rng, self.batch_size
        labels = data.sample_fake_labels(B, rng)
        with torch.no_grad():
            fake = self.fake(labels, rng)
        real = data.X[data.sample_rows(labels, rng)]  # same classes as the fakes
        # D maximises eq. 11: log D(x|y) + log(1 - D(G(z|y)|y)).
        d_loss = bce(self.logit(real, labels), 1.0) + bce(self.logit(fake, labels), 0.0)
        optimizer_step(self.opt_d, d_loss)
        # G: the non-saturating form, maximise log D(G(z|y)|y).
        labels = data.sample_fake_labels(B, rng)
        fake = self.fake(labels, rng)
        g_loss = bce(self.logit(fake, labels), 1.0)
        optimizer_step(self.opt_g, g_loss)
        return {
            "discriminator": d_loss.detach(),
            "generator": g_loss.detach(),
            "spread": self.spread(fake, labels),
        }


@Substitution(**SHARED_DOCS,
              example=example("CGANSampler", "n_iter=10, hidden_dim=32, random_state=0"))
class CGANSampler(BaselineGANSampler):
    """Oversample with a conditional GAN (CGAN).

    Trains a generator G(z, onehot(k)) against a discriminator D(x, onehot(k))
    that outputs one real/fake logit, with the cross-entropy losses of the
    paper's eq. 11 (non-saturating for G), then returns the original rows
    followed by synthetic rows.

    Parameters
    ----------
    {common}

    {latent_dim}

    {hidden_dim}

    learning_rate : float, default=2e-4
        Adam learning rate of G and D (the DCGAN value of Radford et al.
        2016; Mirza & Osindero trained with SGD and momentum).

    betas : tuple of float, default=(0.5, 0.999)
        Adam betas (DCGAN's).

    {columns_verbose_and_fitted}

    history_ : list of dict
        One dict per logged step: the losses ``discriminator`` and
        ``generator``, ``spread`` (distance of fakes to their class mean over
        the same for real rows), ``stage``, ``step`` and ``elapsed_s``.

    generator_, discriminator_ : torch.nn.Module
        The trained networks, on the CPU.

    model_ : CGAN
        The networks used by :meth:`sample`.

    {input_attributes}

    See Also
    --------
    ACGANSampler : The class is predicted by D instead of read by it.

    Notes
    -----
    {notes}

    References
    ----------
    .. [1] M. Mirza and S. Osindero, "Conditional Generative Adversarial
       Nets", arXiv:1411.1784, 2014.

    .. [2] A. Radford, L. Metz and S. Chintala, "Unsupervised Representation
       Learning with Deep Convolutional Generative Adversarial Networks",
       ICLR 2016.

    Examples
    --------
    {example}
    """

    _model = CGAN
