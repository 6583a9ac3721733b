import Foundation
import SidecarProtocol
import SidecarTime

/// Whether the ledger's last write succeeded, for `status` and for admission.
public enum LedgerHealth: Sendable, Equatable {
    case ok
    /// Writes fail (disk full, I/O error, the file deleted or replaced) since `since`; `message` is the last error.
    case failing(message: String, since: Date)

    public var isOK: Bool { self == .ok }

    /// For the `status` report: `{"state": "ok"}` or `{"state": "failing", "error": ..., "since": ...}`.
    public var json: JSONValue {
        switch self {
        case .ok:
            return ["state": "ok"]
        case .failing(let message, let since):
            return ["state": "failing", "error": .string(message), "since": .string(Timestamp.format(since))]
        }
    }
}
