package pdf

import (
	"bytes"
	"compress/zlib"
	"crypto/sha256"
	"io"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"golang.org/x/image/font/sfnt"

	"station/assets"
	"station/render"
	"station/render/raster"
	"station/render/rendertest"
)

// pdfObjects returns the PDF's objects by number: dictionary text and (inflated) stream.
type pdfObject struct {
	dict   string
	stream []byte
}

var (
	objHead   = regexp.MustCompile(`(?m)^(\d+) 0 obj\b`)
	objLength = regexp.MustCompile(`/Length (\d+)`)
)

func parsePDF(t *testing.T, b []byte) map[int]pdfObject {
	t.Helper()
	objs := map[int]pdfObject{}
	locs := objHead.FindAllSubmatchIndex(b, -1)
	for _, loc := range locs {
		n, _ := strconv.Atoi(string(b[loc[2]:loc[3]]))
		rest := b[loc[1]:]
		end := bytes.Index(rest, []byte("endobj"))
		si := bytes.Index(rest, []byte("stream\n"))
		o := pdfObject{}
		if si >= 0 && si < end {
			o.dict = string(rest[:si])
			m := objLength.FindStringSubmatch(o.dict)
			if m == nil {
				t.Fatalf("object %d: stream without /Length", n)
			}
			l, _ := strconv.Atoi(m[1])
			raw := rest[si+len("stream\n") : si+len("stream\n")+l]
			if strings.Contains(o.dict, "/FlateDecode") {
				zr, err := zlib.NewReader(bytes.NewReader(raw))
				if err != nil {
					t.Fatalf("object %d: %v", n, err)
				}
				if o.stream, err = io.ReadAll(zr); err != nil {
					t.Fatalf("object %d: %v", n, err)
				}
			} else {
				o.stream = raw
			}
		} else {
			o.dict = string(rest[:end])
		}
		objs[n] = o
	}
	return objs
}

// xrefOK checks that every xref entry points at its object.
func xrefOK(t *testing.T, b []byte) {
	t.Helper()
	m := regexp.MustCompile(`startxref\n(\d+)\n%%EOF\n?$`).FindSubmatch(b)
	if m == nil {
		t.Fatalf("no startxref at the end")
	}
	off, _ := strconv.Atoi(string(m[1]))
	if !bytes.HasPrefix(b[off:], []byte("xref\n0 ")) {
		t.Fatalf("startxref %d does not point at the xref table", off)
	}
	lines := strings.Split(string(b[off:]), "\n")
	count, _ := strconv.Atoi(strings.Fields(lines[1])[1])
	for i := 1; i < count; i++ {
		f := strings.Fields(lines[2+i])
		o, _ := strconv.Atoi(f[0])
		if want := strconv.Itoa(i) + " 0 obj"; !bytes.HasPrefix(b[o:], []byte(want)) {
			t.Fatalf("xref entry %d points at %q", i, b[o:min(o+20, len(b))])
		}
	}
}

func batchPDF(t *testing.T, size render.Size) ([]byte, []fixture) {
	t.Helper()
	fx := fixtures(t)
	var buf bytes.Buffer
	p := NewWriter(&buf, size)
	for _, f := range fx {
		opt := f.opt
		opt.Size = size
		if err := p.Add(mustLayout(t, f.wb, opt)); err != nil {
			t.Fatal(err)
		}
	}
	if p.Pages() != len(fx) {
		t.Fatalf("Pages() = %d", p.Pages())
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), fx
}

