#!/usr/bin/env bash
# Install archive with its test dependencies into .venv and run the whole test suite.
source "$(dirname "$0")/venv.sh"
install_project -e '.[test]'
exec .venv/bin/python -m pytest "$@"
