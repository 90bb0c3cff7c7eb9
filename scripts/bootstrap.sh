#!/usr/bin/env bash
# Idempotent environment set-up, used by scripts/demo.sh, scripts/test.sh and .ci/run.
#
#   bash scripts/bootstrap.sh          # .venv + Python deps + Debian libs for WeasyPrint
#   bash scripts/bootstrap.sh --test   # ... plus chromium (Playwright), poppler-utils, libreoffice-calc-nogui
#
# - needs python3 >= 3.11 (override the interpreter with PYTHON=/path/to/python3.x);
# - creates .venv when missing;
# - runs `pip install -e ".[dev]"` unless .venv/.installed-<sha256 of pyproject.toml> exists;
# - installs missing Debian packages with apt-get when run as root, otherwise prints the command.
#   It never downloads a browser: Playwright drives Debian's /usr/bin/chromium.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

want_test=0
for arg in "$@"; do
    case "$arg" in
        --test) want_test=1 ;;
        -h | --help)
            sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
            exit 0
            ;;
        *)
            echo "bootstrap: unknown argument: $arg (expected --test)" >&2
            exit 2
            ;;
    esac
done

say() { printf '[bootstrap] %s\n' "$*"; }
die() {
    printf '[bootstrap] ERROR: %s\n' "$*" >&2
    exit 1
}

# --- Debian packages ----------------------------------------------------------------------------
# libharfbuzz-subset0: WeasyPrint subsets fonts with it (~0.2 s a page instead of 1-7 s with fontTools).
# libpango-1.0-0 libpangoft2-1.0-0: WeasyPrint cannot even be imported without Pango.
# fonts-hanazono: HanaMinA/HanaMinB, the PDFs' fallback for hanzi outside GBK (𠮷 and the rest of CJK
#   Extension A-F), loaded by path (liaison/documents/fontcheck.py); 53 MB, so not shipped in the repo.
#   Without it those characters are flagged on the forms and the PDFs instead of printed.
required_pkgs=(libpango-1.0-0 libpangoft2-1.0-0)
optional_pkgs=(libharfbuzz-subset0 fonts-hanazono)
if ((want_test)); then
    # chromium: browser tests (Playwright, executable /usr/bin/chromium);
    # poppler-utils: tests read generated PDFs back with pdftotext / pdffonts;
    # libreoffice-calc-nogui: the annual workbook's round trip (soffice --headless --convert-to csv,
    #   liaison/reports/tests/test_libreoffice.py), which fails rather than skips under CI=true.
    required_pkgs+=(chromium poppler-utils libreoffice-calc-nogui)
fi

is_installed() {
    dpkg -s "$1" 2>/dev/null | grep -q '^Status: install ok installed$'
}

apt_install() {
    say "apt-get install $*"
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=300 update -qq
    apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "$@"
}

missing_required=()
missing_optional=()
if command -v dpkg >/dev/null 2>&1; then
    for p in "${required_pkgs[@]}"; do is_installed "$p" || missing_required+=("$p"); done
    for p in "${optional_pkgs[@]}"; do is_installed "$p" || missing_optional+=("$p"); done
else
    say "dpkg not found (not Debian/Ubuntu?): install Pango, HarfBuzz-subset$( ((want_test)) && echo ', Chromium and poppler-utils') yourself"
fi
missing=("${missing_required[@]}" "${missing_optional[@]}")

# python3-venv is needed only to create .venv with Debian's own python3 (ensurepip lives there).
PYTHON="${PYTHON:-python3}"
command -v "$PYTHON" >/dev/null 2>&1 || die "$PYTHON not found. Install Python >= 3.11 (Debian 12: apt-get install python3 python3-venv)."
if ! "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
    die "$("$PYTHON" --version 2>&1) is too old: this project needs Python >= 3.11 (Django 5.2). Install it or set PYTHON=/path/to/python3.11."
fi
venv_ok() { [[ -x .venv/bin/python ]] && .venv/bin/python -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; }
if [[ ! -e .venv ]] && ! "$PYTHON" -c 'import ensurepip, venv' 2>/dev/null; then
    if [[ "$PYTHON" == python3 || "$(command -v "$PYTHON")" == /usr/bin/python3* ]] && command -v dpkg >/dev/null 2>&1; then
        missing+=(python3-venv)
        missing_required+=(python3-venv)
    else
        die "$PYTHON cannot create virtual environments (no ensurepip/venv module)."
    fi
fi

if ((${#missing[@]})); then
    if [[ $(id -u) -eq 0 ]]; then
        apt_install "${missing[@]}"
    else
        cmd="sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}"
        if ((${#missing_required[@]})); then
            die "missing Debian packages: ${missing_required[*]}. Run as root:
    sudo apt-get update && $cmd"
        fi
        say "WARNING: missing ${missing_optional[*]} (PDFs slower / no hanzi outside GBK). Run as root:"
        say "    sudo apt-get update && $cmd"
    fi
fi

# --- virtualenv and Python dependencies ----------------------------------------------------------
if [[ -e .venv ]] && ! venv_ok; then
    # Never delete it ourselves: it may be someone's hand-made environment.
    die ".venv exists but .venv/bin/python does not run or is older than 3.11 (was it made with another
    interpreter, or by another user?). Remove it (rm -rf .venv) and run this script again."
fi
if [[ ! -e .venv ]]; then
    say "creating .venv with $("$PYTHON" --version 2>&1)"
    "$PYTHON" -m venv .venv
fi

hash="$(sha256sum pyproject.toml | cut -d' ' -f1)"
stamp=".venv/.installed-$hash"
if [[ ! -e "$stamp" ]]; then
    # Two runs at once (CI and a developer, or `make -j`) must not pip into the same .venv together.
    exec 9>.venv/.bootstrap.lock
    flock 9
fi
if [[ -e "$stamp" ]]; then
    say "Python dependencies up to date ($(basename "$stamp" | cut -c1-22)...)"
else
    say "installing Python dependencies: pip install -e \".[dev]\""
    export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1
    .venv/bin/python -m pip install -q -e ".[dev]"
    # Build leftover of the editable install; nothing reads it (packages = []).
    rm -rf liaison.egg-info
    rm -f .venv/.installed-*
    touch "$stamp"
    say "done"
fi
