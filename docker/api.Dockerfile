# Focal API (apps/api): REST API, job queue, model runtime (local or Kubernetes).
#   docker build -f docker/api.Dockerfile -t focal/api:dev .
# Listens on 8000 (FOCAL_PORT). Runs as uid 1000 with a read-only-friendly layout (only /tmp is written).
# Built for FOCAL_RUNTIME=kubernetes (the Helm chart): it leaves out apps/inference, onnxruntime-node and
# sharp, so the local runtime, which forks inference workers, needs the repository build instead.
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

# ---- slim: drop the inference-only native packages ---------------------------------------------------
# eslint.config.js forbids apps/api and the libraries it uses from importing onnxruntime-node and
# sharp, so they are dead weight here (onnxruntime-node alone is ~290 MB).
FROM prod-deps AS slim
RUN rm -rf node_modules/onnxruntime-node node_modules/sharp node_modules/@img

# ---- runtime ----------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
RUN apt-get update \
    && apt-get install -y --no-install-recommends tini \
    && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    FOCAL_PORT=8000
WORKDIR /app
# Files stay owned by root: the app user can read but not modify its own code.
COPY --from=slim /src/package.json ./package.json
COPY --from=slim /src/node_modules ./node_modules
COPY --from=build /src/dist/libs ./dist/libs
COPY --from=build /src/dist/apps/api ./dist/apps/api
COPY --from=build /src/dist/playground ./dist/playground
# "node" (uid/gid 1000) ships with the base image; numeric so runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 8000
# Kubernetes uses its own probes; this serves plain `docker run`.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.FOCAL_PORT||8000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/bin/tini", "--"]
# --max-semi-space-size=4: a smaller V8 young generation keeps the peak RSS under load down (API_NODE_FLAGS).
CMD ["node", "--max-semi-space-size=4", "dist/apps/api/src/main.js"]
