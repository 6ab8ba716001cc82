"""``--engine`` / ``--address`` on the command line, without a cluster: Ray stays off the default path,
and what a user gets wrong is one line and exit status 2."""

from __future__ import annotations

import subprocess
import sys

from click.testing import CliRunner

from factcheck.cli import main

CLAIM = "About 2,500 U.S. troops remain in Iraq."


def test_the_cli_imports_nothing_of_ray():
    code = "import sys, factcheck.cli, factcheck.engine; sys.exit(any(m.split('.')[0] == 'ray' for m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], timeout=120).returncode == 0


def test_engine_ray_without_ray_installed_is_one_line(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray raises ImportError, as when it is not installed
    for args in (
        ["check", CLAIM, "--engine", "ray", "--index", str(tmp_path / "i"), "--sources", str(tmp_path)],
        ["index", "--engine", "ray", "--index", str(tmp_path / "i"), "--sources", "sources"],
    ):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2, result.output
        assert (
            result.stderr
            == "Error: --engine ray needs Ray, which is not installed here: pip install 'factcheck[ray]'\n"
        )
        assert result.stdout == ""
    assert not (tmp_path / "i").exists()


def test_an_address_without_engine_ray_is_refused(tmp_path):
    result = CliRunner().invoke(main, ["check", CLAIM, "--address", "127.0.0.1:6379", "--index", str(tmp_path / "i")])
    assert result.exit_code == 2
    assert result.stderr == "Error: --address names a Ray cluster: it needs --engine ray\n"


def test_engine_options_are_documented_in_help():
    for command in ("index", "check", "eval", "lint"):
        result = CliRunner().invoke(main, [command, "--help"])
        assert "--engine [local|ray]" in result.output and "--address ADDR" in result.output
    assert "--shards" in CliRunner().invoke(main, ["index", "--help"]).output
