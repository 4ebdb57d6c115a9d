"""Accessibility checks with axe-core, the copy vendored next to this file (no network)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

AXE_SCRIPT = Path(__file__).parent / "vendor" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}

RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return results.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    helpUrl: violation.helpUrl,
    nodes: violation.nodes.map((node) => ({
      target: node.target.map(String).join(" "),
      summary: node.failureSummary || "",
    })),
  }));
}"""


def axe_violations(page: Page) -> list[dict]:
    """Every WCAG 2.1 A/AA violation axe-core finds on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    return page.evaluate(RUN_AXE, WCAG_TAGS)


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} [{violation['impact']}] {violation['help']} "
            f"({violation['helpUrl']})"
        )
        for node in violation["nodes"]:
            lines.append(f"    at {node['target']}")
            for detail in node["summary"].splitlines():
                if detail.strip():
                    lines.append(f"      {detail.strip()}")
    return "\n".join(lines)


def axe_check(page: Page, what: str = "") -> None:
    """Fail when the page has a serious or critical WCAG 2.1 A/AA violation."""
    blocking = [v for v in axe_violations(page) if v["impact"] in BLOCKING_IMPACTS]
    where = what or page.url
    assert not blocking, f"Accessibility violations on {where} ({page.url}):\n" + describe(blocking)
