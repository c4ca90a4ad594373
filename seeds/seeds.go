// Package seeds embeds the source document of supportbot: an excerpt of
// Japan's cybersecurity awareness action plan, kept byte for byte. Every
// initiative in the knowledge base cites lines of this file.
package seeds

import "embed"

// FS holds the seed files. go:embed cannot reach outside its package
// directory, so the seed lives beside this file.
//
//go:embed *.txt
var FS embed.FS

// File is the name of the seed the shipped knowledge base cites.
const File = "000_686e6c36ef81ccbc.txt"
