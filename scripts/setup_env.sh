# Shared set-up for start.sh and test.sh: system libraries and the .venv.
# Sourced, not run. Usage: cuecard_setup "extras" "apt packages..."

set -euo pipefail

cuecard_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$cuecard_root/.venv"

cuecard_find_python() {
    for candidate in python3.13 python3.12 python3.11 python3; do
        # pyenv shims exist for versions that are not installed, so run each.
        if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
            >/dev/null 2>&1; then
            echo "$candidate"
            return 0
        fi
    done
    echo "Cuecard needs Python 3.11 or newer: install it and run this again." >&2
    return 1
}

cuecard_apt_install() {
    # Install the Debian/Ubuntu packages that are missing; elsewhere, name them.
    local missing=()
    for package in "$@"; do
        if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed"; then
            missing+=("$package")
        fi
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "Please install these system packages with your package manager:" \
            "${missing[*]}" >&2
        return 0
    fi
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "Installing system packages: ${missing[*]}"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${missing[@]}"
}

cuecard_setup() {
    local extras="$1"
    shift
    if [ "$(uname -s)" = "Linux" ]; then
        cuecard_apt_install "$@"
    fi
    if [ ! -x "$venv/bin/python" ]; then
        "$(cuecard_find_python)" -m venv "$venv"
    fi
    # Install again only when the dependencies or the extras changed.
    local stamp="$venv/.cuecard-installed$extras"
    local wanted
    wanted="$(cat "$cuecard_root/pyproject.toml" | cksum)"
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
        echo "Installing Cuecard and its Python packages into $venv ..."
        "$venv/bin/python" -m pip install -q --upgrade pip
        "$venv/bin/python" -m pip install -q -e "$cuecard_root$extras"
        echo "$wanted" >"$stamp"
    fi
}

# Libraries the app itself loads on Linux: PortAudio for sounddevice, and the
# X11/xcb pieces Qt's xcb platform plugin needs on a minimal desktop.
CUECARD_APP_PACKAGES=(
    libportaudio2 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0
    libxcb-xinerama0 libxcb-randr0 libxcb-render-util0 libxcb-image0
    libxkbcommon-x11-0 libegl1 libgl1 libfontconfig1 libdbus-1-3
)
