// Package providersidecar is the Go client of ProviderSidecar, the daemon that gives containerized
// agents one Unix socket for every LLM provider, with failover, budgets and a token ledger.
//
// It speaks protocol v1 (proto-spec/PROTOCOL.md): each message is a u32 big-endian length and one
// JSON object. A Client holds one connection and is safe for concurrent use; its requests are
// multiplexed and a single reader goroutine routes replies by request id.
//
//	client, err := providersidecar.Dial(ctx, "") // $PROVIDER_SIDECAR_SOCKET or the default path
//	if err != nil {
//		log.Fatal(err) // says how to start the sidecar when it is not running
//	}
//	defer client.Close()
//	stream, err := client.Complete(ctx, &providersidecar.Request{
//		Model:    "sim-echo",
//		Messages: []providersidecar.Message{providersidecar.UserText("Say hi")},
//	})
//	if err != nil {
//		log.Fatal(err)
//	}
//	for stream.Next() {
//		fmt.Print(stream.Chunk().Delta.Text)
//	}
//	if err := stream.Err(); errors.Is(err, providersidecar.ErrRateLimited) {
//		// back off and retry
//	}
//	fmt.Println(stream.Result().Usage.OutputTokens)
//
// Cancelling the context passed to Complete sends cancel to the sidecar. Errors the sidecar reports
// are *Error values matching the per-code sentinels (ErrRateLimited, ErrBudgetExceeded, ...) with
// errors.Is; transport failures are *DialError (matching ErrNoSidecar) and ErrClosed.
package providersidecar
