package render

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"
	"strconv"
	"strings"

	"station/internal/geom"
	"station/printdata"
)

// Geometry of the frame, in mm. Strokes are whole 203-dpi dots.
const (
	margin      = 2.0   // blank paper around the frame: thermal heads rarely print to the edge
	frameStroke = 0.375 // 3 dots
	ruleStroke  = 0.25  // 2 dots
	pad         = 0.8   // between a rule and the text beside it
)

// ErrNoOrderID is returned for a waybill without an order id: such a label could not be matched
// to its parcel.
var ErrNoOrderID = fmt.Errorf("%w: the waybill has no order id", ErrLabel)

// ErrLabel is wrapped by every error that means no label could be made from these options and
// this waybill.
var ErrLabel = errors.New("render: no label can be made")

// Layout lays the waybill out on one label of opt.Size (the default size when zero).
//
// LBP and SOPL labels start with the sorting block (distribution center and sorting code); SOP
// labels have no sorting block but an invoice and freight section. Then, for every type: the JD
// barcode image when there is one, the order id as Code 128 with its digits, the delivery site or
// payment, the consignee, cash on delivery and the pickup and high-value signs, delivery wishes
// and remark, the items, the dates and the package number.
//
// Text that does not fit shrinks to a floor size, then wraps, then ends in an ellipsis; it never
// overlaps another box. Text no font can draw is replaced by □; nothing panics.
func Layout(w *printdata.Waybill, opt Options) (*Label, error) {
	if w == nil {
		return nil, fmt.Errorf("%w: no waybill", ErrLabel)
	}
	size := opt.Size
	if size.W == 0 && size.H == 0 && size.Name == "" {
		size = DefaultSize
	}
	known := false
	for _, z := range Sizes {
		if z.W == size.W && z.H == size.H {
			size, known = z, true
		}
	}
	if !known {
		return nil, fmt.Errorf("render: %w %gx%g mm", ErrUnknownSize, size.W, size.H)
	}
	for _, o := range []float64{opt.OffsetX, opt.OffsetY} {
		if !geom.OffsetOK(o) {
			return nil, fmt.Errorf("%w: print offset %g mm is out of range (at most ±%g mm)", ErrLabel, o, geom.MaxOffset)
		}
	}
	if opt.Packages > 1 && (opt.Package < 1 || opt.Package > opt.Packages) {
		return nil, fmt.Errorf("%w: package %d of %d does not exist", ErrLabel, opt.Package, opt.Packages)
	}
	if opt.Packages <= 1 && opt.Package > 1 {
		return nil, fmt.Errorf("%w: package %d of a single-parcel shipment", ErrLabel, opt.Package)
	}
	if _, err := fonts(); err != nil {
		return nil, err
	}
	id := clean(w.OrderID)
	if id == "" {
		return nil, ErrNoOrderID
	}
	b := &builder{w: w, opt: opt, id: id, cons: w.Consignee}
	if opt.Privacy {
		b.cons = w.Consignee.Masked()
	}
	b.build(size)
	l := &Label{OrderID: w.OrderID, W: size.W, H: size.H, Size: size, Boxes: b.boxes}
	if err := l.validate(0, 0); err != nil {
		return nil, fmt.Errorf("%w: layout of order %s (%s) is broken: %w", ErrLabel, id, size, err)
	}
	if opt.OffsetX != 0 || opt.OffsetY != 0 {
		for i := range l.Boxes {
			l.Boxes[i].X += opt.OffsetX
			l.Boxes[i].Y += opt.OffsetY
		}
	}
	return l, nil
}

type rect struct{ x, y, w, h float64 }

func (r rect) inset(d float64) rect { return rect{r.x + d, r.y + d, r.w - 2*d, r.h - 2*d} }
func (r rect) right() float64       { return r.x + r.w }
func (r rect) bottom() float64      { return r.y + r.h }

type builder struct {
	w     *printdata.Waybill
	opt   Options
	id    string // clean order id
	cons  printdata.Consignee
	boxes []Box
}

