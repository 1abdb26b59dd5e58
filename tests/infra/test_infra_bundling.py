"""The shared Lambda asset is rebuilt whenever what goes into it changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from infra.bundling import LAMBDA_PLATFORM, LAMBDA_PYTHON_VERSION, LocalPythonBundler, bundle_hash


@pytest.fixture
def source_root(tmp_path: Path) -> Path:
    """A minimal repository: requirements plus one file in each source tree."""
    (tmp_path / "requirements.txt").write_text("pydantic==2.14.3\n")
    for tree in ("functions", "shared"):
        (tmp_path / tree).mkdir()
        (tmp_path / tree / "__init__.py").write_text(f'"""{tree}"""\n')
    return tmp_path


def test_hash_is_stable_for_the_same_inputs(source_root: Path) -> None:
    assert bundle_hash(source_root) == bundle_hash(source_root)


def test_hash_changes_with_the_platform(source_root: Path) -> None:
    assert bundle_hash(source_root) != bundle_hash(source_root, platform="manylinux2014_x86_64")


def test_hash_changes_with_the_python_version(source_root: Path) -> None:
    assert bundle_hash(source_root) != bundle_hash(source_root, python_version="3.13")


def test_hash_changes_with_requirements_and_code(source_root: Path) -> None:
    before = bundle_hash(source_root)

    (source_root / "requirements.txt").write_text("pydantic==2.14.4\n")
    after_requirements = bundle_hash(source_root)
    (source_root / "shared" / "__init__.py").write_text('"""changed"""\n')
    after_code = bundle_hash(source_root)

    assert len({before, after_requirements, after_code}) == 3


def test_hash_ignores_bytecode_caches(source_root: Path) -> None:
    before = bundle_hash(source_root)

    (source_root / "shared" / "__pycache__").mkdir()
    (source_root / "shared" / "__pycache__" / "x.cpython-312.pyc").write_bytes(b"\0")

    assert bundle_hash(source_root) == before


def test_skipping_dependencies_is_a_different_asset(source_root: Path) -> None:
    assert bundle_hash(source_root) != bundle_hash(source_root, install_dependencies=False)


def test_pip_targets_the_lambda_platform_not_this_machine(source_root: Path) -> None:
    command = LocalPythonBundler(root=source_root).pip_command("/out")

    assert command[command.index("--platform") + 1] == LAMBDA_PLATFORM == "manylinux2014_aarch64"
    assert command[command.index("--python-version") + 1] == LAMBDA_PYTHON_VERSION == "3.12"
    assert "--only-binary=:all:" in command
    assert command[command.index("--target") + 1] == "/out"


def test_bundle_without_dependencies_copies_only_source(source_root: Path, tmp_path: Path) -> None:
    (source_root / "shared" / "__pycache__").mkdir()
    (source_root / "shared" / "__pycache__" / "x.pyc").write_bytes(b"\0")
    output = tmp_path / "out"
    output.mkdir()

    bundled = LocalPythonBundler(root=source_root, install_dependencies=False).try_bundle(
        str(output),
        image=None,  # type: ignore[arg-type]
    )

    assert bundled is True
    assert sorted(p.relative_to(output).as_posix() for p in output.rglob("*")) == [
        "functions",
        "functions/__init__.py",
        "shared",
        "shared/__init__.py",
    ]
