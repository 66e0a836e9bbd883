"""The files trainers and CI meet around the code: workflows, pre-commit hook, PR template."""

from __future__ import annotations

import subprocess
import sys

import yaml
from conftest import ROOT


def test_workflows_match_the_published_github_workflow_schema():
    workflows = sorted(str(p) for p in (ROOT / ".github" / "workflows").glob("*.yml"))
    assert len(workflows) >= 2
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows", *workflows],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_pr_workflow_annotates_and_tests_every_pull_request():
    workflow = yaml.safe_load((ROOT / ".github/workflows/check.yml").read_text(encoding="utf-8"))
    assert "pull_request" in workflow[True]  # PyYAML reads the key `on` as True
    commands = [step.get("run", "") for step in workflow["jobs"]["check"]["steps"]]
    assert any("build.py check --strict --format github" in c for c in commands)  # warnings fail too
    # The same checks as this project's CI: one script both run (pytest under REQUIRE_BROWSER=1,
    # ruff over every folder of code, mypy), with a real browser rather than a snap stub.
    assert any(c.strip() == "bash .ci/run" for c in commands)
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for needed in ("REQUIRE_BROWSER=1", "-m pytest", "ruff check casebook tests build.py", "mypy", "npm ci"):
        assert needed in script, needed
    [step] = [s for s in workflow["jobs"]["check"]["steps"] if s.get("run", "").strip() == "bash .ci/run"]
    assert step["env"]["CHROMIUM"] == "/usr/bin/google-chrome"
    assert "chromium-browser" not in (ROOT / ".github/workflows/check.yml").read_text(encoding="utf-8")


def test_deploy_workflow_publishes_pages_and_the_offline_zip():
    workflow = yaml.safe_load((ROOT / ".github/workflows/deploy.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["build"]["steps"]
    assert any("build.py export" in step.get("run", "") for step in steps)
    uses = [step.get("uses", "") for step in steps]
    assert any(u.startswith("actions/upload-pages-artifact") for u in uses)
    assert any(u.startswith("actions/upload-artifact") for u in uses)
    assert workflow["jobs"]["deploy"]["steps"][0]["uses"].startswith("actions/deploy-pages")


def test_pre_commit_hook_runs_check_on_case_files():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    [hook] = config["repos"][0]["hooks"]
    assert hook["entry"] == "python build.py check"
    import re

    pattern = re.compile(hook["files"])
    assert pattern.search("cases/haier.yaml") and pattern.search("taxonomy.yaml")
    assert not pattern.search("casebook/cli.py")
    result = subprocess.run([sys.executable, *hook["entry"].split()[1:]], cwd=ROOT,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_pr_template_has_the_reviewers_checklist():
    text = (ROOT / ".github/pull_request_template.md").read_text(encoding="utf-8")
    for item in ("python build.py check", "自己的话", "出处", "kind: parable"):
        assert item in text
