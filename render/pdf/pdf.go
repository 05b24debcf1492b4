// Package pdf draws render's label layouts as PDF: vector text with the embedded fonts cut down
// to the glyphs used, barcodes as rectangles, images as they came; one label per page, and
// batches of any length in one file with flat memory.
package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"hash/fnv"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"station/render"
	"strconv"

	"github.com/jung-kurt/gofpdf"
)

// Font families as gofpdf knows them; none is a prefix of another, so the PDF's font names
// ("/utf8" + family) can be renamed to subset names safely (see pdfAssembler).
var faceFamily = [render.NumFaces]string{
	render.FaceLatin:     "goregular",
	render.FaceLatinBold: "gobold",
	render.FaceCJK:       "droidcjk",
}

// postScriptName is what each subset is called in the PDF, after its six-letter subset tag.
var postScriptName = [render.NumFaces]string{
	render.FaceLatin:     "GoRegular",
	render.FaceLatinBold: "Go-Bold",
	render.FaceCJK:       "DroidSansFallbackFull",
}

// chunkLabels is how many pages one gofpdf document holds before it is streamed into the output.
// gofpdf keeps a whole document in memory; chunks keep the writer's memory flat however long the
// batch. Each chunk embeds its own font subset, so bigger chunks repeat fewer glyphs. (A variable
// so that tests can make chunks small.)
var chunkLabels = 200

// Writer writes labels as one PDF document, one label per page, in the order they are added.
// Pages are drawn with gofpdf in chunks and streamed to w, so memory does not grow with the
// batch; the output is written progressively and is a valid PDF only after Close succeeds (write
// to a temporary file and rename it). A Writer is for one goroutine.
type Writer struct {
	size    render.Size
	out     *pdfAssembler
	pending []page
	images  map[uint64][]byte // encoded PNGs of the pending pages, by content
	pages   int
	err     error
	closed  bool
	chunk   bytes.Buffer
	png     png.Encoder
	pngBuf  bytes.Buffer
}

// page is a label waiting to be drawn: its boxes, with images replaced by keys into images.
type page struct {
	orderID string
	boxes   []render.Box
	imgKey  []uint64 // per box; 0 when the box is not an image
}

// NewWriter starts a PDF of labels of the given size on w.
func NewWriter(w io.Writer, size render.Size) *Writer {
	p := &Writer{size: size, images: map[uint64][]byte{}, png: png.Encoder{CompressionLevel: png.BestSpeed, BufferPool: &pngPool{}}}
	if err := render.LoadFonts(); err != nil {
		p.err = err
	}
	p.out = newPDFAssembler(w, size)
	return p
}

// Add appends the label as the next page.
func (p *Writer) Add(l *render.Label) error {
	if p.err != nil {
		return p.err
	}
	if p.closed {
		return errors.New("render: PDF writer is closed")
	}
	if l.W != p.size.W || l.H != p.size.H {
		return fmt.Errorf("render: label %s is %gx%g mm, the PDF is %s", l.OrderID, l.W, l.H, p.size)
	}
	pg := page{orderID: l.OrderID, boxes: make([]render.Box, len(l.Boxes)), imgKey: make([]uint64, len(l.Boxes))}
	copy(pg.boxes, l.Boxes)
	for i := range pg.boxes {
		b := &pg.boxes[i]
		if b.Kind != render.KindImage {
			continue
		}
		key, err := p.addImage(b.Image)
		if err != nil {
			p.err = fmt.Errorf("render: order %s: %s image: %w", l.OrderID, b.Field, err)
			return p.err
		}
		pg.imgKey[i], b.Image = key, nil
	}
	p.pending = append(p.pending, pg)
	p.pages++
	if len(p.pending) >= chunkLabels {
		if err := p.flush(); err != nil {
			p.err = err
			return err
		}
	}
	return nil
}

