import SidecarTransport
import Synchronization

/// Bounds the `usage` queries each connection has in flight (waiting for a ledger reader or running).
///
/// A client that pipelines hundreds of queries would otherwise fill the ledger's reader queue and make
/// every other client's queries wait behind its own; beyond `perConnection` its queries are refused at once
/// with `rate_limited` (retryable). Entries exist only while a connection has queries in flight.
final class UsageGate: Sendable {
    /// How many `usage` queries one connection may have in flight.
    static let perConnection = 8

    private let inFlight = Mutex<[ObjectIdentifier: Int]>([:])

    /// Takes a slot for `connection`; false when it already has `perConnection` queries in flight.
    func enter(_ connection: Connection) -> Bool {
        inFlight.withLock { counts in
            let key = ObjectIdentifier(connection)
            let count = counts[key, default: 0]
            guard count < Self.perConnection else { return false }
            counts[key] = count + 1
            return true
        }
    }

    /// Returns the slot `enter` took.
    func leave(_ connection: Connection) {
        inFlight.withLock { counts in
            let key = ObjectIdentifier(connection)
            let count = counts[key, default: 1] - 1
            counts[key] = count > 0 ? count : nil
        }
    }
}
