package ship

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"station/jos"
)

// methodLogisticsGet lists the carriers set up for the merchant.
const methodLogisticsGet = "360buy.delivery.logistics.get"

// Reader is the JOS read call the carrier list needs; *jos.Client implements it.
type Reader interface {
	Read(ctx context.Context, method string, params any, out any) error
}

// Brand is a carrier family whose waybill numbers have a known shape.
type Brand string

const (
	BrandUnknown Brand = ""
	BrandSelf    Brand = "self" // 厂家自送: the merchant delivers; no waybill
	BrandSF      Brand = "SF"
	BrandJD      Brand = "JD"
	BrandYTO     Brand = "YTO"
	BrandZTO     Brand = "ZTO"
	BrandSTO     Brand = "STO"
	BrandYunda   Brand = "Yunda"
	BrandEMS     Brand = "EMS"
)

// Carrier is one carrier of the merchant's list (360buy.delivery.logistics.get).
type Carrier struct {
	ID       string // logistics_id, as JD gives it
	Name     string // logistics_name, e.g. 顺丰速运
	Remark   string
	Sequence int
	Agreed   bool  // agree_flag
	COD      bool  // iscod: the carrier collects cash on delivery
	Brand    Brand // from the name; BrandUnknown when the name says nothing we know
}

// SelfDelivery reports whether the merchant delivers the parcel itself: no waybill needed.
func (c Carrier) SelfDelivery() bool { return c.Brand == BrandSelf }

func (c Carrier) String() string { return c.ID + " " + c.Name }

// waybillShapes are the published shapes of each brand's waybill numbers (notes/jos.md),
// upper case. They tell a scanned waybill's carrier apart and catch scanner typos; a shape is
// checked only for carriers whose brand is known.
var waybillShapes = map[Brand][]*regexp.Regexp{
	BrandSF:    {regexp.MustCompile(`^SF\d{12,13}$`)},
	BrandJD:    {regexp.MustCompile(`^JD[0-9A-Z]{6,24}$`)},
	BrandYTO:   {regexp.MustCompile(`^YT\d{13}$`)},
	BrandZTO:   {regexp.MustCompile(`^[752]\d{11,14}$`)},
	BrandSTO:   {regexp.MustCompile(`^(77|88|66)\d{10,11}$`)},
	BrandYunda: {regexp.MustCompile(`^\d{13,15}$`)},
	BrandEMS:   {regexp.MustCompile(`^[A-Z]{2}\d{9}CN$`), regexp.MustCompile(`^1\d{12}$`)},
}

// shapeHelp says in words what each brand's waybills look like, for error messages.
var shapeHelp = map[Brand]string{
	BrandSF:    "SF followed by 12-13 digits",
	BrandJD:    "JD followed by 6-24 letters or digits",
	BrandYTO:   "YT followed by 13 digits",
	BrandZTO:   "12-15 digits starting with 7, 5 or 2",
	BrandSTO:   "12-13 digits starting with 77, 88 or 66",
	BrandYunda: "13-15 digits",
	BrandEMS:   "2 letters, 9 digits and CN, or 13 digits starting with 1",
}

// genericWaybill is the check for carriers whose shape is not known: what any carrier's
// waybill looks like, and nothing that could break JOS's "a,b|c" form.
var genericWaybill = regexp.MustCompile(`^[A-Z0-9-]{6,32}$`)

const genericHelp = "6-32 letters, digits or '-'"

// GenericWaybillHelp says what any waybill looks like, for messages.
const GenericWaybillHelp = genericHelp

// LooksLikeWaybill reports whether a normalized w has the shape any carrier's waybill has.
func LooksLikeWaybill(w string) bool { return genericWaybill.MatchString(w) }

// brandKeywords map words in a carrier's name to its brand. Chinese names are matched as
// substrings, Latin ones as whole words.
var brandKeywords = []struct {
	brand Brand
	zh    []string
	latin []string
}{
	{BrandSelf, []string{"自送"}, nil},
	{BrandSF, []string{"顺丰"}, []string{"SF"}},
	{BrandJD, []string{"京东"}, []string{"JD"}},
	{BrandYTO, []string{"圆通"}, []string{"YTO"}},
	{BrandZTO, []string{"中通"}, []string{"ZTO"}},
	{BrandSTO, []string{"申通"}, []string{"STO"}},
	{BrandYunda, []string{"韵达"}, []string{"YUNDA"}},
	{BrandEMS, []string{"邮政速递", "中国速递"}, []string{"EMS"}},
}

