package irp

import (
	"encoding/base64"
	"fmt"

	qrcode "github.com/skip2/go-qrcode"
)

// QRModulePixels is the size of one QR module in the image: 4 px prints
// about 0.34 mm a module at 300 dpi, which phone apps and the GST verify app
// read from an A4 or A5 invoice.
const QRModulePixels = 4

// QRImage draws the IRP's signed QR code (the JWT the portal returned) as a
// PNG data URL for the printed document. Medium error correction, as the
// signed payload runs to ~1,000 characters and the code must stay readable
// at the ~3 cm the invoice header gives it (e-invoice FAQ: the QR is to be
// printed on the invoice as received; the portal does not send an image).
func QRImage(signed string) (string, error) {
	if signed == "" {
		return "", fmt.Errorf("no signed QR code")
	}
	png, err := qrcode.Encode(signed, qrcode.Medium, -QRModulePixels)
	if err != nil {
		return "", fmt.Errorf("drawing the QR code: %w", err)
	}
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(png), nil
}
