package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/supportbot/supportbot/internal/catalog"
	"github.com/supportbot/supportbot/knowledge"
	"github.com/supportbot/supportbot/seeds"
)

// knowledgeFlag registers --knowledge, defaulting to KNOWLEDGE_DIR.
func knowledgeFlag(fl *flag.FlagSet, env *environment) *string {
	return fl.String("knowledge", env.getenv("KNOWLEDGE_DIR"), "load the knowledge base from this `dir` instead of the embedded one (env KNOWLEDGE_DIR)")
}

// knowledgeFS returns the directory to read, embedded unless dir is set.
func knowledgeFS(dir string) fs.FS {
	if dir == "" {
		return knowledge.FS
	}
	return os.DirFS(dir)
}

// loadCatalog loads and validates the knowledge base.
func loadCatalog(dir string) (*catalog.Catalog, error) {
	c, err := catalog.Load(knowledgeFS(dir), seeds.FS)
	if err != nil {
		return nil, fmt.Errorf("load knowledge: %w", err)
	}
	return c, nil
}

func runKnowledge(env *environment, args []string) error {
	if len(args) == 0 {
		return usageError{"knowledge: want lint, export or configmap"}
	}
	sub, args := args[0], args[1:]
	fl := flag.NewFlagSet("knowledge "+sub, flag.ContinueOnError)
	fl.SetOutput(env.stderr)
	dir := knowledgeFlag(fl, env)
	maxAge := 0
	if sub == "lint" {
		fl.IntVar(&maxAge, "max-facts-age", int(catalog.DefaultMaxFactsAge.Hours()/24), "warn when meta.yaml's facts_checked is more than this many `days` old")
	}
	name := fl.String("name", knowledgeConfigMap, "configmap: the ConfigMap's `name`")
	if err := fl.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	switch sub {
	case "lint":
		problems := catalog.Lint(knowledgeFS(*dir), seeds.FS)
		for _, p := range problems {
			fmt.Fprintln(env.stdout, p)
		}
		if len(problems) > 0 {
			fmt.Fprintf(env.stderr, "knowledge lint: %d problems\n", len(problems))
			return errSilent
		}
		c, err := loadCatalog(*dir)
		if err != nil {
			return err
		}
		bullets := 0
		for _, s := range c.Seeds {
			bullets += len(s.Bullets)
		}
		// Old facts are a warning, not a failure: the knowledge base is
		// still valid, but the answers' "as of" date is long past.
		if w, stale := c.StaleFacts(time.Now(), time.Duration(maxAge)*24*time.Hour); stale {
			fmt.Fprintln(env.stdout, w)
		}
		fmt.Fprintf(env.stderr, "knowledge lint: ok: %d initiatives cover %d seed bullets; facts checked %s\n", len(c.Initiatives), bullets, c.Meta.FactsChecked)
		return nil
	case "export":
		c, err := loadCatalog(*dir)
		if err != nil {
			return err
		}
		enc := json.NewEncoder(env.stdout)
		enc.SetEscapeHTML(false)
		for _, in := range c.Initiatives {
			if err := enc.Encode(exportInitiative(c, in)); err != nil {
				return fmt.Errorf("knowledge export: %w", err)
			}
		}
		return nil
	case "configmap":
		return writeConfigMap(env, *dir, *name)
	}
	return usageError{fmt.Sprintf("knowledge: unknown subcommand %q (want lint, export or configmap)", sub)}
}

type exportRef struct {
	ID string `json:"id"`
	JA string `json:"ja"`
	EN string `json:"en"`
}

type exportSource struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Note   string `json:"note,omitempty"`
	Relist bool   `json:"relist,omitempty"`
}

type exported struct {
	ID            string          `json:"id"`
	Name          catalog.Text    `json:"name"`
	Summary       catalog.Text    `json:"summary"`
	TextJA        string          `json:"text_ja"`
	Organizations []exportRef     `json:"organizations"`
	Owner         catalog.Owner   `json:"owner"`
	Audiences     []exportRef     `json:"audiences"`
	Kinds         []exportRef     `json:"kinds"`
	Regions       []exportRef     `json:"regions,omitempty"`
	Categories    []string        `json:"categories"`
	Aliases       catalog.Terms   `json:"aliases"`
	Keywords      catalog.Terms   `json:"keywords"`
	Examples      catalog.Terms   `json:"examples"`
	NextStep      catalog.Text    `json:"next_step"`
	Sources       []exportSource  `json:"sources"`
	URL           string          `json:"url,omitempty"`
	URLSource     *catalog.Link   `json:"url_source,omitempty"`
	Status        *catalog.Status `json:"status,omitempty"`
	Facts         []catalog.Fact  `json:"facts,omitempty"`
}

func exportInitiative(c *catalog.Catalog, in *catalog.Initiative) exported {
	e := exported{
		ID: in.ID, Name: in.Name, Summary: in.Summary, TextJA: in.TextJA, Owner: in.Owner,
		Aliases: in.Aliases, Keywords: in.Keywords, Examples: in.Examples, NextStep: in.NextStep,
		Status: in.Status, Facts: in.Facts, URLSource: in.URL,
	}
	for _, id := range in.Organizations {
		o, _ := c.Organization(id)
		e.Organizations = append(e.Organizations, exportRef{id, o.Name.JA, o.Name.EN})
	}
	for _, id := range in.Audiences {
		l := c.Audience(id)
		e.Audiences = append(e.Audiences, exportRef{id, l.JA, l.EN})
	}
	for _, id := range in.Kinds {
		l := c.Kind(id)
		e.Kinds = append(e.Kinds, exportRef{id, l.JA, l.EN})
	}
	for _, id := range in.Regions {
		l := c.Region(id)
		e.Regions = append(e.Regions, exportRef{id, l.JA, l.EN})
	}
	for _, cat := range c.Taxonomy.Categories {
		for _, s := range cat.Sections {
			if in.InSection(s) {
				e.Categories = append(e.Categories, cat.ID)
				break
			}
		}
	}
	for _, s := range in.Sources {
		e.Sources = append(e.Sources, exportSource{s.File, s.Line, s.Note, s.Relist})
	}
	if in.URL != nil {
		e.URL = in.URL.URL
	}
	return e
}
