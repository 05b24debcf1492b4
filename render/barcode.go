package render

import (
	"fmt"

	"github.com/boombuler/barcode/code128"
)

// Code 128 needs a quiet zone of at least ten modules on each side.
const QuietModules = 10

// dotMM is the dot pitch of a 203-dpi thermal head (8 dots/mm). Vector barcodes use a whole
// number of these per module, and start on this grid, so that they print crisply.
const dotMM = 0.125

// code128Modules encodes data (printable ASCII only) as Code 128 and returns its modules.
func code128Modules(data string) ([]bool, error) {
	for _, r := range data {
		if r < 0x20 || r > 0x7E {
			return nil, fmt.Errorf("code 128: %q is not printable ASCII", r)
		}
	}
	if data == "" {
		return nil, fmt.Errorf("code 128: nothing to encode")
	}
	bc, err := code128.Encode(data)
	if err != nil {
		return nil, fmt.Errorf("code 128: %w", err)
	}
	b := bc.Bounds()
	mods := make([]bool, b.Dx())
	for x := range mods {
		r, _, _, _ := bc.At(b.Min.X+x, b.Min.Y).RGBA()
		mods[x] = r < 0x8000
	}
	return mods, nil
}

// EachBar calls fn with the module range [start, end) of each bar: each run of dark modules, so
// that a bar is drawn as one rectangle.
func EachBar(mods []bool, fn func(start, end int)) {
	for i := 0; i < len(mods); {
		if !mods[i] {
			i++
			continue
		}
		j := i
		for j < len(mods) && mods[j] {
			j++
		}
		fn(i, j)
		i = j
	}
}
