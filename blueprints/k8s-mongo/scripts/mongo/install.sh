#!/bin/bash
# install.sh: MongoDB Community Edition on mongo_vm (create of mongodb in
# k8s-mongo.yaml), from MongoDB's own package repository (neither Debian nor
# Ubuntu ships it). Safe to run again.
#
# Environment: MONGO_VERSION (default 7.0).
set -euo pipefail

version=${MONGO_VERSION:-7.0}
export DEBIAN_FRONTEND=noninteractive
. /etc/os-release

sudo apt-get update -qq
sudo apt-get install -y -qq ca-certificates curl gpg
keyring=/usr/share/keyrings/mongodb-server-${version}.gpg
curl -fsSL "https://www.mongodb.org/static/pgp/server-${version}.asc" |
	sudo gpg --batch --yes --dearmor -o "$keyring"
case "$ID" in
ubuntu) repo="https://repo.mongodb.org/apt/ubuntu ${VERSION_CODENAME}/mongodb-org/${version} multiverse" ;;
debian) repo="https://repo.mongodb.org/apt/debian ${VERSION_CODENAME}/mongodb-org/${version} main" ;;
*) echo "unsupported distribution '${ID}': expected ubuntu or debian" >&2; exit 1 ;;
esac
echo "deb [signed-by=${keyring}] ${repo}" |
	sudo tee /etc/apt/sources.list.d/mongodb-org.list >/dev/null
sudo apt-get update -qq
sudo apt-get install -y -qq mongodb-org
ctx logger info "MongoDB ${version} installed on $(hostname)"
