"""Heatmaps of the value-chain matrices (:mod:`core.strengths`): value chains by province, and value
chains by kind of partner abroad. Pure plotly (no Dash): a callback passes the figure to a graph.

How it reads:

* **Rows** are the value chains under a header per sector and per cluster (bold, italic), as the
  filter panel groups them; the totals row comes last, the totals column last.
* **Colour** is one hue, light to dark blue (ColorBrewer "Blues"): an order every colour-vision
  deficiency keeps, and that prints in grey. Counts are written in the cells too, so colour never
  carries a number alone.
* **Rows whose numbers are not strengths** stand apart from the scale: ``no data`` plain grey with a
  dash in every cell; ``no named source`` darker grey, hatched, with its counts (actors tagged with
  a cluster whose value chains no source names). The state is also written after the row's name
  and explained in the hover, so a zero is never shown for an unknown.
* **Totals** sit on a neutral fill in bold, off the colour scale (they would flatten it).
* **Clicks**: each cell's ``customdata`` is ``[row id, column id, row position, column position]``
  (the row id is the value chain's, or the cluster's for a cluster row, or ``total``; the column id a
  province's, ``elsewhere``, ``total``, or a kind of partner abroad); give the positions to
  :func:`core.strengths.cell_filter` for the filters the click sets.

Nothing here fetches anything: a heatmap draws in SVG with the page's system fonts.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import plotly.graph_objects as go

from core.i18n import names_by_id, number, t
from core.lookup import position
from core.strengths import ELSEWHERE, HOME, NO_DATA, NO_SOURCE, TOTAL, Matrix
from data import Dataset
from layers.style import FONT_FAMILY, HOVERLABEL, INK, short_name

#: ColorBrewer "Blues" (sequential, one hue): readable with every colour-vision deficiency
SCALE = [[0.0, "#f7fbff"], [0.25, "#c6dbef"], [0.5, "#6baed6"], [0.75, "#2171b5"], [1.0, "#08306b"]]
#: fills off the scale: unknown rows (no data lighter than no named source) and totals
UNKNOWN_FILL = {NO_DATA: "#ececec", NO_SOURCE: "#cfcfcf"}
TOTAL_FILL = "#f1efe8"
HATCH = "#6e6e6e"
ROW_HEIGHT = 22
NAME_LIMIT = 42
INDENT = "\u00a0\u00a0"


def strength_figure(dataset: Dataset, matrix: Matrix, lang: str = "en") -> go.Figure:
    """The heatmap of a :func:`core.strengths.strength_matrix`: value chains by province, counting
    actors; each cell's hover gives the count of each kind group."""
    provinces = names_by_id(dataset.areas, lang)
    labels = []
    for column in matrix.columns:
        if column.kind == "province":
            labels.append(provinces.get(column.id, column.id))
        else:
            labels.append(t("strengths.total" if column.kind == TOTAL else "strengths.elsewhere", lang))
    groups = [t(f"strengths.group.{g}", lang) for g in matrix.groups]

    def detail(i: int, j: int) -> str:
        parts = [f"{name}: {number(int(n), lang)}" for name, n in zip(groups, matrix.counts[i, j], strict=True)]
        return "<br>".join(parts)

    title = t("strengths.title", lang)
    return _figure(dataset, matrix, lang, labels, detail, t("strengths.actors", lang), title)


def abroad_figure(dataset: Dataset, matrix: Matrix, lang: str = "en") -> go.Figure:
    """The heatmap of a :func:`core.strengths.abroad_matrix`: value chains by kind of partner
    abroad, counting links; each cell's hover names the partners its links reach."""
    names = _partner_names(dataset, matrix, lang)
    labels = []
    for column in matrix.columns:
        if column.kind == "network":
            labels.append(short_name(names.get(column.id, column.id), NAME_LIMIT))
        elif column.kind == TOTAL:
            labels.append(t("strengths.total", lang))
        elif column.kind == ELSEWHERE:
            labels.append(t("strengths.abroad.elsewhere", lang))
        else:  # partner_region, interreg
            labels.append(t(f"strengths.abroad.{column.kind}", lang))

    def detail(i: int, j: int) -> str:
        reached = matrix.partners.get((i, j), ())
        if not reached:
            return ""
        shown = ", ".join(names.get(p, p) for p in reached[:5])
        more = f" {t('strengths.more', lang, count=number(len(reached) - 5, lang))}" if len(reached) > 5 else ""
        return f"{t('strengths.partners', lang)}: {shown}{more}"

    title = t("strengths.abroad.title", lang)
    return _figure(dataset, matrix, lang, labels, detail, t("strengths.links", lang), title)


