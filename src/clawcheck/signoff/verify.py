"""Verifying a signed report directory: every file against the manifest, every signature against it.

Order matters for the message a user sees first: the manifest (is it the one that was
signed?), then the files (changed, added, removed), then each signature (well-formed,
verifies, covers this manifest, made with a trusted key).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from clawcheck.errors import ConfigError
from clawcheck.signoff.files import MANIFEST_NAME, SIGNATURES_DIR, scan
from clawcheck.signoff.keys import load_trusted_keys
from clawcheck.signoff.manifest import (
    CHECKLIST_NAME,
    Manifest,
    provenance_fields,
    read_checklist,
    read_manifest,
)
from clawcheck.signoff.record import Role, SignatureRecord, signature_path

__all__ = ["SignatureCheck", "SignatureStatus", "VerifyResult", "verify_report"]


class SignatureStatus(StrEnum):
    TRUSTED = "trusted"  # verifies, and its key is one of the trusted keys
    VALID = "valid"  # verifies; no trusted keys were given, so who holds the key is not known
    DEMO = "demo"  # verifies, made with the throw-away key of a demo run: never trusted
    UNTRUSTED = "untrusted"  # verifies, but its key is not among the trusted keys
    INVALID = "invalid"  # malformed, edited after signing, or over another manifest
    UNCHECKED = "unchecked"  # no valid MANIFEST.json to check it against
    MISSING = "missing"  # this role has not signed


@dataclass(frozen=True, slots=True)
class SignatureCheck:
    """What verification found for one role's signature."""

    role: Role
    status: SignatureStatus
    record: SignatureRecord | None = None
    problem: str | None = None  # one line naming the signature file, when it fails verification
    trusted_as: Path | None = None  # the .pub file holding its key

    def line(self) -> str:
        if self.record is None or self.status in (SignatureStatus.INVALID, SignatureStatus.MISSING):
            return {
                SignatureStatus.MISSING: f"{self.role}: missing, not signed yet",
                SignatureStatus.INVALID: f"{self.role}: INVALID, {self.problem}",
            }.get(self.status, f"{self.role}: {self.status}")
        who = f"{_printable(self.record.signer)} ({self.record.fingerprint}), signed {self.record.signed_at}"
        match self.status:
            case SignatureStatus.TRUSTED:
                assert self.trusted_as is not None
                return f"{self.role}: valid, trusted key {self.trusted_as.name}, {who}"
            case SignatureStatus.VALID:
                return (
                    f"{self.role}: valid, {who}; key not checked against trusted keys (pass --trusted-keys)"
                )
            case SignatureStatus.DEMO:
                return (
                    f"{self.role}: valid, DEMO key, {who}; a throw-away demo key, not an acceptance signature"
                )
            case SignatureStatus.UNTRUSTED:
                return f"{self.role}: UNTRUSTED key {self.record.fingerprint}, {who}"
            case _:
                return f"{self.role}: not checked, there is no valid {MANIFEST_NAME} to check it against"


@dataclass(frozen=True, slots=True)
class VerifyResult:
    """The outcome of `verify_report`; the CLI exits 0 only when `ok and complete`."""

    directory: Path
    findings: tuple[str, ...]  # manifest, files and stray signature files, one line each
    signatures: tuple[SignatureCheck, ...]  # one per role, seller first
    digest: str | None = None  # of MANIFEST.json, when it could be read
    run_id: str | None = None
    trusted_keys: Path | None = None

    @property
    def problems(self) -> list[str]:
        """Everything that fails verification, most telling first; empty when all checks out."""
        return [*self.findings, *(s.problem for s in self.signatures if s.problem)]

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def complete(self) -> bool:
        """Both roles signed and verify; with trusted keys, both with trusted, non-demo keys."""
        accepted = (
            {SignatureStatus.TRUSTED}
            if self.trusted_keys is not None
            else {SignatureStatus.VALID, SignatureStatus.DEMO}
        )
        return all(s.status in accepted for s in self.signatures)

    @property
    def demo(self) -> bool:
        return any(s.record is not None and s.record.demo for s in self.signatures)

    @property
    def verdict(self) -> str:
        if not self.ok:
            return "failed"
        return "complete" if self.complete else "incomplete"

    def lines(self) -> list[str]:
        """The report: directory findings, one line per role, and the verdict."""
        verdict = self.verdict
        if verdict == "failed":
            count = len(self.problems)
            detail = f"{count} problem{'s' if count != 1 else ''}; do not rely on this directory"
        elif verdict == "complete":
            detail = "seller and platform signed" + (
                " with demo keys: a demonstration, not an acceptance" if self.demo else ""
            )
        else:
            unsigned = [str(s.role) for s in self.signatures if s.status is SignatureStatus.MISSING]
            detail = f"{' and '.join(unsigned)} not signed yet"
        return [
            *self.findings,
            *(s.line() for s in self.signatures),
            f"verdict: {verdict} ({detail})",
        ]


