import SidecarProtocol
import SidecarRegistry
import SidecarSimulator
import SidecarTestSupport
import Testing

/// What failed attempts reported spending reaches the outcome, over real HTTP (`HTTPFailoverTests`' chain: an
/// Anthropic-kind primary, an OpenAI-kind backup).
@Suite final class FailedAttemptUsageTests {
    let chain: HTTPFailoverTests

    init() throws { chain = try HTTPFailoverTests() }

    private func enqueuePrimaryFailure(count: Int = 1) {
        chain.upstream.enqueue(
            .raw(
                status: 200, headers: FailedAttemptStreams.eventStream, body: FailedAttemptStreams.anthropicOverloaded),
            count: count, for: [.messages])
    }

    private var primaryUsage: Usage {
        let tokens = FailedAttemptStreams.anthropicTokens
        return Usage(
            inputTokens: tokens.input, outputTokens: tokens.output, cacheReadTokens: tokens.cacheRead,
            cacheWriteTokens: tokens.cacheWrite)
    }

    /// A retried and then failed-over primary: both tries' usage is kept, apart from the answer's.
    @Test func retriedAndFailedOverAttemptsKeepTheirUsage() async throws {
        enqueuePrimaryFailure(count: 2)
        let registry = chain.makeRegistry(maxRetries: 1, clock: ManualClock(autoAdvance: true))
        let outcome = try await registry.complete(completion(), agent: "default", emit: { _ in })
        #expect(outcome.answer?.candidate.provider == "backup")
        #expect(outcome.attempts.map(\.error) == [.overloaded, .overloaded, nil])
        #expect(outcome.failedAttemptUsage.map(\.candidate.provider) == ["primary", "primary"])
        #expect(outcome.failedAttemptUsage.map(\.usage) == [primaryUsage, primaryUsage])
        #expect(outcome.usage.reported && outcome.usage.totalTokens > 0)
        #expect(outcome.spentUsage.totalTokens == outcome.usage.totalTokens + 2 * primaryUsage.totalTokens)
    }

    /// A request error ends the request at once: its usage is the failing attempt's, in `usage`.
    @Test func failingAttemptUsageIsTheOutcomes() async throws {
        chain.upstream.enqueue(
            .raw(
                status: 200, headers: FailedAttemptStreams.eventStream,
                body: FailedAttemptStreams.openAIError(code: 400)),
            for: [.chatCompletions])
        let registry = chain.makeRegistry(clock: ManualClock(autoAdvance: true))
        let outcome = try await registry.complete(completion(model: "gpt-sim"), agent: "default", emit: { _ in })
        let tokens = FailedAttemptStreams.openAITokens
        #expect(outcome.error?.code == .badRequest)
        #expect(outcome.failedAttemptUsage.isEmpty)
        #expect(outcome.spentUsage.totalTokens == tokens.input + tokens.output + tokens.cacheRead)
    }
}
