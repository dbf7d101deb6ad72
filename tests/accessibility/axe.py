"""axe-core in a real page: inject node_modules/axe-core/axe.min.js, run it, and turn its violations into findings.

axe-core comes from the npm registry, pinned in package.json / package-lock.json; scripts/test installs it with
`npm ci --ignore-scripts`. Nothing is fetched while the tests run: the script is read from disk and added to the
page by Playwright.
"""

import re
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Page

REPOSITORY = Path(__file__).resolve().parents[2]
AXE_JS = REPOSITORY / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = REPOSITORY / "test-artifacts" / "accessibility"

#: Impacts that fail a test; "moderate" and "minor" are printed as information.
BLOCKING = ("critical", "serious")
IMPACT_ORDER = ("critical", "serious", "moderate", "minor")

#: Serious or critical violations in Wagtail's own admin chrome (its templates, not ours), as (rule id, axe target)
#: → which Wagtail template. Each is skipped exactly, so everything we render on the same pages stays checked.
#: Empty with Wagtail 8 and axe-core 4.14.1: the only Wagtail findings are moderate (landmark-unique on its two
#: search forms), and moderate ones are printed, never failed.
WAGTAIL_CHROME: dict[tuple[str, str], str] = {}

_RUN_AXE = """async () => {
    const results = await axe.run(document, {resultTypes: ['violations']});
    return results.violations.map(v => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        helpUrl: v.helpUrl,
        nodes: v.nodes.map(n => ({
            target: n.target,
            impact: n.impact,
            html: n.html,
            summary: n.failureSummary,
            related: [...n.any, ...n.all, ...n.none].flatMap(check => check.relatedNodes.map(r => r.target)),
        })),
    }));
}"""


@dataclass(frozen=True)
class Finding:
    page: str
    url: str
    rule: str
    impact: str
    help: str
    help_url: str
    target: str
    html: str
    summary: str
    #: Other elements the failing checks point at (the duplicate of a landmark or an id, for example).
    related: tuple[str, ...] = ()

    @property
    def blocking(self) -> bool:
        return self.impact in BLOCKING

    def describe(self) -> str:
        lines = [
            f"[{self.impact}] {self.rule} on {self.page} ({self.url})",
            f"    target: {self.target}",
            f"    element: {self.html[:200]}",
        ]
        if self.related:
            more = f" and {len(self.related) - 5} more" if len(self.related) > 5 else ""
            lines.append(f"    related: {', '.join(self.related[:5])}{more}")
        lines += [f"    {' '.join(self.summary.split())}", f"    {self.help}: {self.help_url}"]
        return "\n".join(lines)


def _target(target: list) -> str:
    """axe's target: one selector per frame or shadow root, each a string or (in shadow DOM) a list."""
    return " >>> ".join(part if isinstance(part, str) else " >> ".join(part) for part in target)


def audit(page: Page, label: str) -> list[Finding]:
    """Every axe violation on the page as it is now, less the listed Wagtail chrome; a full-page screenshot of the
    page goes to test-artifacts/accessibility/ when one of them is serious or critical."""
    page.add_script_tag(path=str(AXE_JS))
    findings = []
    for violation in page.evaluate(_RUN_AXE):
        for node in violation["nodes"]:
            target = _target(node["target"])
            if (violation["id"], target) in WAGTAIL_CHROME:
                continue
            findings.append(
                Finding(
                    page=label,
                    url=page.url,
                    rule=violation["id"],
                    impact=node["impact"] or violation["impact"] or "minor",
                    help=violation["help"],
                    help_url=violation["helpUrl"],
                    target=target,
                    html=node["html"],
                    summary=node["summary"] or "",
                    related=tuple(
                        dict.fromkeys(_target(other) for other in node["related"] if other != node["target"])
                    ),
                )
            )
    if any(finding.blocking for finding in findings):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", label)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    return findings


def report(findings: list[Finding]) -> str:
    ordered = sorted(findings, key=lambda f: (IMPACT_ORDER.index(f.impact), f.rule, f.page, f.target))
    return "\n".join(finding.describe() for finding in ordered)
