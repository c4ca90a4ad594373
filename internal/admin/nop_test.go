package admin

import "context"

type nopKnowledge struct{}

func (nopKnowledge) KnowledgeStatus(context.Context) KnowledgeStatus { return KnowledgeStatus{} }
func (nopKnowledge) Reload(context.Context) (Reload, error)          { return Reload{}, ErrNotReloadable }
