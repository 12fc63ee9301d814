package http

import (
	"net/http"
	"slices"

	"github.com/go-chi/chi/v5"

	"github.com/puntos/puntos/internal/panel"
	"github.com/puntos/puntos/internal/store"
)

func (s *Server) showCollaborators(w http.ResponseWriter, r *http.Request, status int, p *panel.Page, form store.CollaboratorInput) {
	list, err := s.store.Collaborators(r.Context(), sessionOf(r).MerchantID)
	if err != nil {
		s.panelFailed(w, r, err)
		return
	}
	form.PIN = "" // never echo a PIN back into a page
	p.Data = map[string]any{"Collaborators": list, "Form": form}
	s.render(w, r, status, "collaborators", p)
}

func (s *Server) panelCollaborators(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "collaborators.title", "collaborators")
	flashFrom(r, p)
	s.showCollaborators(w, r, http.StatusOK, p, store.CollaboratorInput{Type: store.Cashier})
}

func (s *Server) panelCreateCollaborator(w http.ResponseWriter, r *http.Request) {
	parseForm(w, r)
	p := s.newPage(w, r, "collaborators.title", "collaborators")
	in := store.CollaboratorInput{
		Name: r.PostFormValue("name"), Number: r.PostFormValue("number"), Branch: r.PostFormValue("branch"),
		Type: r.PostFormValue("type"), PIN: r.PostFormValue("pin"),
	}
	if _, err := s.store.CreateCollaborator(r.Context(), sessionOf(r).MerchantID, in); err != nil {
		ref := s.refuse(r, p, err)
		p.Error = ref.msg
		s.showCollaborators(w, r, ref.status, p, in)
		return
	}
	http.Redirect(w, r, "/panel/collaborators?done=collaborator_created", http.StatusSeeOther)
}

// programChoice is one checkbox of the permissions form.
type programChoice struct {
	Key, Name string
	On        bool
}

func (s *Server) showCollaborator(w http.ResponseWriter, r *http.Request, status int, p *panel.Page, c store.Collaborator) {
	ctx, m := r.Context(), sessionOf(r).MerchantID
	cards, err := s.store.Cards(ctx, m)
	if err != nil {
		s.panelFailed(w, r, err)
		return
	}
	wallets, err := s.store.Wallets(ctx, m)
	if err != nil {
		s.panelFailed(w, r, err)
		return
	}
	var cardChoices, walletChoices []programChoice
	for _, cd := range cards {
		cardChoices = append(cardChoices, programChoice{cd.Key, cd.Name, c.CardScope == nil || slices.Contains(c.CardScope, cd.ID)})
	}
	for _, wl := range wallets {
		walletChoices = append(walletChoices, programChoice{wl.Key, wl.Name, c.WalletScope == nil || slices.Contains(c.WalletScope, wl.ID)})
	}
	p.Data = map[string]any{"C": c, "Cards": cardChoices, "Wallets": walletChoices,
		"AllCards": c.CardScope == nil, "AllWallets": c.WalletScope == nil}
	s.render(w, r, status, "collaborator", p)
}

// collaboratorOf loads the {id} of the URL, answering the error page itself.
func (s *Server) collaboratorOf(w http.ResponseWriter, r *http.Request) (store.Collaborator, bool) {
	id, ok := pathID(chi.URLParam(r, "id"))
	if !ok {
		s.panelError(w, r, http.StatusNotFound, "error.not_found")
		return store.Collaborator{}, false
	}
	c, err := s.store.Collaborator(r.Context(), sessionOf(r).MerchantID, id)
	if err != nil {
		s.panelRefusal(w, r, err)
		return c, false
	}
	return c, true
}

func (s *Server) panelCollaborator(w http.ResponseWriter, r *http.Request) {
	c, ok := s.collaboratorOf(w, r)
	if !ok {
		return
	}
	p := s.newPage(w, r, "collaborator.title", "collaborators")
	flashFrom(r, p)
	s.showCollaborator(w, r, http.StatusOK, p, c)
}

// panelCollaboratorPermissions limits the collaborator to the checked
// programs; "all" of a kind stores no limit, so programs created later are
// included too.
func (s *Server) panelCollaboratorPermissions(w http.ResponseWriter, r *http.Request) {
	parseForm(w, r)
	c, ok := s.collaboratorOf(w, r)
	if !ok {
		return
	}
	var cards, wallets *[]string
	if !r.PostForm.Has("all_cards") {
		keys := append([]string{}, r.PostForm["card"]...)
		cards = &keys
	}
	if !r.PostForm.Has("all_wallets") {
		keys := append([]string{}, r.PostForm["wallet"]...)
		wallets = &keys
	}
	if _, err := s.store.SetCollaboratorPermissions(r.Context(), c.MerchantID, c.ID, cards, wallets); err != nil {
		p := s.newPage(w, r, "collaborator.title", "collaborators")
		ref := s.refuse(r, p, err)
		p.Error = ref.msg
		s.showCollaborator(w, r, ref.status, p, c)
		return
	}
	http.Redirect(w, r, "/panel/collaborators/"+chi.URLParam(r, "id")+"?done=saved", http.StatusSeeOther)
}

// panelArchiveCollaborator archives the collaborator as /employee/disable
// does: by its number, which archives every active one with that number.
func (s *Server) panelArchiveCollaborator(w http.ResponseWriter, r *http.Request) {
	c, ok := s.collaboratorOf(w, r)
	if !ok {
		return
	}
	if c.Active() {
		if _, err := s.store.ArchiveCollaboratorByNumber(r.Context(), c.MerchantID, c.Number); err != nil {
			s.panelRefusal(w, r, err)
			return
		}
	}
	http.Redirect(w, r, "/panel/collaborators?done=archived", http.StatusSeeOther)
}

func (s *Server) showBlacklist(w http.ResponseWriter, r *http.Request, status int, p *panel.Page, phone string) {
	phones, err := s.store.Blacklist(r.Context(), sessionOf(r).MerchantID)
	if err != nil {
		s.panelFailed(w, r, err)
		return
	}
	p.Data = map[string]any{"Phones": phones, "Phone": phone}
	s.render(w, r, status, "blacklist", p)
}

func (s *Server) panelBlacklist(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "blacklist.title", "blacklist")
	flashFrom(r, p)
	s.showBlacklist(w, r, http.StatusOK, p, "")
}

func (s *Server) panelBlockPhone(w http.ResponseWriter, r *http.Request) {
	parseForm(w, r)
	phone := r.PostFormValue("phone")
	if err := s.store.BlockPhone(r.Context(), sessionOf(r).MerchantID, phone); err != nil {
		p := s.newPage(w, r, "blacklist.title", "blacklist")
		ref := s.refuse(r, p, err)
		p.Error = ref.msg
		s.showBlacklist(w, r, ref.status, p, phone)
		return
	}
	http.Redirect(w, r, "/panel/blacklist?done=blocked", http.StatusSeeOther)
}

func (s *Server) panelUnblockPhone(w http.ResponseWriter, r *http.Request) {
	if err := s.store.UnblockPhone(r.Context(), sessionOf(r).MerchantID, chi.URLParam(r, "phone")); err != nil {
		p := s.newPage(w, r, "blacklist.title", "blacklist")
		ref := s.refuse(r, p, err)
		p.Error = ref.msg
		s.showBlacklist(w, r, ref.status, p, "")
		return
	}
	http.Redirect(w, r, "/panel/blacklist?done=unblocked", http.StatusSeeOther)
}
