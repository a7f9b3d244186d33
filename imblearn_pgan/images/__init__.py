"""The image side of the package: everything that takes images rather than table rows.

- :mod:`.embedding`: :class:`~imblearn_pgan.ResNetEmbedder`, fixed ResNet
  features for the tabular oversamplers;
- :mod:`.end_to_end`: :class:`~imblearn_pgan.PolarityGANClassifier`,
  Algorithm 1 with a trained feature extractor F;
- :mod:`.cnn`: :class:`~imblearn_pgan.CNNClassifier`, the small
  CNN with a long-tail loss or a class-balanced sampler;
- :mod:`.losses`: the long-tail losses.

Every image estimator checks and prepares its input the same way (the private
``_input`` module). The modules are imported on their own: importing
:mod:`.losses` loads neither torchvision nor the samplers.
"""
