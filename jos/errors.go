package jos

import (
	"errors"
	"fmt"
	"strings"
)

// Kind says what sort of failure an error is, so that callers and the UI can react without
// parsing texts.
type Kind int

const (
	KindOther        Kind = iota
	KindAuth              // access token missing, invalid or expired: get a new token
	KindCredentials       // signature, app key or app secret wrong
	KindClock             // timestamp rejected: the PC's clock is off
	KindPermission        // the app or merchant may not call this API
	KindQuota             // call quota exceeded: back off
	KindInvalid           // a parameter was rejected
	KindNotFound          // the order (or other object) does not exist for this merchant
	KindConflict          // the order's state forbids it (already shipped, locked, cancelled…)
	KindServer            // JOS or its backend failed or is busy
	KindTransport         // the request or reply did not make it (network, timeout)
	KindMalformed         // the reply was not a JOS envelope we can read
	KindRefused           // JD refused for a reason the station does not know: JD's own words say why
	KindRetired           // JD has stopped the API (28): no call to it will work again
	KindIPBlocked         // this PC's address is not on the app's IP whitelist (80)
	KindDataSecurity      // JD's data-security layer (decryption) failed (83-87)
	KindVender            // the merchant (vender) id is missing or invalid (9, 10)
)

var kindNames = [...]string{"other", "auth", "credentials", "clock", "permission", "quota",
	"invalid", "not-found", "conflict", "server", "transport", "malformed", "refused", "retired",
	"ip-blocked", "data-security", "vender"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// Outcome says whether a failed call may have changed anything at JD. It matters only for
// writes: a write whose outcome is unknown must be reconciled (360buy.order.get), never
// blindly repeated.
type Outcome int

const (
	// NotApplied: JOS answered and refused the call, or the request never left.
	NotApplied Outcome = iota
	// MaybeApplied: the request may have reached JD but no usable answer came back.
	MaybeApplied
)

func (o Outcome) String() string {
	if o == MaybeApplied {
		return "maybe-applied"
	}
	return "not-applied"
}

// Error is a failed JOS call.
type Error struct {
	Method  string
	Kind    Kind
	Code    string // the JOS code, empty for transport and decoding failures
	ZhDesc  string
	EnDesc  string
	HTTP    int // HTTP status when it was not 200
	Outcome Outcome
	Err     error // the underlying cause, if any
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Method)
	b.WriteString(": ")
	switch {
	case e.Code != "":
		fmt.Fprintf(&b, "JOS error %s", e.Code)
		if d := e.Desc(); d != "" {
			b.WriteString(" (")
			b.WriteString(d)
			b.WriteString(")")
		}
	case e.HTTP != 0:
		fmt.Fprintf(&b, "HTTP %d", e.HTTP)
	default:
		b.WriteString(e.Kind.String())
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	if e.Outcome == MaybeApplied {
		b.WriteString(" [may have taken effect]")
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Desc is the JOS description, Chinese and English when both are given.
func (e *Error) Desc() string {
	switch {
	case e.ZhDesc != "" && e.EnDesc != "" && e.ZhDesc != e.EnDesc:
		return e.ZhDesc + " / " + e.EnDesc
	case e.ZhDesc != "":
		return e.ZhDesc
	default:
		return e.EnDesc
	}
}

// KindOf returns the kind of err, or KindOther when err is not a JOS error.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindOther
}

// MayHaveTakenEffect reports whether err leaves it open whether a write happened.
func MayHaveTakenEffect(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Outcome == MaybeApplied
}

// Gateway codes (JOS's published table) and the one order-service business code found in public
// material. The order service's other business codes are not published; its refusals are
// classified by their words (KindOfCode).
const (
	CodeServiceUnavailable = "1"
	CodeQuota              = "2"
	codeForbidden          = "3"
	CodeMissingVersion     = "4"
	CodeBadVersion         = "5"
	CodeMissingTimestamp   = "7"
	CodeBadTimestamp       = "8"
	CodeMissingVender      = "9"
	CodeBadVender          = "10"
	CodeMissingSign        = "11"
	CodeBadSign            = "12"
	CodeBadFormat          = "13"
	CodeMissingMethod      = "14"
	CodeBadMethod          = "15"
	CodeTradeNoExists      = "17" // 流水号已经存在: the trade_no was used before
	CodeMissingToken       = "18"
	CodeBadToken           = "19"
	CodeMissingAppKey      = "20"
	CodeBadAppKey          = "21"
	codeNotMerchant        = "22"
	codeAPIDisabled        = "23"
	CodeNoPermission       = "24"
	codeAppOffline         = "25"
	CodeAPIRetired         = "28" // 接口已停用
	CodeSystemError        = "43"
	CodeBadParam           = "60"
	CodeBadParamValue      = "61"
	codeBadJSONParam       = "62"
	CodeBadJSON            = "63"
	codeWrongMerchantType  = "64"
	codeBackendTimeout     = "65"
	CodeBackendUnavailable = "66"
	codeBackendUnknown     = "67"
	CodeBadOptionalFields  = "68"
	codeNoData             = "69"
	CodeOrderShipping      = "70" // 该订单正在出库中
	codeNotYourOrder       = "71" // 当前的ID不属于此商家
	codeWrongOrderType     = "72" // 当前的用户不是此类型(FBP, SOP等)的商家
	CodeIPNotWhitelisted   = "80"

	// The after-sales service's error codes (jingdong.afsservice.*, seed 000).
	CodeAfsParam  = "3001"
	CodeAfsDenied = "403"
	CodeAfsSystem = "500"

	// CodeWaybillLocked is 360buy.order.sop.waybill.update's refusal seen in public material,
	// given as a top-level error_response: 当前状态的订单不能修改运单号.
	CodeWaybillLocked = "10400014"
)

var codeKinds = map[string]Kind{
	CodeServiceUnavailable: KindServer,
	CodeQuota:              KindQuota,
	codeForbidden:          KindPermission,
	CodeMissingVersion:     KindInvalid,
	CodeBadVersion:         KindInvalid,
	"6":                    KindInvalid,
	CodeMissingTimestamp:   KindClock,
	CodeBadTimestamp:       KindClock,
	CodeMissingVender:      KindVender,
	CodeBadVender:          KindVender,
	CodeMissingSign:        KindCredentials,
	CodeBadSign:            KindCredentials,
	CodeBadFormat:          KindInvalid,
	CodeMissingMethod:      KindInvalid,
	CodeBadMethod:          KindInvalid,
	"16":                   KindInvalid,
	CodeTradeNoExists:      KindConflict,
	CodeMissingToken:       KindAuth,
	CodeBadToken:           KindAuth,
	CodeMissingAppKey:      KindCredentials,
	CodeBadAppKey:          KindCredentials,
	codeNotMerchant:        KindPermission,
	codeAPIDisabled:        KindPermission,
	CodeNoPermission:       KindPermission,
	codeAppOffline:         KindPermission,
	CodeAPIRetired:         KindRetired,
	CodeSystemError:        KindServer,
	"50":                   KindInvalid,
	CodeBadParam:           KindInvalid,
	CodeBadParamValue:      KindInvalid,
	codeBadJSONParam:       KindInvalid,
	CodeBadJSON:            KindInvalid,
	codeWrongMerchantType:  KindPermission,
	codeBackendTimeout:     KindServer,
	CodeBackendUnavailable: KindServer,
	codeBackendUnknown:     KindServer,
	CodeBadOptionalFields:  KindInvalid,
	codeNoData:             KindServer,
	CodeOrderShipping:      KindConflict,
	codeNotYourOrder:       KindNotFound,
	codeWrongOrderType:     KindInvalid,
	"73":                   KindPermission,
	CodeIPNotWhitelisted:   KindIPBlocked,
	"83":                   KindDataSecurity,
	"84":                   KindDataSecurity,
	"85":                   KindDataSecurity,
	"86":                   KindDataSecurity,
	"87":                   KindDataSecurity,
	CodeWaybillLocked:      KindConflict,
	// The after-sales service's codes (seed 000): parameter error, no permission, system exception.
	CodeAfsParam:  KindInvalid,
	CodeAfsDenied: KindPermission,
	CodeAfsSystem: KindServer,
}

// KindOfCode classifies a JOS refusal. Codes outside the table (the order service's business
// codes are not published) are classified by JD's words; a refusal whose words say nothing the
// station knows is KindRefused: JD said no, and its words are all there is to show.
func KindOfCode(code, zhDesc, enDesc string) Kind {
	if k, ok := codeKinds[code]; ok {
		return k
	}
	d := strings.ToLower(zhDesc + " " + enDesc)
	switch {
	// State first: "当前状态的订单不能修改运单号" names a waybill but is about the state.
	case containsAny(d, "已出库", "已发货", "出库中", "锁定", "取消", "状态", "already", "state", "locked", "cancel"):
		return KindConflict
	// Carriers and waybills before "不存在": "物流公司不存在" is a wrong carrier id, not a missing order.
	case containsAny(d, "参数", "运单", "物流", "类型", "格式", "param", "waybill", "logistics", "format"):
		return KindInvalid
	case containsAny(d, "不存在", "不属于", "not exist", "not found", "no such"):
		return KindNotFound
	case containsAny(d, "权限", "无权", "permission"):
		return KindPermission
	case containsAny(d, "繁忙", "稍后", "超时", "busy", "try again later", "retry later", "timeout"):
		return KindServer
	}
	return KindRefused
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// retryableCode reports whether JOS asks us to come back later; for reads only.
func retryableCode(code string) bool {
	switch code {
	case CodeServiceUnavailable, CodeQuota, CodeSystemError, codeBackendTimeout, CodeBackendUnavailable, codeBackendUnknown, CodeAfsSystem:
		return true
	}
	return false
}

// unknownOutcomeCode reports whether a write answered with code may still have been applied:
// the gateway lost touch with the backend while the backend may have done the work, or the
// backend failed somewhere in the middle (43, a generic system error).
func unknownOutcomeCode(code string) bool {
	switch code {
	case CodeSystemError, codeBackendTimeout, codeBackendUnknown, CodeAfsSystem:
		return true
	}
	return false
}
