// Command go_agent is a minimal tool-using agent on ProviderSidecar, in Go.
//
// It asks for the weather, streams the answer as it arrives, runs the tool the model calls, sends the
// result back, and prints the usage of every turn. Offline, against the simulated provider:
//
//	provider-sidecar serve --config examples/sim-config.json &
//	cd examples/go_agent && go run .
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"

	sidecar "providersidecar"
)

var weatherTool = sidecar.Tool{
	Name:        "get_weather",
	Description: "Current weather for a city",
	InputSchema: map[string]any{
		"type":       "object",
		"properties": map[string]any{"city": map[string]any{"type": "string"}},
		"required":   []string{"city"},
	},
}

// getWeather is the agent's own tool; a real agent would call a weather service here.
func getWeather(input json.RawMessage) string {
	var args struct{ City string }
	_ = json.Unmarshal(input, &args)
	out, _ := json.Marshal(map[string]any{"city": args.City, "temperature_c": 18, "sky": "clear"})
	return string(out)
}

func main() {
	socket := flag.String("socket", "", "sidecar socket (default: PROVIDER_SIDECAR_SOCKET or the standard path)")
	model := flag.String("model", "", "model or alias (default: the agent's failover chain)")
	agent := flag.String("agent", "", "agent name, on sockets not bound to one")
	flag.Parse()
	prompt := "What is the weather in Paris?"
	if flag.NArg() > 0 {
		prompt = flag.Arg(0)
	}
	// Ctrl-C cancels the context, which cancels the request in flight.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, *socket, *model, *agent, prompt); err != nil {
		var e *sidecar.Error
		if errors.As(err, &e) {
			fmt.Fprintf(os.Stderr, "error: %v (retryable: %v)\n", err, e.Retryable)
		} else {
			fmt.Fprintln(os.Stderr, "error:", err)
		}
		os.Exit(1)
	}
}

func run(ctx context.Context, socket, model, agent, prompt string) error {
	client, err := sidecar.Dial(ctx, socket)
	if err != nil {
		return err
	}
	defer client.Close()
	req := &sidecar.Request{Model: model, Agent: agent, Tools: []sidecar.Tool{weatherTool},
		Messages: []sidecar.Message{sidecar.UserText(prompt)}}
	for turn := 1; turn <= 4; turn++ {
		stream, err := client.Complete(ctx, req)
		if err != nil {
			return err
		}
		for stream.Next() {
			switch d := stream.Chunk().Delta; d.Type {
			case "text":
				fmt.Print(d.Text)
			case "tool_use":
				fmt.Printf("\n[calling %s]\n", d.Name)
			}
		}
		if err := stream.Err(); err != nil {
			return err
		}
		r := stream.Result()
		cost := "n/a"
		if r.Usage.CostUSD != nil {
			cost = fmt.Sprintf("$%.6f", *r.Usage.CostUSD)
		}
		fmt.Println()
		fmt.Fprintf(os.Stderr, "[turn %d: %s/%s, %d in + %d out tokens, cost %s]\n",
			turn, r.Provider, r.Model, r.Usage.InputTokens, r.Usage.OutputTokens, cost)
		calls := r.ToolCalls()
		if len(calls) == 0 {
			return nil
		}
		req.Messages = append(req.Messages, r.AssistantMessage())
		var results []sidecar.Block
		for _, call := range calls {
			output := `{"error": "unknown tool"}`
			switch {
			case call.Incomplete: // arguments cut off by max_tokens: never run it
				output = `{"error": "incomplete arguments"}`
			case call.Name == weatherTool.Name:
				output = getWeather(call.Input)
			}
			fmt.Fprintf(os.Stderr, "[%s(%s) -> %s]\n", call.Name, call.Input, output)
			results = append(results, sidecar.ToolResult(call.ID, output, false))
		}
		req.Messages = append(req.Messages, sidecar.Message{Role: "user", Content: results})
	}
	return nil
}
