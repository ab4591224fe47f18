# The homeaudit app for a practice's server (docs/deploy.md): one replica, behind a reverse proxy.
# docker build -t homeaudit .
FROM python:3.11-slim

# STREAMLIT_SERVER_FILE_WATCHER_TYPE: the served code does not change while it runs, so no file watching.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    STREAMLIT_SERVER_FILE_WATCHER_TYPE=none

WORKDIR /app

# The pinned dependencies first, so that a change to the code does not reinstall them.
COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY pyproject.toml README.md audit_app.py ./
COPY homeaudit/ homeaudit/
COPY checklists/ checklists/
# The shipped settings (no usage statistics, upload limit, theme); secrets.toml is mounted at run time.
COPY .streamlit/config.toml .streamlit/config.toml
RUN pip install --no-deps . && rm -rf build homeaudit.egg-info

# A fixed uid, so that a mounted .streamlit/secrets.toml can be made readable by it alone
# (chown 10001 deploy/secrets.toml). data/ is only used without HOMEAUDIT_DB (SQLite).
RUN groupadd --system --gid 10001 homeaudit \
    && useradd --system --uid 10001 --gid homeaudit --home-dir /app --no-create-home --shell /usr/sbin/nologin homeaudit \
    && mkdir -m 700 data && chown homeaudit:homeaudit data
USER homeaudit

EXPOSE 8501

# The slim image has no curl: Python's urllib asks Streamlit's health endpoint, which answers "ok".
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).read() != b'ok')"]

CMD ["streamlit", "run", "audit_app.py", "--server.address=0.0.0.0", "--server.port=8501"]
