package providersidecar

import (
	"context"
	"errors"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// A missing socket is a DialError that names the fix and unwraps to fs.ErrNotExist.
func TestMissingSocketSaysHowToStart(t *testing.T) {
	_, err := Dial(context.Background(), filepath.Join(t.TempDir(), "absent.sock"))
	if !errors.Is(err, ErrNoSidecar) || !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("err %v", err)
	}
	if !strings.Contains(err.Error(), "provider-sidecar serve") || !strings.Contains(err.Error(), "PROVIDER_SIDECAR_SOCKET") {
		t.Fatalf("message %q", err)
	}
}

// A socket file nobody listens on is reported as refused, with the same hint.
func TestRefusedSocketSaysHowToStart(t *testing.T) {
	dir, _ := os.MkdirTemp("/tmp", "psgo-")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "stale.sock")
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	ln.SetUnlinkOnClose(false)
	ln.Close()
	_, err = Dial(context.Background(), path)
	if !errors.Is(err, syscall.ECONNREFUSED) || !strings.Contains(err.Error(), "refused") ||
		!strings.Contains(err.Error(), "provider-sidecar serve") {
		t.Fatalf("err %v", err)
	}
}

// Every wire code has a sentinel, and errors.Is matches by code only.
func TestSentinelsMatchByCode(t *testing.T) {
	sentinels := []*Error{ErrBadRequest, ErrUnknownType, ErrFrameTooLarge, ErrDuplicateID, ErrUnknownModel, ErrForbidden,
		ErrBudgetExceeded, ErrRateLimited, ErrOverloaded, ErrUpstreamError, ErrUpstreamInterrupted, ErrTimeout,
		ErrCancelled, ErrNoProviderAvailable, ErrShuttingDown, ErrLedgerUnavailable, ErrInternal}
	seen := map[Code]bool{}
	for _, s := range sentinels {
		seen[s.Code] = true
		wrapped := &Error{Code: s.Code, Message: "m", RequestID: "r"}
		if !errors.Is(wrapped, s) {
			t.Fatalf("%s does not match its sentinel", s.Code)
		}
	}
	if len(seen) != 17 {
		t.Fatalf("%d distinct codes", len(seen))
	}
	if errors.Is(&Error{Code: CodeTimeout}, ErrCancelled) {
		t.Fatal("matched another code")
	}
}

// The default path follows PROVIDER_SIDECAR_SOCKET, then XDG_RUNTIME_DIR, then /tmp.
func TestDefaultSocketPath(t *testing.T) {
	t.Setenv("PROVIDER_SIDECAR_SOCKET", "/x.sock")
	t.Setenv("XDG_RUNTIME_DIR", "/run/user/7")
	if DefaultSocketPath() != "/x.sock" {
		t.Fatal(DefaultSocketPath())
	}
	t.Setenv("PROVIDER_SIDECAR_SOCKET", "")
	if DefaultSocketPath() != "/run/user/7/provider-sidecar/sidecar.sock" {
		t.Fatal(DefaultSocketPath())
	}
	t.Setenv("XDG_RUNTIME_DIR", "relative/ignored")
	if !strings.HasPrefix(DefaultSocketPath(), "/tmp/provider-sidecar-") {
		t.Fatal(DefaultSocketPath())
	}
}
