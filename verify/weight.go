package verify

import "fmt"

// Tolerance is how far a parcel's weight may be from the sum of its items' unit weights: the
// larger of Grams and Percent of that sum (the box and the filler are inside it).
type Tolerance struct {
	Grams   int
	Percent int
}

// DefaultTolerance suits a packing table's cartons: ±100 g, or ±10 % of heavier parcels.
var DefaultTolerance = Tolerance{Grams: 100, Percent: 10}

// Filled is the tolerance with each part left at zero (not set) taken from DefaultTolerance.
func (t Tolerance) Filled() Tolerance {
	if t.Grams <= 0 {
		t.Grams = DefaultTolerance.Grams
	}
	if t.Percent <= 0 {
		t.Percent = DefaultTolerance.Percent
	}
	return t
}

// Of is the allowed difference for a parcel expected to weigh expectedG.
func (t Tolerance) Of(expectedG int) int {
	return max(t.Grams, expectedG*t.Percent/100)
}

func (t Tolerance) String() string { return fmt.Sprintf("%dg/%d%%", t.Grams, t.Percent) }

// Weight is a parcel's weight checked against what its items should weigh.
type Weight struct {
	GotG, ExpectedG, ToleranceG int
	Check                       WeightCheck
}

// WeightCheck is how a parcel's weight compares with its items'.
type WeightCheck int

const (
	WeightOK     WeightCheck = iota + 1
	Overweight               // heavier than expected + tolerance: an extra item, the wrong item
	Underweight              // lighter than expected - tolerance: an item missing
	WeightUnsure             // some line has no unit weight: nothing to compare with
)

var weightCheckNames = map[WeightCheck]string{WeightOK: "ok", Overweight: "over", Underweight: "under", WeightUnsure: "unsure"}

func (c WeightCheck) String() string {
	if n, ok := weightCheckNames[c]; ok {
		return n
	}
	return fmt.Sprintf("weight-check(%d)", int(c))
}

// CheckWeight compares a parcel's weight with the pack's expected weight.
func (p *Pack) CheckWeight(gotG int, tol Tolerance) Weight {
	exp, known := p.ExpectedG()
	w := Weight{GotG: gotG, ExpectedG: exp, ToleranceG: tol.Of(exp)}
	switch {
	case !known:
		w.Check = WeightUnsure
	case gotG > exp+w.ToleranceG:
		w.Check = Overweight
	case gotG < exp-w.ToleranceG:
		w.Check = Underweight
	default:
		w.Check = WeightOK
	}
	return w
}
