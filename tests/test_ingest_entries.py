"""Every entry an ingest is given is accounted for: subfolders are read (unless --no-recurse),
and each entry not loaded — dangling symlink, symlink or directory loop, FIFO, device, hidden
file, unreadable file, a file listed twice — gets one SKIP or ERROR line and an audit row,
and the exit status says whether anything failed."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from archive.models import IngestFileResult, IngestRun, Section
from tests.subprocess_helpers import manage, migrated_data_dir
from tests.synthetic_pages import run_ingest, write_page

pytestmark = [pytest.mark.django_db]


def lines(output: str, kind: str) -> dict[str, str]:
    """Path -> reason of the `SKIP`/`ERROR` lines; each path at most once."""
    found: dict[str, str] = {}
    for match in re.finditer(rf"^{kind} (.+?): (.+)$", output, re.MULTILINE):
        assert match.group(1) not in found, f"two lines for {match.group(1)}"
        found[match.group(1)] = match.group(2)
    return found


def audit(status: str) -> dict[str, str]:
    return dict(IngestFileResult.objects.filter(status=status).values_list("source_name", "message"))


def test_subfolders_are_read_unless_told_not_to(tmp_path):
    write_page(tmp_path / "top.txt", "武进", 1)
    write_page(tmp_path / "sub" / "deeper" / "inner.txt", "江阴", 2)
    status, output = run_ingest(tmp_path, no_recurse=True)
    assert status == 0, output
    assert lines(output, "SKIP") == {str(tmp_path / "sub"): "subfolder, not read (--no-recurse)"}
    assert audit("skipped") == {"sub": "subfolder, not read (--no-recurse)"}
    assert "Ingested 1 file(s) (0 failed, 0 updated, 1 skipped)" in output
    status, output = run_ingest(tmp_path)
    assert status == 0 and "2 article(s) created" in output, output
    assert Section.objects.filter(source_name="sub/deeper/inner.txt").exists()


def test_links_loops_and_special_files_each_get_a_line_an_audit_row_and_the_exit_status(tmp_path):
    write_page(tmp_path / "good.txt", "武进", 2)
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    (tmp_path / "self_loop.txt").symlink_to(tmp_path / "self_loop.txt")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "back_up").symlink_to(tmp_path, target_is_directory=True)
    os.mkfifo(tmp_path / "pipe.txt")  # opened, it would block the ingest for good
    (tmp_path / "null.txt").symlink_to(os.devnull)
    (tmp_path / ".hidden.txt").write_text("隐藏文件", encoding="utf-8")
    (tmp_path / "linked.txt").symlink_to(tmp_path / "good.txt")
    status, output = run_ingest(tmp_path)
    assert status == 1, output
    assert "Traceback" not in output
    assert lines(output, "ERROR") == {
        str(tmp_path / "dangling.txt"): f"dangling symlink (points to {tmp_path / 'gone.txt'})",
        str(tmp_path / "self_loop.txt"): "symlink loop (the link leads back to itself)",
        str(tmp_path / "sub" / "back_up"): f"directory loop: leads back to {tmp_path}",
    }
    assert lines(output, "SKIP") == {
        str(tmp_path / ".hidden.txt"): "hidden file, not read",
        str(tmp_path / "linked.txt"): f"same file as {tmp_path / 'good.txt'}, already listed",
        str(tmp_path / "null.txt"): "device, not a page file",
        str(tmp_path / "pipe.txt"): "named pipe (FIFO), not a page file",
    }
    assert set(audit("failed")) == {"dangling.txt", "self_loop.txt", "sub/back_up"}
    assert set(audit("skipped")) == {".hidden.txt", "linked.txt", "null.txt", "pipe.txt"}
    run = IngestRun.objects.get()
    assert (run.files_seen, run.files_failed, run.files_skipped, run.created) == (4, 3, 4, 2)
    assert "CommandError: 3 of 4 file(s) failed" in output


def test_a_fifo_or_device_given_by_name_is_skipped_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "pipe")
    status, output = run_ingest(tmp_path / "pipe", os.devnull)
    assert status == 0, output
    assert lines(output, "SKIP") == {str(tmp_path / "pipe"): "named pipe (FIFO), not a page file",
                                     os.devnull: "device, not a page file"}


def test_an_unreadable_file_gets_an_error_line(tmp_path, monkeypatch):
    write_page(tmp_path / "good.txt", "武进", 1)
    locked = write_page(tmp_path / "locked.txt", "江阴", 1)
    if os.geteuid() == 0:  # root reads a file whatever its mode: make the open fail as it would
        real_open = os.open

        def refusing_open(path, flags, *args, **kwargs):
            if Path(path) == locked:
                raise PermissionError(13, "Permission denied", str(path))
            return real_open(path, flags, *args, **kwargs)

        monkeypatch.setattr(os, "open", refusing_open)
    else:
        locked.chmod(0)
    status, output = run_ingest(tmp_path)
    assert status == 1
    assert lines(output, "ERROR") == {str(locked): "cannot read file: Permission denied"}
    assert audit("failed") == {"locked.txt": "cannot read file: Permission denied"}
    assert Section.objects.get().source_name == "good.txt"


def test_the_command_exits_1_on_an_error_line_and_0_on_skips_only(tmp_path):
    """The real command: exit statuses and no traceback, in its own process."""
    data_dir = migrated_data_dir(tmp_path / "data")
    pages = tmp_path / "pages"
    write_page(pages / "good.txt", "武进", 1)
    os.mkfifo(pages / "pipe.txt")
    skipping = manage(["ingest", str(pages), "--no-progress"], data_dir)
    assert skipping.returncode == 0, skipping.stderr
    assert f"SKIP {pages / 'pipe.txt'}: named pipe (FIFO), not a page file" in skipping.stdout
    (pages / "dangling.txt").symlink_to(pages / "gone.txt")
    failing = manage(["ingest", str(pages), "--no-progress"], data_dir)
    assert failing.returncode == 1
    assert "Traceback" not in failing.stdout + failing.stderr
    assert f"ERROR {pages / 'dangling.txt'}: dangling symlink" in failing.stderr
