#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Write debian/changelog from VERSION (the one version source), so the
# packages' version is the module's and the tool's:
#   debian/gen-changelog.sh OUT
# The date is the last commit's (reproducible), else SOURCE_DATE_EPOCH,
# else now.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:?usage: $0 OUT}
version=$(<"$top/VERSION")
maint=$(sed -n 's/^Maintainer: //p' "$top/debian/control")

date=$(git -C "$top" log -1 --format=%cD 2>/dev/null || true)
if [[ -z $date ]]; then
	date=$(LC_ALL=C date -R ${SOURCE_DATE_EPOCH:+-d "@$SOURCE_DATE_EPOCH"})
fi

cat >"$out" <<END
hvctl ($version) unstable; urgency=medium

  * Release $version (see README.md).

 -- $maint  $date
END
