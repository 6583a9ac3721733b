import Foundation
import SidecarLedger
import SidecarProtocol
import SidecarRegistry
import SidecarSpending
import SidecarTransport
import Synchronization

/// Runs one `complete` request: agent binding, the registry's plan, the budget reservation made from it,
/// the plan's execution with chunks streamed under backpressure, pricing, the ledger row, and finally the
/// terminal message.
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
                return fail(
                    request,
                    SidecarError(
                        .forbidden, "this socket is bound to agent \"\(bound)\"; it cannot act as \"\(claimed)\""))
            }
            named = bound
        } else {
            named = request.agent ?? SidecarContext.defaultAgent
        }
        // An agent the config does not list runs as `default` in every respect (routing, budget, rate
        // limit, ledger row), so inventing names cannot buy a fresh budget.
        let agent = context.routing.accountableAgent(named)
        log(
            .info, "request.start", request, agent: agent,
            [
                ("model", request.model ?? "(agent default)"), ("named_agent", named == agent ? nil : named),
            ])

        if let refusal = context.ledger.admissionError { return fail(request, refusal) }
        let plan: RequestPlan
        let reservation: Reservation
        do throws(SidecarError) {
            plan = try context.registry.plan(request, agent: agent)
            let estimate = ReservationEstimate(
                request: request, maxTokens: plan.maxTokens,
                price: plan.candidates.first.flatMap { context.pricing.price(of: $0.candidate) })
            reservation = try context.budgets.reserve(
                agent: agent, budget: context.agentBudgets[agent] ?? Budget(), estimate: estimate, now: started)
        } catch {
            log(
                .warn, "request.refused", request, agent: agent,
                [("code", error.code.rawValue), ("message", error.message)])
            return fail(request, error)
        }

        let sequence = ChunkSequence()
        let executed = await context.registry.execute(plan) { delta in
            await sink.stream(.chunk(id: request.id, seq: sequence.next(), delta: delta))
        }
        let (outcome, implausible) = UsageScreen.screen(executed)
        if let implausible {
            log(
                .warn, "usage.implausible", request, agent: agent,
                [
                    ("reported", implausible), ("recorded_as", "unreported usage"),
                ])
        }
        // `done` reports the answering attempt; the row and the budget count what failed attempts spent too.
        let costUSD = context.pricing.cost(of: outcome)
        let spentCostUSD = context.pricing.spentCost(of: outcome)
        var row = LedgerRow(
            time: started, requestID: request.id, agent: agent, peerUID: origin.peer?.uid,
            peerPID: origin.peer?.pid, provider: outcome.candidate?.provider,
            model: outcome.candidate?.model, outcome: "ok", usage: outcome.spentUsage, costUSD: spentCostUSD,
            ttftMs: outcome.ttftMs, latencyMs: outcome.latencyMs, attempts: outcome.attempts.count,
            metadata: request.metadata)
        var terminal = terminalMessage(for: outcome, costUSD: costUSD, request: request)
        if case .error(_, let error) = terminal { row.outcome = error.code.rawValue }
        context.budgets.settle(reservation, actualTokens: row.usage.totalTokens, actualCostUSD: spentCostUSD)
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
        log(
            .info, "request.end", request, agent: agent,
            [
                ("outcome", row.outcome), ("provider", row.provider), ("model", row.model),
                ("input_tokens", String(row.usage.inputTokens)), ("output_tokens", String(row.usage.outputTokens)),
                ("latency_ms", String(row.latencyMs)),
            ])
        return terminal
    }

    /// `done` with the priced answer, or the error the request ended with (a cancellation while the sidecar
    /// shuts down reads `shutting_down`).
    private func terminalMessage(for outcome: RegistryOutcome, costUSD: Double?, request: CompletionRequest)
        -> ServerMessage
    {
        switch outcome.ending {
        case .answered(let answer):
            return .done(
                id: request.id,
                CompletionResult(
                    provider: answer.candidate.provider, model: answer.candidate.model, stopReason: answer.stopReason,
                    content: answer.content, usage: outcome.usage, costUSD: costUSD, attempts: outcome.attempts,
                    ttftMs: outcome.ttftMs, latencyMs: outcome.latencyMs))
        case .failed(let error, _) where error.code == .cancelled && shuttingDown():
            return fail(
                request,
                SidecarError(
                    .shuttingDown, "the sidecar is shutting down; the request was ended", partial: error.partial))
        case .failed(let error, _):
            return fail(request, error)
        }
    }

    private func fail(_ request: CompletionRequest, _ error: SidecarError) -> ServerMessage {
        .error(id: request.id, error)
    }

    private func log(
        _ level: LogLevel, _ event: String, _ request: CompletionRequest, agent: String,
        _ fields: [(String, String?)]
    ) {
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
