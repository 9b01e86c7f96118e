"""Reusable layout checks for a page open in Playwright: each returns a list of French defects.

`layout_defects(page)` runs them all; the checks measure the rendered page (bounding boxes),
so they catch what the HTML alone does not show: a card stretched to thousands of pixels, a
fixed-width chart that scrolls sideways, a card whose tags are read after its title but shown
above it."""

# Elements whose text is read in a card, in DOM order; compared with their position on screen.
CARD_TEXT = "h2, h3, h4, p, li, label, .fr-card__detail"

_SCROLL_WIDTH = """() => {
  const doc = document.documentElement;
  const wide = [];
  if (doc.scrollWidth > doc.clientWidth) {
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width && r.right > doc.clientWidth + 1 && el.checkVisibility()) {
        wide.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
          + (el.classList.length ? '.' + [...el.classList].join('.') : ''));
        if (wide.length >= 3) break;
      }
    }
  }
  return {scroll: doc.scrollWidth, viewport: doc.clientWidth, wide};
}"""

_FOOTER_OVERLAP = """() => {
  const footer = document.querySelector('footer.fr-footer');
  const main = document.querySelector('main') || document.querySelector('#contenu');
  if (!footer || !main) return null;
  const top = footer.getBoundingClientRect().top + window.scrollY;
  let worst = null;
  for (const el of main.querySelectorAll('*')) {
    if (!el.checkVisibility({checkVisibilityCSS: true})) continue;
    const style = getComputedStyle(el);
    if (style.position === 'fixed') continue;
    const r = el.getBoundingClientRect();
    if (!r.height) continue;
    const bottom = r.bottom + window.scrollY;
    if (bottom > top + 1 && (!worst || bottom > worst.bottom)) {
      worst = {bottom: Math.round(bottom), tag: el.tagName.toLowerCase(),
               cls: [...el.classList].join('.')};
    }
  }
  return {top: Math.round(top), worst};
}"""

_CARDS = """(selector) => {
  const out = [];
  document.querySelectorAll('main .fr-card').forEach((card, index) => {
    if (!card.checkVisibility({checkVisibilityCSS: true})) return;
    const title = card.querySelector('.fr-card__title');
    const items = [...card.querySelectorAll(selector)]
      .filter((el) => el.checkVisibility({checkVisibilityCSS: true}) && el.textContent.trim())
      .map((el) => ({top: Math.round(el.getBoundingClientRect().top),
                     text: el.textContent.trim().slice(0, 40)}));
    out.push({index, height: Math.round(card.getBoundingClientRect().height),
              title: title ? title.textContent.trim().slice(0, 60) : '', items});
  });
  return out;
}"""


def horizontal_scroll(page) -> list[str]:
    """The document must not be wider than the viewport (no sideways scrolling)."""
    result = page.evaluate(_SCROLL_WIDTH)
    if result["scroll"] <= result["viewport"]:
        return []
    return [
        f"défilement horizontal : {result['scroll']} px pour {result['viewport']} px "
        f"(trop large : {', '.join(result['wide']) or '?'})"
    ]


def footer_overlap(page) -> list[str]:
    """No element of the main content may reach below the top of the footer."""
    result = page.evaluate(_FOOTER_OVERLAP)
    if result is None:
        return ["pas de <main> ou pas de pied de page"]
    worst = result["worst"]
    if worst is None:
        return []
    return [
        f"{worst['tag']}.{worst['cls']} descend jusqu'à {worst['bottom']} px, "
        f"sous le haut du pied de page ({result['top']} px)"
    ]


def _cards(page) -> list[dict]:
    return page.evaluate(_CARDS, CARD_TEXT)


def tall_cards(page, cards=None) -> list[str]:
    """A result card must fit in the viewport."""
    height = page.viewport_size["height"]
    return [
        f"carte « {card['title']} » haute de {card['height']} px (fenêtre : {height} px)"
        for card in (cards if cards is not None else _cards(page))
        if card["height"] > height
    ]


def card_reading_order(page, cards=None, tolerance: int = 4) -> list[str]:
    """In a card, what is read first (DOM order) must be shown first (top to bottom)."""
    defects = []
    for card in cards if cards is not None else _cards(page):
        items = card["items"]
        for before, after in zip(items, items[1:], strict=False):
            if after["top"] < before["top"] - tolerance:
                defects.append(
                    f"carte « {card['title']} » : « {after['text']} » est lu après "
                    f"« {before['text']} » mais affiché au-dessus"
                )
                break
    return defects


def layout_defects(page) -> list[str]:
    cards = _cards(page)
    return (
        horizontal_scroll(page)
        + footer_overlap(page)
        + tall_cards(page, cards)
        + card_reading_order(page, cards)
    )
