package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/supportbot/supportbot/internal/server"
)

var update = flag.Bool("update", false, "rewrite the README's configuration table from the settings")

// runtimeEnv are variables the Go runtime reads, not the server.
var runtimeEnv = map[string]bool{"GOMEMLIMIT": true, "GOMAXPROCS": true, "GODEBUG": true, "GOGC": true}

// channelSecrets (and the admin token) must come from a Secret in the
// manifests, never a literal.
var channelSecrets = []string{"LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "ADMIN_TOKEN"}

type k8sObject struct {
	Kind     string `yaml:"kind"`
	Metadata struct {
		Name string `yaml:"name"`
	} `yaml:"metadata"`
	Spec struct {
		Template struct {
			Spec struct {
				Containers []k8sContainer `yaml:"containers"`
				Volumes    []struct {
					Name      string `yaml:"name"`
					ConfigMap *struct {
						Name     string `yaml:"name"`
						Optional bool   `yaml:"optional"`
					} `yaml:"configMap"`
				} `yaml:"volumes"`
			} `yaml:"spec"`
		} `yaml:"template"`
		// Service
		Ports []struct {
			TargetPort any `yaml:"targetPort"`
		} `yaml:"ports"`
		// HorizontalPodAutoscaler
		ScaleTargetRef struct {
			Kind string `yaml:"kind"`
			Name string `yaml:"name"`
		} `yaml:"scaleTargetRef"`
	} `yaml:"spec"`
}

type k8sProbe struct {
	HTTPGet *struct {
		Path string `yaml:"path"`
		Port any    `yaml:"port"`
	} `yaml:"httpGet"`
}

type k8sContainer struct {
	Name  string `yaml:"name"`
	Ports []struct {
		Name          string `yaml:"name"`
		ContainerPort int    `yaml:"containerPort"`
	} `yaml:"ports"`
	Env []struct {
		Name      string  `yaml:"name"`
		Value     *string `yaml:"value"`
		ValueFrom *struct {
			SecretKeyRef *struct {
				Name     string `yaml:"name"`
				Key      string `yaml:"key"`
				Optional bool   `yaml:"optional"`
			} `yaml:"secretKeyRef"`
		} `yaml:"valueFrom"`
	} `yaml:"env"`
	VolumeMounts []struct {
		Name      string `yaml:"name"`
		MountPath string `yaml:"mountPath"`
		SubPath   string `yaml:"subPath"`
		ReadOnly  bool   `yaml:"readOnly"`
	} `yaml:"volumeMounts"`
	Resources struct {
		Requests map[string]string `yaml:"requests"`
	} `yaml:"resources"`
	LivenessProbe  *k8sProbe `yaml:"livenessProbe"`
	ReadinessProbe *k8sProbe `yaml:"readinessProbe"`
}

func readManifests(t *testing.T) []k8sObject {
	t.Helper()
	files, _ := filepath.Glob("../../deploy/k8s/*.yaml")
	if len(files) == 0 {
		t.Fatal("no manifests in deploy/k8s")
	}
	var objs []k8sObject
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		dec := yaml.NewDecoder(bytes.NewReader(b))
		for {
			var o k8sObject
			err := dec.Decode(&o)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			objs = append(objs, o)
		}
	}
	return objs
}

// defaultPort is the port `serve` listens on with nothing configured.
func defaultPort(t *testing.T) int {
	s, _ := settingByEnv("PORT")
	p, err := strconv.Atoi(strings.TrimPrefix(s.Default, ":"))
	if err != nil {
		t.Fatalf("PORT default %q: %v", s.Default, err)
	}
	return p
}