// section is one horizontal band of the label. Heights in mm: the band gets pref when there is
// room, shrinks toward min on small labels, and takes a grow share of the room left on tall ones.
type section struct {
	min, pref, grow float64
	draw            func(r rect)
}

func (b *builder) build(size Size) {
	W, H := size.W, size.H
	// The frame: four rules; content goes inside.
	b.rule("frame", margin, margin, W-2*margin, frameStroke)
	b.rule("frame", margin, H-margin-frameStroke, W-2*margin, frameStroke)
	b.rule("frame", margin, margin, frameStroke, H-2*margin)
	b.rule("frame", W-margin-frameStroke, margin, frameStroke, H-2*margin)
	in := rect{margin + frameStroke, margin + frameStroke, W - 2*(margin+frameStroke), H - 2*(margin+frameStroke)}

	w := b.w
	var secs []section
	if b.hasSortingBlock() {
		secs = append(secs, section{14, 20, 0, b.sortingBlock})
	}
	if img := w.JDBarcode; img != nil && !img.Bounds().Empty() {
		secs = append(secs, section{10, 16, 0.25, b.jdBarcode})
	}
	secs = append(secs,
		section{12, 17, 0, b.orderCode},
		section{16, 24, 0.5, b.consignee},
		section{8, 11, 0, b.payment},
	)
	if b.hasDelivery() {
		// One line for the delivery wish, one or more for the remark.
		rows, grow := 0.0, 0.0
		if clean(w.DeliveryTime) != "" || w.NotifyBeforeDelivery {
			rows++
		}
		if clean(w.Remark) != "" {
			rows, grow = rows+1, 0.5
		}
		secs = append(secs, section{2*pad + rows*lineHeightMM(7.5), 2*pad + (rows+0.5)*lineHeightMM(9), grow, b.delivery})
	}
	secs = append(secs, section{9, 18, 2, b.items})
	if b.hasInvoiceBlock() {
		secs = append(secs, section{8, 11, 0, b.invoice})
	}
	if b.hasFooter() {
		secs = append(secs, section{4, 5, 0, b.footer})
	}

	avail := in.h - ruleStroke*float64(len(secs)-1)
	heights := allocate(secs, avail)
	y := in.y
	for i, s := range secs {
		s.draw(rect{in.x, y, in.w, heights[i]})
		y += heights[i]
		if i < len(secs)-1 {
			b.rule("separator", in.x, y, in.w, ruleStroke)
			y += ruleStroke
		}
	}
}

// allocate shares avail mm among the sections and snaps the bands to the 203-dpi dot grid so
// that every rule prints as whole dots.
func allocate(secs []section, avail float64) []float64 {
	var sumMin, sumPref, sumGrow float64
	for _, s := range secs {
		sumMin += s.min
		sumPref += s.pref
		sumGrow += s.grow
	}
	h := make([]float64, len(secs))
	for i, s := range secs {
		switch {
		case sumPref <= avail && sumGrow > 0:
			h[i] = s.pref + (avail-sumPref)*s.grow/sumGrow
		case sumPref <= avail:
			h[i] = s.pref * avail / sumPref
		case sumMin <= avail:
			h[i] = s.min + (s.pref-s.min)*(avail-sumMin)/(sumPref-sumMin)
		default:
			h[i] = s.min * avail / sumMin
		}
	}
	// Snap cumulative boundaries so the rounding never adds up to more than avail.
	out := make([]float64, len(h))
	acc, prev := 0.0, 0.0
	for i := range h {
		acc += h[i]
		edge := math.Floor(acc/dotMM+1e-9) * dotMM
		if i == len(h)-1 {
			edge = math.Floor(avail/dotMM+1e-9) * dotMM
		}
		out[i] = edge - prev
		prev = edge
	}
	return out
}

func (b *builder) hasSortingBlock() bool {
	switch b.w.Type {
	case printdata.LBP, printdata.SOPL:
		return true
	case printdata.SOP, printdata.Overseas:
		return false
	}
	return b.w.SortingCode != "" || b.w.DistributionCenter != ""
}

func (b *builder) hasInvoiceBlock() bool {
	switch b.w.Type {
	case printdata.SOP, printdata.Overseas:
		return true
	case printdata.LBP, printdata.SOPL:
		return false
	}
	return b.w.Invoice != nil || b.w.Freight != 0
}

