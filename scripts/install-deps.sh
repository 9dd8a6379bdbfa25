#!/usr/bin/env bash
# Installs the system libraries hubscout builds against, when missing: with apt (Debian, Ubuntu; needs root or
# sudo), else with Homebrew (macOS, Linuxbrew). With neither, it checks what pkg-config finds and says exactly what
# to install.
set -euo pipefail

if command -v apt-get >/dev/null 2>&1 && command -v dpkg-query >/dev/null 2>&1; then
  packages=(libcurl4-openssl-dev libarchive-dev libsqlite3-dev pkg-config)
  missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    echo "installing: ${missing[*]}"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  exit 0
fi

if command -v brew >/dev/null 2>&1; then
  # libarchive's headers are not in the macOS SDK, and SwiftPM finds Homebrew's (keg-only) copy through pkg-config.
  # libcurl and SQLite come with the SDK on macOS; on Linuxbrew they come from Homebrew too. libarchive pulls in zstd.
  formulae=(libarchive)
  [ "$(uname -s)" = "Darwin" ] || formulae+=(curl sqlite)
  missing=()
  for f in "${formulae[@]}"; do
    brew list --versions "$f" >/dev/null 2>&1 || missing+=("$f")
  done
  command -v pkg-config >/dev/null 2>&1 || missing+=(pkgconf)
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "installing with Homebrew: ${missing[*]}"
    brew install "${missing[@]}"
  fi
  if [ "$(uname -s)" = "Darwin" ]; then
    # keg-only on macOS: pkg-config finds it only through PKG_CONFIG_PATH
    prefix="$(brew --prefix libarchive)"
    case ":${PKG_CONFIG_PATH:-}:" in
      *":$prefix/lib/pkgconfig:"*) ;;
      *) echo "note: the Makefile points pkg-config at Homebrew's libarchive; to run swift build yourself, first:"
         echo "  export PKG_CONFIG_PATH=\"$prefix/lib/pkgconfig:\$PKG_CONFIG_PATH\"" ;;
    esac
  fi
  exit 0
fi

# Neither apt nor Homebrew: nothing to install with, but the libraries may already be there.
if command -v pkg-config >/dev/null 2>&1 && pkg-config --exists libcurl libarchive sqlite3; then
  exit 0
fi
echo "error: hubscout needs the development files of libcurl, libarchive and SQLite 3, and pkg-config to find them;" >&2
echo "neither apt-get nor Homebrew (brew) is available to install them. Install them with your package manager:" >&2
if [ "$(uname -s)" = "Darwin" ]; then
  echo "  install Homebrew (https://brew.sh), then: brew install libarchive pkgconf" >&2
  echo "  (libcurl and SQLite come with the macOS SDK; Homebrew's libarchive is found with" >&2
  echo "   PKG_CONFIG_PATH=\"\$(brew --prefix libarchive)/lib/pkgconfig\")" >&2
else
  echo "  Fedora, RHEL: sudo dnf install libcurl-devel libarchive-devel sqlite-devel pkgconf-pkg-config" >&2
  echo "  Arch:         sudo pacman -S --needed curl libarchive sqlite pkgconf" >&2
  echo "  Alpine:       sudo apk add curl-dev libarchive-dev sqlite-dev pkgconf" >&2
  echo "  openSUSE:     sudo zypper install libcurl-devel libarchive-devel sqlite3-devel pkgconf-pkg-config" >&2
fi
exit 1
