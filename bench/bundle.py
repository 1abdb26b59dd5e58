"""Size of the Lambda asset, zipped, built exactly as the CDK bundler builds it."""

from __future__ import annotations

import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from infra.bundling import REPO_ROOT, LocalPythonBundler


def _dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


@dataclass
class BundleSize:
    zipped_mb: float
    unzipped_mb: float
    largest: list[tuple[str, float]]


def measure() -> BundleSize:
    """Bundle into a temporary folder, zip it, and name the largest top-level entries."""
    bundler = LocalPythonBundler(root=REPO_ROOT)
    with tempfile.TemporaryDirectory() as out:
        bundler.try_bundle(out, image=None)  # type: ignore[arg-type]
        root = Path(out)
        zipped = Path(out + ".zip")
        with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as archive:
            for file in sorted(root.rglob("*")):
                if file.is_file():
                    archive.write(file, file.relative_to(root))
        largest = sorted(
            (
                (entry.name, _dir_size(entry) if entry.is_dir() else entry.stat().st_size)
                for entry in root.iterdir()
            ),
            key=lambda pair: -pair[1],
        )[:5]
        result = BundleSize(
            zipped_mb=zipped.stat().st_size / 1e6,
            unzipped_mb=_dir_size(root) / 1e6,
            largest=[(name, size / 1e6) for name, size in largest],
        )
        os.remove(zipped)
    return result
