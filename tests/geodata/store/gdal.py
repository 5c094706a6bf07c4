"""GDAL as a GIS user's tools see the store: Debian's gdal-bin (ogrinfo, ogr2ogr) and python3-gdal
(GDAL's GeoPackage validator ``validate_gpkg.py``, the ``osgeo`` bindings of the system Python).

``.ci/run`` installs both and sets ``ENVMAP_REQUIRE_GDAL=1``, so in CI a missing tool fails the
tests instead of skipping them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

SYSTEM_PYTHON = "/usr/bin/python3"
VALIDATOR_PATHS = (
    "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py",
    "/usr/share/doc/python3-gdal/examples/validate_gpkg.py",
)


def _need(what: str) -> None:
    message = f"{what} (apt-get install gdal-bin python3-gdal)"
    if os.environ.get("ENVMAP_REQUIRE_GDAL") == "1":
        pytest.fail(message)
    pytest.skip(message)


def validator() -> list[str]:
    """The command that runs GDAL's validate_gpkg.py with the system Python's osgeo."""
    script = shutil.which("validate_gpkg.py") or next((p for p in VALIDATOR_PATHS if Path(p).exists()), None)
    if script is None or not Path(SYSTEM_PYTHON).exists():
        _need("GDAL's validate_gpkg.py is not installed")
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "from osgeo import ogr"], capture_output=True)
    if probe.returncode:
        _need("the system Python has no osgeo (GDAL bindings)")
    return [SYSTEM_PYTHON, str(script)]


def validate(path: Path) -> subprocess.CompletedProcess[str]:
    """Every requirement GDAL checks, plus its extra content checks; warnings count as errors."""
    return subprocess.run([*validator(), "-k", "--extra", "--warning-as-error", str(path)],
                          capture_output=True, text=True, timeout=300)


def tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        _need(f"{name} is not installed")
    return found  # type: ignore[return-value]


def run(*args: str) -> str:
    out = subprocess.run([tool(args[0]), *args[1:]], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return out.stdout


def osgeo(script: str, *args: str) -> str:
    """Run ``script`` with the system Python and its osgeo bindings (GDAL as QGIS uses it)."""
    validator()  # the same preconditions
    out = subprocess.run([SYSTEM_PYTHON, "-c", script, *args], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return out.stdout
