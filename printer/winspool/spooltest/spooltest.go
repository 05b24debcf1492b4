// Package spooltest is a fake Windows print spooler for tests: installed printers with drivers
// and status bits, RAW jobs recorded as the spooler would queue them, and failures injected at
// each step of a job (open, start, write, end) with the Windows error codes the real one gives.
package spooltest

import (
	"context"
	"slices"
	"sync"

	"station/printer/winspool"
)

// Step is a step of a RAW job at which a failure can be injected.
type Step string

const (
	Open     Step = "OpenPrinter"
	StartDoc Step = "StartDocPrinter"
	Write    Step = "WritePrinter"
	EndDoc   Step = "EndDocPrinter"
)

// Job is a RAW job the spooler took.
type Job struct {
	Printer, Doc string
	Data         []byte
	Complete     bool // EndDocPrinter succeeded
}

// Spooler is a fake spooler. Its zero value has no printers.
type Spooler struct {
	mu       sync.Mutex
	printers []winspool.Info
	jobs     []Job
	fail     map[Step]uint32
	// WriteLimit > 0: WritePrinter takes at most this many bytes of a job, then fails.
	WriteLimit int
}

// Install adds a printer (or replaces the one of the same name).
func (s *Spooler) Install(p winspool.Info) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.printers = slices.DeleteFunc(s.printers, func(q winspool.Info) bool { return q.Name == p.Name })
	s.printers = append(s.printers, p)
}

// SetStatus sets an installed printer's PRINTER_STATUS bits.
func (s *Spooler) SetStatus(name string, status uint32) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.printers {
		if s.printers[i].Name == name {
			s.printers[i].Status = status
		}
	}
}

// Fail makes step fail with the Windows error errno from now on (0: succeed again).
func (s *Spooler) Fail(step Step, errno uint32) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail == nil {
		s.fail = map[Step]uint32{}
	}
	s.fail[step] = errno
}

// Jobs returns the jobs queued so far.
func (s *Spooler) Jobs() []Job {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.jobs)
}

func (s *Spooler) find(name string) (winspool.Info, bool) {
	for _, p := range s.printers {
		if p.Name == name {
			return p, true
		}
	}
	return winspool.Info{}, false
}

func (s *Spooler) Printers(ctx context.Context) ([]winspool.Info, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return winspool.SortDefaultFirst(slices.Clone(s.printers)), nil
}

func (s *Spooler) Printer(ctx context.Context, name string) (winspool.Info, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if errno := s.fail[Open]; errno != 0 {
		return winspool.Info{}, winspool.Classify("OpenPrinter", name, errno)
	}
	p, ok := s.find(name)
	if !ok {
		return p, winspool.Classify("OpenPrinter", name, winspool.ErrorInvalidPrinterName)
	}
	return p, nil
}

// PrintRaw queues a job as the real spooler does: a job exists once StartDocPrinter succeeds,
// whether or not the rest does. A paused printer takes jobs (they wait in its queue).
func (s *Spooler) PrintRaw(ctx context.Context, name, doc string, data []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return &winspool.Error{Op: "OpenPrinter", Printer: name, Code: winspool.CodeCanceled, Msg: "canceled before printing", Err: err}
	}
	if errno := s.fail[Open]; errno != 0 {
		return winspool.Classify("OpenPrinter", name, errno)
	}
	if _, ok := s.find(name); !ok {
		return winspool.Classify("OpenPrinter", name, winspool.ErrorInvalidPrinterName)
	}
	if errno := s.fail[StartDoc]; errno != 0 {
		return winspool.Classify("StartDocPrinter", name, errno)
	}
	s.jobs = append(s.jobs, Job{Printer: name, Doc: winspool.DocName(doc)})
	job := &s.jobs[len(s.jobs)-1]
	started := func(step Step, errno uint32) error {
		e := winspool.Classify(string(step), name, errno)
		e.Started, e.Written = true, len(job.Data)
		return e
	}
	take := data
	if s.WriteLimit > 0 && len(take) > s.WriteLimit {
		take = take[:s.WriteLimit]
	}
	if errno := s.fail[Write]; errno != 0 {
		take = nil
	}
	job.Data = append(job.Data, take...)
	if len(take) < len(data) {
		errno := s.fail[Write]
		if errno == 0 {
			errno = winspool.ErrorNotReady
		}
		if len(take) == 0 {
			// The station aborts a job that got nothing: the spooler deletes it.
			s.jobs = s.jobs[:len(s.jobs)-1]
			return winspool.Classify(string(Write), name, errno)
		}
		return started(Write, errno)
	}
	if errno := s.fail[EndDoc]; errno != 0 {
		return started(EndDoc, errno)
	}
	job.Complete = true
	return nil
}