// addImage encodes an image once per chunk (identical images, like the pickup sign on many
// labels, share one PDF object) and returns its key.
func (p *Writer) addImage(img image.Image) (uint64, error) {
	key, ok := pixelKey(img)
	if ok {
		if _, seen := p.images[key]; seen {
			return key, nil
		}
	}
	p.pngBuf.Reset()
	if err := p.png.Encode(&p.pngBuf, flatten(img)); err != nil {
		return 0, err
	}
	if !ok {
		h := fnv.New64a()
		h.Write(p.pngBuf.Bytes())
		key = h.Sum64() | 1
	}
	if _, seen := p.images[key]; !seen {
		p.images[key] = bytes.Clone(p.pngBuf.Bytes())
	}
	return key, nil
}

// Pages is the number of pages added so far.
func (p *Writer) Pages() int { return p.pages }

// Close draws the last pages and completes the document. A document without pages is an error:
// there is nothing to print.
func (p *Writer) Close() error {
	if p.closed {
		return p.err
	}
	p.closed = true
	if p.err != nil {
		return p.err
	}
	if p.pages == 0 {
		p.err = errors.New("render: no labels to write")
		return p.err
	}
	if err := p.flush(); err != nil {
		p.err = err
		return err
	}
	if err := p.out.finish(); err != nil {
		p.err = fmt.Errorf("render: writing PDF: %w", err)
	}
	return p.err
}

// flush draws the pending pages as one gofpdf document and streams it into the output.
func (p *Writer) flush() error {
	if len(p.pending) == 0 {
		return nil
	}
	doc, err := newPDFDoc(p.size, p.pending, p.images)
	if err != nil {
		return err
	}
	for i := range p.pending {
		if err := doc.add(&p.pending[i]); err != nil {
			return err
		}
	}
	p.chunk.Reset()
	if err := doc.pdf.Output(&p.chunk); err != nil {
		return fmt.Errorf("render: drawing PDF: %w", err)
	}
	if err := p.out.appendDoc(p.chunk.Bytes(), doc.fontNames, len(p.pending)); err != nil {
		return fmt.Errorf("render: writing PDF: %w", err)
	}
	clear(p.pending)
	p.pending = p.pending[:0]
	clear(p.images)
	if p.chunk.Cap() > 8<<20 {
		p.chunk = bytes.Buffer{}
	}
	return nil
}

// WriteLabel writes the label alone as a one-page PDF (for a printer job).
func WriteLabel(w io.Writer, l *render.Label) error {
	p := NewWriter(w, render.Size{Name: l.Size.Name, W: l.W, H: l.H})
	if err := p.Add(l); err != nil {
		return err
	}
	return p.Close()
}

// pdfDoc is one gofpdf document: a chunk of pages.
type pdfDoc struct {
	pdf       *gofpdf.Fpdf
	images    map[uint64][]byte
	imgName   map[uint64]string
	fontNames map[string]string // gofpdf's font name → the subset name the PDF should carry
}

// newPDFDoc starts a gofpdf document with the fonts cut down to the glyphs these pages use.
func newPDFDoc(size render.Size, pages []page, images map[uint64][]byte) (*pdfDoc, error) {
	var used [render.NumFaces]runeSet
	var runesOf [render.NumFaces][]rune
	for _, pg := range pages {
		for i := range pg.boxes {
			b := &pg.boxes[i]
			if b.Kind != render.KindText {
				continue
			}
			for _, line := range b.Lines {
				for _, rn := range render.Runs(line, b.Bold) {
					for _, r := range rn.Text {
						if !used[rn.Face].has(r) {
							used[rn.Face].add(r)
							runesOf[rn.Face] = append(runesOf[rn.Face], r)
						}
					}
				}
			}
		}
	}
	pdf := gofpdf.NewCustom(&gofpdf.InitType{
		OrientationStr: "P",
		UnitStr:        "mm",
		Size:           gofpdf.SizeType{Wd: size.W, Ht: size.H},
	})
	pdf.SetMargins(0, 0, 0)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetCompression(false) // the assembler compresses, with one compressor (see pdfAssembler.z)
	pdf.SetCatalogSort(true)
	d := &pdfDoc{pdf: pdf, images: images, imgName: map[uint64]string{}, fontNames: map[string]string{}}
	for f := render.Face(0); f < render.NumFaces; f++ {
		if len(runesOf[f]) == 0 {
			continue
		}
		sub, err := subsetTTF(render.FontFile(f), func(r rune) uint16 { return render.GlyphIndex(f, r) }, runesOf[f])
		if err != nil {
			return nil, fmt.Errorf("render: font %s: %w", postScriptName[f], err)
		}
		pdf.AddUTF8FontFromBytes(faceFamily[f], "", sub)
		d.fontNames["utf8"+faceFamily[f]] = used[f].tag(postScriptName[f]) + "+" + postScriptName[f]
	}
	return d, pdf.Error()
}

