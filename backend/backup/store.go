package backup

import "vitaran/backend/book"

// The backup settings are one JSON value under "backup" in the book's
// settings bucket. Only this file opens it.
const (
	bucketSettings = "settings"
	keySettings    = "backup" // → Settings (JSON)
)

// LoadSettings reads the backup settings (defaults filled in).
func LoadSettings(tx *book.Tx) (Settings, error) {
	var s Settings
	if _, err := tx.Bucket(bucketSettings).GetJSON(keySettings, &s); err != nil {
		return s, err
	}
	if s.Schedule == "" {
		s.Schedule = DefaultSchedule
	}
	return s, nil
}

func putSettings(tx *book.Tx, s *Settings) error {
	return tx.Bucket(bucketSettings).PutJSON(keySettings, s)
}
