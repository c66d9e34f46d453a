#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Print the exact ABIs of the two Debian kernel lines we test, one per line:
#   6.1.0-NN-amd64
#   6.12.NNN+deb12-amd64
# With an argument (6.1, 6.12 or a full ABI) print only the matching one.
#
# Resolved from the host's apt metadata so the guest image (linux-image-ABI)
# and the host headers (linux-headers-ABI) are always the same version; the
# metapackages in a stale debootstrap suite can lag behind bookworm-security.
# HVCTL_KERNELS="6.1.0-56-amd64 6.12.117+deb12-amd64" skips the resolution.
set -euo pipefail

# The two metapackages, in the order we print their kernels.
metas=(linux-image-amd64 linux-image-6.12-amd64)

# Print the linux-image-ABI each metapackage depends on (one apt-cache call:
# without a package cache each call costs about a second).
resolve() {
	apt-cache depends "${metas[@]}" 2>/dev/null | awk '
		/^[^ ]/ { meta = $1 }
		/^ +Depends: linux-image-[0-9]/ && !(meta in abi) {
			abi[meta] = substr($2, length("linux-image-") + 1)
		}
		END { print abi["linux-image-amd64"]; print abi["linux-image-6.12-amd64"] }'
}

if [[ -n ${HVCTL_KERNELS:-} ]]; then
	read -r -a abis <<<"$HVCTL_KERNELS"
else
	mapfile -t abis < <(resolve)
	if [[ ${#abis[@]} -ne 2 || -z ${abis[0]} || -z ${abis[1]} ]]; then
		echo "kernels.sh: cannot resolve ${metas[*]} from apt metadata" \
			"(run 'apt-get update' or set HVCTL_KERNELS)" >&2
		exit 1
	fi
fi

want=${1:-}
if [[ -z $want ]]; then
	printf '%s\n' "${abis[@]}"
	exit 0
fi
for abi in "${abis[@]}"; do
	# "6.1" must not match "6.12...": compare the line up to the next '.' or '-'.
	case $abi in
	"$want" | "$want".* | "$want"-*)
		echo "$abi"
		exit 0
		;;
	esac
done
echo "kernels.sh: no kernel matches '$want' (have: ${abis[*]})" >&2
exit 1