// add draws one page.
func (d *pdfDoc) add(pg *page) error {
	p := d.pdf
	p.AddPage()
	p.SetFillColor(0, 0, 0)
	p.SetTextColor(0, 0, 0)
	p.SetDrawColor(0, 0, 0)
	for i := range pg.boxes {
		bx := &pg.boxes[i]
		switch bx.Kind {
		case render.KindRule:
			p.Rect(bx.X, bx.Y, bx.W, bx.H, "F")
		case render.KindText:
			d.text(bx)
		case render.KindBarcode:
			d.barcode(bx)
		case render.KindImage:
			d.image(bx, pg.imgKey[i])
		}
	}
	if err := p.Error(); err != nil {
		return fmt.Errorf("render: drawing order %s: %w", pg.orderID, err)
	}
	return nil
}

func (d *pdfDoc) text(b *render.Box) {
	p := d.pdf
	if b.Inverse {
		p.Rect(b.X, b.Y, b.W, b.H, "F")
		p.SetTextColor(255, 255, 255)
		p.SetDrawColor(255, 255, 255)
	}
	em := b.Size * render.PtToMM
	// Bold glyphs start half a stroke in, so their ink stays inside the measured width.
	off := 0.0
	if b.Bold {
		off = render.BoldStrokeEm * em / 2
	}
	for i, line := range b.Lines {
		x0, y := b.LineX(line), b.Baseline(i)
		for _, r := range render.Runs(line, b.Bold) {
			p.SetFont(faceFamily[r.Face], "", b.Size)
			stroke := b.Bold && r.Face == render.FaceCJK // the CJK font has no bold: stroke its outlines
			if stroke {
				p.SetLineWidth(render.BoldStrokeEm * em)
				p.SetTextRenderingMode(2)
			}
			p.Text(x0+off+r.X*em, y, r.Text)
			if stroke {
				p.SetTextRenderingMode(0)
			}
		}
	}
	if b.Inverse {
		p.SetTextColor(0, 0, 0)
		p.SetDrawColor(0, 0, 0)
	}
}

// barcode draws the bars as filled rectangles (vector).
func (d *pdfDoc) barcode(b *render.Box) {
	m := b.Module
	x0 := b.X + render.QuietModules*m
	render.EachBar(b.Modules, func(i, j int) {
		d.pdf.Rect(x0+float64(i)*m, b.Y, float64(j-i)*m, b.H, "F")
	})
}

func (d *pdfDoc) image(b *render.Box, key uint64) {
	name, ok := d.imgName[key]
	if !ok {
		name = "i" + strconv.FormatUint(key, 36)
		d.pdf.RegisterImageOptionsReader(name, gofpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(d.images[key]))
		d.imgName[key] = name
	}
	d.pdf.ImageOptions(name, b.X, b.Y, b.W, b.H, false, gofpdf.ImageOptions{ImageType: "PNG"}, 0, "")
}

