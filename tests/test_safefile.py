"""clarion.safefile, the one way a file is read: links, hard links, pipes, devices, sparse and
deep files refused on the handle, with one line."""
from __future__ import annotations

import os
import pickle
import time

import pytest

from clarion.errors import ClarionError
from clarion.safefile import (
    FileRefused,
    FileUnreadable,
    parse_json,
    read_file,
    read_json,
    read_path,
)

SIX_GB = 6 * 1024**3


@pytest.fixture
def folder(tmp_path):
    root = tmp_path / "ws"
    (root / "assets" / "sub").mkdir(parents=True)
    (root / "assets" / "logo.svg").write_text("<svg/>")
    (root / "assets" / "sub" / "a.txt").write_text("a")
    return root


def test_a_plain_file_is_read_whole(folder):
    assert read_file(folder, "assets/logo.svg", 100) == b"<svg/>"
    assert read_file(folder, "assets/sub/a.txt", 1) == b"a"


def test_a_symbolic_link_at_any_step_is_refused_unless_links_are_allowed(folder, tmp_path):
    (folder / "assets" / "link.svg").symlink_to("logo.svg")
    (folder / "assets" / "dir").symlink_to("sub", target_is_directory=True)
    with pytest.raises(FileRefused) as e:
        read_file(folder, "assets/link.svg", 100)
    assert (e.value.kind, str(e.value)) == (
        "link", "assets/link.svg: is a symbolic link; copy the file in instead")
    with pytest.raises(FileRefused) as e:
        read_file(folder, "assets/dir/a.txt", 100)
    assert e.value.why == "dir/ is a symbolic link or not a folder"
    assert read_file(folder, "assets/link.svg", 100, links=True) == b"<svg/>"
    assert read_file(folder, "assets/dir/a.txt", 100, links=True) == b"a"
    # allowed links still stay inside the folder read from
    (tmp_path / "secret.pem").write_text("-----BEGIN PRIVATE KEY-----")
    (folder / "assets" / "out.svg").symlink_to(tmp_path / "secret.pem")
    with pytest.raises(FileRefused) as e:
        read_file(folder, "assets/out.svg", 100, links=True)
    assert e.value.kind == "outside"
    with pytest.raises(FileRefused):
        read_file(folder / "assets", "logo.svg/../../../secret.pem", 100)


def test_a_hard_link_is_refused_on_the_handle(folder):
    (folder / "keys").mkdir()
    key = folder / "keys" / "org.key.pem"
    key.write_text("-----BEGIN PRIVATE KEY-----")
    os.link(key, folder / "assets" / "key.svg")
    with pytest.raises(FileRefused) as e:
        read_file(folder, "assets/key.svg", 100)
    assert str(e.value) == (
        "assets/key.svg: has 2 hard links: it may be another file of the workspace or of the "
        "machine; copy the file in instead of linking it")
    with pytest.raises(FileRefused):  # the other name is refused just the same
        read_file(folder, "keys/org.key.pem", 100)
    assert read_path(key, 100, own=True) == b"-----BEGIN PRIVATE KEY-----"  # the user's own


def test_a_fifo_is_refused_at_once(folder):
    os.mkfifo(folder / "assets" / "pipe.svg")
    start = time.monotonic()
    for links, own in ((False, False), (True, False), (False, True)):
        with pytest.raises(FileRefused) as e:
            read_file(folder, "assets/pipe.svg", 100, links=links, own=own)
        assert e.value.kind == "special"
    assert time.monotonic() - start < 5
    assert str(e.value) == ("assets/pipe.svg: is not a regular file (a device, a pipe or a "
                            "folder); remove it")


def test_a_device_is_refused_without_being_read(folder):
    with pytest.raises(FileRefused) as e:
        read_path("/dev/zero", 100, own=True)
    assert e.value.kind == "special"


def test_a_sparse_file_is_refused_by_its_size_before_reading(folder):
    path = folder / "assets" / "huge.svg"
    path.touch()
    os.truncate(path, SIX_GB)
    with pytest.raises(FileRefused) as e:
        read_file(folder, "assets/huge.svg", 1024)
    assert str(e.value) == ("assets/huge.svg: file is 6,442,450,944 bytes, over the limit of "
                            "1,024; remove it or make it smaller")


def test_a_missing_file_is_one_line_with_its_errno(folder):
    with pytest.raises(FileUnreadable) as e:
        read_file(folder, "assets/none.svg", 100, shown="build/x/none.svg")
    assert e.value.kind == "missing" and e.value.errno == 2
    assert str(e.value) == "build/x/none.svg: not found; check the path"
    assert isinstance(e.value, ClarionError) and isinstance(e.value, OSError)


def test_an_error_crosses_a_process_boundary_whole(folder):
    with pytest.raises(FileRefused) as e:
        read_file(folder, "/etc/passwd", 100)
    copy = pickle.loads(pickle.dumps(e.value))
    assert (type(copy), str(copy), copy.kind) == (FileRefused, str(e.value), "outside")


def test_json_nested_too_deep_is_one_line_not_a_recursion_error(folder):
    (folder / "deep.json").write_text("[" * 200_000)
    with pytest.raises(FileRefused) as e:
        read_json(folder, "deep.json", 1_000_000)
    assert str(e.value) == ("deep.json: is nested more than 32 levels deep: not a file Clarion "
                            "wrote; remove it (Clarion writes it again)")
    assert parse_json(b'{"a": ["[[[[[[", {"b": "]]]]\\"[["}]}', "x", 3) == \
        {"a": ["[[[[[[", {"b": ']]]]"[['}]}
    with pytest.raises(FileRefused):
        parse_json(b'{"a": [[[1]]]}', "x", 3)
    with pytest.raises(FileRefused) as e:
        parse_json(b'{"a": ', "x")
    assert e.value.why == "is not valid JSON"
