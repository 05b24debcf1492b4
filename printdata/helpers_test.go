package printdata

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// fakeCaller is a Caller that serves canned bodies (what jos.Client.Read hands over: the
// object under the envelope's key) and records every call.
type fakeCaller struct {
	serve func(method string, params map[string]string) (body string, err error)

	mu    sync.Mutex
	calls []fakeCall
}

type fakeCall struct {
	method string
	params map[string]string
}

func (f *fakeCaller) Read(ctx context.Context, method string, params any, out any) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	b, err := json.Marshal(params)
	if err != nil {
		return err
	}
	var p map[string]string // JOS business parameters are all strings
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	f.mu.Lock()
	f.calls = append(f.calls, fakeCall{method, p})
	f.mu.Unlock()
	body, err := f.serve(method, p)
	if err != nil {
		return err
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal([]byte(body), out)
}

func (f *fakeCaller) methods() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var m []string
	for _, c := range f.calls {
		m = append(m, c.method)
	}
	return m
}

// bodies serves one canned body per method.
func bodies(m map[string]string) *fakeCaller {
	return &fakeCaller{serve: func(method string, _ map[string]string) (string, error) {
		b, ok := m[method]
		if !ok {
			return "", &testUnknownMethod{method}
		}
		return b, nil
	}}
}

type testUnknownMethod struct{ method string }

func (e *testUnknownMethod) Error() string { return "fake caller: no body for " + e.method }

func readTestdata(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// pattern draws a small two-colour pattern so that encoders have something to encode.
func pattern(w, h int) *image.Paletted {
	img := image.NewPaletted(image.Rect(0, 0, w, h), color.Palette{color.White, color.Black})
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			if (x/3+y/5)%2 == 0 {
				img.SetColorIndex(x, y, 1)
			}
		}
	}
	return img
}

func pngBytes(t testing.TB, w, h int) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, pattern(w, h)); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func gifBytes(t testing.TB, w, h int) []byte {
	var b bytes.Buffer
	if err := gif.Encode(&b, pattern(w, h), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func jpegBytes(t testing.TB, w, h int) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, pattern(w, h), &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// pngHeader is a PNG signature and a valid IHDR claiming w×h pixels, and nothing else: what a
// decompression bomb starts with.
func pngHeader(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 17)
	copy(ihdr, "IHDR")
	binary.BigEndian.PutUint32(ihdr[4:], w)
	binary.BigEndian.PutUint32(ihdr[8:], h)
	ihdr[12], ihdr[13] = 8, 0 // 8-bit greyscale
	binary.Write(&b, binary.BigEndian, uint32(13))
	b.Write(ihdr)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(ihdr))
	return b.Bytes()
}

// gifHeader is a GIF whose logical screen claims w×h pixels followed by a tiny frame of that size.
func gifHeader(w, h uint16) []byte {
	var b bytes.Buffer
	b.WriteString("GIF89a")
	binary.Write(&b, binary.LittleEndian, w)
	binary.Write(&b, binary.LittleEndian, h)
	b.Write([]byte{0x80, 0, 0}) // global colour table of 2 entries
	b.Write([]byte{0, 0, 0, 255, 255, 255})
	b.WriteByte(0x2c) // image descriptor
	binary.Write(&b, binary.LittleEndian, [4]uint16{0, 0, w, h})
	b.WriteByte(0)
	b.Write([]byte{2, 2, 0x4c, 0x01, 0, 0x3b})
	return b.Bytes()
}
