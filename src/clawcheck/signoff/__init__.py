"""Sign-off: both sides sign a report directory with Ed25519, and anyone can verify it.

    keys       NAME.key (PKCS8 PEM, 0600, optional passphrase) and NAME.pub (`ed25519:<base64>`)
    manifest   MANIFEST.json: sha256 of every file; its canonical JSON's sha256 is what is signed
    sign       signatures/<role>.json for role seller or platform, over the same manifest
    verify     names the first changed, added or removed file, and judges every signature

Typical use (the acceptance run, then each side):

    key = load_private_key("keys/li.key", passphrase)
    sign_report("reports/run-1", key, "李雷", "seller")
    result = verify_report("reports/run-1", trusted_keys_dir="keys/trusted")
    result.ok, result.complete, result.problems, result.lines()
"""

from clawcheck.signoff.keys import (
    KeyPair,
    PublicKey,
    SigningKey,
    demo_key,
    generate_keypair,
    load_private_key,
    load_public_key,
    load_trusted_keys,
)
from clawcheck.signoff.manifest import MANIFEST_SCHEMA, Manifest, build_manifest, canonical_json
from clawcheck.signoff.record import Role, SignatureRecord
from clawcheck.signoff.sign import sign_report
from clawcheck.signoff.verify import SignatureCheck, SignatureStatus, VerifyResult, verify_report

__all__ = [
    "MANIFEST_SCHEMA",
    "KeyPair",
    "Manifest",
    "PublicKey",
    "Role",
    "SignatureCheck",
    "SignatureRecord",
    "SignatureStatus",
    "SigningKey",
    "VerifyResult",
    "build_manifest",
    "canonical_json",
    "demo_key",
    "generate_keypair",
    "load_private_key",
    "load_public_key",
    "load_trusted_keys",
    "sign_report",
    "verify_report",
]
