/// How much the daemon logs on stderr. Ordered: `error < warn < info < debug`; a line is written when
/// its level is at most the configured one.
public enum LogLevel: String, Sendable, CaseIterable, Comparable {
    case error
    case warn
    case info
    case debug

    private var rank: Int {
        switch self {
        case .error: return 0
        case .warn: return 1
        case .info: return 2
        case .debug: return 3
        }
    }

    public static func < (a: LogLevel, b: LogLevel) -> Bool { a.rank < b.rank }
}
