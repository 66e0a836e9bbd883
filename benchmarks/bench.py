#!/usr/bin/env python3
"""Casebook benchmark: time and memory of each phase on synthetic libraries, against a naive
MkDocs + Material baseline built from the same Markdown. Prints figures; asserts nothing.

    python benchmarks/bench.py                    # N = 100, 1000, 3000 (baseline at each)
    python benchmarks/bench.py --large            # and N = 10000 (ours only: the baseline would take hours)
    python benchmarks/bench.py --sizes 100 --no-baseline
    python benchmarks/bench.py --sizes 16 1000 --large     # search latency: 16, 1,000 and 10,000
    python benchmarks/bench.py --text-only        # a story written to make rendering quadratic, vs a normal one

Search latency (benchmarks/search_latency.py) is measured in Chromium after each build: ours from
file://, Material's own search on the naive baseline's site (same Markdown) beside it.

Each N runs in a fresh process, so peak memory is that library's alone.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


class PeakRss:
    """Peak resident memory of this process (its high-water mark, from the kernel) by the end of a
    phase. No sampling thread: Casebook never forks while another thread runs, so a thread here
    would make every phase serial."""

    def __init__(self) -> None:
        self.peak = 0

    def __enter__(self) -> PeakRss:
        return self

    def __exit__(self, *exc: object) -> None:
        self.peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def naive_config(project_root: Path, docs: Path) -> Path:
    """Plain MkDocs + Material, every page in the navigation: what a first attempt looks like."""
    pages = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md"))
    sections: dict[str, list[str]] = {}
    for page in pages:
        sections.setdefault(page.split("/")[0] if "/" in page else "", []).append(page)
    nav = []
    for section, items in sections.items():
        nav += items if not section else [{section: items}]
    config = {
        "site_name": "naive", "docs_dir": str(docs), "use_directory_urls": False,
        "theme": {"name": "material", "language": "zh", "font": False},
        "plugins": ["search"], "markdown_extensions": ["admonition", "attr_list", "tables", "toc",
                                                       "pymdownx.details", "md_in_html"],
        "nav": nav,
    }
    path = project_root / "mkdocs-naive.yml"
    path.write_text(json.dumps(config, ensure_ascii=False), encoding="utf-8")  # JSON is valid YAML
    return path


def measure_serve(project) -> dict[str, float]:
    """Seconds from saving a case file to the browser being told to reload, with the rebuilt page
    served: for an edit of the story (only that page changes) and of the title (every page that
    links to the case changes). The reload signal is MkDocs' live-reload poll, which answers
    only once the whole rebuild is written, so this is what a trainer waits for."""
    import socket
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    url = f"{base}/cases/case-00001.html"

    def get(address: str, timeout: float = 30) -> str:
        try:
            with urllib.request.urlopen(address, timeout=timeout) as response:
                return response.read().decode("utf-8")
        except OSError:
            return ""

    def wait_for(marker: str, limit: float) -> float:
        started = time.monotonic()
        while marker not in get(url):
            if time.monotonic() - started > limit:
                return float("nan")
            time.sleep(0.1)
        return time.monotonic() - started

    server = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--root", str(project.root), "serve",
                               "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    case = project.cases_dir / "case-00001.yaml"
    try:
        if math.isnan(wait_for("案例00001", 600)):  # the server never came up
            return {}
        time.sleep(2)  # let the first build settle
        timings = {}
        for name, old, new in (("story", "story: '", "story: '故事已修改。"),
                               ("title", "案例00001", "案例00001已修改")):
            epoch = get(f"{base}/livereload/0/0")  # answers at once: the version now shown
            text = case.read_text(encoding="utf-8")
            assert old in text, old
            started = time.monotonic()
            case.write_text(text.replace(old, new, 1), encoding="utf-8")
            get(f"{base}/livereload/{epoch}/1", timeout=120)  # answers when the rebuild is done
            reloaded = time.monotonic() - started
            marker = new.split("'")[-1]
            timings[name] = reloaded if marker in get(url) else float("nan")
            time.sleep(2)
        return timings
    finally:
        server.terminate()
        server.wait(timeout=30)


def run_one(n: int, baseline: bool, serve: bool = False, search: bool = True) -> dict[str, object]:
    from synthetic import make_corpus

    from casebook.content.load import load_library
    from casebook.export.offline import export_zip, zip_name
    from casebook.index.indexes import build_indexes
    from casebook.pipeline import static_assets
    from casebook.project import Project
    from casebook.render.pages import render_site
    from casebook.site.build import build_site, run_zensical, zensical_command
    from casebook.writer import sync_tree

    work = Path(tempfile.mkdtemp(prefix=f"casebook-bench-{n}-"))
    project = Project(make_corpus(work / "proj", n))
    result: dict[str, object] = {"n": n, "phases": {}}
    phases: dict[str, dict[str, float]] = result["phases"]  # type: ignore[assignment]

    def phase(name: str, func):
        with PeakRss() as mem:
            started = time.perf_counter()
            value = func()
            seconds = time.perf_counter() - started
        phases[name] = {"seconds": seconds, "peak_mb": mem.peak / 1e6}
        return value

    library, report = phase("load + validate", lambda: load_library(project))
    assert not report.errors, report.format()[:2000]
    indexes = phase("index", lambda: build_indexes(library))
    files = phase("render Markdown", lambda: render_site(library, indexes, project.templates_dir,
                                                          extra=static_assets(project)))
    phase("write Markdown", lambda: sync_tree(project.generated_dir, files))
    phase("MkDocs build", lambda: build_site(project))
    phase("export zip", lambda: export_zip(project))

    # One case edited, then `build.py build` again, as a trainer runs it (a fresh process): it
    # loads, indexes and renders only what changed (the build before records what each page and
    # the search index were made from), and MkDocs' dirty build redoes the changed pages.
    command = [sys.executable, str(ROOT / "build.py"), "--root", str(project.root), "build"]
    subprocess.run(command, check=True, capture_output=True)  # records every page's inputs
    case = project.cases_dir / "case-00001.yaml"
    case.write_text(case.read_text(encoding="utf-8").replace("story: '", "story: '故事已修改。", 1), encoding="utf-8")
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    result["incremental_seconds"] = time.perf_counter() - started
    if zensical_command() is not None and n <= 1000:  # the second engine, on the same generated folder
        started = time.perf_counter()
        run_zensical(project, project.root / "zensical-site")
        result["zensical_seconds"] = time.perf_counter() - started

    from casebook.render.search import search_pages

    site = project.site_dir
    indexed_text = sum(len(re.sub(r"\s+", "", heading + text).encode("utf-8"))
                       for page in search_pages(library) for _anchor, heading, text in page.sections)
    result.update({
        "site_mb": folder_bytes(site) / 1e6,
        "case_page_kb": (site / "cases" / "case-00001.html").stat().st_size / 1e3,
        "search_index_mb": folder_bytes(site / "search") / 1e6,
        "indexed_text_mb": indexed_text / 1e6,
        "zip_mb": (project.dist_dir / zip_name("student")).stat().st_size / 1e6,
    })
    if serve:
        result["serve"] = measure_serve(project)
    ours = sum(p["seconds"] for p in phases.values() if p is not phases["export zip"])
    result["full_build_seconds"] = ours
    if baseline:
        config = naive_config(project.root, project.docs_dir)
        out = work / "naive-site"
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(out)],
                              cwd=project.root, capture_output=True, text=True, check=False)
        result["baseline_seconds"] = time.perf_counter() - started
        result["baseline_ok"] = done.returncode == 0
        result["baseline_site_mb"] = folder_bytes(out) / 1e6 if out.exists() else 0
        case = out / "cases" / "case-00001.html"
        result["baseline_case_page_kb"] = case.stat().st_size / 1e3 if case.exists() else 0
    if search:
        from search_latency import measure_sites

        material = work / "naive-site" if baseline and result.get("baseline_ok") else None
        try:
            result["search"] = measure_sites(site, material)
        except Exception as exc:  # no Chromium or Playwright here: the other figures still count
            result["search_error"] = f"{type(exc).__name__}: {exc}"
    shutil.rmtree(work, ignore_errors=True)
    return result


def _search_cells(figures: dict[str, float] | None) -> str:
    if not figures:
        return "— | —"
    first = figures["first_results_s"]
    shown = f"{first:.2f} s (page {figures['page_load_s']:.2f} s)" if first >= 0 else "no results in 60 s"
    return f"{shown} | {figures['keystroke_median_ms']:.0f} ms / {figures['keystroke_max_ms']:.0f} ms"


def table(results: list[dict[str, object]]) -> str:
    phase_names = list(results[0]["phases"])  # type: ignore[arg-type]
    lines = ["| N | " + " | ".join(phase_names) + " | full build | load→render rate | peak memory |",
             "|---:|" + "---:|" * (len(phase_names) + 3)]
    for r in results:
        phases = r["phases"]  # type: ignore[assignment]
        cells = [f"{phases[p]['seconds']:.2f} s" for p in phase_names]
        peak = max(p["peak_mb"] for p in phases.values())
        front = sum(phases[p]["seconds"] for p in ("load + validate", "index", "render Markdown"))
        lines.append(f"| {r['n']:,} | " + " | ".join(cells) + f" | {r['full_build_seconds']:.1f} s "
                     f"| {r['n'] / front:,.0f} cases/s | {peak:.0f} MB |")
    lines += ["", "| N | site/ | one case page | search index | text indexed | index ÷ text | offline zip "
              "| serve: save → page (story / title edit) | naive baseline | naive case page | speed-up |",
              "|---:|" + "---:|" * 10]
    for r in results:
        base = r.get("baseline_seconds")
        ratio = f"{base / r['full_build_seconds']:.1f}×" if base else "—"
        base_text = f"{base:.1f} s" if base else "not run"
        base_page = f"{r['baseline_case_page_kb']:.0f} KB" if base else "—"
        timings = r.get("serve") or {}
        serve_text = (f"{timings['story']:.1f} s / {timings['title']:.1f} s" if timings else "—")
        lines.append(
            f"| {r['n']:,} | {r['site_mb']:.1f} MB | {r['case_page_kb']:.1f} KB | {r['search_index_mb']:.1f} MB "
            f"| {r['indexed_text_mb']:.1f} MB | {r['search_index_mb'] / r['indexed_text_mb']:.2f} "
            f"| {r['zip_mb']:.1f} MB | {serve_text} | {base_text} | {base_page} | {ratio} |")
    lines += ["", "| N | full build | after one case edit | ÷ full | Zensical (same Markdown) "
              "| earlier code (same corpus): full build | this ÷ earlier |", "|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        full, again = r["full_build_seconds"], r.get("incremental_seconds")
        zensical = f"{r['zensical_seconds']:.1f} s" if r.get("zensical_seconds") else "not installed"
        earlier = r.get("earlier_full_build_seconds")
        lines.append(f"| {r['n']:,} | {full:.1f} s | " + (f"{again:.1f} s | {again / full:.0%}" if again else "— | —")
                     + f" | {zensical} | " + (f"{earlier:.1f} s | {full / earlier:.2f}" if earlier else "— | —")
                     + " |")
    lines += ["", "| N | search: first results after opening a page (of which the page's own load) "
              "| per keystroke (median / slowest) "
              "| Material's search: first results | Material: per keystroke (median / slowest) |",
              "|---:|---:|---:|---:|---:|"]
    for r in results:
        found = r.get("search") or {}
        note = f" ({r['search_error']})" if r.get("search_error") else ""
        ours, material = _search_cells(found.get("ours")), _search_cells(found.get("material"))
        lines.append(f"| {r['n']:,} | {ours} | {material} |{note}")
    return "\n".join(lines)


def earlier_full_build(rev: str, n: int) -> float | None:
    """The full build of revision `rev` (its own bench.py, in a temporary worktree) on N cases."""
    folder = Path(tempfile.mkdtemp(prefix="casebook-earlier-")) / "tree"
    made = subprocess.run(["git", "worktree", "add", "--detach", str(folder), rev], cwd=ROOT,
                          capture_output=True, text=True, check=False)
    if made.returncode != 0:
        print(f"cannot check out {rev}: {made.stderr.strip()}", file=sys.stderr)
        return None
    try:
        done = subprocess.run([sys.executable, str(folder / "benchmarks" / "bench.py"), "--one", str(n),
                               "--no-baseline", "--serve-max", "0"],
                              cwd=folder, capture_output=True, text=True, check=False,
                              env={**os.environ, "PYTHONPATH": str(folder)})
        if done.returncode != 0:
            print(done.stderr[-2000:], file=sys.stderr)
            return None
        return float(json.loads(done.stdout.strip().splitlines()[-1])["full_build_seconds"])
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(folder)], cwd=ROOT, check=False,
                       capture_output=True)


def _timed(func, *args: object) -> float:
    """The best of three runs, in seconds (the first also warms Python-Markdown up)."""
    best = math.inf
    for _ in range(3):
        start = time.perf_counter()
        func(*args)
        best = min(best, time.perf_counter() - start)
    return best


def hostile_text_lines() -> list[str]:
    """Issue 18: a story written to make rendering quadratic, against a normal story of the same
    size, through `check` (the field's checks) and the renderer. Each hostile one should be within
    2× of the normal one (it is refused by `check` and rendered as typed, in linear time)."""
    from casebook.content.checking import Checker
    from casebook.content.schema import Text
    from casebook.content.yamlsource import YNode
    from casebook.diagnostics import Report
    from casebook.render.markup import to_html

    paragraph = ("顾客第一次来店里时，**店员**先问清楚用途，再推荐合适的型号，并留下[联系方式](https://example.com/a)。"
                 "售后回访时，按`客户档案`里记下的日期打电话。\n\n- 记下需要\n- 按时回访\n\n")
    hostile = {"12,000 × \"[a](\"": "[a](" * 12_000, "backtick runs": "``a`" * 12_000,
               "12,000 × \"[a\"": "[a" * 12_000}
    field = Text(markdown=True, multiline=True)

    def check(text: str) -> None:
        field.check(Checker("cases/x.yaml", Report(), {}), YNode("scalar", text, 1, 1, text), "'story'")

    lines = []
    for name, text in hostile.items():
        normal = (paragraph * (len(text) // len(paragraph) + 1))[:len(text)]
        rendered = _timed(to_html, text), _timed(to_html, normal)
        checked = _timed(check, text), _timed(check, normal)
        lines.append(f"| {name} ({len(text):,} characters) | {rendered[0] * 1000:.1f} ms | {rendered[1] * 1000:.1f} ms "
                     f"| {rendered[0] / rendered[1]:.2f}× | {checked[0] * 1000:.1f} ms | {checked[1] * 1000:.1f} ms |")
    return ["| story | render | normal story, same size | ratio | check | check, normal |",
            "|---|---|---|---|---|---|", *lines]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 3000])
    parser.add_argument("--large", action="store_true", help="also N = 10000 (several minutes)")
    parser.add_argument("--no-baseline", action="store_true", help="skip the naive MkDocs baseline")
    parser.add_argument("--baseline-max", type=int, default=3000, help="largest N to build the baseline for")
    parser.add_argument("--serve-max", type=int, default=1000,
                        help="largest N to time `serve` for (save a case → page rebuilt)")
    parser.add_argument("--no-search", action="store_true",
                        help="skip the search latency in Chromium (ours from file://, Material's beside it)")
    parser.add_argument("--compare", metavar="REV",
                        help="also time the full build of an earlier revision (a git revision of this repository) "
                        "on each N, side by side in the same run")
    parser.add_argument("--text-only", action="store_true",
                        help="only the hostile-text line (issue 18: linear rendering), no library builds")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, not args.no_baseline and args.one <= args.baseline_max,
                                 serve=args.one <= args.serve_max, search=not args.no_search)))
        return 0
    if args.text_only:
        print("\n".join(hostile_text_lines()))
        return 0
    sizes = args.sizes + ([10000] if args.large else [])
    results = []
    for n in sizes:
        command = [sys.executable, __file__, "--one", str(n), "--baseline-max", str(args.baseline_max),
                   "--serve-max", str(args.serve_max)]
        if args.no_baseline:
            command.append("--no-baseline")
        if args.no_search:
            command.append("--no-search")
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            print(done.stderr[-3000:], file=sys.stderr)
            return 1
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(f"N={n:,} done: full build {results[-1]['full_build_seconds']:.1f} s", file=sys.stderr)
        if args.compare:
            earlier = earlier_full_build(args.compare, n)
            if earlier is not None:
                results[-1]["earlier_full_build_seconds"] = earlier
                print(f"N={n:,} earlier code ({args.compare}): full build {earlier:.1f} s", file=sys.stderr)
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(table(results))
    print()
    print("\n".join(hostile_text_lines()))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
