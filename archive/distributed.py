"""Run the per-file work of an ingest or enrichment on a Dask distributed cluster.

:class:`DaskPool` is the cluster counterpart of :class:`archive.workers.FilePool`: the same
``run(tasks)`` interface, the same work function (:func:`archive.workers.process_file`), the
results handed back **in input order** with a bounded number of files in flight, so the single
Whoosh writer (or the partition writer) sees exactly what a local run would give it and memory
stays flat however large the pile.

Faults:

- a worker that dies mid-task has its tasks rescheduled on the others by the scheduler
  (tasks are also submitted with ``retries``, for errors raised inside a task);
- a file whose task still fails (an exception, or the scheduler giving up after workers died
  on it: ``KilledWorker``) comes back as a failed :class:`~archive.workers.FileResult` naming
  its path and the reason, like any bad input;
- leaving the ``with`` block (normally, on an error or on Ctrl-C) cancels the tasks still in
  flight and closes the client, and the LocalCluster when this pool started one.

Dask is imported only here, and only when a pool is created: ``pip install 'archive[distributed]'``.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from .errors import ArchiveError
from .workers import FileResult, FileTask, InFlight, default_jobs, process_file

IN_FLIGHT_PER_WORKER = 8  # files in flight a worker at least
TASK_RETRIES = 2
LOCAL = "local"


@contextmanager
def _interrupts_ignored() -> Iterator[None]:
    """Ignore SIGINT for the block: worker processes started in it inherit that, so Ctrl-C at
    the terminal (sent to the whole process group) reaches only the client."""
    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


SHUTDOWN_LOGGERS = ("distributed", "tornado", "asyncio")


@contextmanager
def _shutdown_logs_quieted() -> Iterator[None]:
    """Only critical messages from Dask, Tornado and asyncio during the block."""
    import logging  # Dask runs only: the local pool never needs it

    loggers = [logging.getLogger(name) for name in SHUTDOWN_LOGGERS]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)


def _import_distributed() -> Any:
    """The ``distributed`` module, or a clear error saying how to install it."""
    try:
        import distributed  # Dask is optional and heavy: imported only when a cluster is asked for
    except ImportError as error:  # pragma: no cover - depends on the installation
        raise ArchiveError(
            "--dask needs Dask distributed: pip install 'archive[distributed]' "
            f"(or pip install 'dask[distributed]'): {error}"
        ) from error
    return distributed


class DaskPool:
    """Connects to a Dask scheduler (``address``, e.g. ``tcp://10.0.0.5:8786``) or, for
    ``"local"``, starts a LocalCluster of ``workers`` processes on this machine (one thread
    each; default: every core).

    Create it before taking the ingest lock (a LocalCluster's worker processes must not
    inherit the lock's descriptor).
    """

    def __init__(self, address: str, workers: int | None = None, *, in_flight: int | None = None) -> None:
        distributed = _import_distributed()
        self.address = address
        self.cluster: Any = None
        self.pending: set[Any] = set()
        self.killed = 0
        if address == LOCAL:
            with _interrupts_ignored():  # Ctrl-C is the client's to handle (it commits and stops)
                self.cluster = distributed.LocalCluster(
                    n_workers=workers or default_jobs(),
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                )
            self.client = distributed.Client(self.cluster)
        else:
            try:
                self.client = distributed.Client(address, timeout=30)
            except OSError as error:
                raise ArchiveError(f"cannot reach the Dask scheduler at {address}: {error}") from error
        self._in_flight = in_flight

    def __enter__(self) -> DaskPool:
        return self

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        self.close()

    def close(self) -> None:
        """Cancel what is still in flight, close the client and any LocalCluster.

        Shutting down, Dask and its event loop may log tracebacks of callbacks cut short
        (a cancelled ``sync`` call, a closed comm); every result has arrived or been given up
        by then, so they are kept off the user's terminal.
        """
        with _shutdown_logs_quieted():
            try:
                if self.pending:
                    self.client.cancel(list(self.pending), force=True)
                    self.pending.clear()
            finally:
                self.client.close()
                if self.cluster is not None:
                    self.cluster.close()

    def worker_count(self) -> int:
        """Workers connected to the scheduler now."""
        return len(self.client.scheduler_info(n_workers=-1).get("workers", {}))

    def in_flight(self) -> InFlight:
        """The bound on files in flight: ``in_flight`` files when given, else a few per worker
        (at least a few in all) and more while their source bytes stay few."""
        if self._in_flight is not None:
            count = max(1, self._in_flight)
            return InFlight(count, max_files=count)
        return InFlight(max(4, IN_FLIGHT_PER_WORKER * max(1, self.worker_count())))

    def run(self, tasks: Iterable[FileTask]) -> Iterator[FileResult]:
        """Results of ``tasks`` in their order, with at most :meth:`in_flight` submitted and not
        yet handed back (running, queued or waiting for their turn)."""
        distributed = _import_distributed()
        in_flight = self.in_flight()
        source = iter(tasks)
        order: dict[Any, int] = {}
        done: dict[int, FileResult] = {}
        tasks_by_number: dict[int, FileTask] = {}
        submitted = handed = 0
        completed = distributed.as_completed(loop=self.client.loop)  # not the default client's loop

        def submit_more() -> None:
            nonlocal submitted
            while in_flight.has_room():
                task = next(source, None)
                if task is None:
                    break
                future = self.client.submit(process_file, task, retries=TASK_RETRIES, pure=False)
                order[future] = submitted
                tasks_by_number[submitted] = task
                self.pending.add(future)
                completed.add(future)
                in_flight.add(task)
                submitted += 1

        submit_more()
        while handed < submitted:
            while handed not in done:
                future = next(completed)
                number = order.pop(future)
                self.pending.discard(future)
                done[number] = self._result(future, tasks_by_number.pop(number))
            while handed in done:
                result = done.pop(handed)
                in_flight.remove(result.task)
                yield result
                handed += 1
            submit_more()

    def _result(self, future: Any, task: FileTask) -> FileResult:
        """A finished future's result, or a failed result naming the file and the reason."""
        try:
            return future.result()
        except Exception as error:  # a task that kept failing or whose workers kept dying
            name = type(error).__name__
            if name == "KilledWorker":
                self.killed += 1
                reason = "workers processing it died repeatedly (KilledWorker)"
            else:
                reason = f"failed on a Dask worker: {name}: {error}"
            return FileResult(task, problems=[(task.path, reason, 1)], failed=True)


def relative_paths(paths: Iterable[str | os.PathLike[str]]) -> list[str]:
    """The relative ones among ``paths``: remote workers would resolve them against their own
    working directory, so the command line warns about them when the cluster is not local."""
    return [os.fspath(path) for path in paths if not os.path.isabs(os.fspath(path))]
