#!/usr/bin/env bash
# Set up everything explainer needs on a Debian machine, idempotently:
#   1. system packages: Cairo and Pango headers and pkg-config (to build pycairo and
#      manimpango for Manim), a CJK font (Chinese labels), and Chromium with its driver
#      (the tests open the slide deck and the trace page in it, headless); apt-get when
#      root, otherwise the exact sudo line to run;
#   2. a virtual environment in .venv (or $EXPLAINER_VENV);
#   3. torch 2.13.0 (CPU) first — a bare torch requirement pulls a CUDA build of several GB;
#   4. the project itself, editable, with its test tools.
# A second run finds everything in place and takes a second or two.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${EXPLAINER_VENV:-.venv}"
PYTHON="${PYTHON:-python3}"
TORCH_VERSION="2.13.0"

say() { printf 'setup: %s\n' "$*" >&2; }

# -- 1. system packages -------------------------------------------------------------------
missing=()
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
pkg-config --exists cairo 2>/dev/null || missing+=(libcairo2-dev)
pkg-config --exists pangocairo 2>/dev/null || missing+=(libpango1.0-dev)
command -v fc-list >/dev/null 2>&1 || missing+=(fontconfig)
fc-list ':lang=zh' family 2>/dev/null | grep -qi 'Noto Sans CJK' || missing+=(fonts-noto-cjk)
"$PYTHON" -c 'import venv, ensurepip' >/dev/null 2>&1 || missing+=(python3-venv)
if ! command -v gcc >/dev/null 2>&1; then missing+=(gcc); fi
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
"$PYTHON" -c 'import sysconfig, os, sys; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' \
  || missing+=(python3-dev)

if ((${#missing[@]})); then
  if ! command -v apt-get >/dev/null 2>&1; then
    say "explainer needs Cairo and Pango development files, pkg-config, a CJK font (Noto Sans CJK) and Chromium with its driver."
    say "this is not a Debian/Ubuntu system: install the equivalents of: ${missing[*]}"
    exit 1
  fi
  if [ "$(id -u)" != 0 ]; then
    say "explainer needs system packages that are missing: ${missing[*]}"
    say "run this, then run the same command again:"
    printf '  sudo apt-get update && sudo apt-get install -y --no-install-recommends %s\n' "${missing[*]}" >&2
    exit 1
  fi
  say "installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# -- 2. virtual environment -----------------------------------------------------------------
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 10))' || { say "explainer needs Python 3.10 or newer"; exit 1; }
if [ ! -x "$VENV/bin/python" ]; then
  say "creating the virtual environment $VENV"
  "$PYTHON" -m venv "$VENV"
fi
PY="$VENV/bin/python"

# -- 3 and 4. torch, then the project (skipped when nothing changed) --------------------------
stamp="$VENV/.explainer-setup"
want="$(cat pyproject.toml scripts/setup.sh | sha256sum | cut -d' ' -f1) $("$PY" -c 'import sys; print(sys.version)' | head -1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && "$PY" -c 'import explainer, torch, manim' >/dev/null 2>&1; then
  exit 0
fi
export PIP_DISABLE_PIP_VERSION_CHECK=1
if ! "$PY" -c "import torch, sys; sys.exit(torch.__version__.split('+')[0] != '$TORCH_VERSION')" >/dev/null 2>&1; then
  say "installing torch $TORCH_VERSION (CPU)"
  # EXPLAINER_TORCH_INDEX=https://download.pytorch.org/whl/cpu picks the CPU build where PyPI's default is CUDA.
  "$PY" -m pip install -q "torch==$TORCH_VERSION" ${EXPLAINER_TORCH_INDEX:+--index-url "$EXPLAINER_TORCH_INDEX"}
fi
say "installing explainer and its dependencies"
"$PY" -m pip install -q -e ".[test]"
echo "$want" > "$stamp"
say "ready: $VENV"