func (b *builder) hasDelivery() bool {
	w := b.w
	return clean(w.DeliveryTime) != "" || w.NotifyBeforeDelivery || clean(w.Remark) != ""
}

func (b *builder) hasFooter() bool {
	return !b.w.CreatedAt.IsZero() || !b.w.OutboundAt.IsZero() || (b.multiPackage() && !b.hasSortingBlock())
}

func (b *builder) multiPackage() bool { return b.opt.Packages > 1 }

func (b *builder) packageText() string {
	return strconv.Itoa(b.opt.Package) + "/" + strconv.Itoa(b.opt.Packages)
}

// --- primitives ---

func (b *builder) rule(field string, x, y, w, h float64) {
	b.boxes = append(b.boxes, Box{Kind: KindRule, Field: field, X: x, Y: y, W: w, H: h})
}

type vAlign uint8

const (
	top vAlign = iota
	middle
	bottom
)

// text fits s into r and adds it as a box as high as its lines, placed at the top, middle or
// bottom of r. It returns the box's height (0 when there is nothing to show).
func (b *builder) text(field, s string, r rect, st style, va vAlign) float64 {
	s = clean(s)
	f := fit(s, r.w, r.h, st)
	if len(f.lines) == 0 {
		return 0
	}
	h := f.height()
	y := r.y
	switch va {
	case middle:
		y += (r.h - h) / 2
	case bottom:
		y += r.h - h
	}
	b.boxes = append(b.boxes, Box{Kind: KindText, Field: field, X: r.x, Y: y, W: r.w, H: h,
		Lines: f.lines, Size: f.size, Bold: st.bold, Align: st.align})
	return h
}

// inverse adds white-on-black text, the box sized to the text and centred in r.
func (b *builder) inverse(field, s string, r rect, st style, boxPad float64) {
	s = clean(s)
	f := fit(s, r.w-2*boxPad, r.h-2*boxPad, st)
	if len(f.lines) == 0 {
		return
	}
	tw := 0.0
	for _, l := range f.lines {
		tw = max(tw, widthEm(l, st.bold)*f.size*PtToMM)
	}
	w, h := tw+2*boxPad, f.height()+2*boxPad
	x := r.x + (r.w-w)/2
	if st.align == AlignLeft {
		x = r.x
	}
	b.boxes = append(b.boxes, Box{Kind: KindText, Field: field, X: x, Y: r.y + (r.h-h)/2, W: w, H: h,
		Lines: f.lines, Size: f.size, Bold: st.bold, Align: AlignCenter, Inverse: true, Pad: boxPad})
}

// image adds img at its own aspect ratio, as large as fits in r. When each image pixel can be a
// whole number of 203-dpi dots without losing more than a fifth of the size, it is, so that a
// barcode image keeps even bars. It returns the box's rect.
func (b *builder) image(field string, img image.Image, r rect, align Align) (rect, bool) {
	img = safeImage(img)
	if img == nil {
		return rect{}, false
	}
	pw, ph := float64(img.Bounds().Dx()), float64(img.Bounds().Dy())
	if pw <= 0 || ph <= 0 || r.w <= 0 || r.h <= 0 {
		return rect{}, false
	}
	s := min(r.w/pw, r.h/ph) // mm per pixel
	if k := math.Floor(s / dotMM); k >= 1 && k*dotMM >= 0.8*s {
		s = k * dotMM
	}
	w, h := pw*s, ph*s
	x := r.x
	switch align {
	case AlignCenter:
		x = snap(r.x + (r.w-w)/2)
	case AlignRight:
		x = r.right() - w
	}
	y := r.y + (r.h-h)/2
	b.boxes = append(b.boxes, Box{Kind: KindImage, Field: field, X: x, Y: y, W: w, H: h, Image: img})
	return rect{x, y, w, h}, true
}

