# Focal inference service (apps/inference), CUDA 12 variant for NVIDIA GPUs.
#   docker build -f docker/inference-cuda.Dockerfile -t focal/inference-cuda:dev .
# onnxruntime-node 1.30 bundles only the CPU provider; its CUDA provider libraries
# (libonnxruntime_providers_{cuda,shared,tensorrt}.so, from the Microsoft.ML.OnnxRuntime.Gpu.Linux
# NuGet package) are installed here at build time with --onnxruntime-node-install=cuda12.
# They need CUDA 12.x and cuDNN 9.x at run time, which the nvidia/cuda *-cudnn-runtime base provides;
# the host needs an NVIDIA driver >= 525 and the NVIDIA container runtime (RuntimeClass "nvidia").
ARG CUDA_IMAGE=nvidia/cuda:12.6.3-cudnn-runtime-ubuntu22.04
ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: compile the whole monorepo (npm run build = tsc + tsc-alias into dist/) -------------
# This stage is byte-identical in every Dockerfile under docker/, so BuildKit builds it once and
# reuses it for the api, operator and inference images.
FROM ${NODE_IMAGE} AS build
WORKDIR /src
# onnxruntime-node's install script downloads CUDA provider libraries; CPU builds never need them.
ENV ONNXRUNTIME_NODE_INSTALL=skip \
    npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false
COPY package.json package-lock.json ./
# `npm ci` rejects lockfiles made where some platform-specific optional packages were missing
# (see BUILD-NOTES); `npm install` with the same lockfile works and keeps the resolved versions.
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    npm install --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY libs ./libs
COPY apps ./apps
RUN npm run build

# ---- prod-deps: production node_modules only ---------------------------------------------------------
FROM build AS prod-deps
RUN npm prune --omit=dev --no-audit --no-fund

# ---- cuda-deps: production node_modules plus onnxruntime-node's CUDA 12 provider ------------------
FROM prod-deps AS cuda-deps
# Runs the package's own installer (the same thing `npm install --onnxruntime-node-install=cuda12`
# triggers), independent of npm's install-script policy (package.json "allowScripts").
RUN cd node_modules/onnxruntime-node \
    && ONNXRUNTIME_NODE_INSTALL=cuda12 node script/install.js \
    && for lib in cuda shared tensorrt; do \
         test -s "bin/napi-v6/linux/x64/libonnxruntime_providers_${lib}.so" \
           || { echo "libonnxruntime_providers_${lib}.so was not installed" >&2; exit 1; }; \
       done

# ---- node: the official Node.js binary (glibc >= 2.28, so it runs on Ubuntu 22.04) ----------------
FROM ${NODE_IMAGE} AS node

# ---- runtime ----------------------------------------------------------------------------------------
FROM ${CUDA_IMAGE} AS runtime
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
    && apt-get install -y --no-install-recommends tini ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --gid 1000 focal \
    && useradd --uid 1000 --gid 1000 --no-create-home --home-dir /app --shell /usr/sbin/nologin focal
COPY --from=node /usr/local/bin/node /usr/local/bin/node
ENV NODE_ENV=production \
    ONNXRUNTIME_NODE_INSTALL=skip \
    FOCAL_INFERENCE_PORT=8080 \
    HF_ROOT_FOLDER=/models \
    NVIDIA_VISIBLE_DEVICES=all \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility
WORKDIR /app
COPY --from=cuda-deps /src/package.json ./package.json
COPY --from=cuda-deps /src/node_modules ./node_modules
COPY --from=build /src/dist/libs ./dist/libs
COPY --from=build /src/dist/apps/inference ./dist/apps/inference
# Model cache (HF_ROOT_FOLDER); the operator mounts its cache volume (emptyDir or PVC) here.
RUN node --version \
    && mkdir -p /models && chown 1000:1000 /models
USER 1000:1000
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.FOCAL_INFERENCE_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/apps/inference/src/main.js"]
