package http

import (
	"net/http"
	"strconv"

	"github.com/puntos/puntos/internal/store"
)

// defaultGroup is GET /api/group/default: the merchant's default tier in
// the seed's shape (group_rules list the units the tier has rules for).
func (s *Server) defaultGroup(w http.ResponseWriter, r *http.Request) {
	g, err := s.store.DefaultGroup(r.Context(), merchantOf(r))
	if err != nil {
		s.writeOAuthError(w, r, err)
		return
	}
	writeOAuthOK(w, msgProcess, groupJSON(g))
}

func groupJSON(g store.Group) map[string]any {
	rules := make([]map[string]string, 0, len(g.Rules))
	for _, rule := range g.Rules {
		rules = append(rules, unitJSON(rule.Unit))
	}
	var next any
	if g.Next != nil {
		next = map[string]string{"id": strconv.FormatInt(g.Next.ID, 10), "name": g.Next.Name, "description": g.Next.Description}
	}
	return map[string]any{"id": strconv.FormatInt(g.ID, 10), "name": g.Name, "description": g.Description,
		"group_rules": rules, "next_group": next}
}
