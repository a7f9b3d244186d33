"""Formatting shared by the reports of both suites (and the scripts under ``benchmarks/``)."""

__all__ = ["markdown_table", "text_table", "versions_line"]


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
