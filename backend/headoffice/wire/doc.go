// Package wire is protocol v1 between a distributor and head office,
// written down in docs/UPLOAD-PROTOCOL.md: the batch (a manifest and its
// gzip NDJSON parts), the rows of each part, signing with the distributor's
// key, and the decoder that refuses, with a reason, anything it cannot
// trust. Both sides import it; it imports neither.
//
// Always true: DecodeBatch returns a batch only when its manifest, sizes,
// gzip, JSON, hashes and row counts all check.
package wire
