# One image for web, worker and migrations (docker-compose.yml picks the command).
FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json ./
COPY prisma ./prisma
COPY prisma.config.ts ./
COPY scripts ./scripts
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx next build

FROM node:20-bookworm-slim
WORKDIR /app
# The system user has no home folder: caches (the GloVe table) go under the app's own writable .margin/.
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000 HOSTNAME=0.0.0.0 MARGIN_DATA_DIR=/app/.margin
COPY --from=build /app /app
RUN useradd --system --uid 1001 margin && chown -R margin /app
USER margin
EXPOSE 3000
CMD ["node", "--import", "tsx", "src/web/main.ts"]