func TestManifestsMatchServer(t *testing.T) {
	objs := readManifests(t)
	port := defaultPort(t)
	probePaths := map[string]bool{}
	var deployment *k8sContainer
	var portName string
	kinds := map[string]bool{}
	for _, o := range objs {
		kinds[o.Kind+"/"+o.Metadata.Name] = true
		if o.Kind != "Deployment" || o.Metadata.Name != "supportbot" {
			continue
		}
		for i, c := range o.Spec.Template.Spec.Containers {
			if c.Name == "supportbot" {
				deployment = &o.Spec.Template.Spec.Containers[i]
			}
		}
	}
	for _, want := range []string{"Deployment/supportbot", "Service/supportbot", "HorizontalPodAutoscaler/supportbot"} {
		if !kinds[want] {
			t.Errorf("manifests lack %s", want)
		}
	}
	if deployment == nil {
		t.Fatal("no container supportbot in Deployment supportbot")
	}
	c := deployment
	if len(c.Ports) != 1 || c.Ports[0].ContainerPort != port {
		t.Errorf("container ports %+v; want one, %d", c.Ports, port)
	} else {
		portName = c.Ports[0].Name
	}
	secretRefs := map[string]bool{}
	for _, e := range c.Env {
		s, ok := settingByEnv(e.Name)
		if !ok && !runtimeEnv[e.Name] {
			t.Errorf("env %s is not a setting of the server (config.go)", e.Name)
			continue
		}
		if e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil {
			secretRefs[e.Name] = true
			if !e.ValueFrom.SecretKeyRef.Optional {
				t.Errorf("env %s: secretKeyRef should be optional, so an absent channel is simply off", e.Name)
			}
		}
		if ok && s.Secret && e.Value != nil && e.Name != "REDIS_URL" {
			t.Errorf("env %s has a literal value in the manifest; want a secretKeyRef", e.Name)
		}
		if ok && e.Value != nil {
			var cfg config
			if err := s.set(&cfg, *e.Value); err != nil {
				t.Errorf("env %s=%q is invalid: %v", e.Name, *e.Value, err)
			}
		}
		if e.Name == "PORT" && (e.Value == nil || *e.Value != strconv.Itoa(port)) {
			t.Errorf("env PORT = %v; want %d like the container port", e.Value, port)
		}
	}
	for _, name := range channelSecrets {
		if !secretRefs[name] {
			t.Errorf("env %s is not taken from a Secret", name)
		}
	}
	if c.Resources.Requests["memory"] == "" || c.Resources.Requests["cpu"] == "" {
		t.Errorf("resource requests %v; want cpu and memory", c.Resources.Requests)
	}
	for name, p := range map[string]*k8sProbe{"liveness": c.LivenessProbe, "readiness": c.ReadinessProbe} {
		if p == nil || p.HTTPGet == nil {
			t.Errorf("no %s httpGet probe", name)
			continue
		}
		if fmt.Sprint(p.HTTPGet.Port) != portName && fmt.Sprint(p.HTTPGet.Port) != strconv.Itoa(port) {
			t.Errorf("%s probe port %v; want %q or %d", name, p.HTTPGet.Port, portName, port)
		}
		probePaths[p.HTTPGet.Path] = true
	}
	if !probePaths["/healthz"] || !probePaths["/readyz"] {
		t.Errorf("probe paths %v; want /healthz (liveness) and /readyz (readiness)", probePaths)
	}
	if c.LivenessProbe != nil && c.LivenessProbe.HTTPGet != nil && c.LivenessProbe.HTTPGet.Path != "/healthz" {
		t.Errorf("liveness probe on %s; want /healthz, which ignores Redis", c.LivenessProbe.HTTPGet.Path)
	}
	// The probe paths answer 200 on the real handler.
	srv := httptest.NewServer(server.NewServer(server.Deps{}))
	defer srv.Close()
	for path := range probePaths {
		res, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Errorf("GET %s = %d on the server; want 200", path, res.StatusCode)
		}
	}
	for _, o := range objs {
		switch {
		case o.Kind == "Service" && o.Metadata.Name == "supportbot":
			for _, p := range o.Spec.Ports {
				if fmt.Sprint(p.TargetPort) != portName && fmt.Sprint(p.TargetPort) != strconv.Itoa(port) {
					t.Errorf("Service targetPort %v; want %q", p.TargetPort, portName)
				}
			}
		case o.Kind == "HorizontalPodAutoscaler":
			if r := o.Spec.ScaleTargetRef; r.Kind != "Deployment" || r.Name != "supportbot" {
				t.Errorf("HPA scales %s/%s; want Deployment/supportbot", r.Kind, r.Name)
			}
		}
	}
}

