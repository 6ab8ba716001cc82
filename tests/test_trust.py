"""Regression tests for silent wrong answers and lost data (issue 10, items 1-3).

Each test damages a private copy of a real index (or model folder) the way a user or a disk
would, and asserts that factcheck either answers correctly or refuses with one line naming the
file — never a NaN, never an answer from a stale or foreign index.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import private_copy

from factcheck.embed import CACHE_DIR, CACHE_NAME, Encoder, cache_problem, model_id, packaged_model_path
from factcheck.onnx_encoder import export_problem, onnx_path, record_path

FACTCHECK = str(Path(sys.executable).parent / "factcheck")
NEW_CLAIM = "About 2,500 U.S. troops are still in Iraq according to officials."


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([FACTCHECK, *args], capture_output=True, text=True, timeout=300, cwd=cwd)


def no_nan(text: str) -> object:
    def refuse(name: str) -> object:
        raise ValueError(f"invalid JSON constant {name}")

    return json.loads(text, parse_constant=refuse)


@pytest.fixture()
def work(corpus, tmp_path: Path) -> Path:
    return private_copy(corpus.sources.parent, tmp_path)


def _export(root: Path, encoder: Encoder) -> Path:
    path = onnx_path(root / "index", encoder.id)
    assert path.is_file() and export_problem(path) is None, "the build should leave a verified export"
    return path


# ----------------------------------------------------------------------------- 1. the ONNX export


def _garble(path: Path) -> None:
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 4096] = bytes((b * 7 + 13) % 256 for b in data[middle : middle + 4096])
    path.write_bytes(bytes(data))


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


@pytest.mark.parametrize("damage", [_garble, _truncate], ids=["garbled", "truncated"])
def test_damaged_export_is_detected_and_rewritten(work: Path, encoder: Encoder, damage) -> None:
    export = _export(work, encoder)
    damage(export)
    assert export_problem(export) is not None

    verify = run("index", "--verify", "--sources", str(work / "sources"), "--index", str(work / "index"))
    assert verify.returncode == 2, verify.stdout
    assert str(export) in verify.stderr and "Traceback" not in verify.stderr

    proc = run(
        "check", NEW_CLAIM, "--format", "json", "--sources", str(work / "sources"), "--index", str(work / "index")
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert str(export) in proc.stderr  # the warning names the damaged file
    result = no_nan(proc.stdout)["results"][0]  # type: ignore[index]
    assert result["verdict"] == "supported"
    assert all(np.isfinite(e["score"]) for e in result["evidence"])
    assert export_problem(export) is None  # exported again
    again = run("index", "--verify", "--sources", str(work / "sources"), "--index", str(work / "index"))
    assert again.returncode == 0 and "ONNX export verified" in again.stdout, again.stderr


def test_export_without_record_is_not_trusted(work: Path, encoder: Encoder) -> None:
    export = _export(work, encoder)
    record_path(export).unlink()
    assert "no checksum record" in (export_problem(export) or "")


def test_rebuild_rewrites_a_damaged_export(work: Path, encoder: Encoder) -> None:
    from factcheck.api import build_index

    export = _export(work, encoder)
    _truncate(export)
    build_index(work / "sources", work / "index", rebuild=True, encoder=encoder)
    assert export_problem(export) is None


# ----------------------------------------------------------------------------- 1. the claim cache


def test_non_finite_cached_vectors_are_never_served(work: Path, encoder: Encoder) -> None:
    from factcheck.embed import CachedEncoder

    cache_file = work / "index" / CACHE_DIR / CACHE_NAME
    cached = CachedEncoder(encoder, cache_file)
    nan = np.full((1, encoder.dimension), np.nan, dtype=np.float32)
    cached._store([NEW_CLAIM], nan)  # a broken model's output is not stored
    assert cached._lookup([NEW_CLAIM]) == {}
    con = sqlite3.connect(cache_file)  # a cache written by an older version, NaN inside
    con.execute("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)", (encoder.id, NEW_CLAIM, nan[0].tobytes()))
    con.commit()
    con.close()
    assert "1 damaged vector" in (cache_problem(cache_file) or "")
    vector = cached.encode([NEW_CLAIM])
    assert np.isfinite(vector).all() and abs(float(np.linalg.norm(vector)) - 1.0) < 1e-3
    assert cache_problem(cache_file) is None  # the good vector replaced the damaged one

    verify_args = ("index", "--verify", "--sources", str(work / "sources"), "--index", str(work / "index"))
    con = sqlite3.connect(cache_file)
    con.execute("UPDATE vectors SET vector = ?", (nan[0].tobytes(),))
    con.commit()
    con.close()
    proc = run(*verify_args)
    assert proc.returncode == 2 and str(cache_file) in proc.stderr, proc.stderr


# ----------------------------------------------------------------------------- 2. the model id


def _model_copy(dest: Path) -> Path:
    source = packaged_model_path()
    dest.mkdir(parents=True)
    for item in source.rglob("*"):
        target = dest / item.relative_to(source)
        if item.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        elif item.stat().st_size > 1 << 20:
            target.symlink_to(item)  # the weights: shared, not copied
        else:
            shutil.copy2(item, target)
    return dest


def test_model_id_covers_pooling_tokenizer_and_weights(tmp_path: Path) -> None:
    first = _model_copy(tmp_path / "a" / "minilm")
    second = _model_copy(tmp_path / "b" / "minilm")
    assert model_id(first) == model_id(second)  # same files, same folder name: same model
    pooling = second / "1_Pooling" / "config.json"
    config = json.loads(pooling.read_text())
    config.update(pooling_mode_mean_tokens=False, pooling_mode_cls_token=True)
    pooling.write_text(json.dumps(config))
    assert model_id(first) != model_id(second)
    (second / "1_Pooling" / "config.json").write_text((first / "1_Pooling" / "config.json").read_text())
    assert model_id(first) == model_id(second)
    (second / "README.md").write_text("documentation does not change vectors")
    assert model_id(first) == model_id(second)
    tokenizer = second / "tokenizer_config.json"
    tokenizer.write_text(tokenizer.read_text().replace("true", "false", 1))
    assert model_id(first) != model_id(second)


def test_model_id_covers_weights_of_the_same_size(tmp_path: Path) -> None:
    first = _model_copy(tmp_path / "a" / "minilm")
    second = _model_copy(tmp_path / "b" / "minilm")
    weights = second / "model.safetensors"
    data = bytearray(weights.read_bytes())
    weights.unlink()
    data[len(data) // 2] ^= 0xFF
    weights.write_bytes(bytes(data))
    assert model_id(first) != model_id(second)


# ----------------------------------------------------------------------------- 3. staleness


def test_same_size_correction_with_kept_mtime_is_seen(work: Path, encoder: Encoder) -> None:
    from factcheck.api import check

    source = next((work / "sources").glob("000_*.txt"))
    text = source.read_text(encoding="utf-8")
    assert "about 2,500 American troops" in text
    st = source.stat()
    corrected = text.replace("about 2,500 American troops", "about 2,900 American troops")
    assert len(corrected.encode()) == st.st_size
    source.write_text(corrected, encoding="utf-8")
    os.utime(source, ns=(st.st_atime_ns, st.st_mtime_ns))  # what cp -p, rsync -a and tar x do
    verdict = check(
        ["There are presently about 2,900 American troops in Iraq."],
        sources=work / "sources",
        index=work / "index",
        encoder=encoder,
    )[0]
    quoted = [e.passage.text for e in verdict.evidence if e.source.id == source.stem]
    assert any("2,900" in q for q in quoted), quoted
    assert not any("about 2,500 American troops" in q for q in quoted)


# ----------------------------------------------------------------------------- more probes


def test_garbled_claim_cache_is_bypassed_and_reported(work: Path, encoder: Encoder) -> None:
    cache_file = work / "index" / CACHE_DIR / CACHE_NAME
    cache_file.parent.mkdir(parents=True, exist_ok=True)
    cache_file.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 64)
    proc = run(
        "check", NEW_CLAIM, "--format", "json", "--sources", str(work / "sources"), "--index", str(work / "index")
    )
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    assert no_nan(proc.stdout)["results"][0]["verdict"] == "supported"  # type: ignore[index]
    verify = run("index", "--verify", "--sources", str(work / "sources"), "--index", str(work / "index"))
    assert verify.returncode == 2 and str(cache_file) in verify.stderr and "Traceback" not in verify.stderr


def test_unreadable_export_record_is_not_trusted(work: Path, encoder: Encoder) -> None:
    export = _export(work, encoder)
    record_path(export).write_text('{"size": "many"', encoding="utf-8")
    assert "unreadable checksum record" in (export_problem(export) or "")


def test_two_thousand_tiny_sources(tmp_path: Path, encoder: Encoder) -> None:
    from factcheck.api import build_index, check

    sources = tmp_path / "sources"
    sources.mkdir()
    for n in range(2000):
        (sources / f"s{n:04d}.txt").write_text(f"Report {n}: the base held {n + 3} vehicles.\n", encoding="utf-8")
    (sources / "iraq.txt").write_text("About 2,500 U.S. troops remain in Iraq.\n", encoding="utf-8")
    report = build_index(sources, tmp_path / "index", encoder=encoder)
    assert report.passages == 2001 and not report.failed
    (verdict,) = check(
        ["About 2,500 U.S. troops remain in Iraq."], sources=sources, index=tmp_path / "index", encoder=encoder
    )
    assert verdict.verdict == "supported"


def test_json_reports_never_print_nan() -> None:
    from factcheck.records import Verdict
    from factcheck.report import check_json

    verdict = Verdict("About 2,500 U.S. troops remain in Iraq.", "supported", float("nan"), "ok", (), "number")
    with pytest.raises(ValueError, match="not JSON compliant"):
        check_json.render([verdict])


def test_a_claim_longer_than_the_stance_model_input_is_judged_not_fatal(check_claims) -> None:
    from factcheck.judge.stance_model import shipped_model

    long_claim = (
        "About 2,500 U.S. troops remain in Iraq, "
        + ", ".join(f"and {n} more were sent to base number {n}" for n in range(40))
        + "."
    )
    assert 1000 < len(long_claim) < 2000  # under the claim limit, far over the model's 128 tokens
    (probs,) = shipped_model().predict([(long_claim, "There are presently about 2,500 American troops in Iraq.")])
    assert abs(probs.entails + probs.contradicts + probs.neutral - 1.0) < 1e-4
    (verdict,) = check_claims([long_claim])  # used to end the whole run: "internal error: Truncation error"
    assert verdict.verdict in ("supported", "contradicted", "disputed", "unverified")
