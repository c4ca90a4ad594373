// Package admin serves /admin, the support-network staff's side of the
// bot: access (a Bearer token for scripts, a login form and a session
// cookie for people), the knowledge status (GET /admin/knowledge) and the
// reload of the knowledge directory (POST /admin/reload). routes.go lists
// the whole surface.
//
// The package holds handlers only. It imports no store, engine or
// adapter: what it shows and does comes through small interfaces defined
// here (Knowledge), which cmd/supportbot implements over the real
// packages. Without ADMIN_TOKEN the server mounts none of it and every
// /admin path answers 404.
package admin
