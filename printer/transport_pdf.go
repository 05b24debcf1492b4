package printer

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"station/printer/raw"
	"station/say"
	"strings"
	"time"
)

// pdfTransport writes each label as DIR/<name>-<timestamp>.pdf. The file appears whole or not
// at all: it is written to a temporary name and then linked (or renamed) into place.
type pdfTransport struct {
	dir string
	now func() time.Time
}

func (t *pdfTransport) language(context.Context) (raw.Language, error) { return raw.LangAuto, nil }

// fileNamePart keeps letters, digits, - and _ of s (at most 64), so that a job name can never
// leave the directory or make a strange file name.
func fileNamePart(s string) string {
	var b strings.Builder
	for _, r := range s {
		if b.Len() >= 64 {
			break
		}
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	if b.Len() == 0 {
		return "label"
	}
	return b.String()
}

func (t *pdfTransport) checkDir() error {
	st, err := os.Stat(t.dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return &Error{Kind: KindNotFound, Msg: fmt.Sprintf("the folder %s does not exist: create it or choose another", t.dir)}
	case err != nil:
		return fileError(err)
	case !st.IsDir():
		return &Error{Kind: KindBadSpec, Msg: fmt.Sprintf("%s is not a folder", t.dir)}
	}
	return nil
}

func (t *pdfTransport) send(ctx context.Context, name string, data []byte) (int, error) {
	if err := t.checkDir(); err != nil {
		return 0, err
	}
	now := t.now()
	base := fmt.Sprintf("%s-%s-%03d", fileNamePart(name), now.Format("20060102-150405"), now.Nanosecond()/1e6)
	tmp, err := os.CreateTemp(t.dir, "."+base+".*.tmp")
	if err != nil {
		return 0, fileError(err)
	}
	_, werr := tmp.Write(data)
	if werr == nil {
		werr = tmp.Chmod(0o644) // CreateTemp makes it private; a label is for anyone to print
	}
	if werr == nil {
		werr = tmp.Sync()
	}
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	defer os.Remove(tmp.Name())
	if werr != nil {
		return 0, fileError(werr)
	}
	for i := 1; i < 1000; i++ {
		if err := ctx.Err(); err != nil {
			return 0, &Error{Kind: KindOf(err), Msg: "canceled", Err: err}
		}
		final := filepath.Join(t.dir, base+".pdf")
		if i > 1 {
			final = filepath.Join(t.dir, fmt.Sprintf("%s-%d.pdf", base, i))
		}
		// A hard link never replaces an existing file; where links are not supported, rename
		// after checking the name is free.
		err := os.Link(tmp.Name(), final)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			if _, serr := os.Lstat(final); serr == nil {
				continue
			}
			if err := os.Rename(tmp.Name(), final); err != nil {
				return 0, fileError(err)
			}
		}
		return len(data), nil
	}
	return 0, &Error{Kind: KindOther, Msg: "could not find a free file name in " + t.dir}
}

func (t *pdfTransport) status(context.Context, raw.Language) (Status, error) {
	if err := t.checkDir(); err != nil {
		return Status{}, err
	}
	f, err := os.CreateTemp(t.dir, ".station-check-*")
	if err != nil {
		return Status{}, fileError(err)
	}
	f.Close()
	os.Remove(f.Name())
	return Status{State: StateReady, Message: say.T("PDF 文件保存到 "+t.dir, "writes PDF files to "+t.dir)}, nil
}

func (t *pdfTransport) close() error { return nil }
