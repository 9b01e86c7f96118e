"""A horizontal bar chart of the dimension scores as inline SVG (no script, no inline style).

Coordinates are integers: a localised template would write decimals with a comma. The drawing
is `width` units wide; the page scales it to its column (`viewBox`, CSS class
`osezia-graphique`: width 100 %, at most 25rem = the default 400 units), so that a phone shows it
whole, with no sideways scrolling, and its text stays readable."""


def bar_chart(rows: list[dict], width: int = 400, bar_height: int = 22, gap: int = 14) -> dict:
    label_width = 110
    scale = (width - label_width - 50) / 100
    bars = []
    for i, row in enumerate(rows):
        y = i * (bar_height + gap)
        bars.append(
            {
                "y": y,
                "text_y": round(y + bar_height * 0.7),
                "width": round(row["score"] * scale),
                "value_x": label_width + round(row["score"] * scale) + 6,
                "peer_x": label_width + round(row["pairs"] * scale)
                if row.get("pairs") is not None
                else None,
                "libelle": row["libelle"],
                "score": row["score"],
            }
        )
    return {
        "width": width,
        "height": len(rows) * (bar_height + gap),
        "label_width": label_width,
        "bar_height": bar_height,
        "bars": bars,
    }