func TestPDFPagesSizeAndSubsetFonts(t *testing.T) {
	before := sha256.Sum256(assets.CJKFontTTF)
	for _, size := range render.Sizes {
		t.Run(size.Name, func(t *testing.T) {
			b, fx := batchPDF(t, size)
			if !bytes.HasPrefix(b, []byte("%PDF-1.")) {
				t.Fatalf("not a PDF: %q", b[:8])
			}
			xrefOK(t, b)
			objs := parsePDF(t, b)
			pages := 0
			var tree string
			for _, o := range objs {
				if strings.Contains(o.dict, "/Type /Page\n") {
					pages++
				}
				if strings.Contains(o.dict, "/Type /Pages") {
					tree = o.dict
				}
			}
			if pages != len(fx) || !strings.Contains(tree, "/Count "+strconv.Itoa(len(fx))) {
				t.Errorf("%d page objects, tree %q; want %d pages", pages, tree, len(fx))
			}
			mm := func(v float64) string { return strconv.FormatFloat(v*72/25.4, 'f', 2, 64) }
			if box := "/MediaBox [0 0 " + mm(size.W) + " " + mm(size.H) + "]"; !strings.Contains(tree, box) {
				t.Errorf("page tree %q lacks %s", tree, box)
			}

			// Every stream is compressed: the page contents too, which gofpdf leaves to the assembler.
			for n, o := range objs {
				if o.stream != nil && !strings.Contains(o.dict, "/Filter /FlateDecode") {
					t.Errorf("object %d: a stream of %d bytes not compressed: %q", n, len(o.stream), o.dict)
				}
			}

			// Every font is embedded (FontFile2), named as a subset (ABCDEF+Name), and its program
			// holds only a few glyphs: the ones the labels use.
			fonts := 0
			for _, o := range objs {
				if !strings.Contains(o.dict, "/Type /FontDescriptor") {
					continue
				}
				fonts++
				m := regexp.MustCompile(`/FontName /([A-Z]{6})\+(\S+)`).FindStringSubmatch(o.dict)
				if m == nil {
					t.Errorf("font descriptor without a subset name: %q", o.dict)
					continue
				}
				ff := regexp.MustCompile(`/FontFile2 (\d+) 0 R`).FindStringSubmatch(o.dict)
				if ff == nil {
					t.Errorf("%s not embedded as TrueType (no FontFile2)", m[2])
					continue
				}
				n, _ := strconv.Atoi(ff[1])
				prog := objs[n].stream
				f, err := sfnt.Parse(prog)
				if err != nil {
					t.Fatalf("%s: embedded program: %v", m[2], err)
				}
				var sb sfnt.Buffer
				switch m[2] {
				case "DroidSansFallbackFull":
					if f.NumGlyphs() > 400 || len(prog) > 200<<10 {
						t.Errorf("CJK font not subset: %d glyphs, %d bytes", f.NumGlyphs(), len(prog))
					}
					if gi, _ := f.GlyphIndex(&sb, '驹'); gi == 0 {
						t.Errorf("subset lacks 驹, which the labels use")
					}
					if gi, _ := f.GlyphIndex(&sb, '鑫'); gi != 0 {
						t.Errorf("subset has 鑫, which no label uses")
					}
				case "GoRegular", "Go-Bold":
					if f.NumGlyphs() > 120 {
						t.Errorf("%s not subset: %d glyphs", m[2], f.NumGlyphs())
					}
				default:
					t.Errorf("unexpected font %s", m[2])
				}
			}
			if fonts != 3 {
				t.Errorf("%d fonts embedded, want 3 (Go Regular, Go Bold, Droid Sans Fallback)", fonts)
			}
		})
	}
	if sha256.Sum256(assets.CJKFontTTF) != before {
		t.Fatal("writing PDFs changed the shared font bytes")
	}
}

// The text is real text: a PDF reader gets the Chinese back. Needs poppler's pdftotext.
func TestPDFTextExtracts(t *testing.T) {
	tool, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext not installed")
	}
	b, _ := batchPDF(t, render.Size100x150)
	cmd := exec.Command(tool, "-", "-")
	cmd.Stdin = bytes.NewReader(b)
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	for _, want := range []string{"北京马驹桥分拣中心", "010-A12-03", "230817593412", "代收货款 ¥79.50", "张晓明",
		"13817578711", "上海嘉定分拣中心", "欧阳娜娜", "深圳市某某科技有限公司", "运费 ¥8.00", "共3件", "张**", "138****8711"} {
		if !strings.Contains(text, want) {
			t.Errorf("pdftotext output lacks %q", want)
		}
	}
	if pages := strings.Count(text, "\f"); pages != len(fixtures(t)) {
		t.Errorf("pdftotext saw %d pages", pages)
	}
}

