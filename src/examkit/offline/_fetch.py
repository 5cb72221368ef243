"""The offline server's package fetcher: resumable, chunk by chunk, verified before use."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from examkit.errors import ExamkitError, InvalidState
from examkit.offline._model import ExamPackage
from examkit.offline._packages import assemble_verified, missing_from, store_chunk
from examkit.offline._protocol import CrashHook
from examkit.records import Backend

__all__ = ["fetch_package"]

Source = Callable[[str, int], Iterator[bytes]]
"""Yields a package's bytes from an offset (``SyncClient.fetch_package``)."""


def fetch_package(
    backend: Backend, package: ExamPackage, source: Source, *, crash: CrashHook
) -> bool:
    """Fetch what is missing of *package* into the local store; return whether it is verified.

    Resumes at the first chunk not stored (``Range`` from its first byte) and
    stores each chunk in its own unit as it arrives (an interrupted fetch
    keeps what it got); asks again while the answers make progress. Once
    every chunk is stored the whole is checked against the digest and only
    then marked verified; a content that does not match is dropped (the next
    sync fetches it afresh) and reported.

    Raises:
        examkit.errors.ExamkitError: ``offline.package.digest`` (the content does not match),
            ``offline.package.incomplete`` (the answer ran past the content),
            or the client's errors.

    Implements SCH-8.
    """
    digest = package.digest
    while True:
        with backend.begin(readonly=True) as uow:
            first = missing_from(uow, digest)
        if first >= package.chunks:
            break
        if not _fetch_from(backend, package, source, first, crash):
            return False
    with backend.begin() as uow:
        try:
            content = assemble_verified(uow, digest)
        except ExamkitError:
            uow.commit()  # the chunks are dropped: the next fetch starts over
            raise
        uow.commit()
    return content is not None


def _fetch_from(
    backend: Backend, package: ExamPackage, source: Source, first: int, crash: CrashHook
) -> bool:
    """Fetch from chunk *first*; return whether at least one chunk was stored."""
    index, pending = first, bytearray()
    stored = False
    for piece in source(package.digest, first * package.chunk_size):
        pending += piece
        while index < package.chunks and len(pending) >= _length(package, index):
            size = _length(package, index)
            _store(backend, package, index, bytes(pending[:size]))
            del pending[:size]
            stored = True
            crash("offline.package.after_chunk")
            index += 1
        if index >= package.chunks and pending:
            raise InvalidState("offline.package.incomplete", package=package.digest)
    return stored


def _length(package: ExamPackage, index: int) -> int:
    return min(package.chunk_size, package.size - index * package.chunk_size)


def _store(backend: Backend, package: ExamPackage, index: int, data: bytes) -> None:
    with backend.begin() as uow:
        store_chunk(uow, package, index, data)
        uow.commit()
