// Package follow follows Azure's log blobs as Azure writes them, reading
// only what each blob gained since it was last read, and hands the events
// of every new part to the caller (`events`, `flows` and `explain
// --follow`).
//
// Two kinds of blob grow (docs/connectors.md, Follow):
//
//   - Flow logs are block blobs holding one JSON document
//     {"records":[...]}: a 12-byte first block `{"records":[`, one block per
//     record (every record after the first starts with ","), and a 2-byte
//     closing block `]}`. Each write inserts new record blocks before the
//     closing block and commits the list again. The follower reads the
//     committed block list, downloads the bytes of the blocks it has not
//     read (a ranged read guarded by the list's ETag, so a commit landing in
//     between is noticed and read on the next try), wraps them in "[...]"
//     and parses them as records numbered after those already read: each
//     block is one whole record, so any run of new blocks parses into
//     complete records.
//   - Diagnostic settings write append blobs of JSON Lines: the follower
//     reads from its last offset to the listed length and parses up to the
//     last newline, keeping an unfinished line for the next read.
//
// New blobs (a new hour, a new NIC or resource folder) are found by listing
// the hour folders followed and the hour after each at every poll, and by
// walking the whole source now and then. A blob of an hour that has been
// succeeded by a newer one is read until it stays unchanged for
// Options.Settle, then retired.
//
// With a checkpoint file the follower resumes where it stopped: per blob
// the ETag, blocks, bytes and records read, written atomically (temporary
// file, fsync, rename, fsync of the folder) after the events it covers were
// handed to the caller and the caller returned. When the events go to a
// regular file, the checkpoint also records the file's length, and a
// restart cuts the file back to it: events written after the last
// checkpoint are written again once, so after a kill -9 at any point the
// file holds every event exactly once. A checkpoint holds blob names and
// source URLs without their query strings: never a SAS or a key.
//
// Blob Storage is reached only through internal/blob; no SDK type is used
// here.
package follow
