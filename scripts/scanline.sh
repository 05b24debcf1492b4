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
#   - ten scans a second apart after a failure all go through;
#   - a scan typed into a Settings field, or while a dialog is open, is scanned;
#   - the batch asks before printing;
#   - a printer that says it is out of paper (~HS) holds the labels, scans queue behind them,
#     and with paper back every label prints once and every order ships;
#   - an order with a delete request (station delete-apply) gets no label and no outstorage, and
#     ships once the request is withdrawn; an overseas order ships in its two calls;
#   - with verification (验货, on by itself in the demo): an order's items scanned a second
#     apart, a wrong item refused on the way, ship it only once the last item is in; Esc sets an
#     order aside and nothing of it ships.
# It leaves a screenshot of the end in $OUT (default /tmp/scanline-1024x768.png).
# Needs xvfb-run, xdotool, jq, curl and ImageMagick (import).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if [ "${1:-}" != "--inside" ]; then
  for tool in xvfb-run xdotool jq curl import; do
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
# The packer is named up front: the window then opens on the scan tab without asking (Ctrl+L).
export STATION_PACKER="9001 测试"
# The demo verifies items by itself; the order-scan checks first run with verification off.
mkdir -p "$work/config/station" && echo '{"verify": "off"}' >"$work/config/station/settings.json"
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
mapfile -t jd < <(jq -r '.[] | select(.type == "LBP" or .type == "SOPL") | .order_id' "$work/orders.json")
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

# A scanner's code typed into a Settings field does not stay there: it is scanned.
xdotool key ctrl+4
sleep 1
xdotool mousemove 822 342 click 1 # 水平偏移 (under the 常规 / 商品 page tabs)
sleep 0.3
scan "${jd[16]}"
check "a scan typed into a Settings field ships" test "$(state "${jd[16]}")" = shipped

# The batch asks before printing: with everything selected, 打印所选 opens a confirmation and
# nothing prints meanwhile; a scan typed while that dialog is open is handled on the scan tab.
xdotool key ctrl+2
sleep 3
printed_before=$("$station" history -json -n 1000 -journal "$journal" | jq '[.[] | select(.prints > 0)] | length')
xdotool mousemove 18 106 click 1 # 全选
sleep 0.3
xdotool mousemove 40 614 click 1 # 打印所选
sleep 2
check "the batch asks first: nothing printed without confirmation" \
  test "$("$station" history -json -n 1000 -journal "$journal" | jq '[.[] | select(.prints > 0)] | length')" = "$printed_before"
xdotool key ctrl+1
sleep 1
scan "${jd[17]}"
check "a scan typed while a dialog is open ships" test "$(state "${jd[17]}")" = shipped

import -window root "${OUT:-/tmp/scanline-1024x768.png}"
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=

# A printer that says it is out of paper (a fake raw-9100 printer answering ~HS): labels are
# held, scans queue behind them, nothing is shipped; with paper back every label prints once and
# every order ships.
cat >"$work/printer.py" <<'PY'
import os, socket, sys, threading
work = sys.argv[1]
srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(16)
open(os.path.join(work, "printer.port"), "w").write(str(srv.getsockname()[1]))
def hs():
    out = "1" if not os.path.exists(os.path.join(work, "paper")) else "0"
    return ("\x02030," + out + ",0,1218,000,0,0,0,000,0,0,0\x03\r\n\x02001,0,0,0,0,2,6,0,00000000,1,000\x03\r\n\x021234,0\x03\r\n").encode()
def serve(c):
    data = b""
    while True:
        b = c.recv(65536)
        if not b: break
        data += b
        if data == b"~HS":
            c.sendall(hs()); data = b""
    if data:
        with open(os.path.join(work, "labels"), "ab") as f: f.write(data)
    c.close()
while True:
    c, _ = srv.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
