# Pinned versions of the real control plane that scripts/local-cluster.sh runs. Sourced, not executed.
K8S_VERSION="${FOCAL_K8S_VERSION:-v1.36.3}"
ETCD_VERSION="${FOCAL_ETCD_VERSION:-v3.6.16}"
# Staging modules of k8s.io/kubernetes 1.36 (1.36 added streaming and cri-streaming; extra replaces are harmless).
K8S_STAGING_MODULES="api apiextensions-apiserver apimachinery apiserver cli-runtime client-go cloud-provider cluster-bootstrap code-generator component-base component-helpers controller-manager cri-api cri-client cri-streaming csi-translation-lib dynamic-resource-allocation endpointslice externaljwt kms kube-aggregator kube-controller-manager kube-proxy kube-scheduler kubectl kubelet metrics mount-utils pod-security-admission sample-apiserver sample-cli-plugin sample-controller streaming"
FOCAL_CP_CACHE="${FOCAL_CONTROL_PLANE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/focal/control-plane/$K8S_VERSION-etcd-$ETCD_VERSION}"
