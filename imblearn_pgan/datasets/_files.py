"""Where data files are looked for, and how missing ones are downloaded.

A loader names its data set, its system directories and its published
checksums; this module knows the search order and the download rules.
"""

import hashlib
import os
from pathlib import Path
from urllib.request import urlopen

ENV_VAR = "IMBLEARN_PGAN_DATA"
DOWNLOAD_TIMEOUT = 10  # seconds; offline machines should fail fast


def cache_dir():
    """The user cache, ``~/.cache/imblearn_pgan``."""
    return Path.home() / ".cache" / "imblearn_pgan"


def default_data_home(data_home):
    """Directory that downloads go to (``<it>/<name>``)."""
    if data_home is not None:
        return Path(data_home).expanduser()
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR]).expanduser()
    return cache_dir()


def search_dirs(name, data_home, system_dirs=()):
    """Directories to look in for data set ``name``, in order, without duplicates.

    ``data_home``, ``$IMBLEARN_PGAN_DATA`` and the user cache, each first in
    its ``name`` subfolder and then itself, and finally ``system_dirs``.
    """
    roots = [data_home, os.environ.get(ENV_VAR) or None, cache_dir()]
    dirs = []
    for root in roots:
        if root is not None:
            root = Path(root).expanduser()
            dirs += [root / name, root]
    dirs += system_dirs
    return list(dict.fromkeys(dirs))  # drop duplicates, keep the order


def find_file(directory, stem):
    """``<stem>.gz``, else ``<stem>``, in ``directory``; None if neither exists."""
    for path in (directory / f"{stem}.gz", directory / stem):
        if path.is_file():
            return path
    return None


def download(url, sha256, filenames, directory):
    """Fetch the missing ``filenames`` from ``url`` into ``directory``, checking SHA-256.

    ``sha256`` maps each file name to its published digest. Returns the paths
    of all ``filenames`` in ``directory``.
    """
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for filename in filenames:
        dest = directory / filename
        if not dest.is_file():
            # Write to a side file so a failed or tampered download never
            # looks like a valid local copy.
            part = directory / f"{filename}.part"
            digest = hashlib.sha256()
            try:
                with urlopen(url + filename, timeout=DOWNLOAD_TIMEOUT) as response:
                    with open(part, "wb") as out:
                        for chunk in iter(lambda: response.read(1 << 20), b""):
                            digest.update(chunk)
                            out.write(chunk)
            except BaseException:
                part.unlink(missing_ok=True)
                raise
            if digest.hexdigest() != sha256[filename]:
                part.unlink()
                raise ValueError(
                    f"{dest}: SHA-256 mismatch for the download from "
                    f"{url + filename} (got {digest.hexdigest()}, "
                    f"expected {sha256[filename]}); the file was discarded"
                )
            os.replace(part, dest)
        paths.append(dest)
    return paths
