{{/* vim: set filetype=mustache: */}}

{{/* Chart name, truncated to a DNS label. */}}
{{- define "focal.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Full name prefix of every resource: fullnameOverride, else <release>-<chart>, else <release> when the
release name already contains the chart name. Kept to 50 characters so suffixes such as "-operator"
still fit in a 63-character name.
*/}}
{{- define "focal.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 50 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 50 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 50 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "focal.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Standard labels (recommended app.kubernetes.io set). */}}
{{- define "focal.labels" -}}
helm.sh/chart: {{ include "focal.chart" . }}
{{ include "focal.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: focal
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "focal.selectorLabels" -}}
app.kubernetes.io/name: {{ include "focal.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Labels of one component: include "focal.componentLabels" (dict "root" $ "component" "api") */}}
{{- define "focal.componentLabels" -}}
{{ include "focal.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "focal.componentSelectorLabels" -}}
{{ include "focal.selectorLabels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* Resource names. */}}
{{- define "focal.api.fullname" -}}
{{- printf "%s-api" (include "focal.fullname" .) }}
{{- end }}

{{- define "focal.operator.fullname" -}}
{{- printf "%s-operator" (include "focal.fullname" .) }}
{{- end }}

{{- define "focal.redis.fullname" -}}
{{- printf "%s-redis" (include "focal.fullname" .) }}
{{- end }}

{{- define "focal.api.serviceAccountName" -}}
{{- if .Values.api.serviceAccount.create }}
{{- default (include "focal.api.fullname" .) .Values.api.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.api.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "focal.operator.serviceAccountName" -}}
{{- if .Values.operator.serviceAccount.create }}
{{- default (include "focal.operator.fullname" .) .Values.operator.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.operator.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Image reference: include "focal.image" (dict "root" $ "image" .Values.api.image)
[imageRegistry/]repository(@digest | :tag), tag defaulting to the chart's appVersion.
*/}}
{{- define "focal.image" -}}
{{- $repo := .image.repository }}
{{- with .root.Values.imageRegistry }}
{{- $repo = printf "%s/%s" (trimSuffix "/" .) $repo }}
{{- end }}
{{- if .image.digest }}
{{- printf "%s@%s" $repo .image.digest }}
{{- else }}
{{- printf "%s:%s" $repo (toString (default .root.Chart.AppVersion .image.tag)) }}
{{- end }}
{{- end }}

{{/* ---- Secrets ---- */}}

{{/* FOCAL_API_KEYS string from apiKeys.admin / apiKeys.inference. */}}
{{- define "focal.apiKeys.value" -}}
{{- $entries := list }}
{{- with .Values.apiKeys.admin }}{{ $entries = append $entries (printf "admin:%s" .) }}{{ end }}
{{- with .Values.apiKeys.inference }}{{ $entries = append $entries (printf "inference:%s" .) }}{{ end }}
{{- join "," $entries }}
{{- end }}

{{/* "true" when the API gets FOCAL_API_KEYS (from a chart Secret or an existing one). */}}
{{- define "focal.apiKeys.enabled" -}}
{{- if or .Values.apiKeys.existingSecret .Values.apiKeys.admin .Values.apiKeys.inference }}true{{ end }}
{{- end }}

{{- define "focal.apiKeys.create" -}}
{{- if and (not .Values.apiKeys.existingSecret) (or .Values.apiKeys.admin .Values.apiKeys.inference) }}true{{ end }}
{{- end }}

{{- define "focal.apiKeys.secretName" -}}
{{- default (printf "%s-api-keys" (include "focal.fullname" .)) .Values.apiKeys.existingSecret }}
{{- end }}

{{- define "focal.hfToken.enabled" -}}
{{- if or .Values.hfToken.existingSecret .Values.hfToken.value }}true{{ end }}
{{- end }}

{{- define "focal.hfToken.create" -}}
{{- if and (not .Values.hfToken.existingSecret) .Values.hfToken.value }}true{{ end }}
{{- end }}

{{- define "focal.hfToken.secretName" -}}
{{- default (printf "%s-hf-token" (include "focal.fullname" .)) .Values.hfToken.existingSecret }}
{{- end }}

{{/* ---- Redis ---- */}}

{{- define "focal.redis.external" -}}
{{- if or .Values.redis.external.url .Values.redis.external.existingSecret }}true{{ end }}
{{- end }}

{{/* The FOCAL_REDIS_URL env entry (value or secretKeyRef). */}}
{{- define "focal.redis.urlEnv" -}}
- name: FOCAL_REDIS_URL
{{- if .Values.redis.external.existingSecret }}
  valueFrom:
    secretKeyRef:
      name: {{ .Values.redis.external.existingSecret | quote }}
      key: {{ .Values.redis.external.existingSecretKey | quote }}
{{- else if .Values.redis.external.url }}
  value: {{ .Values.redis.external.url | quote }}
{{- else }}
  value: {{ printf "redis://%s.%s.svc:6379/0" (include "focal.redis.fullname" .) .Release.Namespace | quote }}
{{- end }}
{{- end }}

{{/* ---- Model pods ---- */}}

{{- define "focal.gpu.tolerationsJson" -}}
{{- toJson (default (list) .Values.gpu.tolerations) }}
{{- end }}

{{- define "focal.gpu.nodeSelectorJson" -}}
{{- toJson (default (dict) .Values.gpu.nodeSelector) }}
{{- end }}

{{/* Comma-joined names from imagePullSecrets, for model pods (FOCAL_IMAGE_PULL_SECRETS). */}}
{{- define "focal.imagePullSecretNames" -}}
{{- $names := list }}
{{- range .Values.imagePullSecrets }}{{ $names = append $names .name }}{{ end }}
{{- join "," $names }}
{{- end }}

{{/* ---- Operator RBAC ---- */}}

{{/*
Rules for reconciling ModelDeployments into Deployments + Services (Role, or ClusterRole when
operator.watchAllNamespaces). Least privilege:
- ModelDeployments are never created or deleted by the operator; it writes their status, and updates
  modeldeployments/finalizers only because children carry owner references with blockOwnerDeletion
  (the OwnerReferencesPermissionEnforcement admission plugin checks that verb);
- no Secrets: model pods read the HF token through secretKeyRef; the operator only names the Secret;
- pods read only: their scheduling, init-container and container states explain a model that does not
  become ready (ModelFetchFailed, Unschedulable, ...); the Deployment controller owns them;
- events in both the core and the events.k8s.io group, whichever API the operator's recorder uses.
*/}}
{{- define "focal.operator.reconcileRules" -}}
- apiGroups: ["focal.dev"]
  resources: ["modeldeployments"]
  verbs: ["get", "list", "watch", "update", "patch"]
- apiGroups: ["focal.dev"]
  resources: ["modeldeployments/status"]
  verbs: ["get", "update", "patch"]
- apiGroups: ["focal.dev"]
  resources: ["modeldeployments/finalizers"]
  verbs: ["update"]
- apiGroups: ["focal.dev"]
  resources: ["modeldeployments/scale"]
  verbs: ["get", "update", "patch"]
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
- apiGroups: [""]
  resources: ["services"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["", "events.k8s.io"]
  resources: ["events"]
  verbs: ["create", "patch"]
{{- end }}

{{/*
Leader election; always namespaced (release namespace), even with watchAllNamespaces. The autoscaler's list of the
API pods (to scrape them at their pod IPs) is covered by the reconcile rules' read-only pods.
*/}}
{{- define "focal.operator.leaseRules" -}}
- apiGroups: ["coordination.k8s.io"]
  resources: ["leases"]
  verbs: ["get", "create", "update"]
{{- end }}
