from __future__ import annotations

from pathlib import Path

import pytest

from factcheck.config import (
    DEFAULTS,
    discover,
    effective_config,
    lint_config,
    load_file,
    render_effective,
)
from factcheck.errors import ConfigError


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_when_no_file(tmp_path):
    effective = effective_config({}, cwd=tmp_path, environ={})
    assert {k: v for k, (v, _) in effective.items()} == DEFAULTS
    assert {origin for _, origin in effective.values()} == {"default"}


def test_pyproject_found_walking_up_and_paths_relative_to_its_folder(tmp_path):
    pyproject = write(tmp_path / "pyproject.toml",
                      '[tool.factcheck]\nsources = "news"\nfail-on = "disputed"\ndisable = ["FC301"]\n')
    cwd = tmp_path / "a" / "b"
    cwd.mkdir(parents=True)
    effective = effective_config({}, cwd=cwd, environ={})
    assert effective["sources"] == ((tmp_path / "news").resolve(), str(pyproject))
    assert effective["fail-on"] == ("disputed", str(pyproject))
    assert effective["disable"] == (("FC301",), str(pyproject))
    assert effective["index"] == (Path("index"), "default")


def test_pyproject_without_table_is_skipped(tmp_path):
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n')
    inner = write(tmp_path / "sub" / "pyproject.toml", '[tool.other]\nx = 1\n')
    assert discover(inner.parent) is None
    dotfile = write(tmp_path / ".factcheck.toml", 'top-k = 4\n')
    assert discover(inner.parent) == dotfile


def test_dotfile_wins_over_pyproject_in_the_same_folder(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.factcheck]\ntop-k = 3\n")
    dotfile = write(tmp_path / ".factcheck.toml", "top-k = 5\n")
    assert effective_config({}, cwd=tmp_path, environ={})["top-k"] == (5, str(dotfile))


def test_explicit_then_env_then_discovered(tmp_path):
    write(tmp_path / ".factcheck.toml", "top-k = 5\n")
    env_file = write(tmp_path / "env.toml", "top-k = 6\n")
    explicit = write(tmp_path / "explicit.toml", "top-k = 7\n")
    environ = {"FACTCHECK_CONFIG": str(env_file)}
    assert effective_config({}, cwd=tmp_path, environ=environ)["top-k"] == (6, "env FACTCHECK_CONFIG")
    assert effective_config({}, config_file=explicit, cwd=tmp_path, environ=environ)["top-k"] == (
        7, str(explicit))


def test_command_line_overrides_file(tmp_path):
    write(tmp_path / ".factcheck.toml", 'fail-on = "unverified"\nmin-confidence = 0.2\n')
    effective = effective_config({"fail-on": "never", "min-confidence": None}, cwd=tmp_path, environ={})
    assert effective["fail-on"] == ("never", "command line")
    assert effective["min-confidence"][0] == 0.2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("colour = 1\n", "unknown key 'colour'"),
        ('disable = ["FC999"]\n', "disable: unknown rule id 'FC999'"),
        ('fail-on = "sometimes"\n', "fail-on: expected one of contradicted, disputed, unverified, never"),
        ("min-confidence = 2\n", "min-confidence: expected a number from 0 to 1"),
        ("top-k = 0\n", "top-k: expected a positive integer"),
        ('format = "xml"\n', "format: expected one of"),
        ("include = [1]\n", "include: expected a list of glob strings"),
        ("top-k = \n", "invalid TOML"),
    ],
)
def test_bad_files_give_one_line_config_errors_naming_file_and_key(tmp_path, text, message):
    path = write(tmp_path / ".factcheck.toml", text)
    with pytest.raises(ConfigError) as error:
        effective_config({}, cwd=tmp_path, environ={})
    assert str(error.value).startswith(str(path))
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_pyproject_error_names_the_table(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.factcheck]\nbogus = true\n")
    with pytest.raises(ConfigError, match=r"pyproject.toml \[tool.factcheck\]: unknown key 'bogus'"):
        effective_config({}, cwd=tmp_path, environ={})


def test_missing_explicit_file(tmp_path):
    with pytest.raises(ConfigError, match="nope.toml: config file not found"):
        load_file(tmp_path / "nope.toml")


def test_bad_command_line_value(tmp_path):
    with pytest.raises(ConfigError, match="command line: disable: unknown rule id 'FC1'"):
        effective_config({"disable": ("FC1",)}, cwd=tmp_path, environ={})


def test_lint_config_and_render(tmp_path):
    write(tmp_path / ".factcheck.toml", 'exclude = ["archive/"]\ndisable = ["FC301"]\n')
    effective = effective_config({"top-k": 3}, cwd=tmp_path, environ={})
    config = lint_config(effective, show_supported=True)
    assert config.exclude == ("archive/",) and config.disable == frozenset({"FC301"})
    assert config.top_k == 3 and config.show_supported
    text = render_effective(effective)
    assert 'exclude = ["archive/"]' in text and f"# {tmp_path / '.factcheck.toml'}" in text
    assert "top-k = 3" in text and "# command line" in text
    assert 'fail-on = "contradicted"' in text