// safeImage guards the backends against a palette image whose pixels index past its palette, or
// with nil colours (the standard library panics on those): missing entries become white paper.
// nil for an image with no palette at all.
func safeImage(img image.Image) image.Image {
	p, ok := img.(*image.Paletted)
	if !ok {
		return img
	}
	if len(p.Palette) == 0 {
		return nil
	}
	top := 0
	for _, v := range p.Pix {
		top = max(top, int(v))
	}
	holes := false
	for _, c := range p.Palette {
		holes = holes || c == nil
	}
	if top < len(p.Palette) && !holes {
		return p
	}
	fixed := *p
	fixed.Palette = append(color.Palette(nil), p.Palette...)
	for len(fixed.Palette) <= top {
		fixed.Palette = append(fixed.Palette, color.White)
	}
	for i, c := range fixed.Palette {
		if c == nil {
			fixed.Palette[i] = color.White
		}
	}
	return &fixed
}

// snap rounds up to the next 203-dpi dot.
func snap(v float64) float64 { return math.Ceil(v/dotMM-1e-9) * dotMM }

// --- sections ---

// sortingBlock: distribution center and sorting code, big, for the sorting center's staff; the
// order type and the parcel number on the right.
func (b *builder) sortingBlock(r rect) {
	w := b.w
	ruleX := snap(r.right() - min(max(r.w*0.27, 19), 28) - ruleStroke)
	left := rect{r.x, r.y, ruleX - r.x, r.h}
	b.rule("separator", ruleX, r.y, ruleStroke, r.h)
	right := rect{ruleX + ruleStroke, r.y, r.right() - ruleX - ruleStroke, r.h}

	in := left.inset(pad)
	centerH := 0.0
	if clean(w.SortingCode) == "" {
		// No sorting code: the distribution center is what the sorting staff go by.
		b.text("distribution-center", w.DistributionCenter, in, style{max: 26, min: 9, bold: true, lines: 2, balance: true}, middle)
	} else if clean(w.DistributionCenter) != "" {
		centerH = b.text("distribution-center", w.DistributionCenter,
			rect{in.x, in.y, in.w, min(lineHeightMM(13), in.h*0.4)}, style{max: 13, min: 8, bold: true, lines: 1}, top)
	}
	code := rect{in.x, in.y + centerH, in.w, in.h - centerH}
	b.text("sorting-code", w.SortingCode, code, style{max: 34, min: 14, bold: true, lines: 1, balance: true}, middle)

	in = right.inset(pad)
	if !b.multiPackage() {
		b.text("order-type", typeName(w.Type), in, style{max: 18, min: 7, bold: true, align: AlignCenter, lines: 1}, middle)
		return
	}
	typeH := b.text("order-type", typeName(w.Type), rect{in.x, in.y, in.w, min(lineHeightMM(11), in.h/3)},
		style{max: 11, min: 6, bold: true, align: AlignCenter, lines: 1}, top)
	b.text("package", "包裹 "+b.packageText(), rect{in.x, in.y + typeH, in.w, in.h - typeH},
		style{max: 22, min: 8, bold: true, align: AlignCenter, lines: 1, balance: true}, middle)
}

// jdBarcode: JD's own barcode image (generade), never stretched.
func (b *builder) jdBarcode(r rect) {
	b.image("jd-barcode", b.w.JDBarcode, r.inset(pad), AlignCenter)
}

