# factbot: one image for every process of a deployment (see deploy/compose.yaml and the README).
# The install is the one tests/test_packaging.py runs: a wheel of the sources, installed with the
# versions the suite was run with (requirements.txt); the fact store is built once, into the image,
# and every process opens that read-only file.
FROM python:3.11-slim AS build
WORKDIR /src
COPY . .
RUN python -m pip wheel -q --no-deps -w /dist .

FROM python:3.11-slim
COPY requirements.txt /tmp/requirements.txt
COPY --from=build /dist /dist
RUN python -m pip install -q --no-cache-dir -c /tmp/requirements.txt /dist/factbot-*.whl \
    && rm -rf /dist /tmp/requirements.txt \
    && useradd --system --home-dir /srv/factbot --create-home factbot
USER factbot
WORKDIR /srv/factbot
# The bundled articles; add your own by building an image FROM this one with them in /srv/factbot/articles.
RUN factbot build
ENV FACTBOT_HEALTH_HOST=0.0.0.0 \
    FACTBOT_HEALTH_PORT=8080
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4)"]
CMD ["factbot", "run"]
