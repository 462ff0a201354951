#!/usr/bin/env bash
# Set up (first time only) and start the bot. Settings come from .env or the environment.
# Usage: scripts/start.sh            -> infocoach run
#        scripts/start.sh chat       -> try it in the terminal, no token needed
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/infocoach ] || scripts/setup.sh
exec .venv/bin/infocoach "${@:-run}"