// orderCode: the order id as Code 128 with its digits; the delivery site (or, for SOP, the
// payment) beside it.
func (b *builder) orderCode(r rect) {
	in := r.inset(pad)
	digitsH := min(lineHeightMM(10), in.h*0.3)
	infoMin := 20.0
	mods, err := code128Modules(b.id)
	var bw, module float64
	site := clean(b.w.Site)
	withInfo := site != ""
	if err == nil && withInfo {
		n := float64(len(mods) + 2*QuietModules)
		for _, dots := range []float64{4, 3, 2} {
			if n*dots*dotMM <= in.w-infoMin-ruleStroke-2*pad {
				module = dots * dotMM
				break
			}
		}
	}
	if err == nil && module == 0 {
		withInfo = false
		n := float64(len(mods) + 2*QuietModules)
		for _, dots := range []float64{4, 3, 2, 1} {
			if n*dots*dotMM <= in.w {
				module = dots * dotMM
				break
			}
		}
	}
	if module > 0 {
		bw = float64(len(mods)+2*QuietModules) * module
	}
	if module == 0 {
		// The id is not printable ASCII or far too long for a barcode: show it as text only.
		b.text("order-id", "订单号 "+b.id, in, style{max: 12, min: 7, bold: true, lines: 2}, middle)
		return
	}
	bx := snap(in.x)
	if !withInfo {
		bx = snap(in.x + (in.w-bw)/2)
		if bx+bw > in.right() {
			bx = snap(in.x)
		}
	}
	bh := in.h - digitsH
	b.boxes = append(b.boxes, Box{Kind: KindBarcode, Field: "order-barcode", X: bx, Y: in.y, W: bw, H: bh,
		Data: b.id, Modules: mods, Module: module})
	b.text("order-id", b.id, rect{bx, in.y + bh, bw, digitsH}, style{max: 10, min: 6, align: AlignCenter, lines: 1}, top)
	if !withInfo {
		return
	}
	rx := snap(bx + bw + pad)
	b.rule("separator", rx, r.y, ruleStroke, r.h)
	info := rect{rx + ruleStroke + pad, in.y, r.right() - (rx + ruleStroke + pad) - pad, in.h}
	capH := b.text("site-caption", "配送站点", rect{info.x, info.y, info.w, lineHeightMM(7.5)}, style{max: 7.5, min: 6, lines: 1}, top)
	b.text("site", site, rect{info.x, info.y + capH, info.w, info.h - capH}, style{max: 13, min: 9, bold: true, lines: 1, balance: true}, middle)
}

// consignee: 收 badge, name and phones, and the address wrapped to fit.
func (b *builder) consignee(r rect) {
	c := b.cons
	in := r.inset(pad)
	badge := rect{in.x, in.y, 7, min(7.5, in.h)}
	b.inverse("consignee-badge", "收", badge, style{max: 14, min: 8, bold: true, lines: 1}, 0.6)
	in.x += badge.w + pad
	in.w -= badge.w + pad

	rowH := min(lineHeightMM(14), in.h*0.35)
	name := clean(c.Name)
	nameW := 0.0
	if name != "" {
		nameW = min(widthEm(name, true)*14*PtToMM+0.01, in.w*0.4)
		b.text("consignee-name", name, rect{in.x, in.y, nameW, rowH}, style{max: 14, min: 8, bold: true, lines: 1}, bottom)
		nameW += 2 * pad
	}
	phones := joinNonEmpty(" / ", dedupe(clean(c.Mobile), clean(c.Phone))...)
	b.text("consignee-phones", phones, rect{in.x + nameW, in.y, in.w - nameW, rowH}, style{max: 13, min: 7, bold: true, lines: 1}, bottom)
	addr := rect{in.x, in.y + rowH + 0.5, in.w, in.h - rowH - 0.5}
	b.text("consignee-address", c.Address, addr, style{max: 13, min: 7, lines: 3}, top)
}

