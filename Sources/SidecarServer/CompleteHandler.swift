import SidecarTransport
import Foundation
import SidecarConfig
import SidecarLedger
import SidecarProtocol
import SidecarRegistry
import SidecarSpending
import Synchronization

/// Runs one `complete` request: agent binding, budget reservation, the registry's failover chain with
/// chunks streamed under backpressure, pricing, the ledger row, and finally the terminal message.
///
/// The ledger row is committed before the terminal message is returned, so usage a client has seen is on disk.
/// It knows no socket: chunks go to a `ChunkSink`, so it runs in-process in tests.
struct CompleteHandler: Sendable {
    let context: SidecarContext
    let origin: RequestOrigin
    let sink: any ChunkSink
    /// True once the sidecar is shutting down: a cancellation is then reported as `shutting_down`.
    let shuttingDown: @Sendable () -> Bool

    func run(_ request: CompletionRequest) async -> ServerMessage {
        let started = Date()
        let named: String
        if let bound = origin.boundAgent {
            if let claimed = request.agent, claimed != bound {
                return fail(request, SidecarError(
                    .forbidden, "this socket is bound to agent \"\(bound)\"; it cannot act as \"\(claimed)\""))
            }
            named = bound
        } else {
            named = request.agent ?? SidecarContext.defaultAgent
        }
        // An agent the config does not list runs as `default` in every respect (routing, budget, rate
        // limit, ledger row), so inventing names cannot buy a fresh budget.
        let agent = context.routing.accountableAgent(named)
        log(.info, "request.start", request, agent: agent, [
            ("model", request.model ?? "(agent default)"), ("named_agent", named == agent ? nil : named),
        ])

        if let refusal = context.ledger.admissionError { return fail(request, refusal) }
        let reservation: Reservation
        do throws(SidecarError) {
            let candidates = try context.registry.resolve(agent: agent, model: request.model)
            let price = candidates.first.flatMap { context.pricing.price(provider: $0.provider, model: $0.model) }
            let estimate = ReservationEstimate(
                request: request, maxTokens: context.maxTokens(for: request, agent: agent), price: price)
            reservation = try context.budgets.reserve(
                agent: agent, budget: context.agentBudgets[agent] ?? Budget(), estimate: estimate, now: started)
        } catch {
            log(.warn, "request.refused", request, agent: agent, [("code", error.code.rawValue), ("message", error.message)])
            return fail(request, error)
        }

        let sequence = ChunkSequence()
        let finished = await context.registry.complete(request, agent: agent) { delta in
            await sink.stream(.chunk(id: request.id, seq: sequence.next(), delta: delta))
        }
        let (outcome, implausible) = UsageScreen.screen(finished)
        if let implausible {
            log(.warn, "usage.implausible", request, agent: agent, [
                ("reported", implausible), ("recorded_as", "unreported usage"),
            ])
        }
        var terminal: ServerMessage
        var row = LedgerRow(time: started, requestID: request.id, agent: agent, peerUID: origin.peer?.uid,
                            peerPID: origin.peer?.pid, provider: nil, model: nil, outcome: "ok", usage: .unreported,
                            costUSD: nil, ttftMs: nil, latencyMs: 0, attempts: 0, metadata: request.metadata)
        switch outcome {
        case .done(var result):
            result.costUSD = context.pricing.cost(provider: result.provider, model: result.model, usage: result.usage)
            row.provider = result.provider
            row.model = result.model
            row.usage = result.usage
            row.costUSD = result.costUSD
            row.ttftMs = result.ttftMs
            row.latencyMs = result.latencyMs
            row.attempts = result.attempts.count
            terminal = .done(id: request.id, result)
        case .failed(var error, let usage, let attempts, let provider, let model, let ttftMs):
            if error.code == .cancelled, shuttingDown() {
                error = SidecarError(.shuttingDown, "the sidecar is shutting down; the request was ended",
                                     partial: error.partial)
            }
            row.provider = provider
            row.model = model
            row.outcome = error.code.rawValue
            row.usage = usage
            row.costUSD = provider.flatMap { p in model.flatMap { context.pricing.cost(provider: p, model: $0, usage: usage) } }
            row.ttftMs = ttftMs
            row.latencyMs = Int(Date().timeIntervalSince(started) * 1000)
            row.attempts = attempts.count
            terminal = .error(id: request.id, error)
        }
        context.budgets.settle(reservation, actualTokens: row.usage.totalTokens, actualCostUSD: row.costUSD)
        if row.outcome == "ok" || row.usage.totalTokens > 0 {
            do {
                try await context.ledger.record(row)
            } catch {
                // Usage a client is told about must be on disk: without the row, no `done`.
                log(.error, "ledger.write_failed", request, agent: agent, [("error", error.description)])
                var failure = error.sidecarError
                failure.partial = sequence.count > 0
                terminal = .error(id: request.id, failure)
            }
        }
        log(.info, "request.end", request, agent: agent, [
            ("outcome", row.outcome), ("provider", row.provider), ("model", row.model),
            ("input_tokens", String(row.usage.inputTokens)), ("output_tokens", String(row.usage.outputTokens)),
            ("latency_ms", String(row.latencyMs)),
        ])
        return terminal
    }

    private func fail(_ request: CompletionRequest, _ error: SidecarError) -> ServerMessage {
        .error(id: request.id, error)
    }

    private func log(_ level: LogLevel, _ event: String, _ request: CompletionRequest, agent: String,
                     _ fields: [(String, String?)]) {
        var all: [(String, String?)] = [("req", request.id), ("agent", agent), ("conn", String(origin.connection))]
        all.append(contentsOf: fields)
        context.logger.log(level, event, all)
    }
}

/// Hands out a request's chunk sequence numbers: 0, 1, 2, ...
private final class ChunkSequence: Sendable {
    private let value = Mutex(0)

    var count: Int { value.withLock { $0 } }

    func next() -> Int {
        value.withLock { n in
            defer { n += 1 }
            return n
        }
    }
}
