#!/usr/bin/env bash
# Install what rtcguard needs to build, test and run its demo on Debian 12,
# and mount bpffs.  Idempotent: installs only what is missing.
set -euo pipefail

PKGS=(
	make gcc clang llvm pkg-config libclang-rt-14-dev  # build, libFuzzer runtime
	libbpf-dev libxdp-dev xdp-tools bpftool libelf-dev zlib1g-dev
	libmnl-dev libpcap-dev libjson-c-dev libyaml-dev libmicrohttpd-dev
	libcriterion-dev                                   # unit tests
	iproute2 ethtool tshark tcpdump python3 prometheus curl jq   # selftests and demo
	coturn gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good
)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ] && [ "$(id -u)" -ne 0 ]; then
	echo "rtcguard: missing Debian packages (run as root to install): ${missing[*]}" >&2
	exit 1
fi
if [ ${#missing[@]} -gt 0 ]; then
	echo "installing: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ "$(id -u)" -eq 0 ] && ! mount | grep -q ' /sys/fs/bpf type bpf'; then
	mount -t bpf bpf /sys/fs/bpf
fi