// payment: cash on delivery, prominent, or that nothing is to be collected; the pickup and
// high-value signs with their meaning in words.
func (b *builder) payment(r rect) {
	w := b.w
	pickupZH, _ := w.Pickup.Meaning()
	levelZH, _ := w.Level.Meaning()
	type sign struct {
		field string
		img   image.Image
		words string
	}
	var signs []sign
	if w.PickupSign != nil || pickupZH != "" {
		signs = append(signs, sign{"pickup", w.PickupSign, pickupZH})
	}
	if w.LevelSign != nil || levelZH != "" {
		signs = append(signs, sign{"level", w.LevelSign, levelZH})
	}
	payW := r.w
	switch len(signs) {
	case 1:
		payW = r.w * 0.6
	case 2:
		payW = r.w * 0.46
	}
	pay := rect{r.x, r.y, payW, r.h}.inset(pad)
	if w.COD {
		b.inverse("cod", "代收货款 ¥"+w.ShouldPay.String(), pay, style{max: 16, min: 8, bold: true, lines: 2}, 1)
	} else {
		what := clean(w.PaymentType)
		if what == "" {
			what = "已付款"
		}
		b.text("payment", what+" · 无需收款", pay, style{max: 11, min: 7, align: AlignCenter, lines: 2}, middle)
	}
	if len(signs) == 0 {
		return
	}
	cellW := (r.right() - r.x - payW) / float64(len(signs))
	for i, s := range signs {
		x := snap(r.x + payW + float64(i)*cellW)
		b.rule("separator", x, r.y, ruleStroke, r.h)
		x += ruleStroke
		cell := rect{x, r.y, snap(r.x+payW+float64(i+1)*cellW) - x, r.h}.inset(pad)
		if i == len(signs)-1 {
			cell = rect{x, r.y, r.right() - x, r.h}.inset(pad)
		}
		textX := cell.x
		if s.img != nil {
			side := min(cell.h, 10)
			if ir, ok := b.image(s.field+"-sign", s.img, rect{cell.x, cell.y + (cell.h-side)/2, min(side*1.6, cell.w*0.45), side}, AlignLeft); ok {
				textX = ir.right() + pad
			}
		}
		if s.words != "" {
			b.text(s.field+"-meaning", s.words, rect{textX, cell.y, cell.right() - textX, cell.h}, style{max: 11, min: 7, bold: true, lines: 1, balance: true}, middle)
		}
	}
}

// delivery: the delivery-time wish, the notice before delivery and the remark.
func (b *builder) delivery(r rect) {
	w := b.w
	in := r.inset(pad)
	rowH := 0.0
	if clean(w.DeliveryTime) != "" || w.NotifyBeforeDelivery {
		rowH = min(lineHeightMM(9), in.h)
		if clean(w.Remark) != "" {
			rowH = min(rowH, in.h/2)
		}
		timeW := in.w
		if w.NotifyBeforeDelivery {
			const notice = "送货前请电话联系"
			nw := min(widthEm(notice, true)*9*PtToMM+0.01, in.w*0.45)
			b.text("notify", notice, rect{in.right() - nw, in.y, nw, rowH}, style{max: 9, min: 6, bold: true, align: AlignRight, lines: 1}, top)
			timeW -= nw + 2*pad
		}
		if t := clean(w.DeliveryTime); t != "" {
			b.text("delivery-time", "送货时间："+t, rect{in.x, in.y, timeW, rowH}, style{max: 9, min: 6, lines: 1}, top)
		}
	}
	if rm := clean(w.Remark); rm != "" && in.h-rowH > 0 {
		b.text("remark", "备注："+rm, rect{in.x, in.y + rowH, in.w, in.h - rowH}, style{max: 9, min: 6.5}, top)
	}
}

// items: one line per item, the name shortened with an ellipsis and the quantity kept; the last
// line has the total count (共N件) and, when not every item fits, how many are not listed.
func (b *builder) items(r rect) {
	w := b.w
	in := r.inset(pad)
	count := w.ItemsCount
	if count <= 0 {
		for _, it := range w.Items {
			count += max(it.Quantity, 0)
		}
	}
	totalH := min(lineHeightMM(10), in.h)
	total := "共" + strconv.Itoa(count) + "件"
	totalW := min(widthEm(total, true)*10*PtToMM+0.01, in.w*0.4)
	b.text("items-total", total, rect{in.right() - totalW, in.bottom() - totalH, totalW, totalH},
		style{max: 10, min: 6, bold: true, align: AlignRight, lines: 1}, top)
	listH := in.h - totalH
	// The largest size, down to 7 pt, at which every item gets a line.
	size := 9.0
	for size > 7 && int(listH/lineHeightMM(size)) < len(w.Items) {
		size -= sizeStep
	}
	lh := lineHeightMM(size)
	shown := min(len(w.Items), max(int(listH/lh), 0))
	y := in.y
	for _, it := range w.Items[:shown] {
		name := clean(it.Name)
		if name == "" {
			name = clean("商品 " + it.WareID)
		}
		qtyW := 0.0
		if it.Quantity > 0 {
			q := "×" + strconv.Itoa(it.Quantity)
			qtyW = min(widthEm(q, true)*size*PtToMM+0.01, in.w*0.3)
			b.text("item-qty", q, rect{in.right() - qtyW, y, qtyW, lh}, style{max: size, min: size, bold: true, align: AlignRight, lines: 1}, top)
			qtyW += 1.5
		}
		if line := fitLine(name, in.w-qtyW, size, false); line != "" {
			b.boxes = append(b.boxes, Box{Kind: KindText, Field: "item", X: in.x, Y: y, W: in.w - qtyW, H: lh, Lines: []string{line}, Size: size})
		}
		y += lh
	}
	if more := len(w.Items) - shown; more > 0 {
		note := "……另有" + strconv.Itoa(more) + "种商品未列出"
		if shown == 0 {
			note = strconv.Itoa(more) + "种商品"
		}
		b.text("items-more", note, rect{in.x, in.bottom() - totalH, in.w - totalW - 2*pad, totalH}, style{max: 9, min: 6, lines: 1}, middle)
	}
}

