"""Synthetic corpora for the benchmark: realistic cases made from the real taxonomy and the
sentences of the bundled cases (about 4 KB of Chinese text each), deterministic for a given N."""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
TARGET_TEXT_BYTES = 4000


def _sentences() -> list[str]:
    pool: list[str] = []
    for path in sorted((ROOT / "cases").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        text = " ".join(str(data.get(k, "")) for k in ("story", "analysis"))
        # Without the citations [@key]: the synthetic cases have sources of their own, and the
        # corpus must stay valid for the code before citations (--compare REV).
        text = re.sub(r"\[@[a-z0-9-]+\]", "", text)
        pool += [s.strip() + "。" for s in re.split(r"[。\n]", text) if len(s.strip()) > 12]
    return pool


def make_corpus(dest: Path, n: int, seed: int = 7) -> Path:
    """A project folder at `dest` with `n` synthetic cases and the real taxonomy, frameworks,
    templates and mkdocs.yml (learning paths point at synthetic cases)."""
    rng = random.Random(seed)
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "cases").mkdir(parents=True)
    for name in ("taxonomy.yaml", "frameworks.yaml", "mkdocs.yml"):
        shutil.copy(ROOT / name, dest / name)
    shutil.copytree(ROOT / "templates", dest / "templates")
    taxonomy = yaml.safe_load((ROOT / "taxonomy.yaml").read_text(encoding="utf-8"))
    frameworks = list(yaml.safe_load((ROOT / "frameworks.yaml").read_text(encoding="utf-8")))
    stages, strategies = list(taxonomy["stages"]), list(taxonomy["strategies"])
    principles, industries = list(taxonomy["principles"]), list(taxonomy["industries"])
    sentences = _sentences()
    ids = [f"case-{i:05d}" for i in range(n)]

    def text(n_bytes: int) -> str:
        out, size = [], 0
        while size < n_bytes:
            sentence = rng.choice(sentences)
            out.append(sentence)
            size += len(sentence.encode("utf-8"))
        return "".join(out)

    for index, case_id in enumerate(ids):
        chosen_stages = sorted(rng.sample(stages, rng.randint(2, len(stages))), key=stages.index)
        data = {
            "title": f"案例{index:05d}：{text(30)[:12]}",
            "subtitle": text(40)[:20],
            "kind": "parable" if index % 10 == 0 else "case",
            "company": f"第{index}号企业",
            "industry": rng.choice(industries),
            "period": str(1990 + index % 30),
            "summary": text(150)[:80],
            "story": "\n\n".join(text(500) for _ in range(4)),
            "stages": {s: text(250) for s in chosen_stages},
            "strategies": {s: text(60)[:40] for s in rng.sample(strategies, rng.randint(3, 6))},
            "principles": {p: text(60)[:40] for p in rng.sample(principles, rng.randint(3, 6))},
            "frameworks": {f: text(60)[:40] for f in rng.sample(frameworks, rng.randint(0, 2))},
            "analysis": text(500),
            "takeaways": [text(60)[:30] for _ in range(3)],
            "questions": [{"question": text(60)[:30] + "？", "answer": text(200)} for _ in range(3)],
            "figures": [{"label": "指标", "value": f"{rng.randint(1, 9999)} 个", "source": "合成数据"}],
            "related": [{"case": rng.choice(ids), "note": text(60)[:30]} for _ in range(2)],
            "sources": [{"title": "合成资料", "section": f"第 {index} 节"}],
        }
        data["related"] = [r for r in data["related"] if r["case"] != case_id]
        (dest / "cases" / f"{case_id}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                                                         encoding="utf-8")
    paths = {
        f"path-{p}": {"name": f"路径{p}", "summary": "合成的学习路径。",
                      "steps": [{"case": ids[(p * 7 + s) % n], "why": "按顺序阅读。"} for s in range(4)]}
        for p in range(min(5, max(1, n // 4)))
    }
    for path in paths.values():  # a path visits a case at most once
        seen: list[dict[str, str]] = []
        for step in path["steps"]:
            if step["case"] not in {s["case"] for s in seen}:
                seen.append(step)
        path["steps"] = seen if len(seen) >= 2 else [*seen, {"case": ids[-1], "why": "最后一篇。"}]
    (dest / "paths.yaml").write_text(yaml.safe_dump(paths, allow_unicode=True), encoding="utf-8")
    return dest