// brandOf tells a carrier's brand from its name, e.g. 顺丰速运 → SF.
func brandOf(name string) Brand {
	upper := strings.ToUpper(name)
	words := strings.FieldsFunc(upper, func(r rune) bool { return !(r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r))) })
	for _, k := range brandKeywords {
		for _, z := range k.zh {
			if strings.Contains(name, z) {
				return k.brand
			}
		}
		for _, l := range k.latin {
			for _, w := range words {
				if w == l {
					return k.brand
				}
			}
		}
	}
	return BrandUnknown
}

// NormalizeWaybill cleans a typed or scanned waybill: no spaces or control characters, upper
// case.
func NormalizeWaybill(w string) string {
	return strings.ToUpper(strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			return -1
		}
		return r
	}, w))
}

// CheckWaybill checks a (normalized) waybill against the carrier's shape, or the generic one
// when the carrier's shape is not known. It says what was expected.
func (c Carrier) CheckWaybill(w string) error {
	fits, known := fitsShape(c.Brand, w)
	switch {
	case fits:
		return nil
	case known:
		return fmt.Errorf("waybill %q does not look like a %s waybill (%s)", w, c.Name, shapeHelp[c.Brand])
	case !genericWaybill.MatchString(w):
		return fmt.Errorf("waybill %q is not a waybill number (%s)", w, genericHelp)
	}
	return nil
}

// fitsShape reports whether w has one of the brand's waybill shapes; known is false when the
// brand's shapes are not known.
func fitsShape(b Brand, w string) (fits, known bool) {
	shapes, known := waybillShapes[b]
	for _, re := range shapes {
		if re.MatchString(w) {
			return true, true
		}
	}
	return false, known
}

// ErrCarrierNotFound is wrapped when a carrier id or name is not in the merchant's list.
var ErrCarrierNotFound = errors.New("carrier not in this shop's carrier list")

// ErrCarrierNotDetected is wrapped when no carrier of the merchant's list has waybills shaped
// like the one scanned: the packer must choose the carrier.
var ErrCarrierNotDetected = errors.New("carrier not recognised from the waybill")

// defaultCarrierTTL is how long the carrier list is trusted before it is read again. Merchants
// change carriers rarely; Refresh reads it at once.
const defaultCarrierTTL = time.Hour

// Carriers is the merchant's carrier list, read from JOS and cached.
type Carriers struct {
	r   Reader
	ttl time.Duration
	log *slog.Logger
	now func() time.Time

	mu      sync.Mutex // held while reading from JOS too, so that callers share one read
	list    []Carrier
	fetched time.Time
}

