package jdorder

import (
	"context"
	"fmt"
	"slices"
	"time"

	"station/jos"
)

// TrackEvent is one event of a parcel's way (jingdong.pop.order.track).
type TrackEvent struct {
	At   time.Time
	Text string // made safe
}

type trackReply struct {
	Tracks []struct {
		Time    jos.Str `json:"time"`
		Content jos.Str `json:"content"`
	} `json:"order_tracks"`
}

// Track reads the logistics track of a shipped order, oldest event first; none before the
// parcel has left.
func (s *Service) Track(ctx context.Context, orderID string) ([]TrackEvent, error) {
	id, err := clean(orderID)
	if err != nil {
		return nil, err
	}
	var r trackReply
	if err := s.c.Read(ctx, MethodTrack, orderIDParam{id}, &r); err != nil {
		return nil, wrap(id, MethodTrack, err)
	}
	out := make([]TrackEvent, 0, len(r.Tracks))
	for i, t := range r.Tracks {
		at := parseTime(string(t.Time))
		if at.IsZero() {
			return nil, fmt.Errorf("order %s: %s: %w", id, MethodTrack, &jos.Error{Method: MethodTrack, Kind: jos.KindMalformed,
				Err: fmt.Errorf("order_tracks[%d].time %q is not a time", i, text(t.Time))})
		}
		out = append(out, TrackEvent{At: at, Text: text(t.Content)})
	}
	slices.SortStableFunc(out, func(a, b TrackEvent) int { return a.At.Compare(b.At) })
	return out, nil
}
