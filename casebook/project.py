"""Where things are: the folders and files of a Casebook project."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Project:
    root: Path

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
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def mkdocs_file(self) -> Path:
        return self.root / "mkdocs.yml"

    @property
    def generated_dir(self) -> Path:
        """Owned wholly by the generator: Markdown pages, assets and the search index."""
        return self.root / "generated"

    @property
    def docs_dir(self) -> Path:
        return self.generated_dir / "docs"

    @property
    def site_dir(self) -> Path:
        return self.root / "site"

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
