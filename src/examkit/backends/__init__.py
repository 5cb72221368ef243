"""Storage backends: :mod:`examkit.backends.memory` and the SQL backend (extra ``sql``)."""

__all__: list[str] = []
