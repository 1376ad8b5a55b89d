#!/usr/bin/env bash
# The briefs benchmark suite, one command (see tests/benchmarks/README.md):
#   tests/benchmarks/run.sh --quick                     # CI: 2,000 briefs, peers on PATH only
#   tests/benchmarks/run.sh --full [--sizes 2000,20000] # all sizes; installs missing peers
# Figures are printed and written (RESULTS.md), never asserted.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
exec python3 "$here/run.py" "$@"
