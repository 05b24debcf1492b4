package jos

import "testing"

// One signed Read round trip against a local router, print-data-sized reply decoded into a
// typed struct. Run: go test -run '^$' -bench Read -benchmem ./jos/
func BenchmarkRead(b *testing.B) {
	f := newFakeJOS(b, replies(ok(sopPrintData)))
	c := newTestClient(b, f.URL)
	params := map[string]string{"order_id": "240000019"}
	b.ReportAllocs()
	for b.Loop() {
		var r printDataReply
		if err := c.Read(background, "360buy.order.sop.print.data.get", params, &r); err != nil {
			b.Fatal(err)
		}
	}
}
