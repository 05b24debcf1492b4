package pdf

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"regexp"
	"station/render"
	"strconv"
	"time"
)

// pdfAssembler streams the pages of several gofpdf documents into one PDF. Each document's
// objects are renumbered into the output as they come; the page tree, catalog, cross-reference
// table and trailer are written at the end. Only the object offsets and page numbers stay in
// memory: 12 bytes or so per page.
type pdfAssembler struct {
	w       *bufio.Writer
	n       int64   // bytes written
	offsets []int64 // by output object number; 0 = not written yet
	kids    []int   // page objects, in order
	size    render.Size
	err     error
	// z compresses the streams gofpdf leaves plain (it is told not to compress: it makes a new
	// compressor, a megabyte, for every page), reused from page to page.
	z    *zlib.Writer
	zbuf bytes.Buffer
}

// Objects 1-3 are written last but numbered first.
const (
	objPages   = 1
	objCatalog = 2
	objInfo    = 3
)

func newPDFAssembler(w io.Writer, size render.Size) *pdfAssembler {
	a := &pdfAssembler{w: bufio.NewWriterSize(w, 64<<10), offsets: make([]int64, objInfo+1), size: size}
	// A binary comment after the header tells transfer tools the file is binary.
	a.write([]byte("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"))
	return a
}

func (a *pdfAssembler) write(b []byte) {
	if a.err != nil {
		return
	}
	n, err := a.w.Write(b)
	a.n += int64(n)
	a.err = err
}

var (
	reObjHead   = regexp.MustCompile(`^(\d+) 0 obj\n`)
	reRef       = regexp.MustCompile(`(\d+) 0 R\b`)
	reLength    = regexp.MustCompile(`/Length (\d+)\b`)
	reRoot      = regexp.MustCompile(`/Root (\d+) 0 R`)
	reInfo      = regexp.MustCompile(`/Info (\d+) 0 R`)
	rePagesRef  = regexp.MustCompile(`/Pages (\d+) 0 R`)
	rePageType  = regexp.MustCompile(`/Type /Page[^s]`)
	reFontNames = regexp.MustCompile(`/(utf8[a-z]+)\b`)
)

type pdfObj struct {
	num    int
	dict   []byte // from after "N 0 obj\n" to the stream keyword or "endobj"
	stream []byte // from "stream\n" to the end of the object, "endobj\n" included; nil when none
}

// appendDoc copies a gofpdf document's objects into the output, except its catalog, info and page
// tree, which the output's own replace; its pages join the output's page tree in order. Font
// names are replaced by their subset names.
func (a *pdfAssembler) appendDoc(doc []byte, fontNames map[string]string, wantPages int) error {
	objs, root, info, err := splitPDF(doc)
	if err != nil {
		return err
	}
	pagesNum := -1
	for _, o := range objs {
		if o.num == root {
			m := rePagesRef.FindSubmatch(o.dict)
			if m == nil {
				return errors.New("gofpdf catalog without /Pages")
			}
			pagesNum, _ = strconv.Atoi(string(m[1]))
		}
	}
	renum := map[int]int{pagesNum: objPages}
	for _, o := range objs {
		if o.num == root || o.num == info || o.num == pagesNum {
			continue
		}
		a.offsets = append(a.offsets, 0)
		renum[o.num] = len(a.offsets) - 1
	}
	pages := 0
	for _, o := range objs {
		if o.num == root || o.num == info || o.num == pagesNum {
			continue
		}
		var missing error
		dict := reRef.ReplaceAllFunc(o.dict, func(ref []byte) []byte {
			old, _ := strconv.Atoi(string(ref[:bytes.IndexByte(ref, ' ')]))
			n, ok := renum[old]
			if !ok {
				missing = fmt.Errorf("object %d refers to missing object %d", o.num, old)
			}
			return []byte(strconv.Itoa(n) + " 0 R")
		})
		if missing != nil {
			return missing
		}
		dict = reFontNames.ReplaceAllFunc(dict, func(name []byte) []byte {
			if sub, ok := fontNames[string(name[1:])]; ok {
				return []byte("/" + sub)
			}
			return name
		})
		num := renum[o.num]
		a.offsets[num] = a.n
		a.write([]byte(strconv.Itoa(num) + " 0 obj\n"))
		if o.stream != nil && !bytes.Contains(dict, []byte("/Filter")) {
			if err := a.writeCompressed(dict, o.stream); err != nil {
				return fmt.Errorf("object %d: %w", o.num, err)
			}
		} else if o.stream != nil {
			a.write(dict)
			a.write(o.stream)
		} else {
			a.write(dict)
			a.write([]byte("endobj\n"))
		}
		if rePageType.Match(o.dict) {
			a.kids = append(a.kids, num)
			pages++
		}
	}
	if pages != wantPages {
		return fmt.Errorf("gofpdf wrote %d pages for %d labels", pages, wantPages)
	}
	return a.err
}

