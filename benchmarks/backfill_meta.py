"""Reconstruct a ``meta.json`` for the result folders made before runs wrote their provenance.

Every run now writes ``meta.json`` with the commit it ran from
(``imblearn_pgan.suites.provenance``). For each folder of
``benchmarks/results`` whose result files are in git and whose meta.json
names no commit, this script writes what git and the folder itself say,
marked ``"reconstructed": true``:

- ``commit``: the last commit that added or changed the folder's own result
  files (its meta.json and the runs in its subfolders left out). The results
  were made before it, from a working tree whose exact code is not known;
  ``dirty`` is therefore null. Where that commit only copied or moved files
  here unchanged, ``copied_from`` names the folder they came from and the
  last commit that changed them there.
- ``command``: the one the folder's own report quotes (``results.md``,
  ``diagnostics.md``, ``comparison.md``), else the one ``docs/benchmarks.md``
  gives for the folder (the table below, which cites the section), else null.
  Commands of the folder's other reports go to ``other_commands``; a command
  whose ``--out`` is another folder (files moved or copied later) gets a note.
- ``versions`` and ``wall_s`` where the folder's ``results.md`` states them.

Keys of an existing meta.json are kept; folders whose meta.json names a
commit are left alone. Nothing is run again::

    python benchmarks/backfill_meta.py [--dry-run]
"""

import argparse
import json
import re
import shlex
import subprocess
from pathlib import Path

from imblearn_pgan.suites.provenance import write_meta

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path("benchmarks/results")

# Commands that docs/benchmarks.md gives for folders whose files quote none
# (the scaling script writes tables only), with the section that gives them.
_SPEED = "python benchmarks/scaling.py --rows 300 17400 100000 --features 7 64"
DOCUMENTED = {
    "cpu-fashion": (
        "python benchmarks/scaling.py --profile fashion --threads 0 "
        "--out benchmarks/results/cpu-fashion",
        "CPU time against SVMSMOTE (the paper's SMOTE-SVM)"),
    "speed-cpu-idle": (
        f"{_SPEED} --timeout-per-run 60 --out benchmarks/results/speed-cpu-idle",
        "Speed on the CPU"),
    "speed-cpu-busy": (
        f"{_SPEED} --timeout-per-run 60 --busy --out benchmarks/results/speed-cpu-busy",
        "Speed on the CPU"),
    # The docs write these two as one line, "[--busy] ... speed-cpu-{idle,busy}/svmsmote".
    "speed-cpu-idle/svmsmote": (
        f"{_SPEED} --methods svmsmote --timeout-per-run 60 "
        "--out benchmarks/results/speed-cpu-idle/svmsmote",
        "Speed on the CPU"),
    "speed-cpu-busy/svmsmote": (
        f"{_SPEED} --methods svmsmote --timeout-per-run 60 --busy "
        "--out benchmarks/results/speed-cpu-busy/svmsmote",
        "Speed on the CPU"),
    "speed-cpu-idle/pgan-auto": (
        f"{_SPEED} --methods pgan --timeout-per-run 120 "
        "--out benchmarks/results/speed-cpu-idle/pgan-auto",
        "Speed on the CPU"),
}

# The reports that quote their command, the run's own first.
_REPORTS = ("results.md", "diagnostics.md", "comparison.md")
_FENCED = re.compile(r"^```[a-z]*\n(.+?)\n```", re.S | re.M)
_INLINE = re.compile(r"^`([^`]+)`", re.M)


def git(*args):
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout


def run_files(folder, tracked):
    """The tracked files of the run in ``folder``: its own and its keel_sets/, not meta.json."""
    mine = []
    for path in tracked:
        relative = path.relative_to(folder)
        if relative.parts == ("meta.json",):
            continue
        if len(relative.parts) == 1 or relative.parts[0] == "keel_sets":
            mine.append(path)
    return mine


def copied_from(sha, files):
    """Where ``sha`` took the run's files from, if it only copied or moved them unchanged.

    Returns source folder -> its last commit before ``sha``; empty where the
    commit changed or added any of the run's files (a figure that merely
    equals another run's is no copy of that run).
    """
    # The whole commit: copies are only found where their sources are in the diff.
    changes = git("show", "--format=", "--name-status", "-M", "-C", "--find-copies-harder", sha)
    wanted, sources = set(map(str, files)), {}
    for line in changes.splitlines():
        status, *paths = line.split("\t")
        if paths[-1] not in wanted:
            continue
        if status not in ("C100", "R100"):
            return {}
        source = Path(paths[0])
        folder = source.parent.parent if source.parent.name == "keel_sets" else source.parent
        sources.setdefault(folder, []).append(paths[0])
    return {str(folder): git("log", "-1", "--format=%H", f"{sha}^", "--", *paths).strip()
            for folder, paths in sources.items()}


