/// A streaming response body: the byte pieces as the network delivered them.
///
/// The transport may replace the backing stream with one that applies backpressure; consumers rely only
/// on the `AsyncSequence` of `[UInt8]`.
public struct HTTPBody: AsyncSequence, Sendable {
    public typealias Element = [UInt8]
    private let stream: AsyncThrowingStream<[UInt8], Error>

    public init(_ stream: AsyncThrowingStream<[UInt8], Error>) { self.stream = stream }

    public func makeAsyncIterator() -> AsyncThrowingStream<[UInt8], Error>.AsyncIterator {
        stream.makeAsyncIterator()
    }

    /// Collects the whole body (for small error bodies and non-streaming responses).
    public func collect(limit: Int = 16 << 20) async throws -> [UInt8] {
        var all: [UInt8] = []
        for try await piece in self {
            all.append(contentsOf: piece)
            if all.count > limit { break }
        }
        return all
    }
}
