"""``pgan-benchmark``: the command line of :func:`run_images`."""

import argparse
import ast
import shlex
import sys
import textwrap

from ..datasets import KEEL_INSTALL, KEEL_QUICK_SETS, TABLES_INSTALL, TABLES_QUICK_SETS
from .methods import CLASSIFIERS, METHODS

__all__ = ["main"]

PROG = "pgan-benchmark"


class _Parser(argparse.ArgumentParser):
    """Reports a bad flag on one line (no usage dump) and exits with code 2."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message}\n")


def _positive(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text}")
    return value


def _non_negative(text):
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {text}")
    return value


def _names(text):
    return [name.strip() for name in text.split(",") if name.strip()]


def _setting(text):
    """``NAME=VALUE`` with VALUE a Python literal (``3``, ``None``, ``'top'``) or a word."""
    name, sep, value = text.partition("=")
    if not sep or not name.isidentifier():
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    try:
        return name, ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return name, value


def _pgan_params(pairs):
    """The ``--pgan-param`` settings as a dict, checked by PolarityGANSampler itself.

    A name is a parameter of the sampler or a setting of its ``gan_params``.

    Raises
    ------
    ValueError
        For a name the sampler does not take or a value it refuses.
    """
    params = dict(pairs)
    if params:
        from ..sampler import PolarityGANSampler, split_settings

        try:
            PolarityGANSampler(**split_settings(params))._validate_params()
        except ValueError as exc:
            raise ValueError(f"--pgan-param: {exc}") from None
    return params


def build_parser():
    """The argument parser of ``pgan-benchmark``.

    Returns
    -------
    parser : argparse.ArgumentParser
        The parser.
    """
    parser = _Parser(
        prog=PROG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Compare P-GAN with classic, SMOTE-variant and GAN oversamplers.\n\n"
        "--suite images (default): an imbalanced training set and a balanced test set of\n"
        "  image data (macro-F1, balanced accuracy, G-mean, per-class recall, uncertainty\n"
        "  of the synthetic points, fit time and memory).\n"
        "--suite keel: the field's protocol on the KEEL binary imbalanced sets (repeated\n"
        "  stratified 5-fold; SVC, kNN, tree, LR; AUC, G-mean, F1, balanced accuracy;\n"
        "  average ranks, Wilcoxon tests). Needs: " + KEEL_INSTALL + "\n"
        "--suite tables: real imbalanced tables with categorical columns (repeated\n"
        "  stratified 5-fold; impute, scale and one-hot encode inside the pipeline; LR,\n"
        "  kNN, SVC, gradient boosting; ranks, Wilcoxon tests). Needs: " + TABLES_INSTALL
        + "\n\n"
        "methods (--list-methods says what each is):\n"
        + textwrap.fill(", ".join(METHODS), 88, initial_indent="  ", subsequent_indent="  "),
    )
    _suite_arguments(parser.add_argument_group("suite"))
    _data_arguments(parser.add_argument_group("data and features (images suite)"))
    _run_arguments(parser.add_argument_group("runs"))
    parser.add_argument("--out", default=None, metavar="DIR",
                        help="write results.csv, results.md, meta.json and PNG figures here")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument("--list-methods", action="store_true",
                        help="print every method with what it is, and exit")
    return parser


def _suite_arguments(suite):
    suite.add_argument("--suite", default="images", choices=["images", "keel", "tables"],
                       help="images (default), keel or tables")
    suite.add_argument("--datasets", type=_names, default=None, metavar="A,B,...",
                       help="keel: comma list of KEEL sets, or dev, tuning or validation for "
                       "the 59 dev sets or their seeded halves (default: dev); "
                       "tables: of tables (default: credit_data, mlc_churn, attrition, "
                       "CreditCard)")
    suite.add_argument("--quick", action="store_true",
                       help="keel, tables: the smoke version (about a minute); keel: "
                       f"{', '.join(KEEL_QUICK_SETS)} x 3 folds, GAN samplers at n_iter=100 "
                       f"unless --n-iter; tables: {', '.join(TABLES_QUICK_SETS)} x 3 folds, "
                       "P-GAN at n_iter=100 and CTGAN at 5 epochs")
    suite.add_argument("--folds", type=_positive, default=5, metavar="K",
                       help="keel, tables: stratified folds (default: 5)")
    suite.add_argument("--repeats", type=_positive, default=2, metavar="R",
                       help="keel, tables: repeats of the k-fold (default: 2)")
    suite.add_argument("--resume", action="store_true",
                       help="load the parts (keel, tables: data sets; images: seeds but "
                       "the first) that a stopped run with the same settings saved in --out "
                       "instead of running them again")
    suite.add_argument("--n-jobs", type=int, default=1, metavar="N",
                       help="keel, tables: folds run in parallel (joblib; -1 = all cores; "
                       "default 1)")


def _data_arguments(data):
    data.add_argument("--dataset", default="digits",
                      help="digits (embedded, no download), fashion-mnist, mnist, or the "
                      "path of an .npz file with X and y (default: digits)")
    data.add_argument("--profile", default=None, choices=["paper", "exp", "step"],
                      help="imbalance profile of the training set: paper = the paper's "
                      "5000 ... 50 rows per class (shrunk to 140 ... 6 on digits), exp = "
                      "exponential decay, step = half the classes rare (default: paper; "
                      "an .npz file keeps its own class counts)")
    data.add_argument("--features", default="pixels",
                      choices=["pixels", "cnn", "resnet", "pretrained"],
                      help="pixels; cnn = a small CNN trained on the imbalanced training "
                      "split, frozen (Algorithm 1's F); resnet = ResNetEmbedder; pretrained "
                      "= ImageEmbedder's ImageNet EfficientNet-Lite0 (the pretrained extra)")
    data.add_argument("--pca", type=_non_negative, default=None, metavar="N",
                      help="PCA dimension, 0 for none (default: 64 for pixels with more "
                      "than 64 columns, e.g. 28x28 images; none otherwise)")
    data.add_argument("--cnn-epochs", type=_positive, default=10, metavar="N",
                      help="training epochs of the cnn features and of the end-to-end "
                      "cnn-* and pgan-cnn rows (default: 10)")
    data.add_argument("--resnet-arch", default="resnet50",
                      choices=["resnet18", "resnet34", "resnet50", "resnet101"],
                      help="ResNet of the resnet features (default: resnet50)")
    data.add_argument("--resnet-weights", default=None, metavar="NAME_OR_FILE",
                      help="torchvision weights name (from the torch hub cache) or a local "
                      "state_dict file; default: random initialisation")
    data.add_argument("--resnet-image-size", type=_positive, default=224, metavar="PX",
                      help="side the images are resized to for the ResNet (default: 224)")
    data.add_argument("--pretrained-image-size", type=_positive, default=112, metavar="PX",
                      help="side the images are resized to for the pretrained features "
                      "(default: 112)")
    data.add_argument("--embedding-cache", default="auto", metavar="DIR",
                      help="folder where the pretrained features of each image are kept "
                      "('none': nowhere; default: ~/.cache/imblearn-pgan/embeddings)")


def _run_arguments(runs):
    runs.add_argument("--methods", type=_names, default=None,
                      help="comma list of the methods above (default: all for images but "
                      "the end-to-end cnn-* and pgan-cnn rows; "
                      "none, the imblearn and smote-variants samplers and pgan for keel; "
                      "none,ros,smote-onehot,smotenc,pgan,pgan-onehot,ctgan for tables)")
    runs.add_argument("--classifiers", type=_names, default=None,
                      help=f"comma list from {', '.join(CLASSIFIERS)} (default: lr,svc for "
                      "images; svc,knn,tree,lr for keel, where hgb is gradient boosting); "
                      "for tables from lr,knn,svc,hgb (default: all four)")
    runs.add_argument("--seeds", type=_positive, default=3, metavar="N",
                      help="images: number of seeds (default: 3)")
    runs.add_argument("--n-iter", type=_positive, default=None, metavar="N",
                      help="n_iter of every GAN sampler (default: per data set, e.g. 200 "
                      "on digits, else each sampler's default)")
    runs.add_argument("--pgan-param", type=_setting, action="append", default=[],
                      metavar="NAME=VALUE", dest="pgan_params",
                      help="a PolarityGANSampler setting for every P-GAN row, e.g. "
                      "n_anchors=2 (repeatable; an ablation row keeps its own setting)")
    runs.add_argument("--device", default="auto",
                      help="auto, cpu or cuda[:N] for the GAN samplers and feature networks")
    runs.add_argument("--threads", type=_non_negative, default=1, metavar="N",
                      help="CPU threads of torch and BLAS, 0 for the libraries' defaults "
                      "(default: 1; the models are small and extra threads slow them "
                      "down on a busy CPU)")


def _suite_call(args, pgan_params, command):
    """The suite's run function, its keyword arguments, and its report as text."""
    common = dict(methods=args.methods, n_iter=args.n_iter, pgan_params=pgan_params,
                  device=args.device, out=args.out, resume=args.resume,
                  progress=not args.quiet, command=command)
    if args.suite == "images":
        from .images import run_images  # torch and pandas: not needed for --help
        from .report_images import render_text

        pca = "auto" if args.pca is None else (args.pca or None)
        return run_images, dict(
            dataset=args.dataset, profile=args.profile or "paper",
            classifiers=args.classifiers or ["lr", "svc"], seeds=args.seeds,
            features=args.features, pca=pca, cnn_epochs=args.cnn_epochs,
            resnet_arch=args.resnet_arch, resnet_weights=args.resnet_weights,
            resnet_image_size=args.resnet_image_size,
            pretrained_image_size=args.pretrained_image_size,
            embedding_cache=None if args.embedding_cache == "none" else args.embedding_cache,
            threads=args.threads or None,
            **common), render_text
    folds = dict(datasets=args.datasets, n_splits=args.folds, n_repeats=args.repeats,
                 quick=args.quick, n_jobs=args.n_jobs, **common)
    if args.suite == "keel":
        from .keel import KEEL_CLASSIFIERS, run_keel
        from .report_keel import render_keel

        return run_keel, dict(classifiers=args.classifiers or KEEL_CLASSIFIERS, **folds), \
            lambda result: render_keel(result, markdown=False)
    from .report_tables import render_tables
    from .tables import TABLES_CLASSIFIERS, run_tables

    return run_tables, dict(classifiers=args.classifiers or TABLES_CLASSIFIERS, **folds), \
        lambda result: render_tables(result, markdown=False)


