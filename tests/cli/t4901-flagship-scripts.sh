#!/bin/sh
# t4901-flagship-scripts.sh: the VM scripts of blueprints/k8s-mongo.yaml,
# the ones that run against a real cloud, are shellcheck-clean, each says
# what it is for, and every script the blueprint names exists.
. "$(dirname "$0")/../lib/tap.sh"

D="$BP_SRC/blueprints/k8s-mongo/scripts"
for f in "$D"/*/*.sh; do
	name=${f#"$D"/}
	run 0 "$name is shellcheck-clean" shellcheck -x "$f"
	check "$name says what it is for" sh -c "sed -n 2p '$f' | grep -q '^# $(basename "$f"): '"
done
for s in $(grep -o "/[a-z]*/[a-z-]*\.sh" "$BP_SRC/blueprints/k8s-mongo.yaml" | sort -u); do
	check "the blueprint's $s exists" test -f "$D$s"
	check "and has a test version" test -f "$BP_SRC/tests/flagship/scripts$s"
done
done_testing
