# Focal inference service (apps/inference), CPU variant: onnxruntime-node's bundled CPU provider.
#   docker build -f docker/inference.Dockerfile -t focal/inference:dev .
# One pod serves one model on 8080 (FOCAL_INFERENCE_PORT) (/v1/infer, /v1/info, /healthz, /readyz, /metrics). Runs as uid 1000.
# The CUDA 12 variant is docker/inference-cuda.Dockerfile.
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

# ---- runtime ----------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
RUN apt-get update \
    && apt-get install -y --no-install-recommends tini \
    && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    ONNXRUNTIME_NODE_INSTALL=skip \
    FOCAL_INFERENCE_PORT=8080 \
    HF_ROOT_FOLDER=/models
WORKDIR /app
COPY --from=prod-deps /src/package.json ./package.json
COPY --from=prod-deps /src/node_modules ./node_modules
COPY --from=build /src/dist/libs ./dist/libs
COPY --from=build /src/dist/apps/inference ./dist/apps/inference
# Model cache (HF_ROOT_FOLDER); the operator mounts its cache volume (emptyDir or PVC) here.
RUN mkdir -p /models && chown 1000:1000 /models
USER 1000:1000
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.FOCAL_INFERENCE_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/apps/inference/src/main.js"]
