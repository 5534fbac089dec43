package irp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"vitaran/backend/gst/einvoice"
)

// Credentials log in to the IRP (or a GSP's passthrough of it).
type Credentials struct {
	BaseURL, GSTIN, Username, Password, ClientID, ClientSecret string
	// Mode is ModeGSP (also when empty) or ModeDirect (NIC's encrypted
	// API); PublicKey is the portal's RSA public key, PEM, that the direct
	// login is encrypted with.
	Mode, PublicKey string
}

// Client talks to the IRP. It logs in when it has no token and once more
// when the portal says the token is no longer valid.
type Client struct {
	Cred Credentials
	HTTP *http.Client

	mu    sync.Mutex
	token string
	sek   []byte // the direct API's session key, with its token
}

// NewClient makes a client; timeout bounds each request (30 s if 0).
func NewClient(c Credentials, timeout time.Duration) *Client {
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	return &Client{Cred: c, HTTP: &http.Client{Timeout: timeout}}
}

// PortalError is the portal's refusal: its codes and messages, and the IRN
// already given when the refusal is a duplicate (2150).
type PortalError struct {
	Problems []einvoice.Problem
	Dup      *DupIRN
}

func (e *PortalError) Error() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%s: %s", p.Code, p.Message)
	}
	return "IRP refused: " + b.String()
}

// Has reports whether the portal answered with code.
func (e *PortalError) Has(code string) bool {
	for _, p := range e.Problems {
		if p.Code == code {
			return true
		}
	}
	return false
}

// ErrUnreachable wraps every failure to get an answer from the portal
// (refused connection, timeout, a gateway's error page).
var ErrUnreachable = errors.New("the IRP could not be reached")

func (c *Client) direct() bool { return c.Cred.Mode == ModeDirect }

// login gets a token and, for the direct API, the session key (SEK) that
// opens and seals everything said under it.
func (c *Client) login(ctx context.Context) (string, []byte, error) {
	if !c.direct() {
		var data AuthData
		if err := c.call(ctx, "POST", PathAuth, AuthRequest{UserName: c.Cred.Username, Password: c.Cred.Password}, "", nil, &data); err != nil {
			return "", nil, err
		}
		c.mu.Lock()
		c.token, c.sek = data.AuthToken, nil
		c.mu.Unlock()
		return data.AuthToken, nil, nil
	}
	pub, err := ParsePublicKey(c.Cred.PublicKey)
	if err != nil {
		return "", nil, err
	}
	env, appKey, err := sealLogin(pub, c.Cred.Username, c.Cred.Password, false)
	if err != nil {
		return "", nil, err
	}
	var data DirectAuthData
	if err := c.call(ctx, "POST", PathAuth, env, "", nil, &data); err != nil {
		return "", nil, err
	}
	sek, err := Open(appKey, data.Sek)
	if err != nil || len(sek) != 32 {
		return "", nil, fmt.Errorf("%w: the login's Sek does not open with the app key: %v", ErrUnreachable, err)
	}
	c.mu.Lock()
	c.token, c.sek = data.AuthToken, sek
	c.mu.Unlock()
	return data.AuthToken, sek, nil
}

// do runs an authenticated call, logging in first or again as needed.
func (c *Client) do(ctx context.Context, method, path string, in, out any) error {
	c.mu.Lock()
	tok, sek := c.token, c.sek
	c.mu.Unlock()
	for try := 0; try < 2; try++ {
		if tok == "" {
			var err error
			if tok, sek, err = c.login(ctx); err != nil {
				return err
			}
		}
		err := c.call(ctx, method, path, in, tok, sek, out)
		var pe *PortalError
		if try == 0 && errors.As(err, &pe) && pe.Has(CodeInvalidToken) {
			tok = ""
			continue
		}
		return err
	}
	return nil
}

