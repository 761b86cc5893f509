# The production image: runtime dependencies only (requirements.lock, hash-checked), no test tools.
FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
COPY requirements.lock /tmp/
# The lock is complete and hashed: no resolver, nothing that is not pinned.
RUN python -m venv /venv \
 && /venv/bin/pip install --require-hashes --no-deps -r /tmp/requirements.lock

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PATH=/venv/bin:$PATH
# espeak-ng: lobby voice when the screen's browser has none; tesseract: ID card OCR at the counter.
RUN apt-get update \
 && apt-get install -y --no-install-recommends espeak-ng tesseract-ocr tesseract-ocr-chi-sim \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /venv /venv
WORKDIR /app
COPY . .
RUN export SECRET_KEY=build FIELD_ENCRYPTION_KEY=YnVpbGQtb25seS1rZXktMDAwMDAwMDAwMDAwMDAwMDA= \
 && python manage.py compile_translations \
 && python manage.py collectstatic --noinput -v0 \
 && useradd --create-home branchsvc \
 && mkdir -p var/media && chown -R branchsvc var
USER branchsvc
EXPOSE 8000
CMD ["uvicorn", "branchsvc.asgi:application", "--host", "0.0.0.0", "--port", "8000", "--proxy-headers", "--no-access-log"]