PY
python3 "$work/printer.py" "$work" & ppid=$!
"$station" sim -addr 127.0.0.1:0 -orders 60 >"$work/sim.log" 2>&1 & spid=$!
trap 'kill $ppid $spid 2>/dev/null || true; cleanup' EXIT
for _ in $(seq 1 50); do [ -s "$work/printer.port" ] && grep -q 'http://' "$work/sim.log" && break; sleep 0.1; done
url=$(grep -o 'http://[0-9.:]*/routerjson' "$work/sim.log" | head -1)
simflags=(-endpoint "$url" -app-key demo-app-key -app-secret demo-app-secret -token demo-access-token)
mkdir -p "$work/config2/station"
cat >"$work/config2/station/settings.json" <<JSON
{"endpoint": "custom", "custom_url": "$url", "app_key": "demo-app-key",
 "printer": {"kind": "tcp", "target": "127.0.0.1:$(cat "$work/printer.port")", "lang": "zpl"}}
JSON
journal="$work/journal2.db"
mapfile -t held < <("$station" "${simflags[@]}" orders -json | jq -r '.[] | select(.type == "LBP" or .type == "SOPL") | .order_id' | head -3)
XDG_CONFIG_HOME="$work/config2" "$station" "${simflags[@]}" -journal "$journal" 2>"$work/station2.log" &
pid=$!
xdotool search --sync --name '京东发货工作台' >/dev/null
sleep 3
for id in "${held[@]}"; do scan "$id"; done
sleep 2
import -window root "${OUT2:-/tmp/scanline-paperout-1024x768.png}"
check "out of paper: no label sent" test ! -s "$work/labels"
check "out of paper: nothing shipped" test "$(state "${held[0]}")" != shipped
touch "$work/paper"
for _ in $(seq 1 30); do [ "$(state "${held[2]}")" = shipped ] && break; sleep 1; done
for id in "${held[@]}"; do
  check "paper back: $id printed and shipped" test "$(state "$id")" = shipped
done
check "paper back: three labels, each once" test "$(grep -c '\^XA' "$work/labels")" = 3

# A delete request (station delete-apply on the same journal) holds the order at the scan line:
# no label, no outstorage; withdrawn (station delete-cancel), the next scan ships it.
ledger() { curl -s "${url%/routerjson}/_sim/ledger" | jq -r --arg id "$1" ".orders[] | select(.order_id == \$id) | $2"; }
del=$("$station" "${simflags[@]}" orders -json | jq -r '.[] | select(.type == "LBP") | .order_id' | sed -n 5p)
"$station" "${simflags[@]}" -journal "$journal" delete-apply -order "$del" -reason 1 >/dev/null
scan "$del"; sleep 2
check "a delete request: $del gets no label" test "$(grep -c '\^XA' "$work/labels")" = 3
check "a delete request: no outstorage for $del" test "$(ledger "$del" .outstorage_attempts)" = 0
"$station" "${simflags[@]}" -journal "$journal" delete-cancel -order "$del" >/dev/null
scan "$del"; sleep 2
check "withdrawn, $del ships" test "$(state "$del")" = shipped
# An overseas (海外购) order waits for its waybill like SOP, then ships in JD's two calls.
over=$("$station" "${simflags[@]}" orders -json -type overseas | jq -r '.[0].order_id')
scan "$over"; sleep 1; scan SF1234567890777; sleep 2
check "overseas $over ships" test "$(state "$over")" = shipped
check "overseas $over: outstorage once, delivery once" \
  test "$(ledger "$over" '"\(.outstorage_accepted) \(.delivery_accepted)"')" = "1 1"
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=

# Verification on the demo (its settings as a new user's: verification auto, the simulator's
# catalogue in the product table). The order's codes come from station scan -verify, which lists
# them under the order.
journal="$work/journal3.db"
codes=()
for i in $(seq 18 40); do # an order of two pieces or more
  vid=${jd[$i]}
  mapfile -t codes < <(printf '%s\n' "$vid" | "$station" -demo -journal "$work/codes.db" scan -verify -o "$work" 2>/dev/null |
    awk '/^    [0-9]+\/[0-9]+ /{split($1, n, "/"); for (i = 0; i < n[2]; i++) print $2}')
  [ "${#codes[@]}" -ge 2 ] && break
