# Sourced by serve.sh and test.sh: a virtualenv with the project installed, and (for tests) the
# Debian packages the suite drives. Re-running reuses what is there.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

PY="${PYTHON:-python3}"
if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "需要 Python 3.11 或更新版本（当前：$("$PY" --version 2>&1)）。" >&2; exit 1
fi

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }
APT_UPDATED=""
apt_install() {
  command -v apt-get >/dev/null || return 1
  if [ -z "$APT_UPDATED" ]; then as_root apt-get update -qq || return 1; APT_UPDATED=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if [ ! -x .venv/bin/python ]; then
  if ! "$PY" -m venv .venv 2>/dev/null; then
    rm -rf .venv
    echo "python3-venv is missing; installing it…"
    apt_install python3-venv || { echo "Please install python3-venv (apt-get install python3-venv)." >&2; exit 1; }
    "$PY" -m venv .venv
  fi
fi

STAMP=.venv/.installed
WANT="$(sha256sum pyproject.toml | cut -d' ' -f1)-${QS_EXTRAS:-test}"
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$WANT" ]; then
  echo "Installing the project into .venv…"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[${QS_EXTRAS:-test}]"
  echo "$WANT" > "$STAMP"
fi

# System packages the tests need: Chromium for Playwright, a CJK font for screenshots and PDFs,
# poppler-utils for pdftotext/pdffonts/pdftoppm.
need_system_packages() {
  local missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing+=(fonts-noto-cjk)
  command -v pdftotext >/dev/null || missing+=(poppler-utils)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing ${missing[*]}…"
    if ! apt_install "${missing[@]}"; then
      echo "Missing system packages: ${missing[*]}. Install them with: sudo apt-get install ${missing[*]}" >&2
      [ "${CI:-}" = "true" ] && exit 1
    fi
  fi
}

# Test-only tools: Java (runs the Nu HTML Checker) and npm, then axe-core and vnu-jar at the versions pinned in
# tools/package.json + package-lock.json, installed once into var/tools (ignored by git). Under CI=true a tool
# that cannot be installed fails the run; elsewhere the command to run is printed.
need_test_tools() {
  local missing=()
  command -v java >/dev/null || missing+=(default-jre-headless)
  command -v npm >/dev/null || missing+=(npm)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing ${missing[*]}…"
    if ! apt_install "${missing[@]}"; then
      echo "Missing system packages: ${missing[*]}. Install them with: sudo apt-get install ${missing[*]}" >&2
      [ "${CI:-}" = "true" ] && exit 1
      return 0
    fi
  fi
  local want; want="$(cat tools/package.json tools/package-lock.json | sha256sum | cut -d' ' -f1)"
  if [ ! -f var/tools/node_modules/axe-core/axe.min.js ] || [ ! -f var/tools/node_modules/vnu-jar/build/dist/vnu.jar ] \
     || [ "$(cat var/tools/.installed 2>/dev/null)" != "$want" ]; then
    echo "Installing axe-core and vnu-jar into var/tools…"
    mkdir -p var/tools && cp tools/package.json tools/package-lock.json var/tools/
    # --ignore-scripts: vnu-jar's postinstall would fetch a Java runtime; Debian's Java is used instead.
    if npm ci --prefix var/tools --no-audit --no-fund --ignore-scripts >/dev/null; then
      echo "$want" > var/tools/.installed
    else
      echo "npm could not install the test tools: run 'npm ci --prefix var/tools --ignore-scripts' after copying tools/package*.json there." >&2
      [ "${CI:-}" = "true" ] && exit 1
    fi
  fi
}
