# Build stage: full install (TypeScript, esbuild), compile the product (src/) to dist/ and bundle the dashboard (web/) into dist/web.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would build before the sources are copied.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY web ./web
RUN npm run build

# Runtime stage: production dependencies, the launcher and the compiled product only (no tools, no tests),
# as a non-root user.
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts && npm cache clean --force
COPY bin ./bin
COPY --from=build /app/dist ./dist
# Where MODEL_PATH / MODEL_DIR point in compose: a volume the runtime user can write.
RUN mkdir -p /app/models && chown node:node /app/models
USER node
EXPOSE 1883 8083 5000
# The whole pipeline in one process by default; compose runs each part as its own service.
ENTRYPOINT ["node", "bin/factory-anomaly.js"]
CMD ["start"]
