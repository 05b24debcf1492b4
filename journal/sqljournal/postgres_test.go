package sqljournal

import (
	"bytes"
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"station/internal/pgtest"
	"station/journal"
	"station/journal/schema"
	"station/printdata"
)

// cutProxy forwards connections to a PostgreSQL server; when armed, it passes the next COMMIT
// on to the server and then cuts the connection before the server's reply gets back: the
// transaction is committed, and the station does not know it.
type cutProxy struct {
	l      net.Listener
	target string
	armed  atomic.Bool
	cuts   atomic.Int32
}

func startCutProxy(t *testing.T, target string) *cutProxy {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &cutProxy{l: l, target: target}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go p.serve(c)
		}
	}()
	return p
}

func (p *cutProxy) serve(client net.Conn) {
	server, err := net.Dial("tcp", p.target)
	if err != nil {
		client.Close()
		return
	}
	var once sync.Once
	cut := func() { once.Do(func() { client.Close(); server.Close() }) }
	committed := make(chan struct{})
	go func() { // server → client, unless the COMMIT was just sent
		buf := make([]byte, 32<<10)
		for {
			n, err := server.Read(buf)
			select {
			case <-committed:
				time.Sleep(50 * time.Millisecond) // let the server finish the commit
				cut()
				return
			default:
			}
			if n > 0 {
				client.Write(buf[:n])
			}
			if err != nil {
				cut()
				return
			}
		}
	}()
	buf := make([]byte, 32<<10)
	for {
		n, err := client.Read(buf)
		if n > 0 {
			if p.armed.Load() && bytes.Contains(bytes.ToLower(buf[:n]), []byte("commit")) && p.armed.CompareAndSwap(true, false) {
				p.cuts.Add(1)
				close(committed)
			}
			server.Write(buf[:n])
		}
		if err != nil {
			cut()
			return
		}
	}
}

// A commit whose reply is lost is looked up by its mark: the change is there once, and the
// station goes on as if the reply had come (it does not apply it again, nor fail).
func TestPostgresLostCommitReply(t *testing.T) {
	url := pgtest.Database(t)
	host := url[strings.Index(url, "@")+1:]
	host = host[:strings.Index(host, "/")]
	p := startCutProxy(t, host)
	proxied := strings.Replace(url, host, p.l.Addr().String(), 1)
	ctx := context.Background()
	j, err := OpenPostgres(ctx, proxied, "")
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	p.armed.Store(true)
	id, err := j.BeginPrint(ctx, journal.PrintJob{OrderID: "555000111", Type: printdata.LBP, Pages: 1, Copies: 1,
		Target: journal.PrinterTarget("tcp:p"), Fresh: true})
	if err != nil {
		t.Fatalf("BeginPrint after a lost COMMIT reply: %v", err)
	}
	if p.cuts.Load() != 1 {
		t.Fatalf("the proxy cut %d commits", p.cuts.Load())
	}
	prints, err := j.Prints(ctx, "555000111")
	if err != nil || len(prints) != 1 || prints[0].ID != id {
		t.Fatalf("prints %+v (id %d), %v", prints, id, err)
	}
	if err := j.EndPrint(ctx, id, nil); err != nil {
		t.Fatal(err)
	}

	// A commit cut before it reached the server is tried again, once.
	p.armed.Store(false)
	l := journal.Lease{Owner: "h/1/x", Host: "h", PID: 1, Expires: time.Now().Add(time.Minute)}
	c, err := j.ClaimShipment(ctx, journal.ShipmentClaim{OrderID: "555000111", Type: printdata.LBP, Packages: 1,
		Carriers: []journal.CarrierWaybills{{LogisticsID: "0"}}, Method: "m", NewTradeNo: "T1", Lease: l})
	if err != nil || c.Kind != journal.ClaimSend {
		t.Fatalf("claim: %v %v", c.Kind, err)
	}
	if at, _ := j.Attempts(ctx, "555000111"); len(at) != 1 {
		t.Errorf("%d attempts", len(at))
	}
}

// Stations opening a new warehouse database at once: one creates the tables, the others wait
// for it and find them; all work.
func TestPostgresConcurrentOpen(t *testing.T) {
	url := pgtest.Database(t)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			j, err := OpenPostgres(context.Background(), url, "")
			if err != nil {
				errs <- err
				return
			}
			defer j.Close()
			if v, err := j.Version(context.Background()); err != nil || v != len(schema.Postgres) {
				errs <- errors.Join(err, errors.New("wrong version"))
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