def row_of_line(dataset: Dataset, matrix: Matrix, line: int) -> int | None:
    """The matrix row drawn on the figure's line ``line`` (its y), or None for a header line: what a
    click reports (Dash's click data on a heatmap carries the cell's x and y, not its customdata)."""
    lines = _row_lines(dataset, matrix, "en")
    return lines[line][1] if 0 <= line < len(lines) else None


def _row_lines(dataset: Dataset, matrix: Matrix, lang: str) -> list[tuple[str, int | None]]:
    """The y axis, top to bottom: (tick label, matrix row or None for a header); the totals row last."""
    gvcs, groupings = names_by_id(dataset.gvcs, lang), names_by_id(dataset.groupings, lang)
    sectors = names_by_id(dataset.sectors, lang)
    lines: list[tuple[str, int | None]] = []
    sector: str | None = None
    cluster: str | None = None
    for i, row in enumerate(matrix.rows):
        if row.sector != sector:
            sector, cluster = row.sector, None
            lines.append((f"<b>{sectors.get(row.sector) or t('filters.no_sector', lang)}</b>", None))
        if row.cluster != cluster:
            cluster = row.cluster
            lines.append((f"<i>{short_name(groupings.get(row.cluster, row.cluster), NAME_LIMIT)}</i>", None))
        name = short_name(gvcs.get(row.gvc, row.gvc), NAME_LIMIT) if row.gvc else t("strengths.unnamed", lang)
        state = matrix.states[i]
        # the state after the name (a cluster row's name already says its value chains are not named)
        named_state = state in (NO_DATA, HOME) or (state == NO_SOURCE and row.gvc)
        suffix = f" · {t(f'strengths.state.{state}', lang)}" if named_state else ""
        lines.append((f"{INDENT}{name}{suffix}", i))
    lines.append((f"<b>{t('strengths.total', lang)}</b>", len(matrix.rows)))
    return lines