// call sends one request. With a session key (the direct API after login)
// the body goes sealed as {"Data": …} and the answer's Data is opened.
func (c *Client) call(ctx context.Context, method, path string, in any, token string, sek []byte, out any) error {
	var body io.Reader
	if in != nil {
		raw, err := json.Marshal(in)
		if err != nil {
			return err
		}
		if sek != nil {
			data, err := Seal(sek, raw)
			if err != nil {
				return err
			}
			raw, _ = json.Marshal(Envelope{Data: data})
		}
		body = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.Cred.BaseURL+path, body)
	if err != nil {
		return fmt.Errorf("IRP address %q: %w", c.Cred.BaseURL, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("client_id", c.Cred.ClientID)
	req.Header.Set("client_secret", c.Cred.ClientSecret)
	req.Header.Set("Gstin", c.Cred.GSTIN)
	if token != "" {
		req.Header.Set("user_name", c.Cred.Username)
		req.Header.Set("AuthToken", token)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrUnreachable, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return fmt.Errorf("%w: reply cut short: %v", ErrUnreachable, err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%w: HTTP %d", ErrUnreachable, resp.StatusCode)
	}
	return decodeReply(raw, sek, out)
}

// decodeReply reads the portal's envelope into out, or its refusal; with a
// session key the answer's Data is the sealed JSON.
func decodeReply(raw []byte, sek []byte, out any) error {
	var rp Reply
	if err := json.Unmarshal(raw, &rp); err != nil {
		return fmt.Errorf("%w: the reply is not the IRP's JSON: %v", ErrUnreachable, err)
	}
	if rp.Status != 1 {
		pe := &PortalError{Problems: rp.ErrorDetails}
		if len(pe.Problems) == 0 {
			pe.Problems = []einvoice.Problem{{Code: "0", Message: "refused without a reason"}}
		}
		for _, inf := range rp.InfoDtls {
			if inf.InfCd == "DUPIRN" {
				var d DupIRN
				if json.Unmarshal(inf.Desc, &d) == nil {
					pe.Dup = &d
				}
			}
		}
		return pe
	}
	// A passthrough may send Data as a JSON string holding the object; the
	// direct API sends the object sealed with the session key.
	data := rp.Data
	var s string
	if json.Unmarshal(data, &s) == nil {
		data = []byte(s)
		if sek != nil {
			plain, err := Open(sek, s)
			if err != nil {
				return fmt.Errorf("%w: the reply's Data does not open with the session key: %v", ErrUnreachable, err)
			}
			data = plain
		}
	} else if sek != nil && out != nil {
		return fmt.Errorf("%w: the direct API's reply Data is not sealed", ErrUnreachable)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("%w: the reply's Data is not what was asked: %v", ErrUnreachable, err)
	}
	return nil
}

// Generate asks for the document's IRN. A duplicate (2150) is answered by
// fetching the IRN already given, so a resend after a lost reply ends with
// the same IRN, never an error or a second one.
func (c *Client) Generate(ctx context.Context, d *einvoice.Document) (IRNData, error) {
	var out IRNData
	err := c.do(ctx, "POST", PathGenerate, d, &out)
	var pe *PortalError
	if errors.As(err, &pe) && pe.Has(CodeDuplicateIRN) {
		got, ferr := c.ByDocument(ctx, d.DocDtls.Typ, d.DocDtls.No, d.DocDtls.Dt)
		if ferr != nil {
			return got, ferr
		}
		if pe.Dup != nil && pe.Dup.Irn != "" && !strings.EqualFold(pe.Dup.Irn, got.Irn) {
			return got, fmt.Errorf("the IRP answered duplicate IRN %s but gave %s for %s", pe.Dup.Irn, got.Irn, d.DocDtls.No)
		}
		return got, nil
	}
	return out, err
}

// ByDocument fetches the IRN of a document (type INV/CRN, number, dd/mm/yyyy).
func (c *Client) ByDocument(ctx context.Context, typ, number, date string) (IRNData, error) {
	var out IRNData
	q := url.Values{"doctype": {typ}, "docnum": {number}, "docdate": {date}}
	err := c.do(ctx, "GET", PathByDoc+"?"+q.Encode(), nil, &out)
	return out, err
}

// Cancel cancels an IRN (reason 1–4, remark ≤ 100 characters).
func (c *Client) Cancel(ctx context.Context, irn string, reason int, remark string) (CancelData, error) {
	var out CancelData
	if r := []rune(remark); len(r) > 100 {
		remark = string(r[:100])
	}
	err := c.do(ctx, "POST", PathCancel, CancelRequest{Irn: irn, CnlRsn: fmt.Sprint(reason), CnlRem: remark}, &out)
	return out, err
}
