// Package knowledge embeds the curated, human-editable dataset that supportbot
// answers from: one YAML file per initiative under initiatives/, the shared
// taxonomy (organisations, audiences, kinds, regions, categories), the
// vocabulary the matcher expands questions with, and general contact points.
//
// Operators can load a corrected copy of this directory at run time
// (KNOWLEDGE_DIR) instead of rebuilding; internal/catalog validates either.
package knowledge

import "embed"

// FS is the shipped dataset.
//
//go:embed *.yaml initiatives/*.yaml
var FS embed.FS