// pixelKey identifies an image by its pixels without encoding it, for the common decoded types.
func pixelKey(img image.Image) (uint64, bool) {
	h := fnv.New64a()
	b := img.Bounds()
	var hdr [16]byte
	for i, v := range []int{b.Dx(), b.Dy()} {
		for j := 0; j < 8; j++ {
			hdr[8*i+j] = byte(v >> (8 * j))
		}
	}
	h.Write(hdr[:])
	rows := func(pix []byte, stride, bpp int, tag byte) {
		h.Write([]byte{tag})
		for y := 0; y < b.Dy(); y++ {
			h.Write(pix[y*stride : y*stride+b.Dx()*bpp])
		}
	}
	switch m := img.(type) {
	case *image.Gray:
		rows(m.Pix[m.PixOffset(b.Min.X, b.Min.Y):], m.Stride, 1, 'g')
	case *image.RGBA:
		rows(m.Pix[m.PixOffset(b.Min.X, b.Min.Y):], m.Stride, 4, 'r')
	case *image.NRGBA:
		rows(m.Pix[m.PixOffset(b.Min.X, b.Min.Y):], m.Stride, 4, 'n')
	case *image.Paletted:
		rows(m.Pix[m.PixOffset(b.Min.X, b.Min.Y):], m.Stride, 1, 'p')
		for _, c := range m.Palette {
			r, g, bl, a := c.RGBA()
			h.Write([]byte{byte(r >> 8), byte(g >> 8), byte(bl >> 8), byte(a >> 8)})
		}
	case *image.YCbCr:
		h.Write([]byte{'y', byte(m.SubsampleRatio)})
		for y := b.Min.Y; y < b.Max.Y; y++ {
			h.Write(m.Y[m.YOffset(b.Min.X, y) : m.YOffset(b.Min.X, y)+b.Dx()])
		}
		h.Write(m.Cb)
		h.Write(m.Cr)
	default:
		return 0, false
	}
	return h.Sum64() &^ 1, true // even keys: pixel hashes; odd: hashes of encoded bytes
}

// flatten gives an image gofpdf embeds without re-compressing: grey when it is grey (barcode
// JPEGs), palette images as they are, anything else as opaque RGB on white paper.
func flatten(img image.Image) image.Image {
	switch m := img.(type) {
	case *image.Gray, *image.Paletted:
		return m
	case *image.YCbCr:
		if g, ok := render.GreyJPEG(m); ok {
			return g
		}
	}
	b := img.Bounds()
	rgba := image.NewRGBA(b)
	draw.Draw(rgba, b, image.NewUniform(color.White), image.Point{}, draw.Src)
	draw.Draw(rgba, b, img, b.Min, draw.Over)
	return rgba
}

// pngPool keeps one PNG encoder buffer (its zlib state is about 1 MB) for reuse.
type pngPool struct{ b *png.EncoderBuffer }

func (p *pngPool) Get() *png.EncoderBuffer  { b := p.b; p.b = nil; return b }
func (p *pngPool) Put(b *png.EncoderBuffer) { p.b = b }

// runeSet is a set of BMP runes, to name font subsets by the glyphs they hold.
type runeSet [0x10000 / 64]uint64

func (s *runeSet) add(r rune) {
	if r >= 0 && r < 0x10000 {
		s[r>>6] |= 1 << (r & 63)
	}
}

func (s *runeSet) has(r rune) bool {
	return r >= 0 && r < 0x10000 && s[r>>6]&(1<<(r&63)) != 0
}

// tag is the six upper-case letters that name a font subset (PDF 32000 §9.6.4), derived from the
// glyphs it holds so that different subsets get different names.
func (s *runeSet) tag(salt string) string {
	h := fnv.New64a()
	h.Write([]byte(salt))
	var b [8]byte
	for _, w := range s {
		for i := range b {
			b[i] = byte(w >> (8 * i))
		}
		h.Write(b[:])
	}
	v := h.Sum64()
	t := make([]byte, 6)
	for i := range t {
		t[i] = 'A' + byte(v%26)
		v /= 26
	}
	return string(t)
}
