"""Does a page fit its screen? No sideways scrolling, no word broken over two lines.

``assert_fits(page)`` measures the page as it is now; ``assert_fits_at(page, widths)`` resizes the
window to each width first (375 px: a phone; 1280 px: a laptop) and measures again, without
reloading, so one accessibility check of the page covers every width. Any browser test can call
them after ``browse.visit`` or ``browse.follow``.

A word counts as broken when its letters lie on more than one line. Hyphens are places a word may
break, and strings with "@", "/" or ":" (addresses, links, times) are not words: they may break
anywhere rather than push the page wider. Text that is hidden, or only there for screen readers
(``.visually-hidden``), is not measured.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

PHONE, LAPTOP = 375, 1280
WIDTHS = (PHONE, LAPTOP)

_MEASURE = """
() => {
  const doc = document.documentElement;
  const width = doc.clientWidth;
  const broken = [];
  const wider = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    if (!element || element.closest(".visually-hidden, select, option, script, style, title, desc")) continue;
    if (!element.getClientRects().length || getComputedStyle(element).visibility === "hidden") continue;
    const tokens = /\\S+/g;
    for (let token = tokens.exec(node.data); token; token = tokens.exec(node.data)) {
      if (/[@/:]/.test(token[0])) continue;
      const parts = /[^\\-\\u2010\\u2013\\u2014\\u00ad]+/g;
      for (let part = parts.exec(token[0]); part; part = parts.exec(token[0])) {
        if (part[0].length < 2) continue;
        const start = token.index + part.index;
        range.setStart(node, start);
        range.setEnd(node, start + part[0].length);
        const lines = new Set(
          Array.from(range.getClientRects()).filter((r) => r.width > 0).map((r) => Math.round(r.bottom))
        );
        if (lines.size > 1) broken.push(part[0]);
      }
    }
  }
  if (doc.scrollWidth > width) {
    for (const element of document.body.querySelectorAll("*")) {
      const box = element.getBoundingClientRect();
      if (box.right > width + 1 && !element.closest(".table-scroll, .visually-hidden")) {
        wider.push(`${element.tagName.toLowerCase()}${element.className ? "." + element.className : ""}`);
      }
    }
  }
  return { scrollWidth: doc.scrollWidth, clientWidth: width, broken: broken, wider: wider.slice(0, 8) };
}
"""


def layout_problems(page: Page) -> list[str]:
    """What does not fit on the page as it is shown now (empty: it fits)."""
    found = page.evaluate(_MEASURE)
    problems = []
    if found["scrollWidth"] > found["clientWidth"]:
        problems.append(
            f"scrolls sideways: {found['scrollWidth']} px wide in {found['clientWidth']} px"
            f" (too wide: {', '.join(found['wider']) or 'unknown'})"
        )
    if found["broken"]:
        problems.append("words broken over two lines: " + ", ".join(sorted(set(found["broken"]))))
    return problems


def assert_fits(page: Page) -> None:
    problems = layout_problems(page)
    if problems:
        pytest.fail(f"{page.url} at {page.viewport_size['width']} px: " + "; ".join(problems), pytrace=False)


def problems_at(page: Page, widths=WIDTHS, height: int = 800) -> list[str]:
    """Resize to each width and measure; a list of 'url at N px: problem' lines."""
    lines = []
    for width in widths:
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(50)  # one frame for the new layout
        lines += [f"{page.url} at {width} px: {problem}" for problem in layout_problems(page)]
    return lines


def assert_fits_at(page: Page, widths=WIDTHS) -> None:
    lines = problems_at(page, widths)
    if lines:
        pytest.fail("\n".join(lines), pytrace=False)
