"""constraints.txt pins what the tests ran with: every package envmap[test] pulls in, directly or
not, at the version installed here, within pyproject's ranges; and make installs through it."""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

REPO = Path(__file__).resolve().parents[2]
CONSTRAINTS = REPO / "constraints.txt"
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
# pip itself is pinned (make upgrades to it first); it is no dependency of envmap
TOOLS = {"pip"}


def pins() -> dict[str, Version]:
    found: dict[str, Version] = {}
    for number, line in enumerate(CONSTRAINTS.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        match = re.fullmatch(r"([A-Za-z0-9._-]+)==([^\s;#]+)", line.strip())
        assert match, f"constraints.txt line {number} is not NAME==VERSION: {line!r}"
        name = canonicalize_name(match[1])
        assert name not in found, f"constraints.txt pins {name} twice"
        found[name] = Version(match[2])
    return found


def _applies(requirement: Requirement, extras: set[str]) -> bool:
    if requirement.marker is None:
        return True
    return any(requirement.marker.evaluate({**default_environment(), "extra": e}) for e in extras or {""})


def requirement_closure() -> dict[str, set[str]]:
    """Every distribution ``pip install -e '.[test]'`` needs here, with the extras asked of it."""
    wanted: dict[str, set[str]] = {}
    todo = [Requirement(r) for r in PYPROJECT["dependencies"] + PYPROJECT["optional-dependencies"]["test"]]
    while todo:
        requirement = todo.pop()
        name = canonicalize_name(requirement.name)
        extras = set(requirement.extras)
        if name in wanted and extras <= wanted[name]:
            continue
        wanted[name] = wanted.get(name, set()) | extras
        for text in metadata.requires(requirement.name) or []:
            child = Requirement(text)
            if _applies(child, wanted[name]):
                todo.append(child)
    return wanted


def test_every_package_the_install_brings_is_pinned_and_nothing_else():
    pinned = set(pins())
    needed = set(requirement_closure())
    assert sorted(needed - pinned) == [], "not pinned: add with `make lock` (README 如何升级依赖)"
    assert sorted(pinned - needed - TOOLS) == [], "pinned but not needed: `make lock` from a clean .venv"


def test_the_installed_versions_are_the_pinned_ones():
    installed = {name: Version(metadata.version(name)) for name in requirement_closure()}
    differ = {name: (str(installed[name]), str(v)) for name, v in pins().items() if name in installed
              and installed[name] != v}
    assert differ == {}, "installed ≠ pinned: `make install` to return to the pins, or `make lock` after testing"


def test_the_pins_satisfy_the_ranges_of_pyproject():
    pinned = pins()
    for text in PYPROJECT["dependencies"] + [r for rs in PYPROJECT["optional-dependencies"].values() for r in rs]:
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{name} (pyproject.toml) is not pinned"
        assert requirement.specifier.contains(pinned[name], prereleases=True), (text, str(pinned[name]))


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_installs_every_python_package_through_the_constraints(tmp_path):
    planned = subprocess.run(["make", "-n", "-B", "install", f"VENV={tmp_path / 'venv'}"], cwd=REPO,
                             capture_output=True, text=True, check=True).stdout.splitlines()
    installs = [line for line in planned if " pip " in line and " install " in line]
    assert len(installs) >= 2
    assert all("-c constraints.txt" in line for line in installs), installs
    assert any("-m dashboard.assets" in line for line in planned)
