package printdata

import (
	"encoding/base64"
	"errors"
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzDecodeResponse: any bytes as a print-data, order.get or order.search body decode to a
// result or an error, never a panic; what decodes satisfies the model's invariants.
func FuzzDecodeResponse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		f.Add(b[:len(b)/2]) // cut short
	}
	for _, s := range []string{
		`{"order_printdata":{"id":1001,"Consignee":{},"consignee":{"cons_name":"x"},"order_item":[{"ware":"1","num":"2"}]}}`,
		`{"order_printdata":{"id":"1001","items_count":"","orderLevel_Type":"3","pickUpSign_type":4}}`,
		`{"order_printdata":{"id":"1001","should_pay":"1,299.00","generade":"data:image/png;base64,iVBORw0KGgo="}}`,
		`{"order_search":{"order_total":"2","order_info_list":[{"order_id":1},{"order_id":"2","order_type":23}]}}`,
		`{"order":{"orderInfo":{"order_id":"1","order_state":"LOCKED","order_type":"22"}}}`,
		`{"code":"12","zh_desc":"签名错误"}`, `null`, `[]`, `"x"`, `{`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if r, err := decodePrintDataReply(b); err == nil && r.Data != nil {
			w, err := normalize("1001", LBP, r.Data, "", DefaultImageLimits)
			var ie *ImageError
			switch {
			case err == nil:
				if w.ItemsCount < 0 || len(w.Items) != len(r.Data.Items) {
					t.Fatalf("bad waybill %+v", w)
				}
				for _, it := range w.Items {
					if it.Quantity < 0 {
						t.Fatalf("negative quantity %+v", it)
					}
				}
				checkImage(t, w.JDBarcode, DefaultImageLimits)
				checkImage(t, w.PickupSign, DefaultImageLimits)
				checkImage(t, w.LevelSign, DefaultImageLimits)
			case errors.As(err, &ie):
				if ie.OrderID != "1001" || ie.Field == "" {
					t.Fatalf("image error without order or field: %v", err)
				}
			}
		}
		if r, err := decodeOrderGetReply(b); err == nil && r.Order != nil {
			orderFromWire(*r.Order)
		}
		if r, err := decodeSearchReply(b); err == nil {
			for _, w := range r.Orders {
				orderFromWire(w)
			}
		}
	})
}

func checkImage(t *testing.T, img image.Image, lim ImageLimits) {
	if img == nil {
		return
	}
	r := img.Bounds()
	if r.Dx() <= 0 || r.Dy() <= 0 || r.Dx() > lim.MaxSide || r.Dy() > lim.MaxSide || r.Dx()*r.Dy() > lim.MaxPixels {
		t.Fatalf("image of %v passed the limits", r)
	}
}

// FuzzDecodeImage: any bytes, as an image file or as base64 text, give an image within the
// limits or an error, never a panic and never a pixel buffer beyond the limits.
func FuzzDecodeImage(f *testing.F) {
	f.Add(pngBytes(f, 30, 20))
	f.Add(gifBytes(f, 40, 40))
	f.Add(jpegBytes(f, 64, 32))
	f.Add(pngHeader(100000, 100000))
	f.Add(pngHeader(300, 300))
	f.Add(gifHeader(60000, 60000))
	f.Add(gifHeader(16, 16))
	for _, s := range []string{seedLBPPickUpSign, seedLBPGenerade, seedSOPLPickUpSign, seedSOPLGenerade, seedGenericGen} {
		f.Add([]byte(s))
		if b, err := base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "=")); err == nil {
			f.Add(b)
		}
	}
	// Small limits keep each run fast; the checks are the same at any size.
	lim := ImageLimits{MaxEncoded: 64 << 10, MaxSide: 256, MaxPixels: 256 * 128}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, s := range []string{string(b), base64.StdEncoding.EncodeToString(b), "data:image/gif;base64," + string(b)} {
			img, err := decodeImage(s, lim)
			if err != nil {
				if img != nil {
					t.Fatal("an image came with an error")
				}
				continue
			}
			if img == nil {
				if strings.TrimSpace(s) != "" {
					t.Fatalf("no image and no error for %d bytes", len(s))
				}
				continue
			}
			checkImage(t, img, lim)
		}
	})
}