done
wrong=$("$station" -demo products list -json | jq -r --argjson in "$(printf '%s\n' "${codes[@]}" | jq -R . | jq -s .)" \
  '[.[] | .barcodes[0] | select(IN($in[]) | not)][0]')
XDG_CONFIG_HOME="$work/config3" "$station" -demo -journal "$journal" 2>"$work/station3.log" &
pid=$!
xdotool search --sync --name '京东发货工作台' >/dev/null
sleep 3
scan "$vid"
scan "$wrong"
for c in "${codes[@]:0:${#codes[@]}-1}"; do scan "$c"; done
check "verification: ${#codes[@]} pieces of $vid, the last not yet scanned: nothing shipped" test "$(state "$vid")" = none
import -window root "${OUT3:-/tmp/scanline-verify-1024x768.png}"
scan "${codes[-1]}"
check "verification: the last item ships $vid" test "$(state "$vid")" = shipped
check "verification: the journal has it verified" \
  test "$("$station" history -json -order "$vid" -journal "$journal" | jq -r '.[0].pack.state')" = complete
check "verification: the wrong item was refused and counted" \
  test "$("$station" shift -json -journal "$journal" | jq -r '.refused_scans.wrong')" = 1
aside=${jd[$((i + 1))]}
scan "$aside"
xdotool key Escape
sleep 1
check "verification: Esc sets $aside aside, nothing shipped" test "$(state "$aside")" = none
check "verification: $aside is recorded as set aside" \
  test "$("$station" shift -json -journal "$journal" | jq -r '.set_aside')" = 1

# The packer signs in: a window started without STATION_PACKER asks the 工号 first; each scan
# records who did it, and Ctrl+L hands the station to another packer.
kill $pid 2>/dev/null; wait $pid 2>/dev/null
mkdir -p "$work/config4/station" && echo '{"verify": "off"}' >"$work/config4/station/settings.json"
env -u STATION_PACKER XDG_CONFIG_HOME="$work/config4" "$station" -demo -journal "$journal" -station 打包台9 2>"$work/station4.log" &
pid=$!
xdotool search --sync --name '京东发货工作台' >/dev/null
sleep 3
import -window root "${OUT4:-/tmp/scanline-signin-1024x768.png}"
xdotool type --delay 80 7007; xdotool key Return; sleep 0.3
xdotool type --delay 80 Li; xdotool key Return; sleep 0.5
scan "${jd[50]}"
who() { "$station" history -json -order "$1" -journal "$journal" | jq -r '"\(.[0].station)/\(.[0].packer)"'; }
check "sign-in: ${jd[50]} is recorded with 打包台9 and 7007 Li" test "$(who "${jd[50]}")" = "打包台9/7007 Li"
xdotool key ctrl+l; sleep 0.5
xdotool key ctrl+a; xdotool type --delay 80 8008; xdotool key Tab; xdotool key ctrl+a; xdotool key BackSpace; xdotool key Return; sleep 0.5
scan "${jd[51]}"
check "Ctrl+L: ${jd[51]} is recorded with 8008" test "$(who "${jd[51]}")" = "打包台9/8008"
check "and ${jd[50]} still with 7007 Li" test "$(who "${jd[50]}")" = "打包台9/7007 Li"
xdotool key ctrl+5; sleep 2
import -window root "${OUT5:-/tmp/scanline-board-1024x768.png}"
check "the board counts 打包台9's two shipments" \
  test "$("$station" board -json -journal "$journal" | jq -r '.stations[] | select(.name == "打包台9") | .shipped')" = 2
kill $pid 2>/dev/null
exit $fail
