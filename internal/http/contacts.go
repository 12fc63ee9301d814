package http

import (
	"bufio"
	"errors"
	"net/http"
	"strconv"

	"github.com/puntos/puntos/internal/store"
)

// contactAddCodes are one contact add endpoint's answers, in its table's order.
type contactAddCodes struct {
	program                                            store.Program
	keyField                                           string
	keyMissing, phoneMissing, phoneFormat, nameMissing apikeyError
	userMissing, storage                               apikeyError
	byErr                                              map[error]apikeyError
	ok                                                 string
}

var cardContactAdd = contactAddCodes{
	program: store.ProgramCard, keyField: "loyalty_key",
	keyMissing: errLoyaltyContactAdd02, phoneMissing: errLoyaltyContactAdd03, phoneFormat: errLoyaltyContactAdd04,
	nameMissing: errLoyaltyContactAdd05, userMissing: errLoyaltyContactAdd06, storage: errLoyaltyContactAdd07,
	byErr: map[error]apikeyError{
		store.ErrProgramNotFound:      errLoyalty02,
		store.ErrProgramDisabled:      errLoyalty03,
		store.ErrCollaboratorNotFound: errToolusers01NotOwner,
		store.ErrLadaNotSupported:     errLoyaltyContactAdd15,
		store.ErrLandline:             errLoyaltyContactAdd09,
		store.ErrBirthdate:            errLoyaltyContactAdd10,
		store.ErrContactDisabled:      errLoyaltyContactAdd08,
		store.ErrAlreadyEnrolled:      errLoyaltyContactAdd14,
		store.ErrContactQuota:         errLoyaltyContactAdd16,
		store.ErrNoMessagingChannel:   errWelcomeMessage02,
		store.ErrMessageCredit:        errLoyaltyContactAdd18,
	},
	ok: "loyalty_contact_add_01",
}

var walletContactAdd = contactAddCodes{
	program: store.ProgramWallet, keyField: "wallet_key",
	keyMissing: errContactAdd02, phoneMissing: errContactAdd03, phoneFormat: errContactAdd04,
	nameMissing: errContactAdd05, userMissing: errContactAdd06, storage: errWalletManager10,
	byErr: map[error]apikeyError{
		store.ErrProgramNotFound:      errContactAdd07,
		store.ErrProgramDisabled:      errContactAdd07,
		store.ErrCollaboratorNotFound: errToolusers01NotOwner,
		store.ErrLadaNotSupported:     errWalletManager15,
		store.ErrLandline:             errWalletManager14,
		store.ErrBirthdate:            errWalletManager09,
		store.ErrAlreadyEnrolled:      errWalletManager08,
		store.ErrContactQuota:         errWalletManager18,
		store.ErrNoMessagingChannel:   errWelcomeMessage02,
		store.ErrMessageCredit:        errWalletManager11,
	},
	ok: "contact_add_01",
}

func (s *Server) cardContactAdd(w http.ResponseWriter, r *http.Request) {
	s.contactAdd(w, r, cardContactAdd)
}

func (s *Server) walletContactAdd(w http.ResponseWriter, r *http.Request) {
	s.contactAdd(w, r, walletContactAdd)
}

// contactAdd serves /loyalty/contact/add and /wallet/contact/add: format
// checks here, in the table's order, then every check that needs data and
// the write in one store transaction.
func (s *Server) contactAdd(w http.ResponseWriter, r *http.Request, c contactAddCodes) {
	f, ok := apikeyRequest(w, r, c.keyMissing)
	if !ok {
		return
	}
	in := store.ContactAdd{Program: c.program, Key: f.get(c.keyField), Name: f.get("customer_name")}
	var phoneOK bool
	in.Phone, phoneOK = store.NormalizePhone(f.get("phone"))
	switch {
	case in.Key == "":
		writeAPIKeyError(w, r, c.keyMissing)
		return
	case f.get("phone") == "":
		writeAPIKeyError(w, r, c.phoneMissing)
		return
	case !phoneOK:
		writeAPIKeyError(w, r, c.phoneFormat)
		return
	case in.Name == "":
		writeAPIKeyError(w, r, c.nameMissing)
		return
	case f.get("usertool_id") == "":
		writeAPIKeyError(w, r, c.userMissing)
		return
	}
	in.CollaboratorID, _ = parseID(f.get("usertool_id"))
	if b := f.get("customer_birthdate"); b != "" {
		d, ok := parseBirthdate(b)
		in.Birthdate, in.BadBirthdate = &d, !ok
		if !ok {
			in.Birthdate = nil
		}
	}
	if err := s.store.AddContact(r.Context(), apikeyMerchant(r), in); err != nil {
		s.apikeyStoreError(w, r, err, c.byErr, c.storage)
		return
	}
	apikeySuccess(w, r, apikeyAnswer{code: c.ok, message: "Contacto creado correctamente."})
}

// apikeyStoreError answers a store error with the endpoint's code for it,
// or the endpoint's storage-failure code (logged) for anything unexpected.
func (s *Server) apikeyStoreError(w http.ResponseWriter, r *http.Request, err error, byErr map[error]apikeyError, storage apikeyError) {
	for target, e := range byErr {
		if errors.Is(err, target) {
			writeAPIKeyError(w, r, e)
			return
		}
	}
	s.log.Error("apikey store", "path", r.URL.Path, "err", err)
	writeAPIKeyError(w, r, storage)
}

