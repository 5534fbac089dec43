// Package headoffice carries a distributor's sales to the brand's head office
// and receives them there: the upload outbox, the nightly schedule and the
// signed HTTP client on the distributor's PC, and the receiver, its store and
// the dashboard's JSON at the head office. The wire format is protocol v1,
// written down in docs/UPLOAD-PROTOCOL.md.
//
// Always true:
//   - a row recorded by a posting sits in the upload outbox until a batch
//     holding it is built, and moves into that batch in one transaction: no
//     row is in two batches, none is in none;
//   - a built batch never changes: a retry sends the same bytes, and a batch
//     is marked sent only when the receiver's acknowledgement repeats the
//     manifest's row count for every part;
//   - batches are sent oldest first; a newer batch never overtakes one that
//     is still waiting;
//   - the receiver stores a batch whole or not at all, and only after its
//     signature, timestamp, sizes, gzip, JSON, hashes and counts all check;
//   - a batch id is stored once: the same batch again gets the same
//     acknowledgement and changes nothing, and a row already held (same
//     natural key) is never counted twice in the rollups;
//   - after every commit a month cell equals the sum of its day cells, and
//     a region's the sum of its distributors' (month.go), whatever was
//     resent, replaced or cancelled.
package headoffice
