"""Checks every page of a browser journey: axe-core (no serious or critical violation) on the live DOM, and the
Nu HTML Checker (vnu-jar, run once on all pages at the end) on the HTML the server sent.

The tools come from tools/package.json, installed into var/tools by scripts/test.sh (scripts/setup.sh
need_test_tools). A missing tool fails under CI=true and skips otherwise, with the command to install it."""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.browser.fixtures import OUTPUT, screenshot

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ROOT / "var" / "tools" / "node_modules"
AXE = TOOLS / "axe-core" / "axe.min.js"
VNU = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
INSTALL = "bash scripts/test.sh (or: cp tools/package*.json var/tools/ && npm ci --prefix var/tools --ignore-scripts)"


def require_tools() -> None:
    missing = [str(p.relative_to(ROOT)) for p in (AXE, VNU) if not p.exists()]
    if not shutil.which("java"):
        missing.append("java (apt-get install default-jre-headless)")
    if missing:
        message = f"Missing test tools: {', '.join(missing)}. Install them with {INSTALL}."
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " :: " + n.failureSummary)}));
}"""


class Journey:
    """Collects each page: a screenshot, the server's HTML for vnu, and axe's serious/critical violations."""

    def __init__(self, name: str):
        self.html_dir = OUTPUT / "html" / name
        shutil.rmtree(self.html_dir, ignore_errors=True)
        self.html_dir.mkdir(parents=True, exist_ok=True)
        self.pages: list[str] = []
        self.axe_failures: dict[str, list] = {}

    def check(self, page, name: str, *, shot: bool = True) -> None:
        page.wait_for_load_state("load")
        if shot:
            screenshot(page, name)
        response = page.request.get(page.url)  # the HTML as sent (same cookies), not the live DOM
        if "text/html" in response.headers.get("content-type", ""):
            (self.html_dir / f"{len(self.pages):03d}-{name}.html").write_text(response.text(), encoding="utf-8")
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(AXE_RUN)
        if violations:
            self.axe_failures[f"{name} ({page.url})"] = violations
        self.pages.append(name)

    def visit(self, page, url: str, name: str, *, shot: bool = True) -> None:
        page.goto(url)
        self.check(page, name, shot=shot)

    def vnu_errors(self) -> list[str]:
        files = sorted(self.html_dir.glob("*.html"))
        run = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
                             capture_output=True, text=True, timeout=300)
        messages = json.loads(run.stderr or run.stdout or '{"messages": []}')["messages"]
        return [f"{Path(re.sub('^file:', '', m.get('url', ''))).name}:{m.get('lastLine')}: {m['message']} "
                f"[{m.get('extract', '').strip()[:120]}]" for m in messages if m.get("type") == "error"]

    def assert_clean(self) -> None:
        report = OUTPUT / "html" / f"{self.html_dir.name}-report.json"
        errors = self.vnu_errors()
        report.write_text(json.dumps({"pages": self.pages, "axe": self.axe_failures, "vnu": errors},
                                     ensure_ascii=False, indent=1), encoding="utf-8")
        assert not self.axe_failures, json.dumps(self.axe_failures, ensure_ascii=False, indent=1)
        assert not errors, "\n".join(errors)
