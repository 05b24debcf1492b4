#!/usr/bin/env bash
# Regenerates the station's voice prompts (assets/sounds/*.wav) with espeak-ng's Mandarin voice:
# 22050 Hz, 16-bit, mono. Needs the espeak-ng package.
set -euo pipefail
cd "$(dirname "$0")/../assets/sounds"
while IFS=: read -r name text; do
	espeak-ng -v cmn -s 185 -a 110 "$text" -w "$name.wav"
done <<'LIST'
ok:成功
fail:失败，请看屏幕
duplicate:重复扫描
stop:已发货，不要再发
wait:请扫运单号
wrong:错货
surplus:多件
unknown:未知条码
weight:重量异常
LIST
