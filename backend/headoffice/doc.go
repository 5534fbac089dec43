// Package headoffice is the brand's head office: the receiver, its stores
// (the embedded book here, PostgreSQL in pgstore) and the dashboard's JSON.
// The wire between it and the distributors, protocol v1, is package wire;
// the distributor's side (the outbox, the nightly schedule and the signed
// client) is package upload, which alone reads the distributor's book: this
// package never imports it, nor any book-side package — the scheme rules it
// checks claims and reads circulars by are package schemes/rules, the ones
// the distributor's book uses (split_test.go lists the server's packages).
//
// Always true:
//   - the receiver stores a batch whole or not at all, and only after its
//     signature, timestamp, sizes, gzip, JSON, hashes and counts all check;
//   - a batch id is stored once: the same batch again gets the same
//     acknowledgement and changes nothing, and a row already held (same
//     natural key) is never counted twice in the rollups;
//   - after every commit a month cell equals the sum of its day cells, a
//     region's the sum of its distributors' and a national one the sum of
//     the regions' (month.go), whatever was resent, replaced or cancelled.
package headoffice
