package backup

// SkipFsync spares a test that writes hundreds of backups the disk flushes;
// what is written is the same.
func SkipFsync() func() { syncFiles = false; return func() { syncFiles = true } }
