"""Helpers for tests that run archive in a child process."""

from __future__ import annotations

import ctypes
import os


def unprivileged() -> dict:
    """Popen options that make file permissions bind even when the tests run as root.

    Root keeps its user id but loses the capabilities that bypass permission bits
    (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER) before the child starts.
    """
    if os.geteuid() != 0:
        return {}
    libc = ctypes.CDLL(None, use_errno=True)

    def drop_capabilities() -> None:
        for capability in (1, 2, 3):
            if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
                raise OSError(ctypes.get_errno(), "cannot drop capabilities")

    return {"preexec_fn": drop_capabilities}
