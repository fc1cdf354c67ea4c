#!/bin/sh
# t4304-gcp-studio.sh: blueprints/gcp-virtual-studio.yaml against the fake
# GCP: install with two artists (one of them large), the visualeffects image
# built for real by its builder's startup script (the fake runs the
# builders' scripts; packages through a stand-in apt-get) and signalled
# through guest attributes, workstations named after the artists in their
# sizes, `scale workstation +2`, uninstall to nothing; gcloud sees it all.
# Then an image build whose script fails: a fatal error, and the builder
# is cleaned up by uninstall.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/state.sh"
. "$BP_SRC/tests/fakes/gcp/env.sh"

gcp_fake_start --allow-anonymous --op-seconds 0.2 --run-startup-scripts '.*-builder'
STUDIO="$BP_SRC/blueprints/gcp-virtual-studio.yaml"
says() { printf '%s\n%s\n' "$out" "$err" | grep -qF -- "$1"; }
live() { gcp_stats "' '.join(x.rsplit('/', 1)[1] for x in s['live'] if '/$1/' in x)"; }

run 0 "install the studio for ana and ben (ben large)" "$BLUEPRINT" install "$STUDIO" -d studio \
	-i artists=ana,ben -i sizes=ben:large -i "build_script=echo visualeffects ready"
run 0 "outputs" "$BLUEPRINT" outputs -d studio --json
same "the image is in its family" '"visualeffects"' "$(field .image_family)"
check "the share's NFS export" contains "$(field .share)" ":/projects"
same "the image is made" "visualeffects-v1" "$(live images)"
same "its builder is gone" "ws-ana ws-ben" "$(live zones/us-central1-a/instances)"
same "the builder ran the packages' install and said done" 1 \
	"$(gcp_stats "s['counts'].get('insert:instances', 0) - 2")"

run 0 "gcloud lists the workstations" gcp_gcloud compute instances list \
	--format='value(name,machineType.basename(),tags.items[0])' --sort-by=name
same "named after the artists, ben large, ana medium" \
	"ws-ana	custom-8-32768	workstation
ws-ben	custom-16-49152	workstation" "$out"
run 0 "gcloud describes the image" gcp_gcloud compute images describe-from-family visualeffects \
	--format='value(name,status,labels.role)'
same "the latest of the family" "visualeffects-v1	READY	workstation-image" "$out"
run 0 "gcloud describes the firewall" gcp_gcloud compute firewall-rules describe studio-remote-desktop \
	--format='value(allowed[0].ports.list(),allowed[1].IPProtocol)'
same "remote-desktop ports" "22,443,3389,4172	udp" "$out"
run 0 "gcloud describes the template" gcp_gcloud compute instance-templates describe studio-workstation \
	--format='value(properties.machineType,properties.metadata.items[0].key)'
check "medium by default, and the share's export in its metadata" \
	contains "$out" "custom-8-32768"

run 0 "scale workstation +2" "$BLUEPRINT" scale workstation +2 -d studio
same "four workstations" 4 "$(gcp_stats "len([x for x in s['live'] if '/zones/us-central1-a/instances/' in x])")"
check "the new ones named after their instances" contains "$(live zones/us-central1-a/instances)" "workstation-"

run 0 "uninstall" "$BLUEPRINT" uninstall -d studio
same "nothing is left" "[]" "$(gcp_stats "s['live']")"

cat >"$TMP/broken.yaml" <<'EOF'
tosca_definitions_version: cloudify_dsl_1_3
imports:
  - http://www.getcloudify.org/spec/cloudify/6.4.0/types.yaml
  - plugin:cloudify-gcp-plugin
node_templates:
  img:
    type: cloudify.nodes.gcp.Image
    properties:
      gcp_config: {zone: us-central1-b}
      name: broken
      family: broken
      build:
        base_image: debian-cloud/family/debian-12
        packages: [blender]
        script: "echo cannot; exit 3"
EOF
run 1 "an image whose build script fails" "$BLUEPRINT" install "$TMP/broken.yaml" -d broken
check "says so" says "the startup script on 'broken-builder' said 'failed'"
same "no image" "" "$(live images)"
run 0 "uninstall removes the builder" "$BLUEPRINT" uninstall -d broken
same "nothing is left" "[]" "$(gcp_stats "s['live']")"
done_testing