def _figure(
    dataset: Dataset,
    matrix: Matrix,
    lang: str,
    column_labels: list[str],
    detail: Callable[[int, int], str],
    unit: str,
    title: str,
) -> go.Figure:
    lines = _row_lines(dataset, matrix, lang)
    n_lines, n_columns = len(lines), len(matrix.columns)
    totals = matrix.totals
    gvcs, groupings = names_by_id(dataset.gvcs, lang), names_by_id(dataset.groupings, lang)
    # one array per trace; NaN where another trace draws the cell
    cells, total_z, unknown_z = (np.full((n_lines, n_columns), np.nan) for _ in range(3))
    text = np.full((n_lines, n_columns), "", dtype=object)
    hover = np.full((n_lines, n_columns), "", dtype=object)
    custom = np.full((n_lines, n_columns), None, dtype=object)
    hatched: list[int] = []
    for y, (_, i) in enumerate(lines):
        if i is None:
            continue
        is_total_row = i == len(matrix.rows)
        row = None if is_total_row else matrix.rows[i]
        state = "" if row is None else matrix.states[i]
        if row is None:
            heading = t("strengths.total", lang)
        elif row.gvc:
            heading = gvcs.get(row.gvc, row.gvc)
        else:
            heading = f"{groupings.get(row.cluster, row.cluster)}: {t('strengths.unnamed', lang)}"
        if state == NO_SOURCE:
            hatched.append(y)
        # a dash where nothing is known: a row of no data, or a cluster row with no actor at all
        empty = state == NO_DATA or (state == NO_SOURCE and not (matrix.known and matrix.known[i]))
        for j in range(n_columns):
            value, last = int(totals[i, j]), j == n_columns - 1
            count = f"{unit}: {number(value, lang)}"
            custom[y, j] = [TOTAL if row is None else row.id, matrix.columns[j].id, i, j]
            if state in (NO_DATA, NO_SOURCE):
                unknown_z[y, j] = 1.0 if state == NO_SOURCE else 0.0
                text[y, j] = "–" if empty else number(value, lang)
                notes = [t(f"strengths.explain.{state}", lang)]
                if state == NO_SOURCE:
                    notes.append(t("strengths.explain.no_data", lang) if empty else count)
            else:
                notes = [count]
                if is_total_row or last:
                    total_z[y, j] = 0.0
                    text[y, j] = f"<b>{number(value, lang)}</b>"
                else:
                    cells[y, j] = value
                    text[y, j] = number(value, lang)
                if state == HOME and last:
                    notes.append(t("strengths.explain.home", lang))
            extra = "" if empty else detail(i, j)
            hover[y, j] = "<br>".join([f"<b>{heading}</b> · {column_labels[j]}", *notes, *([extra] if extra else [])])
    top = float(np.nanmax(cells)) if np.isfinite(cells).any() else 0.0
    positions = list(range(n_lines))
    common = {
        "x": list(range(n_columns)),
        "y": positions,
        "customdata": custom.tolist(),
        "hovertext": hover.tolist(),
        "hovertemplate": "%{hovertext}<extra></extra>",
        "hoverongaps": False,
        "xgap": 1,
        "ygap": 1,
        "textfont": {"family": FONT_FAMILY, "size": 12},
    }
    # plain dicts and no validation: plotly's check of the nested cell lists cost 0.1 s per figure
    traces: list[dict] = [
        dict(
            type="heatmap",
            z=_nulls(cells),
            text=np.where(np.isnan(cells), "", text).tolist(),
            texttemplate="%{text}",
            colorscale=SCALE,
            zmin=0,
            zmax=max(top, 1.0),
            colorbar={"title": {"text": unit}, "thickness": 12, "outlinewidth": 0},
            showscale=top > 0,  # a scale of nothing but zeros says nothing
            name="cells",
            **common,
        ),
        _flat(total_z, text, TOTAL_FILL, "totals", common),
        dict(
            type="heatmap",
            z=_nulls(unknown_z),
            text=np.where(np.isnan(unknown_z), "", text).tolist(),
            texttemplate="%{text}",
            colorscale=[[0.0, UNKNOWN_FILL[NO_DATA]], [1.0, UNKNOWN_FILL[NO_SOURCE]]],
            zmin=0,
            zmax=1,
            showscale=False,
            name="unknown",
            **common,
        ),
    ]
    if hatched:  # the hatching of "no named source" rows: bars patterned across the row, not hoverable
        traces.append(
            dict(
                type="bar",
                y=hatched,
                x=[n_columns] * len(hatched),
                base=-0.5,
                orientation="h",
                width=0.94,
                marker={"color": "rgba(0,0,0,0)", "pattern": {"shape": "/", "fgcolor": HATCH, "size": 7}},
                hoverinfo="skip",
                showlegend=False,
                name="hatching",
            )
        )
    layout = dict(
        title={"text": title, "x": 0, "xanchor": "left"},
        font={"family": FONT_FAMILY, "color": INK, "size": 12},
        hoverlabel=HOVERLABEL,
        height=140 + ROW_HEIGHT * n_lines,
        margin={
            "l": 10,
            "r": 10,
            "t": 60 + 16 * max(_wrap(label).count("<br>") + 1 for label in column_labels),
            "b": 10,
        },
        plot_bgcolor="#ffffff",
        paper_bgcolor="#ffffff",
        showlegend=False,
        xaxis={
            "side": "top",
            "tickvals": list(range(n_columns)),
            "ticktext": [_wrap(label) for label in column_labels],
            "tickangle": 0,
            "range": [-0.5, n_columns - 0.5],
            "showgrid": False,
            "zeroline": False,
            "fixedrange": True,
        },
        yaxis={
            "tickvals": positions,
            "ticktext": [label for label, _ in lines],
            "range": [n_lines - 0.5, -0.5],  # top to bottom, as a table reads
            "showgrid": False,
            "zeroline": False,
            "automargin": True,
            "fixedrange": True,
        },
    )
    return go.Figure(data=traces, layout=layout, _validate=False)


def _flat(z: np.ndarray, text: np.ndarray, fill: str, name: str, common: dict) -> dict:
    """A heatmap of one fill (its cells are where ``z`` is not NaN), off the colour scale."""
    return dict(
        type="heatmap",
        z=_nulls(z),
        text=np.where(np.isnan(z), "", text).tolist(),
        texttemplate="%{text}",
        colorscale=[[0.0, fill], [1.0, fill]],
        showscale=False,
        name=name,
        **common,
    )


def _nulls(z: np.ndarray) -> list[list[float | None]]:
    """``z`` as lists, None (JSON null: no cell) where it is NaN."""
    return [[None if np.isnan(v) else float(v) for v in row] for row in z.tolist()]


def _wrap(label: str, width: int = 14) -> str:
    """A column label broken into lines of about ``width`` characters (upright labels stay legible)."""
    lines: list[str] = []
    for word in label.split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def _partner_names(dataset: Dataset, matrix: Matrix, lang: str) -> dict[str, str]:
    """Names in ``lang`` of the groupings and areas, and of the actors the matrix's links reach (found
    by id: naming every actor cost 0.15 s at 100k)."""
    names = {**names_by_id(dataset.areas, lang), **names_by_id(dataset.groupings, lang)}
    wanted = {p for reached in matrix.partners.values() for p in reached if p not in names}
    found = [at for at in (position(dataset, "actors", p) for p in sorted(wanted)) if at is not None]
    if found:
        names.update(names_by_id(dataset.actors.iloc[found], lang))
    return names
