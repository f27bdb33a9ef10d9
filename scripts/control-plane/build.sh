#!/usr/bin/env bash
# Builds the real Kubernetes control plane the cluster suite (npm run test:cluster)
# runs against: kube-apiserver and kube-controller-manager 1.20.2 from Debian's
# source package with Debian's Go 1.19, plus Debian's etcd. No Docker, no download
# from outside Debian's archive. The binaries are cached in the user's cache
# directory; with the cache in place this prints where it is and exits at once.
#
#   scripts/control-plane/build.sh        # prints the directory holding the binaries
#
# Cold, it takes 5 to 20 minutes on two cores. It needs root (or sudo) only for
# apt-get, and only when a package or the deb-src line is missing.
set -euo pipefail

version=1.20.2
cache="${XDG_CACHE_HOME:-$HOME/.cache}/warroom/control-plane-$version"
binaries=(kube-apiserver kube-controller-manager etcd)

cached() {
	local binary
	for binary in "${binaries[@]}"; do [[ -x $cache/$binary ]] || return 1; done
}

if cached; then
	echo "control plane $version: $cache (cached)"
	exit 0
fi

as_root() {
	if ((EUID == 0)); then "$@"; else sudo "$@"; fi
}

has_source_lines() {
	grep -Eqs '^(deb-src|Types:.*deb-src)' /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources
}

