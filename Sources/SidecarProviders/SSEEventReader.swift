import SidecarHTTP
import SidecarProtocol

/// Pulls one streaming upstream exchange through its vendor folder, in the task that iterates the
/// provider's stream: the request is sent on the first `next()`, and each later call reads body pieces
/// only until the folder has produced something.
///
/// Pulling instead of running a producer task saves two thread hops per event (the producer's start,
/// then the consumer's resumption after each `yield`), and it makes backpressure exact: nothing is read
/// from the upstream that the consumer has not asked for. Cancelling the iterating task cancels the HTTP
/// request; dropping the stream (and so this reader) drops the body iterator, which ends the transfer.
///
/// `@unchecked Sendable`: a provider stream has one consumer, which calls `next()` one call at a time
/// (the `AsyncSequence` contract), so the mutable state is never touched concurrently.
final class SSEEventReader<Folder: StreamFolder>: @unchecked Sendable {
    private let call: UpstreamCall
    private let request: HTTPRequest
    private var folder: Folder
    private var parser: SSEParser
    /// Held while reading so the body is not abandoned under its iterator.
    private var response: HTTPResponse?
    private var body: HTTPBody.Iterator?
    private var started = false
    /// The answer had no content-type: its first body piece is still to be looked at (`sniffedProblem`).
    private var sniffing = false
    private var finished = false
    private var ready: [StreamEvent] = []
    private var nextReady = 0
    /// A failure, thrown once the events folded before it have been handed out.
    private var failure: (any Error)?

    init(call: UpstreamCall, request: HTTPRequest, folder: Folder) {
        self.call = call
        self.request = request
        self.folder = folder
        parser = SSEParser(maxEventDataLength: call.maxResponseBytes)
    }

    /// The next folded event, nil at the end. A failure is thrown once, mapped to a `ProviderFailure`, after
    /// the events that came before it in the body; when the iterating task was cancelled the stream just
    /// ends, as a cancelled `AsyncThrowingStream` does.
    func next() async throws -> StreamEvent? {
        while true {
            if nextReady < ready.count {
                defer { nextReady += 1 }
                return ready[nextReady]
            }
            ready.removeAll(keepingCapacity: true)
            nextReady = 0
            if finished {
                guard let failure else { return nil }
                self.failure = nil
                throw failure
            }
            do {
                try await readMore()
            } catch {
                end()
                if Task.isCancelled {
                    ready.removeAll()
                    return nil
                }
                failure = withReportedUsage(call.errors.map(error))
            }
        }
    }

    /// Reads one body piece (sending the request first if needed) and folds what it completes.
    private func readMore() async throws {
        if !started {
            started = true
            let opened = try await call.open(request)
            if let problem = call.errors.eventStreamProblem(opened) { throw problem }
            sniffing = opened.headers["content-type"] == nil
            response = opened
            body = opened.body.makeAsyncIterator()
        }
        guard var iterator = body else { return end() }
        guard let piece = try await iterator.next() else {
            end()
            for event in try parser.finish() {
                ready += try folder.fold(event: event.event, data: event.data)
            }
            ready += try folder.end()
            return
        }
        body = iterator
        if sniffing, !piece.isEmpty, let response {
            sniffing = false
            if let problem = call.errors.sniffedProblem(status: response.status, firstPiece: piece) { throw problem }
        }
        for event in try parser.feed(piece) {
            ready += try folder.fold(event: event.event, data: event.data)
            // The rest of the body is not read.
            if folder.isFinished { return end() }
        }
    }

    /// `error` carrying the usage the folder learned before it, unless it already carries some.
    private func withReportedUsage(_ error: any Error) -> any Error {
        guard var failure = error as? ProviderFailure, failure.usage == nil else { return error }
        failure.usage = folder.reportedUsage
        return failure
    }

    /// Stops reading: drops the body, which lets the transport keep or close the connection.
    private func end() {
        finished = true
        body = nil
        response = nil
    }
}
