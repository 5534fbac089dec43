//go:build desktop

package main

import (
	"context"
	"fmt"
	"io/fs"
	"os"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"vitaran/backend/app"
)

// Desktop is bound to the window as window.go.main.Desktop.
type Desktop struct {
	app    *app.App
	bridge *app.Bridge
	ctx    context.Context
}

// Call runs one API request in-process (see app.Bridge).
func (d *Desktop) Call(method, path, body string) app.Reply { return d.bridge.Call(method, path, body) }

// Upload sends a file to an import route in-process (see app.Bridge.Upload).
func (d *Desktop) Upload(method, path, filename, data string) app.Reply {
	return d.bridge.Upload(method, path, filename, data)
}

// SaveFile asks where to save a download and writes it there.
func (d *Desktop) SaveFile(name string, data []byte) (string, error) {
	path, err := runtime.SaveFileDialog(d.ctx, runtime.SaveDialogOptions{DefaultFilename: name, Title: "Save " + name})
	if err != nil || path == "" {
		return "", err
	}
	return path, os.WriteFile(path, data, 0o644)
}

func (d *Desktop) startup(ctx context.Context) {
	d.ctx = ctx
	events, cancel := d.app.Events().Subscribe()
	go func() {
		defer cancel()
		for {
			select {
			case <-ctx.Done():
				return
			case p := <-events:
				runtime.EventsEmit(ctx, "progress", p)
			}
		}
	}()
}

func runDesktop(static fs.FS) int {
	dir := os.Getenv("VITARAN_DATA")
	a, err := app.Open(dir, app.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "vitaran:", err)
		return 1
	}
	defer a.Close()
	if gen, err := a.EnsureAdmin(os.Getenv("VITARAN_ADMIN_PASSWORD")); err != nil {
		fmt.Fprintln(os.Stderr, "vitaran:", err)
		return 1
	} else if gen != "" {
		fmt.Printf("First start: user admin, password %s\n", gen)
	}
	if err := a.StartBackups(); err != nil {
		fmt.Fprintln(os.Stderr, "vitaran: automatic backups:", err)
	}
	app.StartUploads(a)
	app.StartIRN(a, 0)
	d := &Desktop{app: a, bridge: a.NewBridge(static)}
	err = wails.Run(&options.App{
		Title:            "Vitaran",
		Width:            1360,
		Height:           860,
		MinWidth:         1024,
		MinHeight:        680,
		AssetServer:      &assetserver.Options{Assets: static},
		BackgroundColour: &options.RGBA{R: 248, G: 250, B: 252, A: 1},
		OnStartup:        d.startup,
		Bind:             []interface{}{d},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "vitaran:", err)
		return 1
	}
	return 0
}
