import SidecarProtocol
import Testing

@testable import SidecarProviders

/// Each recorded real answer (`RealStreams`), served byte for byte over loopback HTTP to the real provider, folds
/// to what the vendor's official SDK accumulates from it, except the listed `KnownGaps`.
@Suite(.enabled(if: RealStreams.isPresent, RealStreams.absence))
struct RealStreamConformanceTests {
    @Test(arguments: try RealStreams.transcripts())
    func foldsAsTheSDKDoes(transcript: Transcript) async throws {
        let bytes = try RealStreams.bytes(of: transcript)
        let body = String(decoding: bytes, as: UTF8.self)
        try #require(Array(body.utf8) == bytes, "\(transcript.file) is not UTF-8, so it cannot be served byte for byte")
        let harness = try Harness()
        harness.upstream.enqueue(
            .raw(status: 200, headers: ["content-type": "text/event-stream"], body: body),
            for: [transcript.vendor.endpoint])
        let (events, error) = await collect(try harness.provider(transcript.vendor).stream(request()))
        let answer = FoldedAnswer(events: events, error: error)
        let expected = try FoldedAnswer(reference: RealStreams.reference(of: transcript), vendor: transcript.vendor)
        let mismatches = answer.mismatches(against: expected)
        let described = mismatches.map(\.description).joined(separator: "; ")
        if let gap = KnownGaps.gaps[transcript.name] {
            #expect(
                !mismatches.isEmpty, "\(transcript.name) now matches its reference; remove its known gap: \(gap.why)")
            #expect(
                mismatches.allSatisfy { $0.field == gap.field },
                "\(transcript.name) differs beyond its known gap (\(gap.field)): \(described)")
        } else {
            #expect(mismatches.isEmpty, "\(transcript.name): \(described)")
        }
    }

    /// Every known gap names a transcript, so a renamed or removed one cannot hide in the list.
    @Test func knownGapsNameTranscripts() throws {
        let names = Set(try RealStreams.transcripts().map(\.name))
        #expect(Set(KnownGaps.gaps.keys).subtracting(names).isEmpty)
    }
}
