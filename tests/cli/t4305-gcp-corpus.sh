#!/bin/sh
# t4305-gcp-corpus.sh: Cloudify's own GCP example (the corpus's
# cloudify-gcp-plugin/blueprints/vm.yaml: secrets for credentials, zone and
# region; old type names; a network, subnetwork, firewall and instance)
# installs unchanged against the fake GCP and uninstalls to nothing.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/state.sh"
. "$BP_SRC/tests/fakes/gcp/env.sh"

VM="$SHARED/corpus/cloudify-cosmo__cloudify-gcp-plugin/blueprints/vm.yaml"
if [ ! -f "$VM" ]; then
	echo "1..0 # skip no corpus at $SHARED"; exit 0
fi
gcp_fake_start --op-seconds 0.2
run 0 "secret zone" "$BLUEPRINT" secret set zone us-central1-a
run 0 "secret region" "$BLUEPRINT" secret set region us-central1
run 0 "secret gcp_credentials: the service-account key" \
	"$BLUEPRINT" secret set gcp_credentials "$(cat "$GOOGLE_APPLICATION_CREDENTIALS")"
# the example's default image (Ubuntu 14.04 of 2017) is long gone: a family
run 0 "install" "$BLUEPRINT" install "$VM" -d vm -i prefix=demo \
	-i image=ubuntu-os-cloud/family/ubuntu-2204-lts
same "its network, subnetwork, firewall and instance" \
	"firewalls instances networks subnetworks" \
	"$(gcp_stats "' '.join(sorted(set(x.split('/')[-2] for x in s['live'] if '/disks/' not in x)))")"
same "the subnetwork in the example's network" "demo-network" \
	"$(gcp_stats "[x for x in s['live'] if '/subnetworks/' in x][0].split('/')[-1].replace('subnetwork', 'network')")"
run 0 "uninstall" "$BLUEPRINT" uninstall -d vm
same "nothing is left" "[]" "$(gcp_stats "s['live']")"
done_testing
