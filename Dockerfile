FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
# espeak-ng: lobby voice when the screen's browser has none; tesseract: ID card OCR at the counter.
RUN apt-get update \
 && apt-get install -y --no-install-recommends espeak-ng tesseract-ocr tesseract-ocr-chi-sim \
 && rm -rf /var/lib/apt/lists/*
COPY requirements.txt requirements-nodeps.txt ./
RUN pip install --no-cache-dir "setuptools<82" -r requirements.txt \
 && pip install --no-cache-dir --no-deps -r requirements-nodeps.txt
COPY . .
RUN SECRET_KEY=build FIELD_ENCRYPTION_KEY=YnVpbGQtb25seS1rZXktMDAwMDAwMDAwMDAwMDAwMDA= \
    python manage.py compile_translations && \
    SECRET_KEY=build FIELD_ENCRYPTION_KEY=YnVpbGQtb25seS1rZXktMDAwMDAwMDAwMDAwMDAwMDA= \
    python manage.py collectstatic --noinput
RUN useradd --create-home branchsvc && chown -R branchsvc /app/var 2>/dev/null || true
USER branchsvc
EXPOSE 8000
