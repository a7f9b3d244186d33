"""Formatting shared by the reports of the suites (and the scripts under ``benchmarks/``)."""

import textwrap

__all__ = ["legend_lines", "markdown_table", "protocol_lines", "text_table", "versions_line",
           "wrap_lines"]


def text_table(header, rows):
    """``header`` (column titles) and ``rows`` (cells, written with ``str``) as plain
    text: columns padded to their widest cell, a dashed rule under the header, no
    trailing newline."""
    widths = [max(len(str(x)) for x in column) for column in zip(header, *rows)]
    lines = ["  ".join(str(x).ljust(w) for x, w in zip(line, widths)).rstrip()
             for line in [header, ["-" * w for w in widths], *rows]]
    return "\n".join(lines)


def markdown_table(header, rows):
    """``header`` and ``rows`` as :func:`text_table` takes them, as a markdown pipe table."""
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
    quick = ([f"{bullet}quick smoke run (--quick): it checks the pipeline; its scores are "
              "not the samplers'"] if meta.get("quick") else [])
    return wrap_lines([
        *quick,
        f"{bullet}total wall time: {meta['wall_s']:.0f} s with {meta['n_jobs']} job(s)",
        f"{bullet}protocol: {meta['protocol']}; the same folds for every sampler; "
        f"classifiers {', '.join(meta['classifiers'])}",
        *preprocessing,
        f"{bullet}{len(sets)} {unit} ({', '.join(sets)}), "
        f"{sum(s['rows'] for s in sets.values())} rows; "
        f"imbalance ratio {min(ratios):.1f} to {max(ratios):.1f}",
        f"{bullet}ranks: 1 = best in a ({cell}, classifier) cell, on the mean over folds; "
        "ties share the average rank",
    ], markdown=markdown)


#: Width of the printed reports' prose lines (markdown wraps its own).
TEXT_WIDTH = 100


def wrap_lines(lines, *, markdown):
    """The lines as they are for markdown; wrapped at :data:`TEXT_WIDTH` for print."""
    if markdown:
        return list(lines)
    return [textwrap.fill(line, TEXT_WIDTH, subsequent_indent="    ",
                          break_on_hyphens=False) if len(line) > TEXT_WIDTH else line
            for line in lines]


def legend_lines(meta, *, markdown, heading="Rows", note=None, describe=None):
    """What each row of a report is: a heading, an optional note, a line per row.

    ``describe(name, method)`` gives a row's text from its ``meta["methods"]``
    entry; by default its description.
    """
    describe = describe or (lambda name, method: method["description"])
    lines = ["", f"## {heading}" if markdown else heading, ""]
    if note:
        lines += [note, ""]
    rows = [f"- {name}: {describe(name, method)}" for name, method in meta["methods"].items()]
    return lines + wrap_lines(rows, markdown=markdown)
