package irp

import (
	"errors"
	"fmt"
	"strings"

	"vitaran/backend/gst/einvoice"
)

// reasons put the portal's most frequent refusals in the clerk's words, with
// what to do (the codes the anchors — ERPNext's india-compliance and
// TallyPrime — meet most).
var reasons = map[string]string{
	CodeDuplicateIRN:           "The portal already gave this document an IRN. Vitaran fetches it by the document's number; if that fails, press Retry.",
	einvoice.CodeInvalidHSN:    "An item's HSN code is not in the portal's HSN list. Correct the HSN on the item master, then press Retry.",
	CodeFetchTooLate:           "The portal keeps an IRN's details by document for only 72 hours. Ask your GSP for the IRN of this document, or look it up on the e-invoice portal and enter it in the offline import.",
	einvoice.CodeGSTINInvalid:  "The buyer's GSTIN is not on the GST portal. Check the outlet's GSTIN against its certificate, correct it, then press Retry.",
	einvoice.CodeGSTINInactive: "The buyer's GSTIN is not active (cancelled or suspended). Bill this outlet as unregistered (clear its GSTIN) after checking with it; a B2C bill needs no IRN.",
	CodeDateTooOld:             "The invoice is older than the portal accepts (30 days for turnover above ₹10 crore). It can no longer get an IRN: talk to your accountant.",
	einvoice.CodeValidation:    "The portal found a mistake in the invoice's figures or details (shown below). Correct the master named, then press Retry.",
	CodeCancelTooLate:          "The IRN is more than 24 hours old: it can no longer be cancelled. Make a credit note (sales return) instead.",
	CodeNotActive:              "The IRN is already cancelled on the portal.",
	CodeInvalidToken:           "The portal logged Vitaran out. It logs in again by itself; if this stays, check the IRP user on the Company screen.",
	CodeBadLogin:               "The IRP user name or password is wrong. Correct them on the Company screen.",
	CodeBadClient:              "The IRP client id or client secret is wrong. Correct them on the Company screen (your GSP or the e-invoice portal's API registration gives them).",
	CodeNoGSTIN:                "The company has no GSTIN. Fill it on the Company screen.",
	CodeWrongGSTIN:             "The company's GSTIN is not the one the IRP user is registered for. Check the GSTIN and the IRP user on the Company screen.",
	CodeBadPassword:            "The portal could not read the login: the IRP public key on the Company screen is not the portal's. Download it again from the e-invoice portal (API user management).",
	CodeBadAppKey:              "The portal could not read the login's app key: the IRP public key on the Company screen is not the portal's. Download it again from the e-invoice portal (API user management).",
	CodeFutureDate:             "The document is dated after today on the portal's clock. Check the computer's date; the portal takes it on its date.",
	einvoice.CodeIGSTOnIntra:   "The portal says this supply is within the state but the bill charges IGST. Check the outlet's state and GSTIN, correct, then press Retry.",
	einvoice.CodeCGSTOnInter:   "The portal says this supply crosses states but the bill charges CGST and SGST. Check the outlet's state and GSTIN, correct, then press Retry.",
	einvoice.CodeTaxableTotal:  sumsDiffer,
	einvoice.CodeInvoiceTotal:  sumsDiffer,
	einvoice.CodeAssessable:    sumsDiffer,
	CodeBadSeller:              "The company's GSTIN is not the one the IRP user belongs to. Check the GSTIN and the IRP user on the Company screen.",
	CodeIRNNotFound:            "The portal has no IRN for this document yet. Press Retry to ask for one.",
}

const sumsDiffer = "The portal's sums of the bill differ from the bill's own (shown below). Vitaran checks these before sending, so report it with the bill's number; the bill stays valid and can go by the offline route meanwhile."

// Explain says an IRP failure in the clerk's words: the portal's codes and
// messages, what they mean and what to do.
func Explain(err error) (code, text string) {
	if err == nil {
		return "", ""
	}
	var pe *PortalError
	if errors.As(err, &pe) {
		var parts []string
		for _, p := range pe.Problems {
			if code == "" {
				code = p.Code
			}
			parts = append(parts, fmt.Sprintf("%s %s", p.Code, p.Message))
		}
		why := reasons[code]
		if why == "" {
			why = "The portal refused the document. Correct what it names, then press Retry."
		}
		return code, why + " (portal: " + strings.Join(parts, "; ") + ")"
	}
	if errors.Is(err, ErrUnreachable) {
		return "", "The IRP could not be reached (internet or portal down). Billing goes on; Vitaran tries again by itself. (" + err.Error() + ")"
	}
	return "", err.Error()
}
