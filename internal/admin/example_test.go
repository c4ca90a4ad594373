package admin_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"

	"github.com/supportbot/supportbot/internal/admin"
)

// fixed is an admin.Knowledge that never changes.
type fixed struct{ status admin.KnowledgeStatus }

func (f fixed) KnowledgeStatus(context.Context) admin.KnowledgeStatus { return f.status }
func (fixed) Reload(context.Context) (admin.Reload, error) {
	return admin.Reload{}, admin.ErrNotReloadable
}

func ExampleNew() {
	a, err := admin.New(admin.Config{
		Token:     "an-admin-token-of-32-characters!",
		Knowledge: fixed{admin.KnowledgeStatus{Version: "0123456789abcdef", Source: "embedded", Initiatives: 28}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, auth := range []string{"", "Bearer wrong-token-of-some-length", "Bearer an-admin-token-of-32-characters!"} {
		r := httptest.NewRequest("GET", "/admin/knowledge", nil)
		if auth != "" {
			r.Header.Set("Authorization", auth)
		}
		w := httptest.NewRecorder()
		a.Handler().ServeHTTP(w, r)
		var body struct{ Error, Version string }
		json.Unmarshal(w.Body.Bytes(), &body)
		fmt.Println(w.Code, body.Error+body.Version)
	}
	// Output:
	// 401 admin token required (Authorization: Bearer, or log in at /admin/login)
	// 403 wrong admin token
	// 200 0123456789abcdef
}
