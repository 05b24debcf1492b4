package jostest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"station/jos/jostest/gateway"
	"strings"
	"sync"
)

// Fault is a kind of injected failure.
type Fault string

const (
	// FaultHTTP500: HTTP 500 with an HTML page; nothing applied.
	FaultHTTP500 Fault = "http500"
	// FaultStall: the reply is held longer than any sane client timeout (until the client hangs
	// up or the server closes); nothing applied.
	FaultStall Fault = "stall"
	// FaultBusy: error_response code 66 (backend unavailable) or 1 (service unavailable);
	// nothing applied.
	FaultBusy Fault = "busy"
	// FaultQuota: error_response code 2 (call quota exceeded); nothing applied.
	FaultQuota Fault = "quota"
	// FaultMalformed: HTTP 200 with truncated JSON. A read is answered cut in half; a write is
	// not applied.
	FaultMalformed Fault = "malformed"
	// FaultLostReply: the call is carried out (a write takes effect), then the reply is lost: the
	// connection drops, a 502 comes back, or nothing comes back until the client gives up.
	FaultLostReply Fault = "lost-reply"
)

var allFaults = []Fault{FaultHTTP500, FaultStall, FaultBusy, FaultQuota, FaultMalformed, FaultLostReply}

func (f Fault) valid() bool { return slices.Contains(allFaults, f) }

func faultNames() string {
	names := make([]string, len(allFaults))
	for i, f := range allFaults {
		names[i] = string(f)
	}
	return strings.Join(names, ", ")
}

// ParseFaults reads a comma-separated list of fault kinds; "" and "all" mean every kind (nil).
func ParseFaults(list string) ([]Fault, error) {
	list = strings.TrimSpace(list)
	if list == "" || list == "all" {
		return nil, nil
	}
	var out []Fault
	for _, name := range strings.Split(list, ",") {
		f := Fault(strings.TrimSpace(name))
		if !f.valid() {
			return nil, fmt.Errorf("unknown fault %q (known: %s)", f, faultNames())
		}
		out = append(out, f)
	}
	return out, nil
}

// faultSource draws faults from its own seed, so that a run's faults repeat with the same
// FaultSeed and the same sequence of calls, whatever the order seed.
type faultSource struct {
	mu    sync.Mutex
	r     *rand.Rand
	rate  float64
	kinds []Fault
}

type faultDraw struct {
	kind    Fault // "" = none
	variant int   // which form the fault takes (busy code, how a reply is lost)
}

func newFaultSource(opts Options) *faultSource {
	return &faultSource{r: rand.New(rand.NewPCG(uint64(opts.FaultSeed), 0x6661756c74)), rate: opts.FaultRate, kinds: opts.Faults}
}

func (f *faultSource) draw() faultDraw {
	if f.rate <= 0 || len(f.kinds) == 0 {
		return faultDraw{}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.r.Float64() >= f.rate {
		return faultDraw{}
	}
	return faultDraw{kind: f.kinds[f.r.IntN(len(f.kinds))], variant: f.r.IntN(3)}
}

// Ways a reply gets lost after the call was carried out.
const (
	lostDropped = iota // the connection is closed without a reply
	lostBadGateway
	lostTimeout // nothing comes back until the client gives up
)

func (s *Server) loseReply(ctx context.Context, w http.ResponseWriter, variant int) {
	switch variant {
	case lostDropped:
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
				return
			}
		}
		panic(http.ErrAbortHandler) // net/http drops the connection (or resets the stream)
	case lostBadGateway:
		gateway.WriteHTML(w, http.StatusBadGateway, "502 Bad Gateway")
	default:
		if !s.wait(ctx, stallFor) {
			s.abandon()
			return
		}
		gateway.WriteHTML(w, http.StatusGatewayTimeout, "504 Gateway Time-out")
	}
}

// RefusalShape is how the simulator gives business refusals.
type RefusalShape string

const (
	RefusalsMixed    RefusalShape = ""         // each refusal in one of the two shapes, drawn from FaultSeed
	RefusalsEnvelope RefusalShape = "envelope" // inside the method's envelope, with the 1010000x codes
	RefusalsTopLevel RefusalShape = "top"      // as a top-level error_response, with 104xxxxx codes
)

func (r RefusalShape) valid() bool {
	return r == RefusalsMixed || r == RefusalsEnvelope || r == RefusalsTopLevel
}

// shapeSource draws the shape of each business refusal.
type shapeSource struct {
	mu    sync.Mutex
	r     *rand.Rand
	shape RefusalShape
}

func newShapeSource(opts Options) *shapeSource {
	return &shapeSource{r: rand.New(rand.NewPCG(uint64(opts.FaultSeed), 0x7368617065)), shape: opts.Refusals}
}

func (s *shapeSource) topLevel() bool {
	switch s.shape {
	case RefusalsEnvelope:
		return false
	case RefusalsTopLevel:
		return true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.r.IntN(2) == 1
}
