/// A streaming response body: the byte pieces as the network delivered them.
///
/// A body is meant to be iterated once, by one task. When the transport backs it, cancelling the iterating
/// task cancels the upstream request at once, which closes its connection; dropping the body (and any
/// iterator) before the end, or ending iteration early, does the same, except that an almost finished
/// response may still complete and keep its connection (`SocketHTTPTransport` reads what the socket already
/// holds, `URLSessionTransport` waits a short grace period). `init(_:)` wraps any stream (fakes, replays).
public struct HTTPBody: AsyncSequence, Sendable {
    public typealias Element = [UInt8]
    private let storage: Storage

    private enum Storage: Sendable {
        case stream(AsyncThrowingStream<[UInt8], Error>)
        case source(SourceOwner)
    }

    public init(_ stream: AsyncThrowingStream<[UInt8], Error>) { self.storage = .stream(stream) }

    init(source: any HTTPBodySource) { self.storage = .source(SourceOwner(source)) }

    public func makeAsyncIterator() -> Iterator {
        switch storage {
        case .stream(let stream): Iterator(base: .stream(stream.makeAsyncIterator()))
        case .source(let owner): Iterator(base: .source(SourceOwner(owner.source)))
        }
    }

    /// Collects the whole body (for error bodies and non-streaming responses). Throws `HTTPBodyTooLarge` as
    /// soon as more than `limit` bytes arrived: reading stops there, which cancels the transfer, so an
    /// upstream cannot make the sidecar hold more than `limit` bytes (plus one network piece).
    public func collect(limit: Int = 16 << 20) async throws -> [UInt8] {
        var all: [UInt8] = []
        for try await piece in self {
            guard all.count + piece.count <= limit else { throw HTTPBodyTooLarge(limit: limit) }
            all.append(contentsOf: piece)
        }
        return all
    }

    public struct Iterator: AsyncIteratorProtocol {
        fileprivate enum Base {
            case stream(AsyncThrowingStream<[UInt8], Error>.AsyncIterator)
            case source(SourceOwner)
        }
        fileprivate var base: Base

        public mutating func next() async throws -> [UInt8]? {
            switch base {
            case .stream(var iterator):
                defer { base = .stream(iterator) }
                return try await iterator.next()
            case .source(let owner):
                return try await owner.source.next()
            }
        }
    }
}

/// A collected body grew past the limit it was read with.
public struct HTTPBodyTooLarge: Error, Sendable, Equatable, CustomStringConvertible {
    public let limit: Int

    public init(limit: Int) { self.limit = limit }

    public var description: String { "the body is larger than \(limit) bytes" }
}

/// The transport side of a body: hands out pieces and learns when nobody will read any more.
protocol HTTPBodySource: AnyObject, Sendable {
    /// The next piece, nil at the end; throws `HTTPTransportError`. Cancelling the calling task cancels
    /// the transfer.
    func next() async throws -> [UInt8]?
    /// Nobody will read any more: stop the transfer if it is still running.
    func abandon()
}

/// Abandons its source when the last reference (a body copy or an iterator) goes away.
private final class SourceOwner: Sendable {
    let source: any HTTPBodySource

    init(_ source: any HTTPBodySource) { self.source = source }

    deinit { source.abandon() }
}
