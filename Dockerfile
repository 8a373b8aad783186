# deckbot: slim Python, dependencies in their own layer, the index built at image build time, non-root.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    ANONYMIZED_TELEMETRY=False \
    DECKBOT_DATA_DIR=/app/data

RUN useradd --create-home --uid 10001 deckbot
WORKDIR /app

# Dependencies first, so source edits do not reinstall them: install the project once with empty packages.
COPY pyproject.toml README.md ./
RUN mkdir -p bot retrieval tools corpus charts \
    && for p in bot retrieval tools corpus charts; do touch "$p/__init__.py"; done \
    && pip install . \
    && pip uninstall -y deckbot \
    && rm -rf bot retrieval tools corpus charts build

COPY bot ./bot
COPY retrieval ./retrieval
COPY tools ./tools
COPY corpus ./corpus
COPY charts ./charts
RUN pip install --no-deps . \
    && deckbot index \
    && chown -R deckbot:deckbot /app/data

USER deckbot
EXPOSE 3000
# Socket Mode when SLACK_APP_TOKEN is set; add `--http --port 3000` for the Events API.
ENTRYPOINT ["deckbot", "serve"]
