"""build.py: pins, hash checks, the numpy source, the tokenizer and the manifest."""

import base64
import hashlib
import json
import re
import subprocess
import sys
import tarfile

import pytest

import build

NUMPY_ENTRY_NAME = "numpy-0.0.0-cp314-cp314-pyemscripten_2026_0_wasm32.whl"


def lock_entry(content: bytes) -> dict:
    return {
        "file_name": NUMPY_ENTRY_NAME,
        "sha256": hashlib.sha256(content).hexdigest(),
    }


def test_every_pin_has_a_version_and_a_hash():
    pins = build.read_pins()
    for name, pin in pins["npm"].items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", pin["version"]), name
        assert pin["integrity"].startswith("sha512-"), name
    for name, pin in pins["wheels"].items():
        assert re.fullmatch(r"[0-9a-f]{64}", pin["sha256"]), name


def test_no_pinned_version_is_repeated_in_another_tracked_file():
    pins = build.read_pins()
    versions = [
        pin["version"] for group in ("npm", "wheels") for pin in pins[group].values()
    ]
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=build.ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    for path in tracked:
        # Fixtures record the versions they were made from; that is not a pin.
        if path in ("pins.toml", "tests/requirements.txt") or "/fixtures/" in path:
            continue
        text = (build.ROOT / path).read_text(errors="ignore")
        for version in versions:
            assert not re.search(rf"(?<![\d.]){re.escape(version)}(?![\d.])", text), (
                f"{path} repeats the pinned version {version}"
            )


def test_a_file_with_its_pinned_sha256_passes(tmp_path):
    wheel = tmp_path / "a.whl"
    wheel.write_bytes(b"wheel")
    build.verify_file(wheel, hashlib.sha256(b"wheel").hexdigest())


def test_a_file_with_its_pinned_npm_integrity_passes(tmp_path):
    tarball = tmp_path / "a.tgz"
    tarball.write_bytes(b"tarball")
    integrity = (
        "sha512-" + base64.b64encode(hashlib.sha512(b"tarball").digest()).decode()
    )
    build.verify_file(tarball, integrity)


@pytest.mark.parametrize("expected", ["0" * 64, "sha512-AAAA"])
def test_a_hash_mismatch_raises_and_names_the_file(tmp_path, expected):
    wheel = tmp_path / "tampered.whl"
    wheel.write_bytes(b"not what was pinned")
    with pytest.raises(build.BuildError, match="hash mismatch for tampered.whl"):
        build.verify_file(wheel, expected)


def test_a_package_the_registry_lacks_fails_with_the_clients_words():
    # Stands in for `pip download` answering that no such version exists.
    client = [
        sys.executable,
        "-c",
        "import sys; sys.exit('No matching distribution found')",
    ]
    with pytest.raises(
        build.BuildError, match="could not fetch demo: No matching distribution"
    ):
        build.run_client(client, "demo")


def test_a_missing_registry_client_is_named():
    with pytest.raises(build.BuildError, match="`no-such-client-xq` is not installed"):
        build.run_client(["no-such-client-xq", "pack"], "demo")


def test_numpy_is_taken_from_a_local_distribution_folder(tmp_path):
    dist = tmp_path / "pyodide" / "full"
    dist.mkdir(parents=True)
    (dist / NUMPY_ENTRY_NAME).write_bytes(b"numpy wheel")
    found = build.fetch_pyodide_wheel(
        lock_entry(b"numpy wheel"),
        "unused",
        tmp_path / "pyodide",
        cache=tmp_path / "cache",
    )
    assert found.read_bytes() == b"numpy wheel"


def test_numpy_is_taken_from_a_release_tarball(tmp_path):
    member = tmp_path / NUMPY_ENTRY_NAME
    member.write_bytes(b"numpy wheel")
    tarball = tmp_path / "pyodide-full.tar.bz2"
    with tarfile.open(tarball, "w:bz2") as archive:
        archive.add(member, arcname=f"pyodide/{NUMPY_ENTRY_NAME}")
    found = build.fetch_pyodide_wheel(
        lock_entry(b"numpy wheel"), "unused", tarball, cache=tmp_path / "cache"
    )
    assert found.read_bytes() == b"numpy wheel"


def test_numpy_that_differs_from_the_lock_is_refused_and_not_kept(tmp_path):
    (tmp_path / NUMPY_ENTRY_NAME).write_bytes(b"something else")
    cache = tmp_path / "cache"
    with pytest.raises(build.BuildError, match="hash mismatch"):
        build.fetch_pyodide_wheel(
            lock_entry(b"numpy wheel"), "unused", tmp_path, cache=cache
        )
    assert not (cache / "pyodide-full" / NUMPY_ENTRY_NAME).exists()


