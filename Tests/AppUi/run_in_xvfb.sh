#!/usr/bin/env bash
# Runs a command (an in-process UI test) under a private Xvfb display with a fresh settings folder
# (Tests/Gui/gui_lib.sh), so the tests need no display of their own (CI has none).
# Usage: run_in_xvfb.sh <program> [args...]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../Gui/gui_lib.sh"
"$@"
