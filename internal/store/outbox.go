package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"github.com/puntos/puntos/internal/secret"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/puntos/puntos/internal/ledger"
)

// The transactional outbox: webhooks and customer messages are rows written
// by the same database transaction as the change that caused them, so a
// committed sale always has its events and a failed one never does. A worker
// (internal/http/webhooks.go) claims due rows, delivers them and records
// every attempt.

// outboxEvent is what every outbox row of one write shares.
type outboxEvent struct {
	program   Program
	programID int64
	now       time.Time
}

func marshalEvent(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

func enqueue(ctx context.Context, tx pgx.Tx, m Merchant, ev outboxEvent, kind, event, target string, body any) error {
	b, err := marshalEvent(body)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO outbox (merchant_id, kind, event, program, program_id, target, body, next_attempt_at, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)`, m.ID, kind, event, string(ev.program), ev.programID, target, string(b), ev.now)
	return interpretError(err)
}

// enqueueWebhook queues one webhook event to a program's URL.
func enqueueWebhook(ctx context.Context, tx pgx.Tx, m Merchant, ev outboxEvent, url, event string, body any) error {
	return enqueue(ctx, tx, m, ev, "webhook", event, url, body)
}

// Message is the body of a customer message as the http messaging channel
// receives it (and the log channel logs it).
type Message struct {
	To    string `json:"to"`
	Event string `json:"event"`
	Text  string `json:"text"`
}

// enqueueMessage queues one SMS/WhatsApp message to a phone; the caller
// charged the merchant's credit.
func enqueueMessage(ctx context.Context, tx pgx.Tx, m Merchant, ev outboxEvent, event, phone, text string) error {
	return enqueue(ctx, tx, m, ev, "message", event, phone, Message{To: phone, Event: event, Text: text})
}

func welcomeText(name, program, link string) string {
	return fmt.Sprintf("¡Hola %s! Ya eres parte de %s. Consulta tu saldo en %s", name, program, link)
}

// PublicURLPlaceholder stands for the server's PUBLIC_URL in queued
// messages; the delivery worker, which knows the configuration, expands it.
const PublicURLPlaceholder = "{public_url}"

// customerLink is the contact's signed customer page of a program (the
// *_app_client URL plus a token naming the contact), with the public URL
// left as PublicURLPlaceholder.
func customerLink(ctx context.Context, tx pgx.Tx, merchantID, contactID int64, programKey string) (string, error) {
	var key []byte
	if err := tx.QueryRow(ctx, `SELECT secret FROM server_keys WHERE name = 'customer_link'`).Scan(&key); err != nil {
		return "", interpretError(err)
	}
	return PublicURLPlaceholder + "/c/" + programKey + "/" + secret.SignContact(key, merchantID, contactID, programKey), nil
}

// registeredUserEvent is the registered_user webhook body, keys in the
// seed's order.
type registeredUserEvent struct {
	Type            string `json:"type"`
	Agenda          string `json:"agenda"`
	ContactName     string `json:"contact_name"`
	ContactEmail    string `json:"contact_email"`
	ContactNumber   string `json:"contact_number"`
	ContactBirth    string `json:"contact_birth"`
	ContactCity     string `json:"contact_city"`
	ContactState    string `json:"contact_state"`
	ContactCP       string `json:"contact_cp"`
	CustomField1    string `json:"custom_field_1"`
	CustomField2    string `json:"custom_field_2"`
	ContactResponse string `json:"contact_response"`
	Date            string `json:"date"`
}

func registeredUser(c hookContact, agenda, date string) registeredUserEvent {
	birth := ""
	if c.birthdate != nil {
		birth = c.birthdate.Format("2006-01-02")
	}
	return registeredUserEvent{Type: "registered_user", Agenda: agenda, ContactName: c.name, ContactEmail: c.email,
		ContactNumber: c.phone, ContactBirth: birth, ContactCity: c.city, ContactState: c.state, ContactCP: c.cp,
		CustomField1: c.cf1, CustomField2: c.cf2, Date: date}
}

// purchaseEvent is the Purchase webhook body: data names the card
// (loyaltyCard) or, for wallets, the wallet (ext).
type purchaseEvent struct {
	EventName string       `json:"event_name"`
	Data      purchaseData `json:"data"`
	Date      string       `json:"date"`
}

type purchaseData struct {
	LoyaltyCard string          `json:"loyaltyCard,omitempty"`
	Wallet      string          `json:"wallet,omitempty"`
	Currency    string          `json:"currency"`
	Value       json.RawMessage `json:"value"`
}

// purchase builds the Purchase event of a sale of amount (hundredths).
func purchase(p Program, name string, amount ledger.Amount, date string) purchaseEvent {
	d := purchaseData{Currency: "MXN", Value: json.RawMessage(amount.NumberText())}
	if p == ProgramCard {
		d.LoyaltyCard = "Loyalty card '" + name + "'"
	} else {
		d.Wallet = "Wallet '" + name + "'"
	}
	return purchaseEvent{EventName: "Purchase", Data: d, Date: date}
}