// contactGetCodes are one contact listing endpoint's answers.
type contactGetCodes struct {
	program                         store.Program
	keyField                        string
	keyMissing, phoneFormat, paging apikeyError
	programMissing, notEnrolled     apikeyError
	ok                              string
}

var cardContactGet = contactGetCodes{
	program: store.ProgramCard, keyField: "loyalty_key",
	keyMissing: errLoyaltyContactGet02, phoneFormat: errLoyaltyContactGet03, paging: errLoyaltyContactGet06,
	programMissing: errLoyaltyContactGet04, notEnrolled: errLoyaltyContactGet05,
	ok: "loyalty_contact_get_01",
}

var walletContactGet = contactGetCodes{
	program: store.ProgramWallet, keyField: "wallet_key",
	keyMissing: errBalanceGet02, phoneFormat: errBalanceGet03, paging: errBalanceGet06,
	programMissing: errBalanceGet05, notEnrolled: errBalanceGet04,
	ok: "balance_get_01",
}

func (s *Server) cardContactGet(w http.ResponseWriter, r *http.Request) {
	s.contactGet(w, r, cardContactGet)
}

func (s *Server) walletContactGet(w http.ResponseWriter, r *http.Request) {
	s.contactGet(w, r, walletContactGet)
}

// contactGet serves /loyalty/contact/get and /wallet/contact/get: one
// contact (an object) with phone, else every member (a list) streamed from
// the database cursor into the response.
func (s *Server) contactGet(w http.ResponseWriter, r *http.Request, c contactGetCodes) {
	f, ok := apikeyRequest(w, r, c.keyMissing)
	if !ok {
		return
	}
	key, rawPhone := f.get(c.keyField), f.get("phone")
	phone, phoneOK := store.NormalizePhone(rawPhone)
	limit, lok := pagingParam(f.get("limit"))
	offset, ook := pagingParam(f.get("offset"))
	switch {
	case key == "":
		writeAPIKeyError(w, r, c.keyMissing)
		return
	case rawPhone != "" && !phoneOK:
		writeAPIKeyError(w, r, c.phoneFormat)
		return
	case !lok || !ook:
		writeAPIKeyError(w, r, c.paging)
		return
	}
	m := apikeyMerchant(r)
	if rawPhone != "" {
		row, err := s.store.MemberByKey(r.Context(), m.ID, c.program, key, phone)
		if err != nil {
			s.apikeyStoreError(w, r, err, map[error]apikeyError{store.ErrProgramNotFound: c.programMissing,
				store.ErrNotFound: c.notEnrolled}, errInternal01)
			return
		}
		apikeySuccess(w, r, apikeyAnswer{code: c.ok, result: memberJSON{row: row, card: c.program == store.ProgramCard}})
		return
	}
	programID, err := s.programID(r, c.program, key)
	if err != nil {
		s.apikeyStoreError(w, r, err, map[error]apikeyError{store.ErrNotFound: c.programMissing}, errInternal01)
		return
	}
	s.streamMembers(w, r, c, m.ID, programID, limit, offset)
}

// streamMembers writes the list answer row by row. Once the first byte is
// out the status cannot change, so a database failure mid-stream aborts the
// connection: the client sees a broken response, never a short list that
// looks complete.
func (s *Server) streamMembers(w http.ResponseWriter, r *http.Request, c contactGetCodes, merchantID, programID, limit, offset int64) {
	noteCode(r, c.ok)
	w.Header()["Content-Type"] = jsonContentType
	bw := bufio.NewWriterSize(w, 32<<10)
	card := c.program == store.ProgramCard
	var row []byte
	started, first := false, true
	err := s.store.StreamMembers(r.Context(), merchantID, c.program, programID, limit, offset, func(m store.MemberRow) error {
		if !started {
			w.WriteHeader(http.StatusOK)
			bw.WriteString(`{"success":true,"result":[`)
			started = true
		}
		if !first {
			bw.WriteByte(',')
		}
		first = false
		row = memberJSON{row: m, card: card}.appendJSON(row[:0])
		row = append(row, '\n') // each row ends as json.Encoder ended it
		_, err := bw.Write(row)
		return err
	})
	if err != nil {
		if !started {
			s.log.Error("apikey contacts", "err", err)
			writeAPIKeyError(w, r, errInternal01)
			return
		}
		s.log.Error("apikey contacts stream", "err", err)
		panic(http.ErrAbortHandler)
	}
	if !started {
		w.WriteHeader(http.StatusOK)
		bw.WriteString(`{"success":true,"result":[`)
	}
	bw.WriteString(`],"status":200,"code":"` + c.ok + `"}` + "\n")
	_ = bw.Flush()
}

// pagingParam reads the optional limit/offset (ext): empty is 0, otherwise
// a non-negative integer.
func pagingParam(s string) (int64, bool) {
	if s == "" {
		return 0, true
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && n >= 0
}

// programID resolves a card or wallet key of the request's merchant.
func (s *Server) programID(r *http.Request, p store.Program, key string) (int64, error) {
	m := apikeyMerchant(r)
	if p == store.ProgramCard {
		c, err := s.store.Card(r.Context(), m.ID, key)
		return c.ID, err
	}
	w, err := s.store.Wallet(r.Context(), m.ID, key)
	return w.ID, err
}
