package ship

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"station/jos"
	"station/journal"
	"station/journal/sqljournal"
	"station/printdata"
)

// carrierReply is a 360buy.delivery.logistics.get body with mixed types, as JOS sends them.
const carrierReply = `{"code":"0","logistics_companies":{"logistics_list":[
	{"logistics_id":1274,"logistics_name":"厂家自送","logistics_remark":"","sequence":"1","agree_flag":1,"iscod":"0"},
	{"logistics_id":"336878","logistics_name":"京东快递","sequence":2,"agree_flag":"1","iscod":true},
	{"logistics_id":"467","logistics_name":"顺丰速运","sequence":"3","agree_flag":"1","iscod":"1"},
	{"logistics_id":1499,"logistics_name":"中通快递","sequence":"4","agree_flag":"1","iscod":"0"},
	{"logistics_id":"2100","logistics_name":"圆通速递","sequence":"5"},
	{"logistics_id":"4700","logistics_name":"申通快递","sequence":"6"},
	{"logistics_id":"3046","logistics_name":"韵达快递","sequence":"7"},
	{"logistics_id":"465","logistics_name":"中国邮政速递物流 EMS","sequence":"8"},
	{"logistics_id":"9001","logistics_name":"德邦快递","sequence":"9"}
]}}`

// fakeReader serves one body for 360buy.delivery.logistics.get and counts the reads.
type fakeReader struct {
	mu    sync.Mutex
	body  string
	err   error
	reads int
}

func (f *fakeReader) Read(ctx context.Context, method string, params any, out any) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reads++
	if method != methodLogisticsGet {
		return &jos.Error{Method: method, Kind: jos.KindInvalid, Code: jos.CodeBadMethod}
	}
	if f.err != nil {
		return f.err
	}
	return json.Unmarshal([]byte(f.body), out)
}

func (f *fakeReader) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.reads
}

// sent is one write as JOS would receive it: the method and the parameters after JSON.
type sent struct {
	Method string
	Params map[string]any
	JSON   string // 360buy_param_json as the client would send it
}

func (s sent) param(k string) string {
	v, ok := s.Params[k]
	if !ok {
		return "<absent>"
	}
	return fmt.Sprint(v)
}

// fakeJOS records writes; respond decides each answer (nil → success for the order).
type fakeJOS struct {
	mu      sync.Mutex
	calls   []sent
	before  func(c sent) // runs before answering, e.g. to inspect the journal
	respond func(c sent) error
	delay   time.Duration
}

func (f *fakeJOS) Write(ctx context.Context, method string, params any, out any) error {
	b, err := json.Marshal(params)
	if err != nil {
		return err
	}
	var m map[string]any
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	if err := d.Decode(&m); err != nil {
		return err
	}
	c := sent{Method: method, Params: m, JSON: string(b)}
	f.mu.Lock()
	f.calls = append(f.calls, c)
	before, respond, delay := f.before, f.respond, f.delay
	f.mu.Unlock()
	if before != nil {
		before(c)
	}
	if delay > 0 {
		time.Sleep(delay)
	}
	if respond != nil {
		if err := respond(c); err != nil {
			return err
		}
	}
	if out == nil {
		return nil
	}
	body := fmt.Sprintf(`{"code":"0","order_id":%s,"vender_id":"20032","modified":"2024-05-01 12:00:00"}`, m["order_id"])
	return json.Unmarshal([]byte(body), out)
}

func (f *fakeJOS) sent() []sent {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]sent(nil), f.calls...)
}

// fakeStates answers 360buy.order.get's order_state from a map.
type fakeStates struct {
	mu     sync.Mutex
	states map[string]string
	errs   map[string]error
	reads  int
}

func newFakeStates() *fakeStates {
	return &fakeStates{states: map[string]string{}, errs: map[string]error{}}
}

func (f *fakeStates) OrderState(ctx context.Context, id string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reads++
	if err := f.errs[id]; err != nil {
		return "", err
	}
	if s, ok := f.states[id]; ok {
		return s, nil
	}
	return "", &jos.Error{Method: printdata.MethodOrderGet, Kind: jos.KindNotFound}
}

func (f *fakeStates) set(id, state string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.states[id] = state
	delete(f.errs, id)
}

func (f *fakeStates) fail(id string, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.errs[id] = err
}

func (f *fakeStates) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.reads
}

// rig is a Shipper wired to fakes and a fresh journal.
type rig struct {
	path     string
	journal  *sqljournal.DB
	jos      *fakeJOS
	states   *fakeStates
	reader   *fakeReader
	carriers *Carriers
	shipper  *Shipper
}

func newRig(t *testing.T) *rig {
	t.Helper()
	path := filepath.Join(t.TempDir(), "journal.db")
	j, err := sqljournal.OpenSQLite(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	r := &rig{path: path, journal: j, jos: &fakeJOS{}, states: newFakeStates(), reader: &fakeReader{body: carrierReply}}
	r.carriers = NewCarriers(r.reader, 0, nil)
	r.shipper = r.newShipper(t, j)
	return r
}

// newShipper is another Shipper on journal j sharing the rig's fakes: a second station.
func (r *rig) newShipper(t *testing.T, j journal.Store) *Shipper {
	t.Helper()
	s, err := NewShipper(ShipperConfig{Journal: j, JOS: r.jos, Carriers: r.carriers, States: r.states,
		CallTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func (r *rig) entry(t *testing.T, id string) journal.Entry {
	t.Helper()
	e, ok, err := r.journal.Get(context.Background(), id)
	if err != nil || !ok {
		t.Fatalf("journal entry %s: ok=%v err=%v", id, ok, err)
	}
	return e
}

func sop(id string, carriers ...journal.CarrierWaybills) Shipment {
	return Shipment{OrderID: id, Type: printdata.SOP, Carriers: carriers}
}

func cw(id string, waybills ...string) journal.CarrierWaybills {
	return journal.CarrierWaybills{LogisticsID: id, Waybills: waybills}
}

// deadPID returns the id of a process that has exited (and been reaped).
func deadPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	return cmd.Process.Pid
}
