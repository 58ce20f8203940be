"""Where the configuration comes from: explicit path, clawcheck.toml, [tool.clawcheck], or none."""

from __future__ import annotations

from pathlib import Path

import pytest

from clawcheck.config import load_config
from clawcheck.errors import ConfigError

from .conftest import ENV, Write

PYPROJECT = '[project]\nname = "shop-sync"\n\n[tool.clawcheck]\nlang = "en"\n'


def test_no_configuration_is_none(tmp_path: Path) -> None:
    assert load_config(cwd=tmp_path, env=ENV) is None


def test_a_pyproject_without_tool_clawcheck_is_no_configuration(write: Write, tmp_path: Path) -> None:
    write('[project]\nname = "shop-sync"\n\n[tool.ruff]\nline-length = 100\n', "pyproject.toml")
    assert load_config(cwd=tmp_path, env=ENV) is None


def test_tool_clawcheck_in_pyproject_is_found(write: Write, tmp_path: Path) -> None:
    source = write(PYPROJECT, "pyproject.toml")
    config = load_config(cwd=tmp_path, env=ENV)
    assert config is not None
    assert config.source == source.resolve()
    assert config.lang == "en"


def test_clawcheck_toml_wins_over_pyproject(write: Write, tmp_path: Path) -> None:
    write(PYPROJECT, "pyproject.toml")
    source = write('lang = "zh-CN"\n')
    config = load_config(cwd=tmp_path, env=ENV)
    assert config is not None
    assert (config.source, config.lang) == (source.resolve(), "zh-CN")


def test_an_explicit_path_wins_over_both(write: Write, tmp_path: Path) -> None:
    write(PYPROJECT.replace('"en"', '"zh-CN"'), "pyproject.toml")
    write('lang = "zh-CN"\n')
    explicit = write('lang = "en"\n', "ci/acceptance.toml")
    config = load_config(Path("ci/acceptance.toml"), cwd=tmp_path, env=ENV)
    assert config is not None
    assert (config.source, config.lang) == (explicit.resolve(), "en")


def test_an_explicit_pyproject_reads_its_tool_table(write: Write, tmp_path: Path) -> None:
    source = write(PYPROJECT, "sub/pyproject.toml")
    config = load_config(source, env=ENV)
    assert config is not None
    assert config.lang == "en"


def test_an_explicit_pyproject_without_the_table_is_an_error(write: Write, tmp_path: Path) -> None:
    write('[project]\nname = "x"\n', "pyproject.toml")
    with pytest.raises(
        ConfigError, match=r"^pyproject.toml has no \[tool.clawcheck\] table; add one or give"
    ):
        load_config(Path("pyproject.toml"), cwd=tmp_path, env=ENV)


def test_an_explicit_file_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(Path("ci/missing.toml"), cwd=tmp_path, env=ENV)
    assert (
        str(caught.value) == "configuration file ci/missing.toml does not exist; check the path, or omit it"
    )


def test_an_explicit_directory_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "conf").mkdir()
    with pytest.raises(ConfigError, match=r"^configuration file conf is not a file"):
        load_config(Path("conf"), cwd=tmp_path, env=ENV)


def test_an_unreadable_file_is_an_error(
    write: Write, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write('lang = "en"\n')

    def refuse(self: Path) -> bytes:  # chmod 0 does not stop root, so the refusal is simulated
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(ConfigError) as caught:
        load_config(cwd=tmp_path, env=ENV)
    assert str(caught.value) == "cannot read clawcheck.toml: Permission denied; check its permissions"


def test_relative_paths_are_relative_to_the_file_not_the_working_directory(
    write: Write, tmp_path: Path
) -> None:
    write(
        'out = "build/reports"\nspec = "specs/openclaw.yaml"\n'
        "[environments.staging.signers]\n"
        'seller = { name = "张三 (Acme ERP)", key = "keys/seller.pub" }\n',
        "project/clawcheck.toml",
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    config = load_config(Path("../project/clawcheck.toml"), cwd=elsewhere, env=ENV)
    assert config is not None
    root = (tmp_path / "project").resolve()
    assert config.root == root
    assert config.out == root / "build/reports"
    assert config.spec == root / "specs/openclaw.yaml"
    signer = config.environment().signer("seller")
    assert signer is not None
    assert signer.key == root / "keys/seller.pub"


def test_defaults_of_an_empty_file(write: Write, tmp_path: Path) -> None:
    write("")
    config = load_config(cwd=tmp_path, env=ENV)
    assert config is not None
    assert (config.lang, config.out, config.spec, config.names) == (
        "zh-CN",
        tmp_path.resolve() / "reports",
        None,
        (),
    )
    assert len(config.sha256) == 64
