package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/supportbot/supportbot/internal/publish"
)

// TestKnowledgeConfigMap: the ConfigMap printed for a directory, laid out
// as the kubelet mounts it (one file per key), reads back as the same
// version; a directory the lint refuses is not printed.
func TestKnowledgeConfigMap(t *testing.T) {
	dir := knowledgeDir(t)
	if err := os.MkdirAll(filepath.Join(dir, "eval"), 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "eval", "staff.jsonl"), []byte(`{"id":"s1","lang":"ja","q":"SecHack365に応募したい","gold":[49]}`+"\n"), 0o644)
	stdout, stderr, err := runCLI(t, "", "knowledge", "configmap", "--knowledge", dir)
	if err != nil {
		t.Fatalf("knowledge configmap = %v\n%s", err, stderr)
	}
	var cm struct {
		Kind     string `yaml:"kind"`
		Metadata struct {
			Name        string            `yaml:"name"`
			Annotations map[string]string `yaml:"annotations"`
		} `yaml:"metadata"`
		Data map[string]string `yaml:"data"`
	}
	if err := yaml.Unmarshal([]byte(stdout), &cm); err != nil {
		t.Fatalf("the ConfigMap is not YAML: %v", err)
	}
	if cm.Kind != "ConfigMap" || cm.Metadata.Name != knowledgeConfigMap || cm.Data["initiatives__sechack365.yaml"] == "" || cm.Data["eval__staff.jsonl"] == "" {
		t.Fatalf("ConfigMap %s %s with keys %d; want %s with flattened paths", cm.Kind, cm.Metadata.Name, len(cm.Data), knowledgeConfigMap)
	}
	mount := t.TempDir()
	for key, content := range cm.Data {
		os.WriteFile(filepath.Join(mount, key), []byte(content), 0o644)
	}
	want, err := publish.ReadDir(dir, publish.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := publish.ReadDir(mount, publish.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if got.Version() != want.Version() || cm.Metadata.Annotations["supportbot/knowledge-version"] != want.Version() {
		t.Errorf("the mounted ConfigMap reads as version %s (annotation %s); want %s, the directory's",
			got.Version(), cm.Metadata.Annotations["supportbot/knowledge-version"], want.Version())
	}

	editFile(t, dir, sechackFile, "  ja: SecHack365\n", "")
	if _, stderr, err := runCLI(t, "", "knowledge", "configmap", "--knowledge", dir); err == nil || !strings.Contains(stderr, "missing translation: name.ja") {
		t.Errorf("knowledge configmap of a broken directory = %v, %q; want the lint problem", err, stderr)
	}
}