def test_unreachable_distribution_means_no_numpy_rather_than_failure(tmp_path):
    # Port 9 on loopback: nothing listens, so the connection is refused at once.
    found = build.fetch_pyodide_wheel(
        lock_entry(b"x"), "http://127.0.0.1:9/", None, cache=tmp_path
    )
    assert found is None


def test_tokenizer_is_limited_to_256_tokens_and_pads_to_the_longest(tmp_path):
    (tmp_path / "tokenizer_config.json").write_text(
        json.dumps({"model_max_length": 512})
    )
    (tmp_path / "tokenizer.json").write_text(
        json.dumps(
            {
                "truncation": {"max_length": 128, "strategy": "LongestFirst"},
                "padding": {"strategy": {"Fixed": 128}, "pad_id": 0},
            }
        )
    )
    build.limit_tokens(tmp_path)
    config = json.loads((tmp_path / "tokenizer_config.json").read_text())
    tokenizer = json.loads((tmp_path / "tokenizer.json").read_text())
    assert config["model_max_length"] == 256
    assert tokenizer["truncation"] == {"max_length": 256, "strategy": "LongestFirst"}
    assert tokenizer["padding"] == {"strategy": "BatchLongest", "pad_id": 0}


def test_manifest_lists_every_file_with_size_and_sha256(tmp_path):
    (tmp_path / "index.html").write_text("<p>hi</p>")
    (tmp_path / "models" / "m").mkdir(parents=True)
    (tmp_path / "models" / "m" / "model.onnx").write_bytes(b"\x00" * 10)
    manifest = build.write_manifest(tmp_path, {"model": "m"}, "v1")
    on_disk = json.loads((tmp_path / "manifest.json").read_text())
    assert on_disk == manifest
    assert manifest["version"] == "v1"
    assert manifest["runtime"] == {"model": "m"}
    assert manifest["files"] == [
        {
            "path": "index.html",
            "size": 9,
            "sha256": hashlib.sha256(b"<p>hi</p>").hexdigest(),
        },
        {
            "path": "models/m/model.onnx",
            "size": 10,
            "sha256": hashlib.sha256(b"\x00" * 10).hexdigest(),
        },
    ]


def small_site(folder, page="one", model=b"weights"):
    (folder / "models").mkdir(exist_ok=True)
    (folder / "index.html").write_text(page)
    (folder / "models" / "model.onnx").write_bytes(model)
    return build.finish_site(folder, {"models": "models/"})


def test_the_service_worker_carries_the_builds_version(tmp_path):
    manifest = small_site(tmp_path)
    worker = (tmp_path / "sw.js").read_text()
    assert f'const VERSION = "{manifest["version"]}";' in worker
    listed = {f["path"]: f["sha256"] for f in manifest["files"]}
    assert listed["sw.js"] == hashlib.sha256(worker.encode()).hexdigest()


def test_a_changed_page_makes_a_new_version_but_keeps_the_model_version(tmp_path):
    first = small_site(tmp_path, page="one")
    second = small_site(tmp_path, page="two")
    assert second["version"] != first["version"]
    assert second["runtime"]["model_version"] == first["runtime"]["model_version"]


def test_a_changed_model_makes_a_new_model_version(tmp_path):
    first = small_site(tmp_path, model=b"weights")
    second = small_site(tmp_path, model=b"other weights")
    assert second["runtime"]["model_version"] != first["runtime"]["model_version"]
    assert second["version"] != first["version"]


def test_a_folder_that_is_not_an_earlier_build_is_never_emptied(tmp_path):
    (tmp_path / "important.txt").write_text("keep me")
    with pytest.raises(build.BuildError, match="holds no earlier build"):
        build.clear_site(tmp_path)
    assert (tmp_path / "important.txt").read_text() == "keep me"


def test_an_earlier_build_is_emptied_for_the_new_one(tmp_path):
    (tmp_path / "manifest.json").write_text("{}")
    (tmp_path / "old.js").write_text("")
    build.clear_site(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_busy_port_fails_with_what_to_do(tmp_path):
    taken = build.make_server(tmp_path)
    try:
        with pytest.raises(build.BuildError, match="pass --port 0"):
            build.serve(tmp_path, taken.server_address[1])
    finally:
        taken.server_close()
