"""Board members' Ed25519 keys: make one, load one, sign a ledger event, verify a signature.

Why Ed25519 through ``cryptography`` rather than ``ssh-keygen -Y sign``: the check verifies every
event of the ledger on every ``b12spec check`` and ``status``, in process and on any machine with
pip (no OpenSSH binary to install or spawn per event); Ed25519 signatures are deterministic and
small. The keys still use OpenSSH's formats, so a member can sign with a key made by
``ssh-keygen -t ed25519`` as well as with ``b12spec signoff keygen``, and the roster lists public
keys in the one-line ``ssh-ed25519 AAAA...`` form people already know; fingerprints are the
``SHA256:...`` form ``ssh-keygen -l`` prints.

Private keys never belong in the repository: ``keygen`` refuses to write one inside the spec's
project, and a test scans the repository for private-key markers.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from b12spec.signoff.errors import SignoffError

PASSPHRASE_VARIABLE = "B12SPEC_KEY_PASSPHRASE"
SIGNATURE_CONTEXT = b"b12spec sign-off event v1\n"
KEY_TYPE = "ssh-ed25519"


class KeyProblem(SignoffError):
    """A key file or public key that cannot be used; the message says which and why."""


@dataclass(frozen=True)
class SigningKey:
    """A member's private key, loaded for signing, with its public line and fingerprint."""

    private: Ed25519PrivateKey
    public_line: str
    fingerprint: str

    def sign(self, digest: str) -> str:
        """The base64 signature of an event digest (with a context prefix, so it signs nothing else)."""
        return base64.b64encode(self.private.sign(SIGNATURE_CONTEXT + digest.encode("ascii"))).decode("ascii")


def _public_line(public: Ed25519PublicKey) -> str:
    return public.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode("ascii")


def fingerprint(public_line: str) -> str:
    """``SHA256:<base64>`` of the key blob, as ``ssh-keygen -l`` shows it; KeyProblem when malformed."""
    parse_public_key(public_line)
    blob = base64.b64decode(public_line.split()[1])
    return "SHA256:" + base64.b64encode(hashlib.sha256(blob).digest()).decode("ascii").rstrip("=")


def parse_public_key(public_line: str) -> Ed25519PublicKey:
    """The Ed25519 key of an ``ssh-ed25519 AAAA... [comment]`` line; KeyProblem for anything else."""
    parts = public_line.split()
    if len(parts) < 2 or parts[0] != KEY_TYPE:
        raise KeyProblem(f"a public key must be one line 'ssh-ed25519 AAAA... [comment]', got {public_line[:40]!r}")
    try:
        key = serialization.load_ssh_public_key(f"{parts[0]} {parts[1]}".encode("ascii"))
    except (ValueError, UnsupportedAlgorithm, binascii.Error, UnicodeEncodeError) as error:
        raise KeyProblem(f"the public key {parts[1][:16]}... is not a valid Ed25519 key ({error})") from error
    if not isinstance(key, Ed25519PublicKey):
        raise KeyProblem("only Ed25519 keys are accepted")
    return key


def verify(public_line: str, digest: str, signature: str) -> bool:
    """Whether ``signature`` is the holder of ``public_line`` signing event ``digest``."""
    try:
        raw = base64.b64decode(signature, validate=True)
        parse_public_key(public_line).verify(raw, SIGNATURE_CONTEXT + digest.encode("ascii"))
    except (InvalidSignature, binascii.Error, ValueError, KeyProblem):
        return False
    return True


def load_signing_key(path: Path | str) -> SigningKey:
    """A private Ed25519 key from an OpenSSH or PEM (PKCS#8) file.

    An encrypted key is opened with the passphrase in the environment variable
    ``B12SPEC_KEY_PASSPHRASE`` (never a command-line argument, which other users can see).
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise KeyProblem(f"cannot read the key file {path}: {error.strerror or error}") from error
    passphrase = os.environ.get(PASSPHRASE_VARIABLE)
    secret = passphrase.encode("utf-8") if passphrase else None
    loaders = (serialization.load_ssh_private_key, serialization.load_pem_private_key)
    problems = []
    for loader in loaders:
        try:
            key = loader(data, secret)
        except TypeError as error:  # encrypted but no passphrase, or a passphrase for a plain key
            problems.append(str(error))
            continue
        except (ValueError, UnsupportedAlgorithm) as error:
            problems.append(str(error))
            continue
        if not isinstance(key, Ed25519PrivateKey):
            raise KeyProblem(f"{path} is not an Ed25519 key; make one with 'b12spec signoff keygen FILE'")
        public = _public_line(key.public_key())
        return SigningKey(key, public, fingerprint(public))
    hint = f" (an encrypted key needs its passphrase in {PASSPHRASE_VARIABLE})" if any(
        "encrypted" in p.lower() or "password" in p.lower() for p in problems
    ) else ""
    raise KeyProblem(f"{path} is not an OpenSSH or PEM private key{hint}")


def new_key_file(path: Path | str, comment: str = "") -> SigningKey:
    """Write a new private key to ``path`` (mode 0600, never over an existing file) and load it."""
    path = Path(path)
    key = Ed25519PrivateKey.generate()
    secret = os.environ.get(PASSPHRASE_VARIABLE)
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(secret.encode("utf-8")) if secret else serialization.NoEncryption()
    )
    data = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, encryption)
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as error:
        raise KeyProblem(f"{path} already exists; a key is never overwritten (choose another file)") from error
    with os.fdopen(handle, "wb") as stream:
        stream.write(data)
    public = _public_line(key.public_key())
    if comment:
        public = f"{public} {comment}"
    return SigningKey(key, public, fingerprint(public))
