// Package admin serves /admin, the support-network staff's side of the
// bot: access (a Bearer token for scripts, a login form and a session
// cookie for people), the page GET /admin/ (the question log's insights
// over 7, 30 or 90 days as server-drawn SVG charts with a table behind
// each, the unanswered questions grouped with a download as evaluation
// JSONL, and the knowledge status with a reload button; in Japanese or
// English), the knowledge status as JSON (GET /admin/knowledge) and the
// reload of the knowledge directory (POST /admin/reload). routes.go lists
// the whole surface.
//
// The package holds handlers only. It imports no store, engine or
// adapter, not even the domain: what it shows and does comes through
// small interfaces defined here (Knowledge, Insights) with plain data of
// its own, which cmd/supportbot implements over the real packages.
// Everything it shows that people wrote (questions, the staff's names and
// reasons) goes through html/template, in the charts' SVG too; the page
// runs no script (its Content-Security-Policy allows none). Without
// ADMIN_TOKEN the server mounts none of it and every /admin path answers
// 404.
package admin
