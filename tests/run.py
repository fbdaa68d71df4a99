"""Run the whole test suite from a fresh clone: python3 tests/run.py [pytest args]

Creates .venv/ with the pinned test requirements, makes sure a Chromium is
there (the system one, else Playwright's own), builds the site, then runs
pytest. Each step prints one line; nothing is done twice when already done.
"""

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
REQUIREMENTS = ROOT / "tests" / "requirements.txt"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / "python"

sys.path.insert(0, str(ROOT / "tests"))
from chromium import find_system_chromium  # noqa: E402


def step(text: str) -> None:
    print(f"[tests] {text}", flush=True)


def run(*command) -> None:
    subprocess.run([str(part) for part in command], check=True, cwd=ROOT)


def ensure_venv() -> None:
    wanted = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    stamp = VENV / "requirements.sha256"
    if stamp.exists() and stamp.read_text() == wanted:
        step("virtual environment is up to date")
        return
    step(f"creating {VENV.name}/ with {REQUIREMENTS.relative_to(ROOT)}")
    venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    run(
        PYTHON,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "-r",
        REQUIREMENTS,
    )
    stamp.write_text(wanted)


def ensure_browser() -> None:
    system = find_system_chromium()
    if system:
        step(f"using the system Chromium at {system}")
    else:
        step("no system Chromium: installing Playwright's own")
        run(PYTHON, "-m", "playwright", "install", "chromium")


def main() -> int:
    ensure_venv()
    ensure_browser()
    step("building the site")
    run(PYTHON, ROOT / "build.py")
    step("running pytest")
    pytest = [PYTHON, "-m", "pytest", "-c", "tests/pytest.ini", "--rootdir", "."]
    return subprocess.call([str(part) for part in pytest] + sys.argv[1:], cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main())