# Source lines for Debian's main archive (not -security, not third-party
# repositories), copied from the machine's own binary lines: deb822 stanzas from
# *.sources files, one-line entries from sources.list.
add_source_lines() {
	local stanzas lines
	stanzas=$(awk '
		function flush() {
			if (binary && archive) printf "Types: deb-src\n%s\n", body
			body = ""; binary = 0; archive = 0
		}
		/^[[:space:]]*$/ { flush(); next }
		/^#/ { next }
		/^Types:/ { if ($0 ~ /[[:space:]]deb([[:space:]]|$)/) binary = 1; next }
		/^URIs:/ { if ($0 ~ /\/debian\/?[[:space:]]*$/) archive = 1 }
		{ body = body $0 "\n" }
		END { flush() }
	' /dev/null /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
	lines=$(awk '$1 == "deb" && ($2 ~ /\/debian\/?$/ || $3 ~ /\/debian\/?$/) { $1 = "deb-src"; print }' \
		/dev/null /etc/apt/sources.list 2>/dev/null || true)
	if [[ -z $stanzas && -z $lines ]]; then
		echo "build.sh: no Debian archive found in /etc/apt/sources.list*: add a deb-src line for it" >&2
		exit 1
	fi
	[[ -z $stanzas ]] || printf '%s\n' "$stanzas" | as_root tee /etc/apt/sources.list.d/warroom-deb-src.sources >/dev/null
	[[ -z $lines ]] || printf '%s\n' "$lines" | as_root tee /etc/apt/sources.list.d/warroom-deb-src.list >/dev/null
}

packages=()
for package in golang-1.19-go etcd-server dpkg-dev; do
	dpkg -s "$package" >/dev/null 2>&1 || packages+=("$package")
done
if ((${#packages[@]} > 0)) || ! has_source_lines; then
	has_source_lines || add_source_lines
	as_root apt-get update -qq
	((${#packages[@]} == 0)) || as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
fi

started=$SECONDS
work=$(mktemp -d "${TMPDIR:-/tmp}/warroom-control-plane.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"

apt-get source --download-only -qq kubernetes 2>&1 | grep -v 'unsandboxed' >&2 || true
dsc=(kubernetes_*.dsc)
[[ -f ${dsc[0]} ]] || { echo "build.sh: apt-get source kubernetes fetched nothing" >&2; exit 1; }
case ${dsc[0]} in
*"$version"*) ;;
*) echo "build.sh: Debian's kubernetes source is ${dsc[0]}, not $version" >&2; exit 1 ;;
esac

# GOPATH mode, as Kubernetes 1.20 was built: its vendor/ links the staging
# repositories in, and Debian's Go has no module proxy to fall back on.
export GOPATH="$work/gopath" GO111MODULE=off CGO_ENABLED=0 GOFLAGS=
export GOCACHE="${GOCACHE:-$work/go-cache}" GOMAXPROCS="${GOMAXPROCS:-2}"
export PATH="/usr/lib/go-1.19/bin:$PATH"
tree="$GOPATH/src/k8s.io/kubernetes"
mkdir -p "$(dirname "$tree")"
dpkg-source --no-check -x "${dsc[0]}" "$tree" >/dev/null
cd "$tree"
go=(nice -n 10 go)

# The source package ships without pkg/generated/openapi/zz_generated.openapi.go
# (upstream's make writes it): without it the apiserver fails to compile with
# "undefined: openapi.GetOpenAPIDefinitions". Generate it as Makefile.generated_files
# does: every package with a +k8s:openapi-gen tag, staging seen as vendor/.
"${go[@]}" build -o "$work/openapi-gen" ./vendor/k8s.io/kube-openapi/cmd/openapi-gen
# grep -l exits 1 for a batch of files without the tag, and xargs then 123: no error here.
tagged=$(
	find -H . \( -path './_*' -o -path './.*' -o -path ./vendor \) -prune -o -type f -name '*.go' -print |
		xargs grep -l '^// *+k8s:' | xargs grep -l '+k8s:openapi-gen=' || (($? == 123))
)
inputs=$(
	sed 's|^\./staging/src/|vendor/|; s|^\./||; s|/[^/]*$||' <<<"$tagged" |
		grep -Ev '^vendor/k8s.io/(code-generator|sample-apiserver)/' |
		LC_ALL=C sort -u | sed 's|^|k8s.io/kubernetes/|' | paste -sd,
)
nice -n 10 "$work/openapi-gen" --logtostderr=false \
	-i "$inputs" \
	-p k8s.io/kubernetes/pkg/generated/openapi \
	-O zz_generated.openapi \
	-h vendor/k8s.io/code-generator/hack/boilerplate.go.txt \
	-r "$work/openapi-violations.report"

# What `kubectl version` and the apiserver's /version report, as upstream's build stamps it.
minor=${version#*.}
stamp=""
for key in "gitVersion=v$version" "gitMajor=${version%%.*}" "gitMinor=${minor%%.*}" gitTreeState=clean "buildDate=$(date -u +%Y-%m-%dT%H:%M:%SZ)"; do
	stamp+=" -X k8s.io/kubernetes/vendor/k8s.io/component-base/version.$key"
	stamp+=" -X k8s.io/kubernetes/vendor/k8s.io/client-go/pkg/version.$key"
done

# Written next to the cache and renamed into place last: a build killed midway
# is never taken for a cached one. Such a build's stage (named for its process)
# is removed by the next.
mkdir -p "$(dirname "$cache")"
for stale in "$cache".partial.*; do
	[[ -d $stale ]] && ! kill -0 "${stale##*.}" 2>/dev/null && rm -rf "$stale"
done
stage="$cache.partial.$$"
mkdir -m 755 "$stage"
trap 'rm -rf "$work" "$stage"' EXIT
for command in kube-apiserver kube-controller-manager; do
	"${go[@]}" build -p 2 -ldflags "-s -w$stamp" -o "$stage/$command" "./cmd/$command"
done
cp "$(command -v etcd)" "$stage/etcd"
etcd_version=$("$stage/etcd" --version)
etcd_version=${etcd_version%%$'\n'*}
printf 'kubernetes %s (Debian source %s), %s, built %s in %ss\n' \
	"$version" "${dsc[0]%.dsc}" "$etcd_version" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$((SECONDS - started))" >"$stage/BUILD-INFO"
rm -rf "$cache"
mv -T "$stage" "$cache"
echo "control plane $version: $cache (built in $((SECONDS - started))s)"
