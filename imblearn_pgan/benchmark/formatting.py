"""Formatting shared by the reports of both suites (and the scripts under ``benchmarks/``)."""

__all__ = ["markdown_table", "protocol_lines", "text_table", "versions_line"]


def text_table(header, rows):
    """Columns padded to their widest cell, a dashed rule under the header.

    Parameters
    ----------
    header : list of str
        Column titles.
    rows : list of list
        Cells, written with ``str``.

    Returns
    -------
    text : str
        The table, without a trailing newline.
    """
    widths = [max(len(str(x)) for x in column) for column in zip(header, *rows)]
    lines = ["  ".join(str(x).ljust(w) for x, w in zip(line, widths)).rstrip()
             for line in [header, ["-" * w for w in widths], *rows]]
    return "\n".join(lines)


def markdown_table(header, rows):
    """A pipe table.

    Parameters
    ----------
    header : list of str
        Column titles.
    rows : list of list
        Cells, written with ``str``.

    Returns
    -------
    text : str
        The table, without a trailing newline.
    """
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(x) for x in row) + " |" for row in rows]
    return "\n".join(lines)


def versions_line(meta):
    """``python 3.11.7, numpy 2.4.6, ...`` from a run's ``meta["versions"]``."""
    return ", ".join(f"{k} {v}" for k, v in meta["versions"].items())


def protocol_lines(meta, *, markdown, unit, cell):
    """The lines under a suite report's title: time, protocol, data, what a rank is.

    Parameters
    ----------
    meta : dict
        The run's ``meta.json`` (``wall_s``, ``n_jobs``, ``protocol``,
        ``classifiers``, ``datasets`` and, when the suite has one,
        ``preprocessing``).
    markdown : bool
        Bulleted (``results.md``) or plain lines.
    unit, cell : str
        What the suite calls its data sets in the plural (``"tables"``) and
        in a rank's cell (``"table"``).

    Returns
    -------
    lines : list of str
    """
    bullet = "- " if markdown else ""
    sets = meta["datasets"]
    ratios = [s["imbalance_ratio"] for s in sets.values()]
    preprocessing = ([f"{bullet}preprocessing: {meta['preprocessing']}"]
                     if "preprocessing" in meta else [])
    return [
        f"{bullet}total wall time: {meta['wall_s']:.0f} s with {meta['n_jobs']} job(s)",
        f"{bullet}protocol: {meta['protocol']}; the same folds for every sampler; "
        f"classifiers {', '.join(meta['classifiers'])}",
        *preprocessing,
        f"{bullet}{len(sets)} {unit}, {sum(s['rows'] for s in sets.values())} rows; "
        f"imbalance ratio {min(ratios):.1f} to {max(ratios):.1f}",
        f"{bullet}ranks: 1 = best in a ({cell}, classifier) cell, on the mean over folds; "
        "ties share the average rank",
    ]