def quoted_command(report):
    """The command a report quotes: its first fenced block, else its first `...` line."""
    text = report.read_text(encoding="utf-8")
    found = _FENCED.search(text) or _INLINE.search(text)
    return found.group(1).strip() if found else None


def commands(folder):
    """Every report's command, the run's own report first."""
    reports = sorted(ROOT.joinpath(folder).glob("*.md"),
                     key=lambda p: (_REPORTS.index(p.name) if p.name in _REPORTS
                                    else len(_REPORTS), p.name))
    return {p.name: c for p in reports if (c := quoted_command(p))}


def stated(folder):
    """Versions and wall time where the folder's results.md states them."""
    report = ROOT / folder / "results.md"
    if not report.exists():
        return {}
    text = report.read_text(encoding="utf-8")
    found = {}
    versions = re.search(r"^- versions: (.+)$", text, re.M)
    if versions:
        found["versions"] = dict(item.split(" ", 1) for item in versions.group(1).split(", "))
    wall = re.search(r"^- total wall time: ([\d.]+) s", text, re.M)
    if wall:
        found["wall_s"] = float(wall.group(1))
    return found


def out_note(command, folder):
    """A note when the command wrote to another folder than the one the files are in."""
    words = shlex.split(command)
    if "--out" not in words[:-1]:
        return None
    out = Path(words[words.index("--out") + 1])
    if out == folder:
        return None
    return (f"the command wrote to {out}; the files were moved or copied to {folder} "
            "afterwards")


def reconstruct(folder, files, existing):
    """The meta dict of one folder: git's and the reports' facts, then the existing keys."""
    sha, date, subject = git("log", "-1", "--format=%H%x00%cI%x00%s", "--",
                             *map(str, files)).strip().split("\x00")
    found = commands(folder)
    meta = {"command": None, "command_source": None}
    if "command" in existing:
        meta["command_source"] = "meta.json written by the run"
    elif found:
        name, meta["command"] = next(iter(found.items()))
        meta["command_source"] = f"{name} in this folder"
        found.pop(name)
    elif folder.relative_to(RESULTS).as_posix() in DOCUMENTED:
        meta["command"], section = DOCUMENTED[folder.relative_to(RESULTS).as_posix()]
        meta["command_source"] = f"docs/benchmarks.md, section {section!r}"
    command = existing.get("command") or meta["command"]
    others = {name: c for name, c in found.items() if c != command}
    if others:
        meta["other_commands"] = others
    note = out_note(command or "", folder)
    if note:
        meta["note"] = note
    meta.update({
        "commit": sha,
        "commit_date": date,
        "commit_subject": subject,
        **({"copied_from": copies} if (copies := copied_from(sha, files)) else {}),
        "dirty": None,
        "reconstructed": True,
        "source": "git history: the commit that added these files",
        "produced": "before this commit, from a working tree whose exact code is not known",
        **stated(folder),
    })
    return {**meta, **existing}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true", help="print, write nothing")
    args = parser.parse_args(argv)
    tracked = [Path(p) for p in git("ls-files", "--", str(RESULTS)).splitlines()]
    folders = sorted({p.parent for p in tracked
                      if p.parent != RESULTS and "keel_sets" not in p.parts})
    for folder in folders:
        path = ROOT / folder / "meta.json"
        existing = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        if "commit" in existing:
            print(f"{folder}: its meta.json names a commit, kept")
            continue
        files = run_files(folder, [p for p in tracked if folder in p.parents])
        if not files:  # only a meta.json in git
            continue
        meta = reconstruct(folder, files, existing)
        print(f"{folder}: {meta['commit'][:10]}, command from {meta['command_source']}")
        if not args.dry_run:
            write_meta(ROOT / folder, meta)
    # Folders that only group runs (one sweep, a run per subfolder) name their runs.
    for group in sorted({f.parent for f in folders} - set(folders) - {RESULTS}):
        path = ROOT / group / "meta.json"
        if path.exists():
            continue
        runs = sorted(f.name for f in folders if f.parent == group)
        meta = {"group": True, "runs": runs,
                "commit": git("log", "-1", "--format=%H", "--", str(group)).strip(),
                "reconstructed": True,
                "source": "git history: the last commit that changed the runs of this group; "
                          "each run's own meta.json names its commit and command"}
        print(f"{group}: a group of {len(runs)} runs")
        if not args.dry_run:
            write_meta(ROOT / group, meta)


if __name__ == "__main__":
    main()
