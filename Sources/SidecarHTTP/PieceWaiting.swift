/// How a body's one reader waits for its next piece, shared by both transports' exchanges: each supplies the
/// step taken under its own lock, and how to fail the transfer when the waiting task is cancelled.
protocol PieceWaiting: AnyObject, Sendable {
    /// Under the exchange's lock: a piece or the outcome when one is ready, else `reader` is kept to be
    /// resumed later (nil).
    func takePieceOrKeep(_ reader: CheckedContinuation<[UInt8]?, Error>) -> Result<[UInt8]?, HTTPTransportError>?
    func fail(_ error: HTTPTransportError)
}

extension PieceWaiting {
    /// Waits for the next piece; cancelling the waiting task fails the transfer.
    func waitForPiece() async throws -> [UInt8]? {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[UInt8]?, Error>) in
                if let ready = takePieceOrKeep(continuation) {
                    continuation.resume(with: ready.mapError { $0 as Error })
                }
            }
        } onCancel: {
            fail(.cancelled)
        }
    }
}

extension Optional where Wrapped == CheckedContinuation<[UInt8]?, Error> {
    /// Keeps `reader` as the one waiting for the body; a failure when another already waits (a second
    /// concurrent reader fails instead of hanging forever).
    mutating func keep(_ reader: Wrapped) -> Result<[UInt8]?, HTTPTransportError>? {
        guard self == nil else { return .failure(.connectionLost("the body is already being read")) }
        self = reader
        return nil
    }
}
