package main

import (
	"fmt"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/supportbot/supportbot/internal/catalog"
	"github.com/supportbot/supportbot/internal/publish"
	"github.com/supportbot/supportbot/knowledge"
	"github.com/supportbot/supportbot/seeds"
)

// knowledgeConfigMap is the ConfigMap the Deployment in deploy/k8s mounts
// as KNOWLEDGE_DIR.
const knowledgeConfigMap = "supportbot-knowledge"

// configMapMax is what a ConfigMap may hold: Kubernetes refuses one over
// 1 MiB, and the object's own fields take a little of it.
const configMapMax = 1<<20 - 16<<10

// configMapKey is what Kubernetes accepts as a ConfigMap key.
var configMapKey = regexp.MustCompile(`^[-._a-zA-Z0-9]{1,253}$`)

// writeConfigMap prints the knowledge directory (or the embedded
// knowledge) as a ConfigMap to mount as KNOWLEDGE_DIR. A key cannot hold
// "/", so initiatives/x.yaml becomes initiatives__x.yaml, which the
// server reads back as the path. A directory the lint refuses is not
// printed: every replica would refuse it.
func writeConfigMap(env *environment, dir, name string) error {
	var snap *publish.Snapshot
	var err error
	if dir == "" {
		snap, err = publish.ReadFS(knowledge.FS, publish.Limits{})
	} else {
		snap, err = publish.ReadDir(dir, publish.Limits{})
	}
	if err != nil {
		return fmt.Errorf("knowledge configmap: %w", err)
	}
	if problems := catalog.Lint(snap, seeds.FS); len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintln(env.stderr, p)
		}
		return fmt.Errorf("knowledge configmap: the lint found %d problems; every replica would refuse this directory", len(problems))
	}
	if snap.Size() > configMapMax {
		return fmt.Errorf("knowledge configmap: %d bytes do not fit in a ConfigMap (at most 1 MiB): mount a volume instead (README, Publishing the knowledge)", snap.Size())
	}
	data := map[string]string{}
	for _, p := range snap.Paths() {
		key := strings.ReplaceAll(p, "/", "__")
		if !configMapKey.MatchString(key) || strings.Count(p, "__") > 0 {
			return fmt.Errorf("knowledge configmap: %s cannot be a ConfigMap key (letters, digits, - . _; no __ in names)", p)
		}
		b, _ := snap.ReadFile(p)
		data[key] = string(b)
	}
	cm := struct {
		APIVersion string `yaml:"apiVersion"`
		Kind       string `yaml:"kind"`
		Metadata   struct {
			Name        string            `yaml:"name"`
			Labels      map[string]string `yaml:"labels"`
			Annotations map[string]string `yaml:"annotations"`
		} `yaml:"metadata"`
		Data map[string]string `yaml:"data"`
	}{APIVersion: "v1", Kind: "ConfigMap", Data: data}
	cm.Metadata.Name = name
	cm.Metadata.Labels = map[string]string{"app.kubernetes.io/name": "supportbot"}
	cm.Metadata.Annotations = map[string]string{"supportbot/knowledge-version": snap.Version()}
	fmt.Fprintf(env.stdout, "# The supportbot knowledge, version %s: kubectl apply --server-side -f - (README, Publishing the knowledge).\n", snap.Version())
	enc := yaml.NewEncoder(env.stdout)
	enc.SetIndent(2)
	if err := enc.Encode(cm); err != nil {
		return fmt.Errorf("knowledge configmap: %w", err)
	}
	return enc.Close()
}