// invoice: SOP's invoice title, type and content, and the freight.
func (b *builder) invoice(r rect) {
	w := b.w
	in := r.inset(pad)
	freight := "运费 ¥" + w.Freight.String()
	fw := min(widthEm(freight, true)*10*PtToMM+0.01, in.w*0.35)
	b.text("freight", freight, rect{in.right() - fw, in.y, fw, in.h}, style{max: 10, min: 6.5, bold: true, align: AlignRight, lines: 2}, middle)
	left := rect{in.x, in.y, in.w - fw - 2*pad, in.h}
	inv := w.Invoice
	if inv == nil || (clean(inv.Title) == "" && clean(inv.Type) == "" && clean(inv.Content) == "") {
		b.text("invoice", "发票：无", left, style{max: 9, min: 6.5, lines: 1}, middle)
		return
	}
	titleH := min(left.h*0.55, 2*lineHeightMM(9))
	used := b.text("invoice-title", "发票抬头："+orDash(inv.Title), rect{left.x, left.y, left.w, titleH}, style{max: 9, min: 6.5, lines: 2}, top)
	detail := "发票类型：" + orDash(inv.Type) + "　内容：" + orDash(inv.Content)
	b.text("invoice-detail", detail, rect{left.x, left.y + used, left.w, left.h - used}, style{max: 9, min: 6.5, lines: 2}, top)
}

// footer: order and outbound dates; the parcel number when there is no sorting block to show it.
func (b *builder) footer(r rect) {
	w := b.w
	in := rect{r.x + pad, r.y, r.w - 2*pad, r.h}
	var parts []string
	if !w.CreatedAt.IsZero() {
		parts = append(parts, "下单 "+w.CreatedAt.Format("2006-01-02 15:04"))
	}
	if !w.OutboundAt.IsZero() {
		parts = append(parts, "出库 "+w.OutboundAt.Format("2006-01-02 15:04"))
	}
	pkgW := 0.0
	if b.multiPackage() && !b.hasSortingBlock() {
		p := "包裹 " + b.packageText()
		pkgW = min(widthEm(p, true)*9*PtToMM+0.01, in.w*0.4)
		b.text("package", p, rect{in.right() - pkgW, in.y, pkgW, in.h}, style{max: 9, min: 6, bold: true, align: AlignRight, lines: 1}, middle)
		pkgW += 2 * pad
	}
	b.text("dates", strings.Join(parts, "　"), rect{in.x, in.y, in.w - pkgW, in.h}, style{max: 8, min: 6, lines: 1}, middle)
}

func orDash(s string) string {
	if clean(s) == "" {
		return "—"
	}
	return s
}

func dedupe(ss ...string) []string {
	var out []string
	for _, s := range ss {
		dup := false
		for _, o := range out {
			dup = dup || o == s
		}
		if !dup {
			out = append(out, s)
		}
	}
	return out
}

func joinNonEmpty(sep string, ss ...string) string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return strings.Join(out, sep)
}

// typeName is the order type as the label shows it: an overseas order as 海外购, which the
// packer and the courier read at a glance.
func typeName(t printdata.OrderType) string {
	if t == printdata.Overseas {
		return "海外购"
	}
	return string(t)
}
