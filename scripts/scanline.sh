#!/usr/bin/env bash
# Drives the scan tab as a packer does, under Xvfb at 1024x768 with xdotool, on the built-in
# simulator (station -demo), and checks each outcome in the journal (station history -json):
#   - an order JD already shipped prints nothing;
#   - a scan typed after the carrier dropdown was opened and closed (Esc), or while it is open,
#     is not lost;
#   - a scan ended with Tab instead of Enter goes through;
#   - a waybill already used for one order is refused for another;
#   - an order id scanned while an order waits for its waybill sets the waiting one aside;
#   - 包裹数 set for one order goes back to 1 for the next; two parcels on SF take two waybills;
#   - ten scans a second apart after a failure all go through.
# It leaves a screenshot of the end in $OUT (default /tmp/scanline-1024x768.png).
# Needs xvfb-run, xdotool, jq and ImageMagick (import).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if [ "${1:-}" != "--inside" ]; then
  for tool in xvfb-run xdotool jq import; do
    command -v "$tool" >/dev/null || { echo "scanline: $tool is missing" >&2; exit 1; }
  done
  cd "$root"
  go build -tags migrated_fynedo -o bin/station ./cmd/station
  exec xvfb-run -a -s "-screen 0 1024x768x24" "$0" --inside
fi

work=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
export LANG=zh_CN.UTF-8 XDG_CONFIG_HOME="$work/config"
station="$root/bin/station"
journal="$work/journal.db"
fail=0
check() { # WHAT, then a command that must succeed
  local what=$1; shift
  if "$@"; then echo "ok    $what"; else echo "FAIL  $what"; fail=1; fi
}
state() { # ORDER: its journal state, "none" when the journal has no entry
  "$station" history -json -order "$1" -journal "$journal" 2>/dev/null | jq -r '.[0].state // "none"' 2>/dev/null || echo none
}
prints() {
  "$station" history -json -order "$1" -journal "$journal" 2>/dev/null | jq -r '.[0].prints // 0' 2>/dev/null || echo 0
}
scan() { # LINE [KEY]: typed like a keyboard-wedge scanner, then Enter (or KEY)
  xdotool type --delay 8 "$1"
  xdotool key "${2:-Return}"
  sleep 1
}

"$station" -demo orders -json >"$work/orders.json"
mapfile -t jd < <(jq -r '.[] | select(.type != "SOP") | .order_id' "$work/orders.json")
mapfile -t sop < <(jq -r '.[] | select(.type == "SOP") | .order_id' "$work/orders.json")
shipped=$("$station" -demo orders -json -state WAIT_GOODS_RECEIVE_CONFIRM -from 2026-01-01 -to 2099-12-31 | jq -r '.[0].order_id')

"$station" -demo -journal "$journal" 2>"$work/station.log" &
pid=$!
xdotool search --sync --name '京东发货工作台' >/dev/null
sleep 3

scan "$shipped"
check "an order JD shipped ($shipped) prints nothing" test "$(prints "$shipped")" = 0

xdotool mousemove 610 62 click 1 # the carrier dropdown opens
sleep 0.5
xdotool key Escape
sleep 0.5
scan "${jd[0]}"
check "a scan after the dropdown was opened and closed ships" test "$(state "${jd[0]}")" = shipped

xdotool mousemove 610 62 click 1 # the carrier dropdown opens, and stays open for the scan
sleep 0.5
scan "${jd[13]}"
check "a scan typed while the carrier dropdown is open ships" test "$(state "${jd[13]}")" = shipped

scan "${jd[1]}" Tab
check "a scan ended with Tab ships" test "$(state "${jd[1]}")" = shipped

scan "${sop[0]}"
scan "SF1234567890123"
check "SOP ${sop[0]} ships with SF1234567890123" test "$(state "${sop[0]}")" = shipped
scan "${sop[1]}"
scan "SF1234567890123"
check "the same waybill is refused for SOP ${sop[1]}" test "$(state "${sop[1]}")" != shipped

scan "${jd[2]}"
check "an order id while ${sop[1]} waits: ${jd[2]} ships" test "$(state "${jd[2]}")" = shipped
check "and ${sop[1]} is set aside, printed, not shipped" test "$(state "${sop[1]}")" = printed

# 包裹数 + once: two labels and two parcels for the next order only.
xdotool mousemove 410 67 click 1
sleep 0.5
scan "${jd[14]}"
scan "${jd[15]}"
pkgs() { "$station" history -json -order "$1" -journal "$journal" | jq -r '.[0].packages'; }
check "包裹数 2 applies to ${jd[14]}" test "$(pkgs "${jd[14]}")" = 2
check "and is back to 1 for ${jd[15]}" test "$(pkgs "${jd[15]}")" = 1

# Two parcels on SF: two waybills, one outstorage.
xdotool mousemove 410 67 click 1
sleep 0.5
scan "${sop[2]}"
scan "SF1234567890201"
check "after one of two waybills ${sop[2]} still waits" test "$(state "${sop[2]}")" = printed
scan "SF1234567890202"
check "the second waybill ships ${sop[2]} with both" test "$("$station" history -json -order "${sop[2]}" -journal "$journal" | jq -r '.[0].waybills | length')" = 2

for i in $(seq 3 12); do
  scan "${jd[$i]}"
done
for i in $(seq 3 12); do
  check "scan $((i - 2)) of ten a second apart ships" test "$(state "${jd[$i]}")" = shipped
done

import -window root "${OUT:-/tmp/scanline-1024x768.png}"
exit $fail
