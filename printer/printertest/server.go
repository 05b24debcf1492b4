package printertest

import (
	"bytes"
	"context"
	"io"
	"net"
	"sync"
	"syscall"
)

// Mode is how the fake network printer behaves.
type Mode int

const (
	// Normal reads every connection to its end and keeps what it got as one job.
	Normal Mode = iota
	// Stall accepts connections and never reads from them, with a small receive window, like a
	// printer whose buffer is full.
	Stall
	// Drop reads DropAfter bytes of a connection, then resets it.
	Drop
)

// ServerOptions configure a fake raw-9100 printer.
type ServerOptions struct {
	Mode      Mode
	DropAfter int
	// Status answers status queries (~HS, <ESC>!?, DLE EOT 2) that open a connection; nil
	// leaves them unanswered.
	Status func(query []byte) []byte
	// Addr is the loopback address to listen on ("" = a free port), e.g. ClosedAddr's, to
	// bring back a printer that was away.
	Addr string
}

// Server is a fake network printer listening on 127.0.0.1.
type Server struct {
	Addr string // host:port
	opt  ServerOptions
	ln   net.Listener

	mu    sync.Mutex
	jobs  [][]byte
	conns []net.Conn
	done  chan struct{}
	wg    sync.WaitGroup
}

// StartServer starts a fake printer on a free loopback port.
func StartServer(opt ServerOptions) (*Server, error) {
	lc := net.ListenConfig{}
	if opt.Mode == Stall {
		// Accepted connections inherit the listener's receive buffer: keep it small so that the
		// sender's window closes soon.
		lc.Control = func(_, _ string, c syscall.RawConn) error {
			var serr error
			err := c.Control(func(fd uintptr) { serr = setRecvBuffer(fd, 2048) })
			if err != nil {
				return err
			}
			return serr
		}
	}
	addr := opt.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := lc.Listen(context.Background(), "tcp", addr)
	if err != nil {
		return nil, err
	}
	s := &Server{Addr: ln.Addr().String(), opt: opt, ln: ln}
	s.wg.Add(1)
	go s.accept()
	return s, nil
}

// ClosedAddr returns a loopback address nobody listens on (connections are refused).
func ClosedAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr, nil
}

func (s *Server) accept() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		s.conns = append(s.conns, c)
		s.mu.Unlock()
		s.wg.Add(1)
		go s.serve(c)
	}
}

func (s *Server) serve(c net.Conn) {
	defer s.wg.Done()
	defer c.Close()
	switch s.opt.Mode {
	case Stall:
		// Hold the connection without reading until the server closes.
		<-s.closed()
		return
	case Drop:
		buf := make([]byte, s.opt.DropAfter)
		n, _ := io.ReadFull(c, buf)
		s.add(buf[:n])
		c.(*net.TCPConn).SetLinger(0) // reset, not a clean close
		return
	}
	var got bytes.Buffer
	buf := make([]byte, 32<<10)
	for {
		n, err := c.Read(buf)
		got.Write(buf[:n])
		if s.opt.Status != nil && got.Len() <= 4 {
			if reply := s.opt.Status(got.Bytes()); reply != nil {
				c.Write(reply)
				got.Reset()
				continue
			}
		}
		if err != nil {
			break
		}
	}
	// A connection that held nothing but an unanswered status query is no label, as on a
	// real printer.
	if got.Len() > 0 && !isStatusQuery(got.Bytes()) {
		s.add(got.Bytes())
	}
}

func (s *Server) closed() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done == nil {
		s.done = make(chan struct{})
	}
	return s.done
}

func (s *Server) add(b []byte) {
	s.mu.Lock()
	s.jobs = append(s.jobs, append([]byte(nil), b...))
	s.mu.Unlock()
}

// Jobs returns what each finished connection delivered, in order.
func (s *Server) Jobs() [][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([][]byte(nil), s.jobs...)
}

// Connections is how many connections the server has accepted (labels and status queries).
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}

// HostStatus is a Zebra's answer to ~HS with the given flags (the rest as a ready printer
// answers).
func HostStatus(paperOut, paused, headOpen bool) []byte {
	f := func(b bool) string {
		if b {
			return "1"
		}
		return "0"
	}
	return []byte("\x02030," + f(paperOut) + "," + f(paused) + ",1218,000,0,0,0,000,0,0,0\x03\r\n" +
		"\x02001,0," + f(headOpen) + ",0,0,2,6,0,00000000,1,000\x03\r\n\x021234,0\x03\r\n")
}

// Close stops the server and drops its connections.
func (s *Server) Close() error {
	s.closed()
	s.mu.Lock()
	select {
	case <-s.done:
	default:
		close(s.done)
	}
	conns := s.conns
	s.mu.Unlock()
	err := s.ln.Close()
	for _, c := range conns {
		c.Close()
	}
	s.wg.Wait()
	return err
}

// isStatusQuery reports whether b is one of the status queries the station sends.
func isStatusQuery(b []byte) bool {
	switch string(b) {
	case "~HS", "\x1b!?", "\x10\x04\x02":
		return true
	}
	return false
}