// writeCompressed writes a plain stream object (dict, then "stream\n" data "\nendstream…")
// with its data deflated.
func (a *pdfAssembler) writeCompressed(dict, stream []byte) error {
	lm := reLength.FindSubmatchIndex(dict)
	if lm == nil {
		return errors.New("stream without a direct /Length")
	}
	l, _ := strconv.Atoi(string(dict[lm[2]:lm[3]]))
	head := len("stream\n")
	if head+l > len(stream) {
		return errors.New("stream overruns its object")
	}
	a.zbuf.Reset()
	if a.z == nil {
		a.z, _ = zlib.NewWriterLevel(&a.zbuf, zlib.BestSpeed) // the level is valid
	} else {
		a.z.Reset(&a.zbuf)
	}
	if _, err := a.z.Write(stream[head : head+l]); err != nil {
		return err
	}
	if err := a.z.Close(); err != nil {
		return err
	}
	a.write(dict[:lm[0]])
	a.write([]byte("/Filter /FlateDecode /Length " + strconv.Itoa(a.zbuf.Len())))
	a.write(dict[lm[1]:])
	a.write(stream[:head])
	a.write(a.zbuf.Bytes())
	a.write(stream[head+l:])
	return nil
}

// splitPDF cuts a gofpdf document into its objects and reads the trailer's /Root and /Info.
func splitPDF(doc []byte) (objs []pdfObj, root, info int, err error) {
	nl := bytes.IndexByte(doc, '\n')
	if !bytes.HasPrefix(doc, []byte("%PDF-")) || nl < 0 {
		return nil, 0, 0, errors.New("gofpdf output is not a PDF")
	}
	pos := nl + 1
	for !bytes.HasPrefix(doc[pos:], []byte("xref\n")) {
		m := reObjHead.FindSubmatchIndex(doc[pos:])
		if m == nil {
			return nil, 0, 0, fmt.Errorf("unexpected bytes at %d in gofpdf output", pos)
		}
		num, _ := strconv.Atoi(string(doc[pos+m[2] : pos+m[3]]))
		body := pos + m[1]
		end := bytes.Index(doc[body:], []byte("endobj\n"))
		st := bytes.Index(doc[body:], []byte("stream\n"))
		if end < 0 {
			return nil, 0, 0, fmt.Errorf("object %d has no end", num)
		}
		o := pdfObj{num: num}
		if st >= 0 && st < end {
			o.dict = doc[body : body+st]
			lm := reLength.FindSubmatch(o.dict)
			if lm == nil {
				return nil, 0, 0, fmt.Errorf("stream object %d without a direct /Length", num)
			}
			l, _ := strconv.Atoi(string(lm[1]))
			dataEnd := body + st + len("stream\n") + l
			if dataEnd > len(doc) {
				return nil, 0, 0, fmt.Errorf("stream object %d overruns the file", num)
			}
			tail := bytes.Index(doc[dataEnd:], []byte("endobj\n"))
			if tail < 0 {
				return nil, 0, 0, fmt.Errorf("stream object %d has no end", num)
			}
			o.stream = doc[body+st : dataEnd+tail+len("endobj\n")]
			pos = dataEnd + tail + len("endobj\n")
		} else {
			o.dict = doc[body : body+end]
			pos = body + end + len("endobj\n")
		}
		objs = append(objs, o)
	}
	trailer := doc[pos:]
	rm, im := reRoot.FindSubmatch(trailer), reInfo.FindSubmatch(trailer)
	if rm == nil {
		return nil, 0, 0, errors.New("gofpdf trailer without /Root")
	}
	root, _ = strconv.Atoi(string(rm[1]))
	info = -1
	if im != nil {
		info, _ = strconv.Atoi(string(im[1]))
	}
	return objs, root, info, nil
}

// finish writes the page tree, catalog, info, cross-reference table and trailer.
func (a *pdfAssembler) finish() error {
	pt := func(mm float64) string { return strconv.FormatFloat(mm*72/25.4, 'f', 2, 64) }
	var b bytes.Buffer
	a.offsets[objPages] = a.n
	b.WriteString("1 0 obj\n<</Type /Pages\n/Kids [")
	for i, k := range a.kids {
		if i%16 == 0 {
			b.WriteString("\n")
		}
		b.WriteString(strconv.Itoa(k) + " 0 R ")
	}
	fmt.Fprintf(&b, "]\n/Count %d\n/MediaBox [0 0 %s %s]\n>>\nendobj\n", len(a.kids), pt(a.size.W), pt(a.size.H))
	a.write(b.Bytes())
	a.offsets[objCatalog] = a.n
	a.write([]byte("2 0 obj\n<</Type /Catalog\n/Pages 1 0 R\n>>\nendobj\n"))
	a.offsets[objInfo] = a.n
	a.write([]byte("3 0 obj\n<</Producer (station)\n/Title (Waybill labels " + a.size.Name + ")\n/CreationDate (D:" +
		time.Now().UTC().Format("20060102150405") + "Z)\n>>\nendobj\n"))
	xref := a.n
	b.Reset()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(a.offsets))
	for _, off := range a.offsets[1:] {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<<\n/Size %d\n/Root 2 0 R\n/Info 3 0 R\n>>\nstartxref\n%d\n%%%%EOF\n", len(a.offsets), xref)
	a.write(b.Bytes())
	if a.err == nil {
		a.err = a.w.Flush()
	}
	return a.err
}
