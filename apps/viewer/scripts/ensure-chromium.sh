#!/usr/bin/env bash
# Installs what the viewer's browser tests need from Debian when it is missing: Chromium, and a small
# CJK font so that the Chinese interface renders (and its screenshots are legible) instead of boxes.
# Idempotent and quiet: when /usr/bin/chromium and the font exist it does nothing and prints nothing.
# Needs root (CI and the project's machines run as root).
set -euo pipefail
packages=()
[ -x /usr/bin/chromium ] || packages+=(chromium)
[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || packages+=(fonts-wqy-microhei)
if [ ${#packages[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-chromium: missing ${packages[*]}; run as root, or: apt-get install -y ${packages[*]}" >&2
  exit 1
fi
echo "ensure-chromium: installing ${packages[*]} for the viewer's browser tests" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null 2>&1
