package main

import (
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// layer is one package of the module: what it owns, and the module's
// packages it may import. The README's layout table is rendered from
// these rows (go test ./cmd/supportbot -run Layout -update), so the map
// a newcomer reads is the one the test enforces.
type layer struct {
	pkg  string   // below the module path: "internal/bot"
	owns string   // one line for the README
	may  []string // module packages it may import directly
}

// layers lists every package, inner first. Arrows point down the list:
// the domain (bot, catalog) imports nothing of the module; the engine
// (analysis, match, dialog) builds on it; stores and adapters see only the
// domain and the shared infrastructure; the server sees only handlers;
// cmd wires everything.
var layers = []layer{
	{"internal/bot", "the domain: Question, Answer, Action, State, Caption, and the contracts (Answerer, ConversationStore, Deduper); what the handoff desk and the engine tell each other (Desk, DeskNote, Recent)", nil},
	{"internal/catalog", "the knowledge base: loads and lints knowledge/ against the seed; Initiative, Taxonomy, Vocabulary", nil},
	{"knowledge", "the curated dataset, embedded", nil},
	{"seeds", "the action-plan excerpt, byte for byte, embedded", nil},
	{"internal/analysis", "the only user of kagome: normalisation, tokens, stems, concepts → Query", []string{"internal/catalog"}},
	{"internal/learned", "what the bot learns from the evaluation files' labelled questions, shipped as weights and counts: the scope model (for this bot or about something else) and the programme model (which programmes answer such questions)", []string{"internal/analysis", "internal/catalog"}},
	{"internal/match", "ranks initiatives for a Query, with the evidence for each", []string{"internal/analysis", "internal/catalog", "internal/learned"}},
	{"internal/dialog", "the engine: analysis → match → conversation; implements bot.Answerer", []string{"internal/analysis", "internal/bot", "internal/catalog", "internal/learned", "internal/match"}},
	{"internal/evaluate", "scores an Answerer against gold files (Hit@k, rejection); the built-in dev set and its floor", []string{"internal/bot"}},
	{"internal/publish", "publishes KNOWLEDGE_DIR without a restart: reads it within limits, lints it, scores it against its floors, swaps it into the engine; watches it", []string{"internal/catalog", "internal/dialog", "internal/evaluate"}},
	{"internal/metrics", "Prometheus collectors and the typed reasons every adapter counts with", nil},
	{"internal/ratelimit", "per-conversation token buckets", nil},
	{"internal/work", "the bounded pool that runs answers and replies after a webhook's acknowledgement", []string{"internal/metrics"}},
	{"internal/bounds", "time and memory budgets for fuzz targets", nil},
	{"internal/jsonstr", "appends JSON strings byte for byte as encoding/json writes them, for the replies LINE and Slack encode by hand, or as log/slog's JSONHandler does, for the server's own log lines", nil},
	{"internal/jsonscan", "reads JSON of a plain shape in one pass, giving up on anything else, for the webhooks LINE and Slack decode by hand", nil},
	{"internal/redact", "removes personal data (e-mail, phone, URLs with queries, long digit runs) from text before it is kept", nil},
	{"internal/inmem", "the state contracts in memory (one process)", []string{"internal/bot"}},
	{"internal/redis", "the state contracts on Redis (replicas)", []string{"internal/bot"}},
	{"internal/redis/redistest", "test kit: a redis-server of the test's own (checked to be the one answering), REDIS_URL's, or a skip", nil},
	{"internal/tally", "the hourly counts a batch of the question log adds, for both database stores", []string{"internal/bot"}},
	{"internal/handoff", "the handoff desk: tickets (one open per person), the staff's hours and reminders, messages delivered in order with retry keys, the gate around the engine; its Store, Staff, Outbox and Engine contracts", []string{"internal/bot"}},
	{"internal/sqlite", "the database in an embedded SQLite file (default): migrations, the question log, secrets, claims, handoff tickets", []string{"internal/bot", "internal/handoff", "internal/migration", "internal/tally"}},
	{"internal/postgres", "the database on PostgreSQL (replicas): migrations under an advisory lock, the question log, secrets, claims, handoff tickets and LISTEN/NOTIFY", []string{"internal/bot", "internal/handoff", "internal/migration", "internal/tally"}},
	{"internal/migration", "reads a store's numbered schema migrations (NNNN_name.sql) in order", nil},
	{"internal/postgres/pgtest", "test kit: a reachable PostgreSQL or a skip, and a schema of its own for each test", nil},
	{"internal/questionlog", "the question log around an Answerer: answer ids, 👍/👎 checked against the conversation, records redacted and hashed, written in batches off the answer path", []string{"internal/bot", "internal/metrics", "internal/redact"}},
	{"internal/insight", "summaries of the question log for the staff: per day, unanswered groups, feedback, demand (pure)", []string{"internal/bot"}},
	{"internal/staff", "posts to the staff on its own: the weekly digest at its schedule and notices (a refused reload), each once across replicas through bot.Claims", []string{"internal/bot"}},
	{"internal/adapter", "what adapters share: Deps, the platform HTTP client, the retry loop, the answer counter", []string{"internal/bot", "internal/metrics", "internal/ratelimit", "internal/work"}},
	{"internal/line", "LINE: signed webhooks in, Flex replies out; push with retry keys for the handoff desk", []string{"internal/adapter", "internal/bot", "internal/handoff", "internal/jsonscan", "internal/jsonstr", "internal/metrics", "internal/ratelimit", "internal/work"}},
	{"internal/slack", "Slack: Events API, slash command, interactions, App Home, Socket Mode; Block Kit out; the staff's side of the handoff (tickets, their threads and buttons)", []string{"internal/adapter", "internal/bot", "internal/handoff", "internal/jsonscan", "internal/jsonstr", "internal/metrics", "internal/ratelimit", "internal/work"}},
	{"internal/web", "the web chat: page, assets, POST /api/chat, and GET /api/stream (the staff's replies as Server-Sent Events)", []string{"internal/adapter", "internal/bot", "internal/handoff", "internal/metrics", "internal/ratelimit"}},
	{"internal/admin", "the staff's /admin: token, login and session cookie, CSRF, per-address rate limit; the insights page (SVG charts, unanswered questions, Japanese and English) and the knowledge status and reload, through interfaces of its own", []string{"internal/ratelimit"}},
	{"internal/server", "the HTTP surface: routes, middleware, health, metrics, graceful shutdown; mounts plain handlers", []string{"internal/jsonstr", "internal/metrics", "internal/work"}},
	{"internal/bot/bottest", "test kit: checks that an Answer is well formed", []string{"internal/bot"}},
	{"internal/storetest", "test kit: the contract suites every store runs (ConversationStore, Deduper, QuestionLog, Secrets, Claims, Tickets), generated question logs", []string{"internal/bot", "internal/handoff"}},
	{"internal/dialog/dialogtest", "test kit: the engine over the shipped knowledge", []string{"internal/bot", "internal/catalog", "internal/dialog", "internal/inmem", "knowledge", "seeds"}},
	{"internal/line/linetest", "test kit: LINE signing, webhook builders, a Messaging API stand-in", nil},
	{"internal/slack/slacktest", "test kit: Slack signing, Events API/command/interaction builders, a Web API stand-in", nil},
	{"internal/browsertest", "test kit: headless Chromium for the browser tests (skips without it) and the axe-core audit, vendored", nil},
	{"cmd/loadgen", "load, faults and loss checks against a running server", []string{"internal/line/linetest", "internal/slack/slacktest"}},
	{"cmd/supportbot", "the binary: settings, wiring, subcommands", []string{"*"}},
}

// Transitive rules (go list -deps): what a group of packages must never
// link, however indirectly.
var banned = []struct {
	pkgs   []string
	prefix []string
	why    string
}{
	{
		pkgs:   []string{"internal/bot", "internal/catalog", "internal/analysis", "internal/learned", "internal/match", "internal/dialog", "internal/publish"},
		prefix: []string{"github.com/slack-go/", "github.com/line/", "github.com/prometheus/", "github.com/redis/", "net/http", "modernc.org/", "github.com/jackc/", "database/sql"},
		why:    "the core stays channel- and transport-neutral, and knows no database",
	},
	{
		pkgs:   []string{"internal/sqlite", "internal/postgres", "internal/tally", "internal/redact", "internal/staff", "internal/handoff"},
		prefix: []string{"net/http", "github.com/prometheus/", mod + "internal/adapter", mod + "internal/server"},
		why:    "stores, the redactor and the insights know neither HTTP nor metrics: they return errors and counts, their callers count",
	},
	{
		pkgs: []string{"internal/inmem", "internal/redis", "internal/sqlite", "internal/postgres", "internal/tally", "internal/storetest", "internal/redact",
			"internal/questionlog", "internal/insight", "internal/staff", "internal/handoff",
			"internal/adapter", "internal/line", "internal/slack", "internal/web", "internal/server", "internal/metrics", "internal/work",
			"internal/line/linetest", "internal/slack/slacktest", "cmd/loadgen", "internal/admin"},
		prefix: []string{"github.com/ikawaha/", "github.com/kljensen/snowball",
			mod + "internal/analysis", mod + "internal/learned", mod + "internal/match", mod + "internal/dialog", mod + "internal/catalog"},
		why: "stores, adapters and the server see answers, never matching (and do not link the dictionary)",
	},
	{
		pkgs: []string{"internal/admin"},
		prefix: []string{mod + "internal/publish", mod + "internal/inmem", mod + "internal/redis", mod + "internal/adapter",
			mod + "internal/line", mod + "internal/slack", mod + "internal/web", mod + "internal/bot"},
		why: "admin imports no store, engine or adapter: it sees them through interfaces of its own",
	},
	{
		pkgs:   []string{"internal/questionlog", "internal/insight", "internal/staff"},
		prefix: []string{"modernc.org/", "github.com/jackc/", "database/sql", mod + "internal/sqlite", mod + "internal/postgres"},
		why:    "the log, the insights and the staff's posts speak the store contracts (bot.QuestionLog, bot.Claims), never a database",
	},
	{
		pkgs: []string{"internal/handoff"},
		prefix: []string{"github.com/slack-go/", "github.com/line/", "github.com/redis/", "modernc.org/", "github.com/jackc/", "database/sql",
			mod + "internal/sqlite", mod + "internal/postgres", mod + "internal/inmem", mod + "internal/redis",
			mod + "internal/adapter", mod + "internal/line", mod + "internal/slack", mod + "internal/web", mod + "internal/server"},
		why: "the desk is channel-neutral: no SDK, no database, no adapter, no metrics library; it speaks its own contracts",
	},
	{
		pkgs:   []string{"internal/server"},
		prefix: []string{mod + "internal/line", mod + "internal/slack", mod + "internal/web", mod + "internal/inmem", mod + "internal/redis", mod + "internal/bot"},
		why:    "the server sees only handlers",
	},
}

const mod = "github.com/supportbot/supportbot/"

type listed struct{ imports, deps []string }

// listModule runs go list over the module: each package's direct imports
// and transitive dependencies (tests excluded).
func listModule(t *testing.T) map[string]listed {
	t.Helper()
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not on PATH; layering not checked")
	}
	out, err := exec.Command(gobin, "list", "-f", `{{.ImportPath}}|{{join .Imports " "}}|{{join .Deps " "}}`, "../../...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	pkgs := map[string]listed{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(line, "|")
		pkgs[strings.TrimPrefix(f[0], mod)] = listed{strings.Fields(f[1]), strings.Fields(f[2])}
	}
	return pkgs
}

