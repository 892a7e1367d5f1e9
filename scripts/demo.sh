#!/usr/bin/env bash
# Install archive into .venv, ingest corpus/ into index/, and run example searches.
source "$(dirname "$0")/venv.sh"
install_project -e .
export PATH="$PWD/.venv/bin:$PATH"

show() {
    local shown="" arg
    for arg in "$@"; do
        case "$arg" in *[\ \"]*) shown+=" '$arg'" ;; *) shown+=" $arg" ;; esac
    done
    printf '\n$%s\n' "$shown"
    "$@"
}

show archive ingest corpus/
show archive stats
show archive search ceasefire --limit 3
show archive search --person gantz
show archive search --country us --limit 3
show archive search --place Rafah --since 2024-01-01
show archive search '"humanitarian aid" AND NOT airdrop'
show archive facets people gaza --limit 10
show archive related "Benny Gantz" --limit 10
show archive search --person gantz --place rafah --format json --limit 1