// TestManifestsMountKnowledge: KNOWLEDGE_DIR is a whole-directory mount
// (a subPath mount never sees a ConfigMap's updates) of the ConfigMap that
// `supportbot knowledge configmap` writes, optional so that pods start
// before it exists (they answer from the built-in knowledge until then).
func TestManifestsMountKnowledge(t *testing.T) {
	var found bool
	for _, o := range readManifests(t) {
		if o.Kind != "Deployment" || o.Metadata.Name != "supportbot" {
			continue
		}
		spec := o.Spec.Template.Spec
		for _, c := range spec.Containers {
			dir := ""
			for _, e := range c.Env {
				if e.Name == "KNOWLEDGE_DIR" && e.Value != nil {
					dir = *e.Value
				}
			}
			if dir == "" {
				continue
			}
			for _, m := range c.VolumeMounts {
				if m.MountPath != dir {
					continue
				}
				if m.SubPath != "" || !m.ReadOnly {
					t.Errorf("mount of %s: subPath %q, readOnly %v; want the whole volume, read-only", dir, m.SubPath, m.ReadOnly)
				}
				for _, v := range spec.Volumes {
					if v.Name == m.Name && v.ConfigMap != nil && v.ConfigMap.Name == knowledgeConfigMap && v.ConfigMap.Optional {
						found = true
					}
				}
			}
		}
	}
	if !found {
		t.Errorf("no container mounts the optional ConfigMap %s at its KNOWLEDGE_DIR", knowledgeConfigMap)
	}
}

func TestDockerfile(t *testing.T) {
	b, err := os.ReadFile("../../deploy/Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	df := string(b)
	port := defaultPort(t)
	checks := []struct {
		re, why string
	}{
		{`(?m)^EXPOSE ` + strconv.Itoa(port) + `$`, "EXPOSE the default port"},
		{`CGO_ENABLED=0 go build`, "a static build"},
		{`(?m)^FROM \S+ AS build$`, "a build stage"},
		{`(?m)^FROM (gcr\.io/distroless/static\S*|scratch)$`, "a distroless or scratch final stage"},
		{`(?m)^USER (65532|nonroot)`, "a non-root user"},
		{`(?m)^ENTRYPOINT \["/usr/local/bin/supportbot"\]$`, "the binary as entrypoint"},
	}
	for _, c := range checks {
		if !regexp.MustCompile(c.re).MatchString(df) {
			t.Errorf("Dockerfile lacks %s (%s)", c.why, c.re)
		}
	}
}

// configTable renders the settings as the README's Markdown table.
func configTable() string {
	var b strings.Builder
	b.WriteString("| Variable | Flag | Default | Meaning |\n|---|---|---|---|\n")
	for _, s := range settings {
		def := "—"
		if s.Default != "" {
			def = "`" + s.Default + "`"
		}
		help := s.Help
		if s.Secret {
			help += " **Secret.**"
		}
		fmt.Fprintf(&b, "| `%s` | `--%s` | %s | %s |\n", s.Env, s.Flag, def, strings.ReplaceAll(help, "|", `\|`))
	}
	return b.String()
}

// TestREADMEConfigTable keeps the README's table equal to the settings;
// go test ./cmd/supportbot -run README -update rewrites it.
func TestREADMEConfigTable(t *testing.T) {
	syncREADME(t, "config", configTable())
}

// syncREADME checks the README's section between <!-- name:begin --> and
// <!-- name:end --> against want, and rewrites it with -update.
func syncREADME(t *testing.T, name, want string) {
	t.Helper()
	begin, end := "<!-- "+name+":begin -->\n", "<!-- "+name+":end -->"
	path := "../../README.md"
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	i, j := strings.Index(readme, begin), strings.Index(readme, end)
	if i < 0 || j < i {
		t.Fatalf("README.md lacks the %q … %q markers", strings.TrimSpace(begin), end)
	}
	if readme[i+len(begin):j] == want {
		return
	}
	if *update {
		if err := os.WriteFile(path, []byte(readme[:i+len(begin)]+want+readme[j:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README.md's %s section differs from the code; run go test ./cmd/supportbot -run README -update\nwant:\n%s", name, want)
}
