"""The generated folder: exactly the rendered files, unchanged ones untouched, stale ones gone."""

from __future__ import annotations

import os

import pytest

from casebook.writer import sync_tree


def test_sync_writes_skips_unchanged_and_removes_stale(tmp_path):
    target = tmp_path / "generated"
    first = sync_tree(target, {"docs/a.md": "A", "docs/sub/b.md": "B", "old.md": "old"})
    assert sorted(first.written) == ["docs/a.md", "docs/sub/b.md", "old.md"]
    os.utime(target / "docs/a.md", (1_000_000, 1_000_000))
    second = sync_tree(target, {"docs/a.md": "A", "docs/sub/b.md": "B2"})
    assert second.written == ["docs/sub/b.md"]
    assert second.unchanged == 1
    assert second.removed == ["old.md"]
    assert (target / "docs/a.md").stat().st_mtime == 1_000_000  # not rewritten
    assert (target / "docs/sub/b.md").read_text() == "B2"
    assert not (target / "old.md").exists()


def test_stray_files_and_empty_folders_are_removed(tmp_path):
    target = tmp_path / "generated"
    sync_tree(target, {"docs/x/y.md": "Y"})
    (target / "docs/x/notes.txt").write_text("hand edit")
    result = sync_tree(target, {"docs/index.md": "I"})
    assert result.removed == ["docs/x/notes.txt", "docs/x/y.md"]
    assert not (target / "docs/x").exists()


def test_never_writes_outside_the_target(tmp_path):
    with pytest.raises(ValueError):
        sync_tree(tmp_path / "generated", {"../escape.md": "x"})
    with pytest.raises(ValueError):
        sync_tree(tmp_path / "generated", {"/etc/passwd": "x"})
    assert not (tmp_path / "escape.md").exists()


def test_symlink_in_target_is_removed_not_followed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.md").write_text("keep")
    target = tmp_path / "generated"
    sync_tree(target, {"docs/a.md": "A"})
    (target / "docs/link").symlink_to(outside, target_is_directory=True)
    sync_tree(target, {"docs/a.md": "A"})
    assert (outside / "keep.md").read_text() == "keep"
    assert not (target / "docs/link").exists()
