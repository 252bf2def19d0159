#!/usr/bin/env bash
# Builds the real Kubernetes control plane (kube-apiserver, kube-controller-manager, kube-scheduler), the kubelet
# and etcd from the Go module proxy, once, into a cache outside the repo, with the CRI's and the device plugin APIs'
# api.proto beside them (libs/testing/src/process-runtime and libs/testing/src/device-plugin serve them to the
# kubelet). Released code only: k8s.io/kubernetes at $K8S_VERSION and go.etcd.io/etcd/server/v3 at $ETCD_VERSION,
# each through a throwaway wrapper module (both upstream go.mods carry replace directives, so `go install
# pkg@version` refuses them).
#
# With KUBEBUILDER_ASSETS set (envtest's layout), the binaries found there are used and only the missing ones (envtest
# ships no controller-manager, scheduler or kubelet) are built, or reused from the cache.
# Prints the directory that holds the binaries as its last line.
set -euo pipefail
source "$(dirname "$0")/versions.sh"

BUILT="$FOCAL_CP_CACHE/bin"
BIN="$BUILT"
if [[ -n "${KUBEBUILDER_ASSETS:-}" ]]; then
  # envtest's assets hold etcd and kube-apiserver (not the controller-manager or the scheduler): use what is
  # there, and build or reuse from the cache only what is missing.
  BIN="$FOCAL_CP_CACHE/with-assets"
  mkdir -p "$BIN"
  for b in etcd kube-apiserver kube-controller-manager kube-scheduler kubelet; do
    if [[ -x "$KUBEBUILDER_ASSETS/$b" ]]; then ln -sf "$KUBEBUILDER_ASSETS/$b" "$BIN/$b"
    elif [[ -x "$BUILT/$b" ]]; then ln -sf "$BUILT/$b" "$BIN/$b"; fi
  done
fi
PROTO="$FOCAL_CP_CACHE/proto/cri-api.proto"
DEVICE_PLUGIN_PROTO="$FOCAL_CP_CACHE/proto/deviceplugin-v1beta1.proto"
REGISTRATION_PROTO="$FOCAL_CP_CACHE/proto/pluginregistration-v1.proto"
have_all() {
  for b in etcd kube-apiserver kube-controller-manager kube-scheduler kubelet; do [[ -x "$BIN/$b" ]] || return 1; done
  [[ -f "$PROTO" && -f "$DEVICE_PLUGIN_PROTO" && -f "$REGISTRATION_PROTO" ]]
}
if have_all; then
  echo "$BIN"
  exit 0
fi
mkdir -p "$BIN" "$FOCAL_CP_CACHE/src"
# Two first runs at once (the tests and a developer's `up`) would share the wrapper modules: one builds, the other waits.
exec 9>"$FOCAL_CP_CACHE/.build.lock"
flock 9
if have_all; then
  echo "$BIN"
  exit 0
fi
command -v go >/dev/null || { echo "go is required to build the control plane (or set KUBEBUILDER_ASSETS)" >&2; exit 1; }
export GOFLAGS=-mod=mod CGO_ENABLED=0
start=$(date +%s)

minor="${K8S_VERSION#v1.}"; minor="${minor%%.*}"
staging="v0.${K8S_VERSION#v1.}"
missing=()
for c in kube-apiserver kube-controller-manager kube-scheduler kubelet; do [[ -x "$BIN/$c" ]] || missing+=("k8s.io/kubernetes/cmd/$c"); done
if (( ${#missing[@]} > 0 )) || [[ ! -f "$PROTO" || ! -f "$DEVICE_PLUGIN_PROTO" || ! -f "$REGISTRATION_PROTO" ]]; then
  w="$FOCAL_CP_CACHE/src/k8s"
  rm -rf "$w" && mkdir -p "$w" && cd "$w"
  go mod init local/focal-control-plane >/dev/null 2>&1
  # k8s.io/kubernetes requires every staging module at v0.0.0 and maps them to ./staging; pin each to its release.
  for m in $K8S_STAGING_MODULES; do go mod edit "-replace=k8s.io/$m=k8s.io/$m@$staging"; done
  go get "k8s.io/kubernetes@$K8S_VERSION" >&2
  V=k8s.io/component-base/version
  LD="-s -w -X $V.gitVersion=$K8S_VERSION -X $V.gitMajor=1 -X $V.gitMinor=$minor -X $V.gitTreeState=clean"
  LD="$LD -X k8s.io/client-go/pkg/version.gitVersion=$K8S_VERSION -X k8s.io/client-go/pkg/version.gitMajor=1 -X k8s.io/client-go/pkg/version.gitMinor=$minor"
  (( ${#missing[@]} == 0 )) || go build -trimpath -ldflags "$LD" -o "$BIN/" "${missing[@]}" >&2
  # The CRI and device plugin definitions of the very releases the kubelet was built with.
  mkdir -p "$(dirname "$PROTO")"
  go mod download k8s.io/cri-api k8s.io/kubelet >&2
  copy() { cp "$1" "$2.tmp" && mv "$2.tmp" "$2"; }
  copy "$(go list -m -f '{{.Dir}}' k8s.io/cri-api)/pkg/apis/runtime/v1/api.proto" "$PROTO"
  kubelet_api="$(go list -m -f '{{.Dir}}' k8s.io/kubelet)/pkg/apis"
  copy "$kubelet_api/deviceplugin/v1beta1/api.proto" "$DEVICE_PLUGIN_PROTO"
  copy "$kubelet_api/pluginregistration/v1/api.proto" "$REGISTRATION_PROTO"
fi
if [[ ! -x "$BIN/etcd" ]]; then
  w="$FOCAL_CP_CACHE/src/etcd"
  rm -rf "$w" && mkdir -p "$w" && cd "$w"
  go mod init local/focal-etcd >/dev/null 2>&1
  go get "go.etcd.io/etcd/server/v3@$ETCD_VERSION" >&2
  go build -trimpath -ldflags "-s -w" -o "$BIN/etcd" go.etcd.io/etcd/server/v3 >&2
fi
# The first build's time stays the record (the bench reports it); a later run that only added a binary or a proto
# to an older cache says so on a line of its own.
took=$(( $(date +%s) - start ))
if [[ -f "$BIN/.complete" ]]; then echo "added in $took s: ${missing[*]:-the .proto files}" >> "$BIN/.complete"
else echo "built in $took s" > "$BIN/.complete"; fi
echo "control plane built in $took s into $BIN" >&2
echo "$BIN"
