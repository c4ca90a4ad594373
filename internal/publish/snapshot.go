package publish

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
)

// Snapshot is a knowledge directory read into memory at one moment. The
// checks, the catalog and the version id all read these same bytes, so
// what was checked is what goes live even if the directory changes
// meanwhile. It implements fs.FS (with ReadFile and ReadDir).
type Snapshot struct {
	files   map[string][]byte
	dirs    map[string][]fs.DirEntry
	version string
	size    int64
}

// Version is the snapshot's content hash: the first 16 hex digits of the
// SHA-256 of every path and content, in path order.
func (s *Snapshot) Version() string { return s.version }

// Size is the bytes of all files together.
func (s *Snapshot) Size() int64 { return s.size }

// Len is the number of files.
func (s *Snapshot) Len() int { return len(s.files) }

// flatSep stands for "/" in a file name at the top of the directory: a
// Kubernetes ConfigMap's keys cannot hold a slash, so the file
// initiatives/sechack365.yaml travels as the key initiatives__sechack365.yaml
// (supportbot knowledge configmap writes them so).
const flatSep = "__"

// readSnapshot reads every regular file of fsys that is not hidden (a name
// starting with "."; a ConfigMap's ..data links are) within lim, following
// symbolic links to files. A name with flatSep at the top becomes a path.
func readSnapshot(fsys fs.FS, lim Limits) (*Snapshot, error) {
	files := map[string][]byte{}
	var total int64
	entries := 0
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if name != "." && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if entries++; entries > lim.MaxFiles {
			return limitErrorf("the directory holds more than %d files and directories", lim.MaxFiles)
		}
		if d.IsDir() {
			return nil
		}
		info, err := fs.Stat(fsys, name) // follows a link
		if err != nil {
			return err
		}
		if !info.Mode().IsRegular() {
			return nil // a link to a directory, a device: not knowledge
		}
		if info.Size() > lim.MaxFileBytes {
			return limitErrorf("%s is %s; one file may hold at most %s", name, bytesize(info.Size()), bytesize(lim.MaxFileBytes))
		}
		if total+info.Size() > lim.MaxBytes {
			return limitErrorf("the directory holds more than %s; at most %s", bytesize(total+info.Size()), bytesize(lim.MaxBytes))
		}
		data, err := readBounded(fsys, name, lim.MaxFileBytes)
		if err != nil {
			return err
		}
		total += int64(len(data))
		if total > lim.MaxBytes {
			return limitErrorf("the directory holds more than %s; at most %s", bytesize(total), bytesize(lim.MaxBytes))
		}
		key := name
		if !strings.Contains(name, "/") && strings.Contains(name, flatSep) {
			key = strings.ReplaceAll(name, flatSep, "/")
			if !fs.ValidPath(key) {
				return fmt.Errorf("%s: %q is not a path", name, key)
			}
		}
		if _, dup := files[key]; dup {
			return fmt.Errorf("%s is there twice (as %s and as %s)", key, key, strings.ReplaceAll(key, "/", flatSep))
		}
		files[key] = data
		return nil
	})
	if err != nil {
		return nil, err
	}
	return newSnapshot(files), nil
}

// readBounded reads a file, refusing one that grew past max since it was
// measured.
func readBounded(fsys fs.FS, name string, max int64) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if int64(len(data)) > max {
		return nil, limitErrorf("%s is over %s; one file may hold at most %s", name, bytesize(max), bytesize(max))
	}
	return data, nil
}

// newSnapshot indexes files (path → content) as a file system.
func newSnapshot(files map[string][]byte) *Snapshot {
	s := &Snapshot{files: files, dirs: map[string][]fs.DirEntry{".": nil}}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	h := sha256.New()
	var n [8]byte
	seen := map[string]bool{}
	for _, name := range names {
		data := files[name]
		s.size += int64(len(data))
		h.Write([]byte(name))
		binary.BigEndian.PutUint64(n[:], uint64(len(data)))
		h.Write(n[:])
		h.Write(data)
		child := entry{name: path.Base(name), size: int64(len(data))}
		for dir := path.Dir(name); ; dir = path.Dir(dir) {
			if !seen[dir+"/"+child.name] {
				seen[dir+"/"+child.name] = true
				s.dirs[dir] = append(s.dirs[dir], child)
			}
			if dir == "." {
				break
			}
			child = entry{name: path.Base(dir), dir: true}
		}
	}
	for _, ents := range s.dirs {
		slices.SortFunc(ents, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	}
	s.version = hex.EncodeToString(h.Sum(nil))[:16]
	return s
}

// signature sums up the directory's names, sizes and modification times
// without reading it: Watch compares signatures to notice a change
// cheaply. It stops counting past lim.MaxFiles (the read refuses such a
// directory anyway).
func signature(fsys fs.FS, lim Limits) (string, error) {
	h := sha256.New()
	entries := 0
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if name != "." && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if entries++; entries > lim.MaxFiles {
			return fs.SkipAll
		}
		if d.IsDir() {
			fmt.Fprintf(h, "%s/\x00", name)
			return nil
		}
		info, err := fs.Stat(fsys, name)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00%d\x00%v\x00", name, info.Size(), info.ModTime().UnixNano(), info.Mode())
		return nil
	})
	if err != nil {
		return "", err
	}
	fmt.Fprintf(h, "%d", entries)
	return hex.EncodeToString(h.Sum(nil)), nil
}

// bytesize writes n for people: 10 MB, 1.5 KB, 300 bytes.
func bytesize(n int64) string {
	switch {
	case n >= 1<<20:
		return trimZero(fmt.Sprintf("%.1f", float64(n)/(1<<20))) + " MB"
	case n >= 1<<10:
		return trimZero(fmt.Sprintf("%.1f", float64(n)/(1<<10))) + " KB"
	}
	return fmt.Sprintf("%d bytes", n)
}

func trimZero(s string) string { return strings.TrimSuffix(s, ".0") }

// ReadDir reads a knowledge directory into a snapshot within lim (zero
// fields take DefaultLimits), as a reload would: hidden names skipped,
// links followed within the directory, flatSep names turned into paths.
func ReadDir(dir string, lim Limits) (*Snapshot, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	defer root.Close()
	snap, err := readSnapshot(root.FS(), lim.orDefault())
	if err != nil {
		return nil, fmt.Errorf("publish: %s: %w", dir, err)
	}
	return snap, nil
}

// ReadFS reads a file system (the embedded knowledge) into a snapshot
// within lim.
func ReadFS(fsys fs.FS, lim Limits) (*Snapshot, error) {
	snap, err := readSnapshot(fsys, lim.orDefault())
	if err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	return snap, nil
}

// Paths lists the snapshot's files, sorted.
func (s *Snapshot) Paths() []string {
	names := make([]string, 0, len(s.files))
	for name := range s.files {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}
