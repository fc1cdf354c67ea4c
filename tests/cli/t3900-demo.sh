#!/bin/sh
# t3900-demo.sh: `make demo` works as the README says: the local web app
# installs, answers through its proxy, scales to two servers that both
# answer, and uninstalls leaving no process or file (scripts/demo.sh checks
# each and fails otherwise).
. "$(dirname "$0")/../lib/tap.sh"
run 0 "the demo runs through" env BLUEPRINT_BIN="$BLUEPRINT" sh "$BP_SRC/scripts/demo.sh"
check "it scaled to two servers" has out -q "served by app_"
check "and left nothing behind" has out -q "done: nothing left behind"
done_testing
