// Package upload is the distributor's side of the wire to head office
// (package wire is the protocol, package headoffice the receiver): the upload
// outbox filled by postings, the batches built from it, the nightly
// schedule and the signed HTTP client that sends them.
//
// Always true:
//   - a row recorded by a posting sits in the upload outbox until a batch
//     holding it is built, and moves into that batch in one transaction: no
//     row is in two batches, none is in none;
//   - a built batch never changes: a retry sends the same bytes, and a batch
//     is marked sent only when the receiver's acknowledgement repeats the
//     manifest's row count for every part;
//   - batches are sent oldest first; a newer batch never overtakes one that
//     is still waiting.
package upload
