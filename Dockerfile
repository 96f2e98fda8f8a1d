# The connector service (docs/service-mode.md). Build the bundle first, then the image:
#   npm run build:service && docker build -t billwerk-hubspot-connector .
# The image holds Node and one bundled file: no npm install, so the build needs no network once the
# base image is present. Runs as the unprivileged `node` user; configuration comes from the environment.
FROM node:20-alpine
ENV NODE_ENV=production PORT=8080
WORKDIR /app
COPY --chown=node:node dist/service/main.cjs dist/service/main.cjs.LEGAL.txt ./
USER node
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# exec form: SIGTERM reaches node, which finishes running requests and scheduled runs before exiting.
CMD ["node", "main.cjs"]
