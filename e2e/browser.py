"""What the browser tests check on a page, beyond what each test asserts.

Problems: console errors, uncaught exceptions and Content-Security-Policy
violations, collected per browser context. Accessibility: axe-core, as
shipped by the axe-playwright-python package. Layout: screenshots and
horizontal overflow. Keyboard: moving focus with Tab and reading what has it.
"""

import re
from pathlib import Path

from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import BrowserContext, Page

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"

# WCAG 2.0, 2.1 and 2.2 at levels A and AA: every rule axe tags so.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# Reports each violation the page sees to Python (bound in `Problems.attach`).
# Init scripts run before the page's own, outside its Content-Security-Policy.
_REPORT_CSP = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__e2eCspViolation(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline code"}` +
      ` (${event.sourceFile || "document"}:${event.lineNumber})`
  );
});
"""


class Problems:
    """Console errors, page errors and CSP violations seen in one browser context."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def attach(self, context: BrowserContext) -> None:
        context.expose_binding(
            "__e2eCspViolation",
            lambda source, text: self.seen.append(f"CSP on {source['page'].url}: {text}"),
        )
        context.add_init_script(_REPORT_CSP)
        context.on("page", self.watch)

    def watch(self, page: Page) -> None:
        def console(message) -> None:
            if message.type in {"error", "assert"}:
                source = message.location.get("url") or page.url
                self.seen.append(f"console {message.type} on {page.url}: {message.text} [{source}]")

        page.on("console", console)
        page.on("pageerror", lambda error: self.seen.append(f"uncaught on {page.url}: {error}"))

    def take(self, *, page_status: int | None = None) -> list[str]:
        """What was seen since the last call.

        Chromium logs a page answered with an error status as a console error;
        given that status, the message about the page itself is left out.
        """
        seen, self.seen = self.seen, []
        if page_status is not None:
            seen = [
                problem
                for problem in seen
                if not re.search(rf" on (\S+): .*status of {page_status}\b.* \[\1\]$", problem)
            ]
        return seen


def axe_violations(page: Page, *, include=None, exclude=None, disable=()) -> list[str]:
    """WCAG 2.2 A/AA violations axe-core finds on the page, one line per element.

    `include` and `exclude` are CSS selectors limiting the regions checked;
    `disable` names rules to skip (say why where it is called).
    """
    context = {}
    if include:
        context["include"] = [[selector] for selector in include]
    if exclude:
        context["exclude"] = [[selector] for selector in exclude]
    options = {
        "runOnly": {"type": "tag", "values": AXE_TAGS},
        "resultTypes": ["violations"],
        "rules": {rule: {"enabled": False} for rule in disable},
    }
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT)
    results = page.evaluate(
        "([context, options]) => axe.run(Object.keys(context).length ? context : document, "
        "options)",
        [context, options],
    )
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        f"{' '.join(node['target'])}: {node['failureSummary']}"
        for violation in results["violations"]
        for node in violation["nodes"]
    ]


def screenshot(page: Page, name: str) -> Path:
    """The whole page, saved as test-artifacts/screenshots/<name>-<width>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}-{page.viewport_size['width']}.png"
    page.screenshot(path=path, full_page=True)
    return path


def horizontal_overflow(page: Page) -> list[str]:
    """Elements reaching past the viewport's right edge, if the page scrolls sideways."""
    return page.evaluate(
        """() => {
          const root = document.documentElement;
          if (root.scrollWidth <= root.clientWidth) return [];
          const describe = (el) =>
            el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
            (el.className && typeof el.className === "string"
              ? "." + el.className.trim().split(/\\s+/).join(".") : "");
          return Array.from(document.body.querySelectorAll("*"))
            .map((el) => [el, Math.round(el.getBoundingClientRect().right)])
            .filter(([, right]) => right > root.clientWidth)
            .map(([el, right]) => `${describe(el)} ends at ${right}px`)
            .slice(0, 10)
            .concat([`page is ${root.scrollWidth}px wide in a ${root.clientWidth}px viewport`]);
        }"""
    )


# Keyboard


FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const rect = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    text: (el.innerText || el.value || el.getAttribute("aria-label") || "").trim(),
    href: el.getAttribute("href"),
    name: el.getAttribute("name"),
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0
      ? `${style.outlineWidth} ${style.outlineStyle} ${style.outlineColor}` : "",
    shadow: style.boxShadow !== "none" ? style.boxShadow : "",
    onScreen: rect.width > 0 && rect.height > 0 && rect.bottom > 0 && rect.right > 0
      && rect.top < window.innerHeight && rect.left < window.innerWidth,
  };
}"""


def focused(page: Page) -> dict | None:
    """What has the keyboard focus: tag, id, text, href, and how its focus is shown."""
    return page.evaluate(FOCUSED)


def assert_focus_visible(element: dict) -> None:
    assert element["outline"] or element["shadow"], f"no visible focus indicator on {element}"
    assert element["onScreen"], f"focused element is off screen: {element}"


def press_tab(page: Page, *, backwards: bool = False) -> dict:
    """Tab (or Shift+Tab) once; the element reached must show its focus."""
    page.keyboard.press("Shift+Tab" if backwards else "Tab")
    element = focused(page)
    assert element is not None, "focus left the page"
    assert_focus_visible(element)
    return element


def tab_to(page: Page, matches, *, limit: int = 80) -> dict:
    """Press Tab until `matches(focused element)` holds; every stop must show its focus."""
    for _ in range(limit):
        element = press_tab(page)
        if matches(element):
            return element
    raise AssertionError(f"nothing matching was reached in {limit} presses of Tab")


def link_to(text: str):
    """A `tab_to` matcher: a link whose text is `text` (whole, case-insensitive)."""
    wanted = re.compile(rf"^\s*{re.escape(text)}\s*$", re.IGNORECASE)
    return lambda element: element["tag"] == "a" and bool(wanted.match(element["text"]))
