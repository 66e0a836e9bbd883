"""Where things are: the folders and files of a Casebook project."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Project:
    root: Path
    edition: str = "student"  # which edition this build makes: see casebook/content/editions.py

    @property
    def edition_suffix(self) -> str:
        """Each edition builds into its own folders: generated/ and site/, generated-trainer/ and site-trainer/."""
        return "" if self.edition == "student" else f"-{self.edition}"

    @property
    def cases_dir(self) -> Path:
        return self.root / "cases"

    @property
    def taxonomy_file(self) -> Path:
        return self.root / "taxonomy.yaml"

    @property
    def frameworks_file(self) -> Path:
        return self.root / "frameworks.yaml"

    @property
    def paths_file(self) -> Path:
        return self.root / "paths.yaml"

    @property
    def courses_dir(self) -> Path:
        """Courses for trainers, one file a course (the file name is its id), as cases/."""
        return self.root / "courses"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def mkdocs_file(self) -> Path:
        return self.root / "mkdocs.yml"

    @property
    def generated_dir(self) -> Path:
        """Owned wholly by the generator: Markdown pages, assets and the search index."""
        return self.root / f"generated{self.edition_suffix}"

    @property
    def docs_dir(self) -> Path:
        return self.generated_dir / "docs"

    @property
    def site_dir(self) -> Path:
        return self.root / f"site{self.edition_suffix}"

    @property
    def cache_dir(self) -> Path:
        """What incremental builds remember between runs (never committed, safe to delete)."""
        return self.root / ".casebook-cache"

    @property
    def dist_dir(self) -> Path:
        return self.root / "dist"

    @property
    def schema_file(self) -> Path:
        return self.root / "schema" / "case.schema.json"

    def rel(self, path: Path) -> str:
        """A path as shown in messages: relative to the project root, with forward slashes."""
        try:
            return path.relative_to(self.root).as_posix()  # the usual case: no file-system call
        except ValueError:
            pass
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()
