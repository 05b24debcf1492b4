#!/usr/bin/env bash
# Makes docs/screenshots/*.png: the station window on the built-in simulator (station -demo)
# under Xvfb, each tab at 1366x768 and at 1920x1080, after a few scans typed with xdotool and a
# batch print. Needs xvfb-run, xdotool, jq and ImageMagick (import, convert).
#
#   scripts/screenshots.sh            build bin/station and make all the screenshots
#   scripts/screenshots.sh --inside WxH   (internal: one screen size, run inside xvfb-run)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/docs/screenshots"

if [ "${1:-}" != "--inside" ]; then
  for tool in xvfb-run xdotool jq import convert; do
    command -v "$tool" >/dev/null || { echo "screenshots: $tool is missing" >&2; exit 1; }
  done
  cd "$root"
  go build -tags migrated_fynedo -o bin/station ./cmd/station
  mkdir -p "$out"
  for size in 1366x768 1920x1080; do
    xvfb-run -a -s "-screen 0 ${size}x24" "$0" --inside "$size"
  done
  ls -l "$out"
  exit 0
fi

size=$2
W=${size%x*}
H=${size#*x}
work=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# A Chinese locale (Fyne logs an error for LANG=C) and settings of our own, not the user's.
export LANG=zh_CN.UTF-8 XDG_CONFIG_HOME="$work/config"
# The packer is named up front: the window then opens on the scan tab without asking (Ctrl+L).
export STATION_PACKER="9001 测试"
# The demo verifies items by itself (its product table is the simulator's catalogue); these
# screenshots show the order scan, so verification is off.
mkdir -p "$work/config/station" && echo '{"verify": "off"}' >"$work/config/station/settings.json"
station="$root/bin/station"

# The demo simulator is deterministic (seed 1), so the CLI's own demo lists the window's orders.
"$station" -demo orders -json >"$work/orders.json"
sop=$(jq -r '[.[] | select(.type == "SOP")][0].order_id' "$work/orders.json")
lbp=$(jq -r '[.[] | select(.type == "LBP")][0].order_id' "$work/orders.json")
sopl=$(jq -r '[.[] | select(.type == "SOPL")][0].order_id' "$work/orders.json")
# An order JD shows shipped elsewhere: the scan refuses it with the stop banner.
shipped=$("$station" -demo orders -json -state WAIT_GOODS_RECEIVE_CONFIRM -from 2026-01-01 -to 2099-12-31 | jq -r '.[0].order_id')
# A shipped order with an after-sales case, for the returns desk (the demo makes the same cases each run).
returned=""
for id in $("$station" -demo orders -json -state WAIT_GOODS_RECEIVE_CONFIRM -from 2026-01-01 -to 2099-12-31 | jq -r '.[].order_id' | head -40); do
  if [ "$("$station" -demo afs list -order "$id" -json 2>/dev/null | jq length)" -gt 0 ]; then returned=$id; break; fi
done

"$station" -demo -journal "$work/journal.db" 2>"$work/station.log" &
pid=$!
wid=$(xdotool search --sync --name '京东发货工作台' | head -1)
xdotool windowsize "$wid" "$W" "$H"
sleep 3

shot() { # NAME: the screen as an 8-bit palette PNG
  sleep 1.5
  import -window root "$work/shot.png"
  convert "$work/shot.png" -strip -colors 256 "PNG8:$out/$1-$size.png"
}
scan() { # LINE: typed like a keyboard-wedge scanner: characters, then Enter
  xdotool type --delay 15 "$1"
  xdotool key Return
  sleep 1.5
}

# Scan tab: a SOP order and its waybill, a scanner typo, an SOPL and an LBP order.
scan "$sop"
scan "SF1234567890123"
scan "HELLO-123!"
scan "$sopl"
scan "$lbp"
shot scan

# The orders typed in went through: they are in the journal, as the CLI reads it.
for id in "$sop" "$sopl" "$lbp"; do
  "$station" history -json -order "$id" -journal "$work/journal.db" |
    jq -e 'map(select(.state == "shipped")) | length == 1' >/dev/null ||
    { echo "screenshots: order $id typed into the window is not shipped in the journal" >&2; exit 1; }
done

# The red banner of a bad scan, then the stop banner of an order JD already shipped; both stay
# in the exception list.
scan "12AB"
shot scan-error
scan "$shipped"
shot scan-stop
if [ "$("$station" history -json -order "$shipped" -journal "$work/journal.db" 2>/dev/null | jq 'map(select(.prints > 0)) | length' 2>/dev/null || echo 0)" != 0 ]; then
  echo "screenshots: order $shipped, shipped at JD, was printed" >&2; exit 1
fi

# Batch tab: opening it lists the orders waiting to ship, none selected.
xdotool key ctrl+2
sleep 4
shot batch

xdotool key ctrl+3
shot history

xdotool key ctrl+4
shot settings

# The board: this station's day (the orders above) per station, per packer and per hour.
xdotool key ctrl+5
sleep 2
shot board

# The returns desk: the order's after-sales case with its schedule, found by a scan into the desk.
if [ -n "$returned" ]; then
  xdotool key ctrl+6
  sleep 1
  scan "$returned"
  shot afs
fi

# The same station in English.
xdotool key ctrl+1
xdotool mousemove $((W - 40)) $((H - 20)) click 1
shot scan-en
echo "screenshots at $size done; orders $sop $sopl $lbp typed in and shipped (station history -json)"