func TestLayering(t *testing.T) {
	pkgs := listModule(t)
	rows := map[string]layer{}
	for _, l := range layers {
		rows[l.pkg] = l
		if _, ok := pkgs[l.pkg]; !ok {
			t.Errorf("layers lists %s, which is not a package of the module", l.pkg)
		}
	}
	for pkg, p := range pkgs {
		l, ok := rows[pkg]
		if !ok {
			t.Errorf("package %s has no row in layers (layering_test.go): say what it owns and what it may import", pkg)
			continue
		}
		if slices.Contains(l.may, "*") {
			continue
		}
		for _, imp := range p.imports {
			dep, ok := strings.CutPrefix(imp, mod)
			if ok && !slices.Contains(l.may, dep) {
				t.Errorf("%s imports %s; its row allows only %v", pkg, dep, l.may)
			}
		}
	}
	for _, rule := range banned {
		for _, pkg := range rule.pkgs {
			for _, dep := range pkgs[pkg].deps {
				for _, p := range rule.prefix {
					if strings.HasPrefix(dep, p) {
						t.Errorf("%s links %s: %s", pkg, dep, rule.why)
					}
				}
			}
		}
	}
}

// layoutTable renders the layers as the README's Markdown table.
func layoutTable() string {
	var b strings.Builder
	b.WriteString("| Package | Owns | May import |\n|---|---|---|\n")
	for _, l := range layers {
		may := "nothing of the module"
		switch {
		case slices.Contains(l.may, "*"):
			may = "everything: it wires"
		case len(l.may) > 0:
			names := make([]string, len(l.may))
			for i, m := range l.may {
				names[i] = "`" + strings.TrimPrefix(m, "internal/") + "`"
			}
			may = strings.Join(names, ", ")
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", l.pkg, l.owns, may)
	}
	return b.String()
}

// TestREADMELayout keeps the README's layout table equal to layers.
func TestREADMELayout(t *testing.T) {
	syncREADME(t, "layout", layoutTable())
}
