"""`clawcheck keys new`, `sign`, `verify` end to end, through the real entry point and its exit codes."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest

import clawcheck.cli.signoff  # noqa: F401  registers keys, sign, verify (cli/commands.py will too)
from clawcheck.cli.app import main

PASSPHRASE = "龙虾-passphrase-7f3a"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str], str]:
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    captured = capsys.readouterr()
    assert isinstance(exited.value.code, int)
    return exited.value.code, captured.out.splitlines(), captured.err


def fingerprint(lines: list[str]) -> str:
    match = re.fullmatch(r"fingerprint: (SHA256:\S+)", lines[-1])
    assert match, lines
    return match.group(1)


@pytest.fixture
def key_dir(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Path:
    """keys/seller.key (encrypted, passphrase in $SELLER_PASS) and keys/platform.key (plain)."""
    monkeypatch.setenv("SELLER_PASS", PASSPHRASE)
    folder = tmp_path / "keys"
    code, _, _ = run(capsys, "keys", "new", "seller", "--dir", str(folder), "--passphrase-env", "SELLER_PASS")
    assert code == 0
    code, _, _ = run(capsys, "keys", "new", "platform", "--dir", str(folder))
    assert code == 0
    return folder


def test_keys_new_writes_both_files_and_prints_the_fingerprint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LI_PASS", PASSPHRASE)
    code, out, err = run(capsys, "keys", "new", "li", "--passphrase-env", "LI_PASS")
    assert (code, err) == (0, "")
    assert out[0] == "private key: keys/li.key (mode 0600, encrypted); keep it, never send it"
    assert out[1] == "public key:  keys/li.pub; give it to the other side for --trusted-keys"
    assert stat.S_IMODE((tmp_path / "keys" / "li.key").stat().st_mode) == 0o600
    printed = fingerprint(out)
    assert run(capsys, "keys", "fingerprint", "keys/li.pub") == (0, [printed], "")
    assert PASSPHRASE not in (tmp_path / "keys" / "li.key").read_text(encoding="ascii")


def test_keys_new_refuses_to_overwrite(key_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = (key_dir / "platform.key").read_bytes()
    code, out, err = run(capsys, "keys", "new", "platform", "--dir", str(key_dir))
    assert (code, out) == (2, [])
    assert err == (
        f"clawcheck: error: {key_dir / 'platform.key'} already exists; "
        "pick another name or move the old key away first\n"
    )
    assert (key_dir / "platform.key").read_bytes() == before


@pytest.mark.parametrize("name", ["../escape", "a/b", ".hidden", ""])
def test_keys_new_rejects_names_that_are_paths(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    code, _, err = run(capsys, "keys", "new", name, "--dir", str(tmp_path))
    assert code == 2
    assert "is not usable" in err
    assert not list(tmp_path.iterdir())


def test_sign_twice_then_verify(
    key_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], report: Path
) -> None:
    code, out, err = run(
        capsys, "sign", str(report), "--key", str(key_dir / "seller.key"), "--signer", "李雷",
        "--role", "seller", "--passphrase-env", "SELLER_PASS",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert out[0].startswith(f"signed {report} as seller: 李雷 (SHA256:")
    assert out[-1] == f"next: clawcheck sign {report} --role platform --key NAME.key --signer NAME"

    code, out, _ = run(capsys, "verify", str(report), "--trusted-keys", str(key_dir))
    assert code == 1
    assert out[-1] == "verdict: incomplete (platform not signed yet)"

    code, out, err = run(
        capsys, "sign", str(report), "--key", str(key_dir / "platform.key"), "--signer", "Han Meimei",
        "--role", "platform",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert not out[-1].startswith("next:")

    code, out, err = run(capsys, "verify", str(report), "--trusted-keys", str(key_dir))
    assert (code, err) == (0, "")
    assert out[0].startswith("seller: valid, trusted key seller.pub, 李雷 (SHA256:")
    assert out[1].startswith("platform: valid, trusted key platform.pub, Han Meimei (SHA256:")
    assert out[2:] == ["verdict: complete (seller and platform signed)"]

    (report / "report.html").write_bytes((report / "report.html").read_bytes().replace(b"\xe9\x80\x9a", b"X"))
    code, out, _ = run(capsys, "verify", str(report), "--trusted-keys", str(key_dir))
    assert code == 1
    assert out[0].startswith("report.html: content changed (sha256 ")
    assert out[-1] == "verdict: failed (1 problem; do not rely on this directory)"


def test_countersigning_a_changed_report_exits_2(
    key_dir: Path, capsys: pytest.CaptureFixture[str], report: Path
) -> None:
    code, _, _ = run(
        capsys,
        "sign",
        str(report),
        "--key",
        str(key_dir / "platform.key"),
        "--signer",
        "Han",
        "--role",
        "platform",
    )
    assert code == 0
    (report / "junit.xml").write_text("<testsuites/>\n", encoding="utf-8")
    code, out, err = run(
        capsys, "sign", str(report), "--key", str(key_dir / "seller.key"), "--signer", "李雷",
        "--role", "seller", "--passphrase-env", "SELLER_PASS",
    )  # fmt: skip
    assert (code, out) == (2, [])
    assert err.startswith(f"clawcheck: error: {report} changed since the first signature: junit.xml;")


def test_wrong_passphrase_is_one_line_and_never_echoed(
    key_dir: Path, capsys: pytest.CaptureFixture[str], report: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SELLER_PASS", "not-the-passphrase-0000")
    code, out, err = run(
        capsys, "sign", str(report), "--key", str(key_dir / "seller.key"), "--signer", "李雷",
        "--role", "seller", "--passphrase-env", "SELLER_PASS",
    )  # fmt: skip
    assert (code, out) == (2, [])
    assert (
        err
        == f"clawcheck: error: wrong passphrase for {key_dir / 'seller.key'}; check the passphrase variable\n"
    )
    assert "not-the-passphrase" not in err
    assert not (report / "MANIFEST.json").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--passphrase-env", "UNSET_PASS_VAR"], "environment variable UNSET_PASS_VAR is not set or empty"),
        ([], "is encrypted; pass its passphrase with --passphrase-env VAR"),
    ],
    ids=["unset-variable", "no-passphrase"],
)
def test_passphrase_problems_exit_2(
    key_dir: Path, capsys: pytest.CaptureFixture[str], report: Path, args: list[str], message: str
) -> None:
    code, _, err = run(
        capsys,
        "sign",
        str(report),
        "--key",
        str(key_dir / "seller.key"),
        "--signer",
        "李雷",
        "--role",
        "seller",
        *args,
    )
    assert code == 2
    assert message in err
    assert err.count("\n") == 1


def test_bad_input_exits_2(
    tmp_path: Path, key_dir: Path, capsys: pytest.CaptureFixture[str], report: Path
) -> None:
    not_a_key = tmp_path / "notes.key"
    not_a_key.write_text("hello\n", encoding="utf-8")
    cases = [
        (["verify", str(tmp_path / "nowhere")], "does not exist; pass reports/<run id>/"),
        (["verify", str(report), "--trusted-keys", str(tmp_path / "nokeys")], "trusted keys directory"),
        (["sign", str(report), "--key", str(not_a_key), "--signer", "李雷", "--role", "seller"], "not a PEM"),
        (
            ["sign", str(report), "--key", str(key_dir / "platform.key"), "--signer", "x", "--role", "buyer"],
            "buyer",
        ),
        (["keys", "fingerprint", str(not_a_key)], "is not a clawcheck public key"),
    ]
    for args, message in cases:
        code, out, err = run(capsys, *args)
        assert (code, out) == (2, []), args
        assert message in err, err


def test_verify_unsigned_directory_exits_1(capsys: pytest.CaptureFixture[str], report: Path) -> None:
    code, out, _ = run(capsys, "verify", str(report))
    assert code == 1
    assert out[0] == "missing file: MANIFEST.json"
