package jostest

import (
	"encoding/base64"
	"fmt"
	"station/jos/jostest/sample"
	"station/jos/jostest/shop"
	"sync"
)

// imageCache holds base64 images, made on first use: generating 1000 JPEGs up front would make
// the simulator slow to start, and most orders are never printed.
type imageCache struct {
	mu sync.Mutex
	m  map[string]string
}

func (c *imageCache) get(key string, gen func() ([]byte, error)) (string, error) {
	c.mu.Lock()
	v, ok := c.m[key]
	c.mu.Unlock()
	if ok {
		return v, nil
	}
	b, err := gen() // outside the lock: two racing callers produce the same bytes
	if err != nil {
		return "", err
	}
	v = base64.StdEncoding.EncodeToString(b)
	c.mu.Lock()
	if c.m == nil {
		c.m = map[string]string{}
	}
	c.m[key] = v
	c.mu.Unlock()
	return v, nil
}

// Pinyin initials stand for the Chinese words, since the built-in font has no CJK glyphs:
// 地铁 (subway), 好邻居 (Good Neighbour), 社区 (community); 贵重, 高价值, 贵+高, 新用户.
var pickupLabels = map[int]string{1: "DT", 3: "HL", 4: "SQ"}
var levelLabels = map[int]string{2: "GZ", 3: "GJ", 4: "G+", 5: "XY"}

func (s *Server) generade(o *order) (string, error) {
	if (o.Type == shop.TypeSOP || o.Type == shop.TypeOverseas) && !o.Barcode {
		return "", nil
	}
	return s.images.get("g:"+o.ID, func() ([]byte, error) { return sample.BarcodeJPEG(o.ID) })
}

func (s *Server) pickupSign(o *order) (string, error) {
	label, ok := pickupLabels[o.Pickup]
	if !ok {
		return "", nil
	}
	return s.images.get(fmt.Sprintf("p:%d", o.Pickup), func() ([]byte, error) { return sample.BadgeGIF(label, 1, false) })
}

func (s *Server) levelSign(o *order) (string, error) {
	label, ok := levelLabels[o.Level]
	if !ok {
		return "", nil
	}
	return s.images.get(fmt.Sprintf("l:%d", o.Level), func() ([]byte, error) { return sample.BadgeGIF(label, 2, true) })
}
