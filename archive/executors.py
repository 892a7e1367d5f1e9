"""Choosing the executor of the per-file work: local worker processes or a Dask cluster
(Dask itself is imported only when a cluster is asked for)."""

from __future__ import annotations

from typing import Any

from .distributed import DaskPool
from .workers import FilePool


def file_pool(jobs: int | None, dask: str | None, dask_workers: int | None) -> Any:
    """The executor: a Dask pool when ``dask`` names a cluster, else local worker processes."""
    if dask:
        return DaskPool(dask, dask_workers)
    return FilePool(jobs or 1)