def main(argv=None):
    """Run ``pgan-benchmark``.

    Parameters
    ----------
    argv : list of str, default=None
        Arguments without the program name; None reads ``sys.argv``.

    Returns
    -------
    status : int
        0 on success, 2 on a bad flag or missing data (one line on stderr).
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.list_methods:
        print("\n".join(textwrap.fill(f"{name}: {method.description}", 100,
                                       subsequent_indent="    ")
                         for name, method in METHODS.items()))
        return 0
    words = sys.argv[1:] if argv is None else list(argv)
    command = shlex.join([PROG, *words])
    if args.suite == "images" and args.profile is not None and args.dataset.endswith(".npz"):
        # Said before the run: the profile would otherwise be dropped without a word.
        print(f"{PROG}: warning: --profile {args.profile} is not used with an .npz file: "
              "its own class counts are used", file=sys.stderr)
    try:
        run, kwargs, render = _suite_call(args, _pgan_params(args.pgan_params), command)
        result = run(**kwargs)
    except (ImportError, OSError, ValueError) as exc:
        # Missing data or packages (DatasetNotFoundError is an OSError), offline
        # weights, bad names. The loaders' messages span several lines: join them.
        print(f"{PROG}: error: {' '.join(str(exc).split())}", file=sys.stderr)
        return 2
    print(render(result))
    if args.out is None:
        print("\nnothing was saved: pass --out DIR to keep the results, the report and "
              "meta.json")
    else:
        print(f"\nwrote the results, results.md, meta.json and figures to {args.out}")
    return 0
