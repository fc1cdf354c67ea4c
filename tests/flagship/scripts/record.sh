#!/bin/bash
# record.sh: sourced by the test versions of k8s-mongo.yaml's VM scripts
# (tests/cli/t4900-flagship.sh copies this tree and puts the path of its
# record file in place of @RECORD@). record WHAT appends one line:
# "INSTANCE SCRIPT WHAT...", so the test can count what ran where.
record_file=@RECORD@
record() {
	if [ "${scope:-}" ]; then id=$(ctx "$scope" instance id); else id=$(ctx instance id); fi
	printf '%s %s %s\n' "$id" \
		"$(basename "$0")" "$*" >>"$record_file"
}
