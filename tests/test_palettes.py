"""The kind and link-type palettes for everyone: each colour 3:1 against the white background
(WCAG 1.4.11), and every two colours of a palette still apart for a reader with protanopia,
deuteranopia or tritanopia, simulated with the matrices of Machado, Oliveira and Fernandes
(2009, severity 1), compared in CIELAB (a difference of 10 is plainly visible side by side)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from layers.network_style import GROUPING_COLOURS
from layers.style import ACTOR_STYLE, LINK_STYLE, contrast_ratio

SIMULATIONS = {
    "normal vision": np.eye(3),
    "protanopia": np.array(
        [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]
    ),
    "deuteranopia": np.array(
        [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]
    ),
    "tritanopia": np.array(
        [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]]
    ),
}
MIN_DIFFERENCE = 10.0
#: the technopoles' sites are the technopoles' blue, lighter and smaller, by design
SAME_FAMILY = {frozenset({"technopole", "technopole_site"})}

PALETTES = {
    "actor kinds": {kind: colour for kind, (colour, _) in ACTOR_STYLE.items()},
    "link types": {kind: colour for kind, (colour, _) in LINK_STYLE.items()},
    "grouping kinds": dict(GROUPING_COLOURS),
}


def _linear(colour: str) -> np.ndarray:
    rgb = np.array([int(colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4)]) / 255
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)


def _lab(linear: np.ndarray) -> np.ndarray:
    to_xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    xyz = to_xyz @ np.clip(linear, 0, 1) / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 216 / 24389, np.cbrt(xyz), (24389 / 27 * xyz + 16) / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def differences(palette: dict[str, str], simulation: np.ndarray) -> list[tuple[float, str, str]]:
    """Every pair of the palette with its CIELAB difference as seen through ``simulation``."""
    seen = {kind: _lab(simulation @ _linear(colour)) for kind, colour in palette.items()}
    return sorted(
        (float(np.linalg.norm(seen[a] - seen[b])), a, b)
        for a, b in itertools.combinations(palette, 2)
        if frozenset({a, b}) not in SAME_FAMILY
    )


@pytest.mark.parametrize("palette", PALETTES)
@pytest.mark.parametrize("vision", SIMULATIONS)
def test_every_two_colours_stay_apart(palette: str, vision: str) -> None:
    closest = differences(PALETTES[palette], SIMULATIONS[vision])[0]
    assert closest[0] >= MIN_DIFFERENCE, (
        f"{palette}, {vision}: {closest[1]} and {closest[2]} differ by {closest[0]:.1f}"
    )


@pytest.mark.parametrize("palette", PALETTES)
def test_every_colour_stands_out_on_white(palette: str) -> None:
    for kind, colour in PALETTES[palette].items():
        assert contrast_ratio(colour) >= 3.0, (kind, colour)


def test_the_simulation_tells_a_known_confusion() -> None:
    """Red and green, apart for normal vision, run together for a deuteranope: the check can fail."""
    pair = {"red": "#CC3311", "green": "#888800"}
    assert differences(pair, SIMULATIONS["normal vision"])[0][0] > 30
    assert differences(pair, SIMULATIONS["deuteranopia"])[0][0] < MIN_DIFFERENCE
