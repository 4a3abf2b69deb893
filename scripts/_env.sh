# Shared by scripts/dev and scripts/test: a project virtualenv with every dependency pinned in
# pyproject.toml, reinstalled only when pyproject.toml changes.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.pyproject.sha
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  .venv/bin/pip install --quiet --disable-pip-version-check --upgrade pip
  .venv/bin/pip install --quiet --disable-pip-version-check -e ".[dev]"
  echo "$want" > "$stamp"
fi
export PATH="$PWD/.venv/bin:$PATH"
# The English catalogue (locale/en), compiled from its .po with GNU gettext's msgfmt
# (scripts/test installs gettext when it is missing).
compile_messages() { python manage.py compilemessages --ignore=.venv -v 0; }
if command -v msgfmt >/dev/null 2>&1; then
  compile_messages
else
  echo "gettext is missing: the English interface is not compiled (apt-get install gettext)" >&2
fi
