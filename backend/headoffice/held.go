package headoffice

import (
	"sync/atomic"

	"vitaran/backend/headoffice/wire"
)

// The receiver's own memory accounting. Every buffer an upload holds for
// its body (the first 1 MiB while it streams through the signature check,
// the whole body read back once signed) and for its unzipped rows is
// charged when it is made and released when the request ends; the
// semaphores are counted as they are taken. A test asserts on these
// figures rather than on RSS, which the runtime and the OS blur.
//
// Always true: Held.Bytes ≤ ReceiverOptions.MemoryBound(), because at most
// MaxInFlight uploads hold a head buffer and at most MaxDecoding of them
// read their body back and unzip it. Not counted: the rows decoded from
// the unzipped buffers (at most 50,000 per batch), gzip's and HTTP's own
// small buffers, and the garbage collector's slack on top of all of it.

// Held is what the receiver holds for uploads, now and at its most since
// it started.
type Held struct {
	Uploads      int64 `json:"uploads"` // being received (≤ MaxInFlight)
	PeakUploads  int64 `json:"peak_uploads"`
	Decoding     int64 `json:"decoding"` // signed batches read back, unzipped and stored (≤ MaxDecoding)
	PeakDecoding int64 `json:"peak_decoding"`
	Bytes        int64 `json:"bytes"` // body and unzip buffers held
	PeakBytes    int64 `json:"peak_bytes"`
}

// Held reports the receiver's accounting.
func (r *Receiver) Held() Held {
	return Held{
		Uploads: r.uploads.now.Load(), PeakUploads: r.uploads.peak.Load(),
		Decoding: r.decodes.now.Load(), PeakDecoding: r.decodes.peak.Load(),
		Bytes: r.bytes.now.Load(), PeakBytes: r.bytes.peak.Load(),
	}
}

// MemoryBound is the most Held.Bytes can reach with these options (zero
// values taking their defaults): MaxInFlight head buffers of 1 MiB, and
// for each of MaxDecoding batches its body, its unzipped bytes, the line
// ends copied from one unzip buffer into the next (at most 64 KiB of each
// 1 MiB buffer: 1/16) and, for each part, one buffer not yet filled
// (at most 4 MiB). With the defaults: 16 MiB + 2 × (64 + 68 + 24) MiB.
func (o ReceiverOptions) MemoryBound() int64 {
	o = o.withDefaults()
	unzip := o.MaxUnzipped + o.MaxUnzipped/15 + int64(len(wire.PartNames))*wire.MaxInitialBuffer
	return int64(o.MaxInFlight)*inMemoryBody + int64(o.MaxDecoding)*(o.MaxBody+unzip)
}

// gauge is a count and the most it has been.
type gauge struct{ now, peak atomic.Int64 }

func (g *gauge) add(n int64) {
	v := g.now.Add(n)
	for {
		p := g.peak.Load()
		if v <= p || g.peak.CompareAndSwap(p, v) {
			return
		}
	}
}