// NewCarriers returns a cache of the merchant's carriers read through r (a *jos.Client). A ttl
// of 0 means defaultCarrierTTL.
func NewCarriers(r Reader, ttl time.Duration, logger *slog.Logger) *Carriers {
	if ttl <= 0 {
		ttl = defaultCarrierTTL
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Carriers{r: r, ttl: ttl, log: logger, now: time.Now}
}

type logisticsReply struct {
	Companies *struct {
		List []struct {
			ID       jos.Str `json:"logistics_id"`
			Name     jos.Str `json:"logistics_name"`
			Remark   jos.Str `json:"logistics_remark"`
			Sequence jos.Str `json:"sequence"`
			Agree    jos.Str `json:"agree_flag"`
			COD      jos.Str `json:"iscod"`
		} `json:"logistics_list"`
	} `json:"logistics_companies"`
}

func yes(s jos.Str) bool {
	switch strings.ToLower(strings.TrimSpace(string(s))) {
	case "1", "true", "y", "yes", "是":
		return true
	}
	return false
}

// List returns the carriers, reading them from JOS when the cache is empty or stale. When a
// refresh fails and an older list is at hand, the older list is used (and the failure logged):
// carriers change rarely, and JOS itself refuses a carrier that is gone.
func (c *Carriers) List(ctx context.Context) ([]Carrier, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.list != nil && c.now().Sub(c.fetched) < c.ttl {
		return append([]Carrier(nil), c.list...), nil
	}
	list, err := c.fetch(ctx)
	if err != nil {
		if c.list != nil {
			c.log.WarnContext(ctx, "carrier list refresh failed; using the previous list",
				slog.Time("fetched", c.fetched), slog.String("error", err.Error()))
			return append([]Carrier(nil), c.list...), nil
		}
		return nil, err
	}
	c.list, c.fetched = list, c.now()
	return append([]Carrier(nil), list...), nil
}

// Refresh reads the list from JOS now.
func (c *Carriers) Refresh(ctx context.Context) ([]Carrier, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	list, err := c.fetch(ctx)
	if err != nil {
		return nil, err
	}
	c.list, c.fetched = list, c.now()
	return append([]Carrier(nil), list...), nil
}

func (c *Carriers) fetch(ctx context.Context) ([]Carrier, error) {
	var reply logisticsReply
	if err := c.r.Read(ctx, methodLogisticsGet, nil, &reply); err != nil {
		return nil, fmt.Errorf("reading the shop's carriers: %w", err)
	}
	if reply.Companies == nil {
		return nil, fmt.Errorf("reading the shop's carriers: %w", &jos.Error{Method: methodLogisticsGet, Kind: jos.KindMalformed,
			Err: errors.New("the reply has no logistics_companies")})
	}
	list := make([]Carrier, 0, len(reply.Companies.List))
	seen := map[string]bool{}
	for i, w := range reply.Companies.List {
		id := jos.PlainText(string(w.ID))
		if id == "" {
			return nil, fmt.Errorf("reading the shop's carriers: %w", &jos.Error{Method: methodLogisticsGet, Kind: jos.KindMalformed,
				Err: fmt.Errorf("logistics_list[%d] has no logistics_id", i)})
		}
		if seen[id] {
			continue
		}
		seen[id] = true
		// The order of the list is a nicety, not worth refusing the list for.
		seq, _ := strconv.Atoi(strings.TrimSpace(string(w.Sequence)))
		// Shown on the terminal, in the window and in messages: plain text only.
		name := jos.PlainText(string(w.Name))
		list = append(list, Carrier{ID: id, Name: name, Remark: jos.PlainText(string(w.Remark)),
			Sequence: seq, Agreed: yes(w.Agree), COD: yes(w.COD), Brand: brandOf(name)})
	}
	if len(list) == 0 {
		return nil, errors.New("JD lists no carriers for this shop: set up carriers in the JD merchant backend first")
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].Sequence < list[j].Sequence })
	return list, nil
}

// ByID finds a carrier by its logistics_id.
func (c *Carriers) ByID(ctx context.Context, id string) (Carrier, error) {
	list, err := c.List(ctx)
	if err != nil {
		return Carrier{}, err
	}
	id = strings.TrimSpace(id)
	for _, k := range list {
		if k.ID == id {
			return k, nil
		}
	}
	return Carrier{}, fmt.Errorf("carrier id %q: %w (known: %s)", id, ErrCarrierNotFound, Describe(list))
}

// ByName finds a carrier by its name: an exact match (ignoring case), else the only carrier
// whose name contains name.
func (c *Carriers) ByName(ctx context.Context, name string) (Carrier, error) {
	list, err := c.List(ctx)
	if err != nil {
		return Carrier{}, err
	}
	name = strings.TrimSpace(name)
	if name == "" {
		return Carrier{}, fmt.Errorf("no carrier name given: %w", ErrCarrierNotFound)
	}
	var partial []Carrier
	for _, k := range list {
		if strings.EqualFold(k.Name, name) {
			return k, nil
		}
		if strings.Contains(strings.ToUpper(k.Name), strings.ToUpper(name)) {
			partial = append(partial, k)
		}
	}
	switch len(partial) {
	case 1:
		return partial[0], nil
	case 0:
		return Carrier{}, fmt.Errorf("carrier %q: %w (known: %s)", name, ErrCarrierNotFound, Describe(list))
	}
	return Carrier{}, fmt.Errorf("carrier %q matches several carriers (%s): give the id", name, Describe(partial))
}

// Detect returns the merchant's carriers whose waybills have the shape of w, best candidates
// first. Shapes overlap (a 13-digit number may be ZTO, STO or Yunda): then all candidates are
// returned, and the caller asks the packer rather than guess. An error wrapping
// ErrCarrierNotDetected means no carrier of the list fits.
func (c *Carriers) Detect(ctx context.Context, w string) ([]Carrier, error) {
	w = NormalizeWaybill(w)
	list, err := c.List(ctx)
	if err != nil {
		return nil, err
	}
	var out []Carrier
	for _, k := range list {
		if fits, _ := fitsShape(k.Brand, w); fits {
			out = append(out, k)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("waybill %q: %w; choose the carrier (this shop has: %s)", w, ErrCarrierNotDetected, Describe(list))
	}
	return out, nil
}

func Describe(list []Carrier) string {
	s := make([]string, len(list))
	for i, k := range list {
		s[i] = k.String()
	}
	return strings.Join(s, ", ")
}
