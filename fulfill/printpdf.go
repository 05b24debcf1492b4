package fulfill

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"station/jos"
	"station/printdata"
	"station/render"
)

// WaybillSource is what a batch print needs from printdata: *printdata.Fetcher.
type WaybillSource interface {
	Search(ctx context.Context, q printdata.Query) ([]printdata.Order, error)
	Waybill(ctx context.Context, o printdata.Order) (*printdata.Waybill, error)
}

// PendingOrders lists the orders waiting to be shipped (WAIT_SELLER_STOCK_OUT). The results carry
// their type and state, so printing them needs no further 360buy.order.get.
func PendingOrders(ctx context.Context, src WaybillSource) ([]printdata.Order, error) {
	return src.Search(ctx, printdata.Query{States: []string{printdata.StateWaitStockOut}})
}

// OrdersByID turns order ids (as typed or scanned) into orders to print, in the given order,
// refusing ids that are not JD order ids and ids given twice (two labels for one parcel). Their
// type and state are looked up when their print data is fetched.
func OrdersByID(ids []string) ([]printdata.Order, error) {
	var out []printdata.Order
	seen := map[string]bool{}
	for _, raw := range ids {
		if strings.TrimSpace(raw) == "" {
			continue
		}
		id, err := printdata.CleanOrderID(raw)
		if err != nil {
			return nil, err
		}
		if seen[id] {
			return nil, fmt.Errorf("order %s is listed twice: a parcel needs one label", id)
		}
		seen[id] = true
		out = append(out, printdata.Order{ID: id})
	}
	if len(out) == 0 {
		return nil, errors.New("no order ids given")
	}
	return out, nil
}

// PDFBatchOptions configure WriteLabelsPDF.
type PDFBatchOptions struct {
	Label       render.Options // size, offsets, privacy (Package and Packages are ignored)
	Concurrency int            // print data fetched in parallel; 0 → 4
	// Progress, when set, is called after each order is written or skipped, from the calling
	// goroutine: done of total orders handled.
	Progress func(done, total int)
}

// PDFBatchResult says what a batch wrote.
type PDFBatchResult struct {
	Printed []string       // order ids with a page, in page order
	Failed  []*OrderFailed // orders without a page, in list order
}

// OrderFailed is an order whose label could not be made; the rest of the batch still prints.
type OrderFailed struct {
	OrderID string
	Err     error
}

func (e *OrderFailed) Error() string { return "order " + e.OrderID + ": " + e.Err.Error() }
func (e *OrderFailed) Unwrap() error { return e.Err }

// ErrNothingPrinted is returned when not one order of a batch could be printed.
var ErrNothingPrinted = errors.New("no label could be made")

// WriteLabelsPDF fetches the orders' print data with several workers, lays each label out and
// writes the labels into one PDF on w, one page per order, strictly in the order given.
//
// Memory stays bounded whatever the batch: at most a few waybills per worker are in flight, and
// the PDF is streamed (render.PDFWriter). It runs on the same ordered pipeline as Station.Batch
// (ordered), without the journal: `station print` makes labels, it does not record shipments.
//
// An order that cannot be printed (locked or cancelled since it was listed, a JOS error that
// outlasted the retries, broken print data) is skipped and reported in the result, and the rest
// prints: at a packing station one bad order must not hold up three hundred good labels, and a
// skipped pending order is still pending next time. A failure that would hit every order (token,
// signature, clock, permission, quota) stops the batch at once with that error. When no order
// at all could be printed, nothing is written to w and the error wraps ErrNothingPrinted.
func WriteLabelsPDF(ctx context.Context, src WaybillSource, orders []printdata.Order, w io.Writer, opt PDFBatchOptions) (PDFBatchResult, error) {
	var res PDFBatchResult
	if len(orders) == 0 {
		return res, fmt.Errorf("%w: no orders to print", ErrNothingPrinted)
	}
	size := opt.Label.Size
	if size == (render.Size{}) {
		size = render.DefaultSize
	}
	label := opt.Label
	label.Size, label.Package, label.Packages = size, 0, 0
	workers := opt.Concurrency
	if workers <= 0 {
		workers = 4
	}
	workers = min(workers, len(orders))

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	type result struct {
		label *render.Label
		err   error
	}
	// The PDF starts only when the first label is ready, so a batch that fails entirely writes
	// nothing. At most two orders per worker are fetched ahead of the writer.
	var (
		pdf     *render.PDFWriter
		stopped error
	)
	ordered(ctx, len(orders), workers, 2*workers,
		func(i int) result {
			wb, err := src.Waybill(ctx, orders[i])
			if err != nil {
				return result{err: err}
			}
			l, err := render.Layout(wb, label)
			return result{label: l, err: err}
		},
		func(i int, r result, started bool) {
			if stopped != nil {
				return
			}
			o := orders[i]
			if !started {
				r.err = ctx.Err()
			}
			if r.err != nil {
				if stopsBatch(r.err) || ctx.Err() != nil {
					cancel()
					stopped = fmt.Errorf("printing stopped at order %s (%d of %d): %w", o.ID, i+1, len(orders), r.err)
					return
				}
				res.Failed = append(res.Failed, &OrderFailed{OrderID: o.ID, Err: r.err})
			} else {
				if pdf == nil {
					pdf = render.NewPDFWriter(w, size)
				}
				if err := pdf.Add(r.label); err != nil {
					cancel()
					stopped = fmt.Errorf("order %s: %w", o.ID, err)
					return
				}
				res.Printed = append(res.Printed, o.ID)
			}
			if opt.Progress != nil {
				opt.Progress(i+1, len(orders))
			}
		})
	if stopped != nil {
		return res, stopped
	}
	if err := ctx.Err(); err != nil {
		return res, err
	}
	if pdf == nil {
		return res, fmt.Errorf("%w: all %d orders failed; the first: %w", ErrNothingPrinted, len(res.Failed), res.Failed[0])
	}
	if err := pdf.Close(); err != nil {
		return res, err
	}
	return res, nil
}

// stopsBatch reports errors that every further order would meet too.
func stopsBatch(err error) bool {
	switch jos.KindOf(err) {
	case jos.KindAuth, jos.KindCredentials, jos.KindClock, jos.KindPermission, jos.KindQuota:
		return true
	}
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
