package providersidecar

import (
	"bytes"
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"
)

// sidecarBinary is $PROVIDER_SIDECAR_BIN, else the debug build at the repository root.
func sidecarBinary() string {
	if p := os.Getenv("PROVIDER_SIDECAR_BIN"); p != "" {
		return p
	}
	abs, _ := filepath.Abs(filepath.Join("..", "..", ".build", "debug", "provider-sidecar"))
	return abs
}

// lockedBuffer collects the sidecar's log for failure reports.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startSidecar runs the real `provider-sidecar serve` with the simulated provider on a temporary socket
// and returns the socket path; the test is skipped only when the binary does not exist.
func startSidecar(t *testing.T) string { return startSidecarWithListeners(t)[""] }

// startSidecarWithListeners is startSidecar returning both listeners: "" is unbound, "coder" is bound
// to agent coder (the conformance sessions' `listener: coder`).
func startSidecarWithListeners(t *testing.T) map[string]string {
	t.Helper()
	bin := sidecarBinary()
	if _, err := os.Stat(bin); err != nil {
		t.Skipf("no provider-sidecar binary at %s (set PROVIDER_SIDECAR_BIN or run `swift build`)", bin)
	}
	dir, err := os.MkdirTemp("/tmp", "psgo-e2e-") // short: socket paths are limited to 107 bytes
	if err != nil {
		t.Fatal(err)
	}
	sock, coderSock := filepath.Join(dir, "sidecar.sock"), filepath.Join(dir, "coder.sock")
	models := []string{"sim-echo", "sim-fast", "sim-tools", "sim-pace-200", "sim-hang", "sim-fail-400"}
	var chain []string // an agent may use only the models its chain lists
	for _, m := range models {
		chain = append(chain, "sim/"+m)
	}
	config, _ := json.Marshal(map[string]any{
		"listen":    []any{map[string]any{"path": sock}, map[string]any{"path": coderSock, "agent": "coder"}},
		"ledger":    map[string]any{"path": filepath.Join(dir, "ledger.sqlite")},
		"providers": []any{map[string]any{"name": "sim", "kind": "simulated", "models": models}},
		"agents": map[string]any{"default": map[string]any{"models": chain},
			"coder": map[string]any{"models": []string{"sim/sim-echo"}}},
	})
	configPath := filepath.Join(dir, "config.json")
	if err := os.WriteFile(configPath, config, 0o600); err != nil {
		t.Fatal(err)
	}
	log := &lockedBuffer{}
	cmd := exec.Command(bin, "serve", "--config", configPath)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(60 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
		if t.Failed() {
			t.Logf("sidecar log:\n%s", log.String())
		}
		os.RemoveAll(dir)
	})
	// Readiness polling, not a timed assertion: the deadline only turns a hang into a report.
	deadline := time.Now().Add(120 * time.Second)
	for {
		select {
		case err := <-exited:
			t.Fatalf("the sidecar exited (%v):\n%s", err, log.String())
		default:
		}
		if conn, err := net.Dial("unix", sock); err == nil {
			conn.Close()
			return map[string]string{"": sock, "coder": coderSock}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the sidecar did not listen on %s:\n%s", sock, log.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}
