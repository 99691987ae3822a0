"""gen-protocol never harms a file: it writes only a regular file or a new path, never a device, FIFO or
socket, never a file it read as a source (``--force`` included, through symlinks and hard links), and
``--check`` never blocks on an output that is not a regular file."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys

from _support import Project, one_line_error

CART = "src/shop/cart.py"


def test_a_fifo_output_is_refused_and_left_a_fifo(project: Project) -> None:
    fifo = project.root / "out.py"
    os.mkfifo(fifo)
    one_line_error(project.gen("shop.cart:Cart", "-o", "out.py"), "out.py", "not a regular file")
    one_line_error(project.gen("shop.cart:Cart", "-o", "out.py", "--force"), "out.py", "not a regular file")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_check_against_a_fifo_output_does_not_block(project: Project) -> None:
    os.mkfifo(project.root / "out.py")
    code = "import sys; from protodoubles._internal.gen.cli import main; sys.exit(main(['shop.cart:Cart', '-o', 'out.py', '--check']))"
    done = subprocess.run([sys.executable, "-c", code], cwd=project.root, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2, done.stderr
    assert "not a regular file" in done.stderr


def test_a_character_device_is_never_written(project: Project) -> None:
    before = os.stat("/dev/null")
    one_line_error(project.gen("shop.cart:Cart", "-o", "/dev/null", "--force"), "/dev/null", "not a regular file")
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino


def test_a_socket_is_never_written(project: Project) -> None:
    path = project.root / "s.py"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        one_line_error(project.gen("shop.cart:Cart", "-o", "s.py", "--force"), "not a regular file")
        assert stat.S_ISSOCK(os.lstat(path).st_mode)
    finally:
        server.close()


def _source_bytes(project: Project) -> bytes:
    return (project.root / CART).read_bytes()


def test_force_never_overwrites_the_class_s_own_source(project: Project) -> None:
    before = _source_bytes(project)
    one_line_error(project.gen("shop.cart:Cart", "-o", CART, "--force"), "cart.py", "source")
    assert _source_bytes(project) == before


def test_nor_through_a_symlink_to_it(project: Project) -> None:
    before = _source_bytes(project)
    (project.root / "alias.py").symlink_to(project.root / CART)
    one_line_error(project.gen("shop.cart:Cart", "-o", "alias.py", "--force"), "source")
    assert _source_bytes(project) == before
    assert (project.root / "alias.py").is_symlink()


def test_nor_through_a_hard_link_to_it(project: Project) -> None:
    before = _source_bytes(project)
    os.link(project.root / CART, project.root / "linked.py")
    one_line_error(project.gen("shop.cart:Cart", "-o", "linked.py", "--force"), "source")
    assert _source_bytes(project) == before


def test_nor_a_file_of_a_base_class_the_run_read(project: Project) -> None:
    project.write("src/shop/base.py", "class Base:\n    def ping(self) -> None: ...\n")
    project.write("src/shop/child.py", "from shop.base import Base\n\n\nclass Child(Base):\n    pass\n")
    before = (project.root / "src/shop/base.py").read_bytes()
    one_line_error(project.gen("shop.child:Child", "-o", "src/shop/base.py", "--force"), "source")
    assert (project.root / "src/shop/base.py").read_bytes() == before


def test_a_folder_given_as_output_is_one_line(project: Project) -> None:
    (project.root / "out").mkdir()
    one_line_error(project.gen("shop.cart:Cart", "-o", "out", "--force"), "out")


def test_an_existing_protocol_keeps_its_mode(project: Project) -> None:
    assert project.gen("shop.cart:Cart", "-o", "p.py").code == 0
    os.chmod(project.root / "p.py", 0o640)
    assert project.gen("shop.cart:Cart", "-o", "p.py").code == 0
    assert stat.S_IMODE(os.stat(project.root / "p.py").st_mode) == 0o640
