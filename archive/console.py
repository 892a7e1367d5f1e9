"""The ``archive`` console script: a read command goes to the index's resident reader when one
runs (:mod:`archive.daemon_client`, standard library only, so Click and Whoosh load only when
the command runs in this process), else to the Click command line (:mod:`archive.cli`)."""

from __future__ import annotations

import sys

from .daemon_client import run_command


def main() -> None:
    """Run the command line given in ``sys.argv``."""
    code = run_command(sys.argv[1:])
    if code is not None:
        sys.exit(code)
    from .cli import run_here  # Click and the library load only when no resident reader answered

    run_here()


if __name__ == "__main__":
    main()
