package render

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"station/printdata"
	"station/render/rendertest"
)

func checkLayout(t *testing.T, w *printdata.Waybill, opt Options) *Label {
	l, err := Layout(w, opt)
	if errors.Is(err, ErrNoOrderID) && clean(w.OrderID) == "" {
		return nil
	}
	if err != nil {
		t.Fatalf("Layout: %v", err)
	}
	if err := l.validate(opt.OffsetX, opt.OffsetY); err != nil {
		t.Fatalf("invalid layout: %v", err)
	}
	return l
}

func FuzzLayout(f *testing.F) {
	f.Add("230817593412", "张晓明", "北京市朝阳区望京街道", "只工作日送货", uint16(3), uint8(0xFF))
	f.Add("", "", "", "", uint16(0), uint8(0))
	f.Add("1", "\xff\xfe", "😀😀😀\u200d\u202e", "\x00\x01\t\n", uint16(299), uint8(17))
	f.Add(strings.Repeat("9", 80), strings.Repeat("欧阳", 200), strings.Repeat("很长的地址", 400), strings.Repeat("x", 3000), uint16(65535), uint8(0x7F))
	f.Add("ÿ订单", "𠀀𠀁", "\ue000\U0010FFFF", "é\u0301\u20dd", uint16(1), uint8(2))
	f.Fuzz(func(t *testing.T, id, name, addr, text string, n uint16, flags uint8) {
		w := rendertest.FuzzWaybill(id, name, addr, text, n, flags)
		opt := Options{Size: Sizes[int(n)%len(Sizes)], Privacy: flags&1 != 0}
		if flags&4 != 0 {
			opt.Packages = 1 + int(n%9)
			opt.Package = 1 + int(n/9)%opt.Packages
		}
		checkLayout(t, w, opt)
	})
}

// TestRandomWaybills runs the fuzz property on a few hundred random waybills in every ordinary
// test run (render/raster and render/pdf draw random waybills too).
func TestRandomWaybills(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 300; i++ {
		w := rendertest.FuzzWaybill(rendertest.RandomText(r), rendertest.RandomText(r), rendertest.RandomText(r), rendertest.RandomText(r), uint16(r.IntN(65536)), uint8(r.IntN(256)))
		if r.IntN(3) == 0 {
			w.OrderID = "2" + strings.Repeat("0", r.IntN(20))
		}
		opt := Options{Size: Sizes[r.IntN(len(Sizes))], Privacy: r.IntN(2) == 0, OffsetX: r.Float64()*4 - 2, OffsetY: r.Float64()*4 - 2}
		checkLayout(t, w, opt)
	}
}