func TestPDFWriterErrors(t *testing.T) {
	var buf bytes.Buffer
	p := NewWriter(&buf, render.Size100x150)
	if err := p.Close(); err == nil || !strings.Contains(err.Error(), "no labels") {
		t.Errorf("empty document: %v", err)
	}
	if buf.Len() != 0 {
		t.Errorf("an empty document wrote %d bytes", buf.Len())
	}
	p = NewWriter(&buf, render.Size100x150)
	l := mustLayout(t, fixtures(t)[0].wb, render.Options{Size: render.Size76x130})
	if err := p.Add(l); err == nil || !strings.Contains(err.Error(), "76x130") {
		t.Errorf("adding a 76x130 label to a 100x150 PDF: %v", err)
	}
	if err := p.Close(); err == nil {
		t.Errorf("Close after a failed Add succeeded")
	}
	if buf.Len() != 0 {
		t.Errorf("a failed document wrote %d bytes", buf.Len())
	}
}

// A batch longer than a chunk is streamed as several gofpdf documents joined into one PDF: every
// page in order, every cross-reference right, each chunk's fonts subset and named apart.
func TestPDFManyChunks(t *testing.T) {
	defer func(n int) { chunkLabels = n }(chunkLabels)
	chunkLabels = 7
	fx := fixtures(t)
	var buf bytes.Buffer
	p := NewWriter(&buf, render.Size100x100)
	var ids []string
	const n = 23 // three full chunks and a partial one
	for i := 0; i < n; i++ {
		w := rendertest.BatchWaybill(t, fx[i%3].wb, i)
		ids = append(ids, w.OrderID)
		if err := p.Add(mustLayout(t, w, render.Options{Size: render.Size100x100})); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	xrefOK(t, b)
	objs := parsePDF(t, b)
	names := map[string]bool{}
	descriptors := 0
	for _, o := range objs {
		if m := regexp.MustCompile(`/FontName /([A-Z]{6}\+\S+)`).FindStringSubmatch(o.dict); m != nil {
			descriptors++
			names[m[1]] = true
		}
		if strings.Contains(o.dict, "utf8") {
			t.Errorf("gofpdf's font name left in %q", o.dict)
		}
	}
	// Each chunk embeds its own three subsets; the tag follows the glyphs, so chunks with the same
	// glyphs share names and different glyphs get different names.
	if descriptors != 4*3 || len(names) < 3 {
		t.Errorf("%d font descriptors, %d distinct names; want 12 (3 fonts × 4 chunks)", descriptors, len(names))
	}
	var a, c runeSet
	a.add('京')
	c.add('沪')
	if a.tag("x") == c.tag("x") {
		t.Errorf("different glyphs, same subset tag %s", a.tag("x"))
	}
	if tool, err := exec.LookPath("pdftotext"); err == nil {
		cmd := exec.Command(tool, "-", "-")
		cmd.Stdin = bytes.NewReader(b)
		out, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		pages := strings.Split(string(out), "\f")
		if len(pages)-1 != n {
			t.Fatalf("pdftotext sees %d pages", len(pages)-1)
		}
		for i, id := range ids {
			if !strings.Contains(pages[i], id) {
				t.Errorf("page %d lacks order %s", i+1, id)
			}
		}
	}
}

// Layout, raster and PDF writers run in parallel (a batch lays out in workers, the GUI previews
// while a printer job renders): the race detector checks the shared font state.
func TestConcurrentUse(t *testing.T) {
	fx := fixtures(t)
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf bytes.Buffer
			p := NewWriter(&buf, render.Size76x130)
			for i := 0; i < 3; i++ {
				l, err := render.Layout(fx[(g+i)%len(fx)].wb, render.Options{Size: render.Size76x130, Privacy: g%2 == 0})
				if err != nil {
					t.Error(err)
					return
				}
				raster.Draw(l, 203+97*(g%2))
				if err := p.Add(l); err != nil {
					t.Error(err)
				}
			}
			if err := p.Close(); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
}
