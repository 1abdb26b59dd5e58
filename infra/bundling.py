"""One Lambda asset for every function, bundled on this machine without Docker."""

from __future__ import annotations

import hashlib
import shutil

# subprocess runs pip to bundle the Lambda asset at synth time.
import subprocess  # nosec B404
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import jsii
from aws_cdk import aws_lambda as lambda_

# The Lambda platform the wheels are chosen for: Graviton (arm64) running CPython 3.12.
LAMBDA_PLATFORM = "manylinux2014_aarch64"
LAMBDA_PYTHON_VERSION = "3.12"
LAMBDA_IMPLEMENTATION = "cp"
SOURCE_TREES = ("functions", "shared")
IGNORED_DIRS = frozenset({"__pycache__", ".pytest_cache", ".mypy_cache"})
REPO_ROOT = Path(__file__).resolve().parent.parent


def _source_files(root: Path) -> Iterator[Path]:
    """Every file of the source trees that goes into the asset, in a stable order."""
    for tree in SOURCE_TREES:
        for path in sorted((root / tree).rglob("*")):
            ignored = IGNORED_DIRS.intersection(path.relative_to(root).parts)
            if path.is_file() and path.suffix != ".pyc" and not ignored:
                yield path


def bundle_hash(
    root: Path,
    *,
    platform: str = LAMBDA_PLATFORM,
    python_version: str = LAMBDA_PYTHON_VERSION,
    install_dependencies: bool = True,
) -> str:
    """The asset hash: changes with the requirements, the target platform or our code."""
    digest = hashlib.sha256()
    for part in (platform, python_version, LAMBDA_IMPLEMENTATION, str(install_dependencies)):
        digest.update(part.encode() + b"\0")
    digest.update((root / "requirements.txt").read_bytes() + b"\0")
    for path in _source_files(root):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


@jsii.implements(cdk.ILocalBundling)
class LocalPythonBundler:
    """Installs Lambda-platform wheels with pip and copies our source trees beside them."""

    def __init__(
        self,
        *,
        root: Path,
        platform: str = LAMBDA_PLATFORM,
        python_version: str = LAMBDA_PYTHON_VERSION,
        install_dependencies: bool = True,
    ) -> None:
        self.root = root
        self.platform = platform
        self.python_version = python_version
        self.install_dependencies = install_dependencies

    def pip_command(self, output_dir: str) -> list[str]:
        """The pip invocation that fetches wheels for Lambda rather than for this machine."""
        return [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-compile",
            "--only-binary=:all:",
            "--platform",
            self.platform,
            "--python-version",
            self.python_version,
            "--implementation",
            LAMBDA_IMPLEMENTATION,
            "--requirement",
            str(self.root / "requirements.txt"),
            "--target",
            output_dir,
        ]

    def try_bundle(self, output_dir: str, *, image: cdk.DockerImage, **_options: Any) -> bool:
        """Bundle into output_dir; always succeeds or raises, so Docker is never tried."""
        if self.install_dependencies:
            # The command is built from constants and the repository's own paths, never input.
            subprocess.run(self.pip_command(output_dir), check=True)  # noqa: S603 # nosec
        for tree in SOURCE_TREES:
            if (self.root / tree).is_dir():
                shutil.copytree(
                    self.root / tree,
                    Path(output_dir) / tree,
                    ignore=shutil.ignore_patterns(*IGNORED_DIRS, "*.pyc"),
                    dirs_exist_ok=True,
                )
        return True


def portal_code(*, skip_bundling: bool, root: Path = REPO_ROOT) -> lambda_.Code:
    """The code asset shared by every function (one asset, one handler per function)."""
    install = not skip_bundling
    bundler = LocalPythonBundler(root=root, install_dependencies=install)
    return lambda_.Code.from_asset(
        str(root),
        asset_hash_type=cdk.AssetHashType.CUSTOM,
        asset_hash=bundle_hash(root, install_dependencies=install),
        # The image is never pulled: the local bundler always runs. The API requires one.
        bundling=cdk.BundlingOptions(
            image=cdk.DockerImage.from_registry("public.ecr.aws/sam/build-python3.12"),
            local=bundler,
        ),
    )
