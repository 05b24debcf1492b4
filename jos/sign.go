package jos

import (
	"crypto/md5"
	"encoding/hex"
	"sort"
	"strings"
	"time"
)

// TimeLayout is the timestamp format JOS expects and returns.
const TimeLayout = "2006-01-02 15:04:05"

// ChinaTime is Asia/Shanghai. China has kept UTC+8 without daylight saving since 1991, so a
// fixed zone is exact and does not depend on the machine's tz database (missing on many Windows PCs).
var ChinaTime = time.FixedZone("CST", 8*60*60)

// Sign computes the JOS signature of a request's parameters: every non-empty parameter but
// "sign", sorted by key, concatenated as key+value between two copies of the secret, MD5,
// upper-case hex.
func Sign(secret string, params map[string]string) string {
	keys := make([]string, 0, len(params))
	for k, v := range params {
		if k == "sign" || v == "" {
			continue
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(secret)
	for _, k := range keys {
		b.WriteString(k)
		b.WriteString(params[k])
	}
	b.WriteString(secret)
	sum := md5.Sum([]byte(b.String()))
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}
