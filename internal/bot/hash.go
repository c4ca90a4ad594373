package bot

import (
	"crypto/sha256"
	"encoding/hex"
)

// HashID returns a short, stable, non-reversible form of a platform id for
// logs and metrics: raw user ids never appear in a log line.
func HashID(id string) string {
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:6])
}
