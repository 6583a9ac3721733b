import SidecarProtocol
import SidecarSimulator
import SidecarTestSupport
import Testing

@testable import SidecarProviders

/// A failure carries the usage the upstream reported before it, which the stream held back because no content
/// came, so the registry can charge the failed attempt.
@Suite struct FailedAttemptUsageTests {
    private func fail(_ kind: Kind, body: String) async throws -> (events: [StreamEvent], failure: ProviderFailure) {
        let h = try Harness()
        h.upstream.enqueue(
            .raw(status: 200, headers: FailedAttemptStreams.eventStream, body: body), for: [kind.endpoint])
        let (events, error) = await collect(try h.provider(kind).stream(request()))
        return (events, try #require(error as? ProviderFailure))
    }

    /// Anthropic: `message_start`'s input and cache counts, then an `error` event.
    @Test func anthropicErrorEventCarriesMessageStartUsage() async throws {
        let (events, failure) = try await fail(.anthropic, body: FailedAttemptStreams.anthropicOverloaded)
        let tokens = FailedAttemptStreams.anthropicTokens
        #expect(events.isEmpty)
        #expect(failure.failureClass == .overloaded)
        #expect(
            failure.usage
                == Usage(
                    inputTokens: tokens.input, outputTokens: tokens.output, cacheReadTokens: tokens.cacheRead,
                    cacheWriteTokens: tokens.cacheWrite))
    }

    /// OpenAI-compatible: the error chunk's own `usage` is read before the error is thrown.
    @Test func openAIErrorChunkCarriesItsUsage() async throws {
        let (events, failure) = try await fail(.openai, body: FailedAttemptStreams.openAIError(code: 502))
        let tokens = FailedAttemptStreams.openAITokens
        #expect(events.isEmpty)
        #expect(failure.failureClass == .transient)
        #expect(
            failure.usage
                == Usage(inputTokens: tokens.input, outputTokens: tokens.output, cacheReadTokens: tokens.cacheRead))
    }

    /// A body cut after `message_start` is charged its counts too.
    @Test func truncatedStreamCarriesUsage() async throws {
        let cut = FailedAttemptStreams.anthropicOverloaded.components(separatedBy: "event: error")[0]
        let (_, failure) = try await fail(.anthropic, body: cut)
        #expect(failure.failureClass == .transient)
        #expect(failure.usage?.inputTokens == FailedAttemptStreams.anthropicTokens.input)
    }

    /// No count reported: nothing is carried, so no spending is invented.
    @Test func failureWithoutReportCarriesNone() async throws {
        let body = "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\"}}\n\n"
        let (_, failure) = try await fail(.anthropic, body: body)
        #expect(failure.usage == nil)
    }
}
