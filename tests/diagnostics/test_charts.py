from osezia.diagnostics.charts import bar_chart

ROWS = [
    {"libelle": "Stratégie", "score": 36, "pairs": 41.3},
    {"libelle": "Données", "score": 100, "pairs": None},
]


def test_every_coordinate_is_an_integer_so_no_comma_reaches_the_svg():
    chart = bar_chart(ROWS)
    for bar in chart["bars"]:
        for key in ("y", "text_y", "width", "value_x"):
            assert isinstance(bar[key], int), key
    assert isinstance(chart["bars"][0]["peer_x"], int)
    assert chart["bars"][1]["peer_x"] is None


def test_the_drawing_fits_its_width_with_the_value_beside_a_full_bar():
    chart = bar_chart(ROWS)
    full = chart["bars"][1]
    assert chart["label_width"] + full["width"] <= chart["width"]
    assert full["value_x"] + 30 <= chart["width"]  # room for « 100 » at 14 units