def verify_report(directory: Path | str, trusted_keys_dir: Path | str | None = None) -> VerifyResult:
    """Check `directory` against its MANIFEST.json and signatures; ConfigError only for bad input."""
    folder = Path(directory)
    if not folder.is_dir():
        raise ConfigError(f"report directory {folder} does not exist; pass reports/<run id>/")
    trusted = load_trusted_keys(trusted_keys_dir) if trusted_keys_dir is not None else None

    findings: list[str] = []
    manifest: Manifest | None = None
    try:
        manifest = read_manifest(folder)
    except FileNotFoundError:
        findings.append(f"missing file: {MANIFEST_NAME}")
    except ValueError as exc:
        findings.append(f"{MANIFEST_NAME}: {exc}")
    except OSError as exc:
        findings.append(f"{MANIFEST_NAME}: cannot be read ({exc.strerror})")

    stray, records = _signature_files(folder)
    checks: dict[Role, SignatureCheck] = {}
    consistent: dict[Role, SignatureRecord] = {}
    for role, path in records.items():
        name = signature_path(role)
        if path is None:
            checks[role] = SignatureCheck(role, SignatureStatus.MISSING)
            continue
        try:
            record = SignatureRecord.read(path)
            if record.role is not role:
                raise ValueError(f"it records role {record.role}; a signature file is named after its role")
            record.check()
        except (OSError, ValueError) as exc:
            checks[role] = SignatureCheck(role, SignatureStatus.INVALID, problem=f"{name}: {exc}")
            continue
        consistent[role] = record

    if manifest is None:
        checks.update(
            {role: SignatureCheck(role, SignatureStatus.UNCHECKED, r) for role, r in consistent.items()}
        )
    else:
        digest = manifest.digest
        if consistent and all(r.digest != digest for r in consistent.values()):
            # Nothing signed this manifest: comparing files against it would prove nothing.
            findings.append(
                f"{MANIFEST_NAME}: its digest {digest[:16]}… is not the digest any signature covers "
                "(changed after signing, or the signatures belong to another report)"
            )
        else:
            findings.extend(_compare_files(folder, manifest))
        for role, record in consistent.items():
            checks[role] = _judge(role, record, digest, trusted, trusted_keys_dir)

    findings.extend(stray)
    return VerifyResult(
        directory=folder,
        findings=tuple(findings),
        signatures=tuple(checks[role] for role in Role),
        digest=manifest.digest if manifest else None,
        run_id=manifest.run_id if manifest else None,
        trusted_keys=Path(trusted_keys_dir) if trusted_keys_dir is not None else None,
    )


def _signature_files(folder: Path) -> tuple[list[str], dict[Role, Path | None]]:
    """(findings about files that do not belong in signatures/, the signature file of each role)."""
    records: dict[Role, Path | None] = dict.fromkeys(Role)
    base = folder / SIGNATURES_DIR
    if base.is_symlink() or (base.exists() and not base.is_dir()):
        return [f"{SIGNATURES_DIR}: not a directory"], records
    stray: list[str] = []
    expected = {f"{role}.json": role for role in Role}
    for path in sorted(base.rglob("*")) if base.is_dir() else ():
        relative = path.relative_to(folder).as_posix()
        role = expected.get(path.name) if path.parent == base else None
        if role is not None and path.is_file() and not path.is_symlink():
            records[role] = path
        elif not path.is_dir() or path.is_symlink():
            stray.append(f"extra file in {SIGNATURES_DIR}/, not a signature: {relative}")
    return stray, records


def _compare_files(folder: Path, manifest: Manifest) -> list[str]:
    found = scan(folder)
    problems = [f"symlink not allowed: {path}" for path in found.symlinks]
    for path in sorted(set(manifest.files) | set(found.files)):
        signed, actual = manifest.files.get(path), found.files.get(path)
        if actual is None:
            problems.append(f"missing file: {path}")
        elif signed is None:
            problems.append(f"extra file not in the manifest: {path}")
        elif signed != actual:
            problems.append(f"{path}: content changed (sha256 {actual}, signed {signed})")
    if not problems:
        problems.extend(_compare_provenance(folder, manifest))
    return problems


def _compare_provenance(folder: Path, manifest: Manifest) -> list[str]:
    """With the files intact, the manifest's own fields must be the ones checklist.json gives."""
    if manifest.files.get(CHECKLIST_NAME) != manifest.checklist_sha256:
        return [f"{MANIFEST_NAME}: checklist_sha256 is not the hash of {CHECKLIST_NAME}"]
    try:
        fields = provenance_fields(read_checklist(folder))
    except ValueError as exc:
        return [f"{CHECKLIST_NAME}: {exc}"]
    signed = manifest.to_dict()
    return [
        f"{MANIFEST_NAME}: {name} does not match {CHECKLIST_NAME}"
        for name, value in fields.items()
        if signed[name] != value
    ]


def _judge(
    role: Role,
    record: SignatureRecord,
    digest: str,
    trusted: dict[str, Path] | None,
    trusted_dir: Path | str | None,
) -> SignatureCheck:
    name = signature_path(role)
    if record.digest != digest:
        return SignatureCheck(
            role,
            SignatureStatus.INVALID,
            record,
            f"{name}: signs a different manifest (digest {record.digest[:16]}…, "
            f"{MANIFEST_NAME} is {digest[:16]}…)",
        )
    if record.demo:
        problem = None
        if trusted is not None:
            problem = (
                f"{name}: signed with a demo key {record.fingerprint}; a demo signature is never trusted: "
                "sign with a key from `clawcheck keys new`"
            )
        return SignatureCheck(role, SignatureStatus.DEMO, record, problem)
    if trusted is None:
        return SignatureCheck(role, SignatureStatus.VALID, record)
    if record.fingerprint in trusted:
        return SignatureCheck(role, SignatureStatus.TRUSTED, record, trusted_as=trusted[record.fingerprint])
    return SignatureCheck(
        role,
        SignatureStatus.UNTRUSTED,
        record,
        f"{name}: key {record.fingerprint} of {_printable(record.signer)} is untrusted "
        f"(no .pub file in {trusted_dir} holds it)",
    )


def _printable(text: str) -> str:
    # A signer name is the signer's own input: never let it move the cursor or fake a line.
    return "".join(c if c.isprintable() else "?" for c in text)
