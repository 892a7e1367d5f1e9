#!/usr/bin/env bash
# Install archive with its test dependencies into .venv and run the whole test suite.
source "$(dirname "$0")/venv.sh"
install_project -e '.[test,distributed]'
# The web view's browser test drives Debian's chromium through chromium-driver (Selenium).
# Install them when missing and we may (root with apt-get, as in CI); otherwise that test
# says what is missing (and fails under CI).
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "installing chromium and chromium-driver for the browser test..." >&2
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver) >/dev/null 2>&1 \
            || echo "could not install chromium; the browser test will report it" >&2
    fi
fi
# The completion tests type into real bash, zsh and fish on a pseudo-terminal; install the two
# that Debian lacks by default when we may (otherwise those tests say what is missing).
if ! command -v zsh >/dev/null 2>&1 || ! command -v fish >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        (DEBIAN_FRONTEND=noninteractive apt-get install -y -qq zsh fish) >/dev/null 2>&1 \
            || echo "could not install zsh and fish; their completion tests will report it" >&2
    fi
fi
# The layering contract (setup.cfg, [importlinter]): no module imports from a layer above it.
.venv/bin/lint-imports --no-cache
exec .venv/bin/python -m pytest "$@"
