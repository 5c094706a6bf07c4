"""The Store protocol: what the CLI and the dashboard may ask of a storage backend."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import pandas as pd

    from geodata.plans.extract import Extraction


class Store(Protocol):
    """A place where envmap's tables live. Every write is one transaction."""

    def replace_document(self, extraction: Extraction) -> dict[str, int]:
        """Store one document's records, replacing an earlier import of the same document.

        Returns the number of rows written per table. Either every table is written or
        none is (the store is unchanged after an error).
        """
        ...

    def read_table(self, name: str, **filters: str) -> pd.DataFrame:
        """All rows of ``name`` (columns in ``geodata.model`` order), filtered by equality."""
        ...

    def document_ids(self) -> list[str]: ...

    def document_text(self, document_id: str) -> list[str]:
        """The numbered lines of a document's text as cited by ``source_line`` ([] when not kept)."""
        ...

    def data_version(self) -> int:
        """A number that changes whenever the data changes (for caches)."""
        ...

    def close(self) -> None: ...
