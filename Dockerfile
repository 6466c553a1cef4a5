# newsbot in a small image: a non-root user, the database on a volume, a health check.
#   docker build -t newsbot .
#   docker run -d --env-file .env -v newsbot-data:/data newsbot
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml constraints.txt README.md ./
COPY bot ./bot
COPY summaries ./summaries
COPY standin ./standin
RUN python -m venv /venv \
    && /venv/bin/pip install --no-cache-dir --upgrade pip \
    && /venv/bin/pip install --no-cache-dir -c constraints.txt .

FROM python:3.11-slim
RUN useradd --create-home --uid 10001 newsbot && mkdir /data && chown newsbot /data
COPY --from=build /venv /venv
ENV PATH=/venv/bin:$PATH \
    NEWSBOT_DB=/data/newsbot.db \
    PYTHONUNBUFFERED=1
VOLUME /data
USER newsbot
# doctor checks the settings, the database and that the Bot API answers with this token
HEALTHCHECK --interval=2m --timeout=20s --start-period=30s CMD newsbot doctor > /dev/null || exit 1
CMD ["newsbot", "run"]
