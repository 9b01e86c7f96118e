"""The map of France by region, as SVG paths (pure Python, no Django).

`build(features)` projects GeoJSON regions (code INSEE in `properties.code`) onto one SVG
canvas: metropolitan France in the main frame (equirectangular projection corrected by the
cosine of the mean latitude), the five overseas regions each in its own inset below it, every
shape simplified (Douglas–Peucker) to a light path. The result is stored in
`data/carte_regions.json` by `manage.py carte_regions` from `../shared/data/geo/`, so pages
read a small file and never the GeoJSON.
"""

import math
from collections.abc import Iterable

OVERSEAS = ("01", "02", "03", "04", "06")  # Guadeloupe, Martinique, Guyane, La Réunion, Mayotte
MAIN_WIDTH = 560
MAIN_HEIGHT = 540
INSET = 100
GAP = 12
TOLERANCE = 0.6  # in SVG units


def _rings(geometry: dict) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"][0]]
    return [polygon[0] for polygon in geometry["coordinates"]]


def _simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    if len(points) < 3:
        return points
    if points[0] == points[-1]:  # a closed ring: two open lines, cut at its farthest point
        x0, y0 = points[0]
        far = max(
            range(len(points)), key=lambda i: math.hypot(points[i][0] - x0, points[i][1] - y0)
        )
        if 0 < far < len(points) - 1:
            return _simplify(points[: far + 1], tolerance)[:-1] + _simplify(points[far:], tolerance)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        norm = math.hypot(dx, dy) or 1e-12
        best, index = 0.0, None
        for i in range(first + 1, last):
            x, y = points[i]
            distance = abs(dy * (x - x1) - dx * (y - y1)) / norm
            if distance > best:
                best, index = distance, i
        if index is not None and best > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def _frame(rings: list[list[list[float]]], x0: float, y0: float, width: float, height: float):
    """A projection function fitting `rings` into the box (x0, y0, width, height)."""
    lons = [p[0] for ring in rings for p in ring]
    lats = [p[1] for ring in rings for p in ring]
    factor = math.cos(math.radians((min(lats) + max(lats)) / 2))
    span_x = (max(lons) - min(lons)) * factor or 1e-9
    span_y = (max(lats) - min(lats)) or 1e-9
    scale = min(width / span_x, height / span_y)
    off_x = x0 + (width - span_x * scale) / 2
    off_y = y0 + (height - span_y * scale) / 2
    left, top = min(lons), max(lats)

    def project(lon: float, lat: float) -> tuple[float, float]:
        return off_x + (lon - left) * factor * scale, off_y + (top - lat) * scale

    return project


def _path(rings, project, tolerance: float) -> tuple[str, float, float]:
    parts, xs, ys = [], [], []
    for ring in rings:
        points = _simplify([project(lon, lat) for lon, lat, *_ in ring], tolerance)
        if len(points) < 3:
            continue
        xs += [p[0] for p in points]
        ys += [p[1] for p in points]
        parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in points) + "Z")
    centre = ((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2) if xs else (0.0, 0.0)
    return "".join(parts), round(centre[0], 1), round(centre[1], 1)


def build(features: Iterable[dict]) -> dict:
    """{"largeur", "hauteur", "regions": [{code, nom, d, x, y, encart}], "encarts": [...]}."""
    features = list(features)
    main = [f for f in features if f["properties"]["code"] not in OVERSEAS]
    overseas = sorted(
        (f for f in features if f["properties"]["code"] in OVERSEAS),
        key=lambda f: OVERSEAS.index(f["properties"]["code"]),
    )
    project = _frame(
        [r for f in main for r in _rings(f["geometry"])], 0, 0, MAIN_WIDTH, MAIN_HEIGHT
    )
    regions, insets = [], []
    for feature in main:
        d, x, y = _path(_rings(feature["geometry"]), project, TOLERANCE)
        regions.append(
            {
                "code": feature["properties"]["code"],
                "nom": feature["properties"]["nom"],
                "d": d,
                "x": x,
                "y": y,
                "encart": None,
            }
        )
    top = MAIN_HEIGHT + GAP
    for index, feature in enumerate(overseas):
        x0 = index * (INSET + GAP)
        rings = _rings(feature["geometry"])
        if feature["properties"]["code"] == "01":  # Guadeloupe: its main islands only
            rings = sorted(rings, key=len, reverse=True)[:6]
        inset_project = _frame(rings, x0 + 6, top + 6, INSET - 12, INSET - 12)
        d, x, y = _path(rings, inset_project, TOLERANCE / 2)
        code = feature["properties"]["code"]
        regions.append(
            {
                "code": code,
                "nom": feature["properties"]["nom"],
                "d": d,
                "x": x,
                "y": y,
                "encart": index,
            }
        )
        insets.append(
            {"code": code, "nom": feature["properties"]["nom"], "x": x0, "y": top, "taille": INSET}
        )
    width = max(MAIN_WIDTH, len(overseas) * (INSET + GAP) - GAP)
    return {
        "largeur": width,
        "hauteur": top + INSET if overseas else MAIN_HEIGHT,
        "regions": sorted(regions, key=lambda r: r["code"]),
        "encarts": insets,
    }


SHADES = 4  # tints of the map's regions, besides the grey of a region with nobody


def shade(count: int, highest: int) -> int:
    """The tint of a region on the map: 0 for nobody, then 1 to `SHADES` in proportion to
    the region with the most ambassadors."""
    if count <= 0:
        return 0
    return 1 + min(SHADES - 1, SHADES * count // (max(highest, 1) + 1))
