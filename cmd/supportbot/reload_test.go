package main

import (
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/supportbot/supportbot/knowledge"
)

const adminToken = "test-admin-token-0123456789"

// The edit: a keyword that makes a question, which finds nothing
// in the shipped knowledge, find SecHack365.
const (
	quantumQuestion = "量子暗号について知りたい"
	sechackFile     = "initiatives/sechack365.yaml"
	sechackKeywords = "  ja: [ハッカソン, 若手,"
	withQuantum     = "  ja: [量子暗号, ハッカソン, 若手,"
)

// knowledgeDir writes a copy of the shipped knowledge to a new directory,
// as staff would start one, and returns its path.
func knowledgeDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, knowledge.FS); err != nil {
		t.Fatal(err)
	}
	// CopyFS keeps the embedded files' read-only mode; staff edit theirs.
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			os.Chmod(p, 0o644)
		}
		return err
	})
	return dir
}

// editFile replaces old by new in one file of dir, and moves its
// modification time on so that a watcher sees the change.
func editFile(t *testing.T, dir, name, old, new string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), old) {
		t.Fatalf("%s lacks %q", name, old)
	}
	if err := os.WriteFile(p, []byte(strings.Replace(string(b), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(time.Second)
	os.Chtimes(p, later, later)
}

// firstCard asks the web chat and returns the first programme offered, or
// "" when none is.
func (in *instance) firstCard(t *testing.T, q string) string {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"text": q})
	code, r := in.chat(t, string(body))
	if code != 200 {
		t.Fatalf("POST /api/chat %q = %d", q, code)
	}
	if len(r.Answer.Cards) == 0 {
		return ""
	}
	return r.Answer.Cards[0].ID
}

// admin sends an admin request with the token and decodes the JSON body.
func (in *instance) admin(t *testing.T, method, path string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, in.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+adminToken)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	b, _ := io.ReadAll(res.Body)
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("%s %s = %d %s: not JSON", method, path, res.StatusCode, b)
	}
	return res.StatusCode, out
}

func (in *instance) metrics(t *testing.T) string {
	t.Helper()
	res, err := http.Get(in.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return string(b)
}

// TestPublishOnChange: with KNOWLEDGE_POLL the server publishes an edit by
// itself; SIGHUP asks for a reload too.
func TestPublishOnChange(t *testing.T) {
	t.Run("watch", func(t *testing.T) {
		dir := knowledgeDir(t)
		in := startRun(t, []string{"serve"}, map[string]string{"KNOWLEDGE_DIR": dir, "KNOWLEDGE_POLL": "50ms", "ADMIN_TOKEN": adminToken})
		editFile(t, dir, sechackFile, sechackKeywords, withQuantum)
		in.waitKnowledge(t, "watch")
		if got := in.firstCard(t, quantumQuestion); got != "sechack365" {
			t.Errorf("%q finds %q after the watcher's reload; want sechack365", quantumQuestion, got)
		}
	})
	t.Run("SIGHUP", func(t *testing.T) {
		dir := knowledgeDir(t)
		in := startRun(t, []string{"serve"}, map[string]string{"KNOWLEDGE_DIR": dir, "KNOWLEDGE_POLL": "off", "ADMIN_TOKEN": adminToken})
		editFile(t, dir, sechackFile, sechackKeywords, withQuantum)
		// The server is up, so its handler is registered: the signal
		// cannot end the test process.
		if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
			t.Fatal(err)
		}
		in.waitKnowledge(t, "signal")
		if got := in.firstCard(t, quantumQuestion); got != "sechack365" {
			t.Errorf("%q finds %q after SIGHUP; want sechack365", quantumQuestion, got)
		}
	})
}

// waitKnowledge waits until /admin/knowledge shows a version published by
// trigger.
func (in *instance) waitKnowledge(t *testing.T, trigger string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		_, st := in.admin(t, "GET", "/admin/knowledge")
		if st["trigger"] == trigger {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no version published by %s within 20s: %v\n%s", trigger, st, in.stderr)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestAdminOffWithoutToken: with no ADMIN_TOKEN every /admin path is 404,
// and a reload through the API cannot happen.
func TestAdminOffWithoutToken(t *testing.T) {
	in := startRun(t, []string{"serve"}, nil)
	for _, p := range []string{"/admin", "/admin/", "/admin/knowledge", "/admin/login"} {
		res, err := http.Get(in.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 404 {
			t.Errorf("GET %s = %d; want 404", p, res.StatusCode)
		}
	}
	req, _ := http.NewRequest("POST", in.URL+"/admin/reload", nil)
	req.Header.Set("Authorization", "Bearer "+adminToken)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 404 {
		t.Errorf("POST /admin/reload = %d; want 404", res.StatusCode)
	}
}

// TestServeRefusesBrokenKnowledge: a directory the lint refuses does not
// start the server, with the problem named.
func TestServeRefusesBrokenKnowledge(t *testing.T) {
	dir := knowledgeDir(t)
	editFile(t, dir, sechackFile, "  ja: SecHack365\n", "")
	var stderr syncBuffer
	err := run(t.Context(), []string{"serve"}, fakeEnv(map[string]string{"KNOWLEDGE_DIR": dir, "PORT": "0"}), nil, io.Discard, &stderr)
	if err == nil || !strings.Contains(err.Error(), "lint: initiatives/sechack365.yaml:") {
		t.Errorf("run over a broken directory = %v; want the lint problem", err)
	}
}
