/// The time limits of one HTTP exchange (`HTTPTimeouts`) and the progress that decides which of them still
/// run. Each exchange of either transport keeps one in its locked state and asks it for the earliest
/// pending deadline; `SocketHTTPTransport` also asks one for the deadline of a connect.
///
/// Times are `DispatchTime` uptime nanoseconds. Connect, first byte and total count from `startedAt`; idle
/// counts from `lastActivity`, only once the head arrived and only while reading is not paused.
struct ExchangeDeadlines {
    /// A moment a limit runs out, with the limit's name as `HTTPTransportError.timedOut` reports it.
    struct Deadline {
        let at: UInt64
        let name: String
    }

    let timeouts: HTTPTimeouts
    /// When `send` began (URLSession's transfer: when it started the task).
    var startedAt: UInt64
    /// The connection is up: the connect limit no longer runs.
    var connected: Bool
    /// The response head arrived: the first-byte limit no longer runs, the idle one does.
    var headReceived = false
    /// When response bytes last arrived.
    var lastActivity: UInt64 = 0
    /// Reading stopped because the reader is behind: that silence is the reader's, not the server's, so the
    /// idle limit does not run.
    var readingPaused = false

    init(timeouts: HTTPTimeouts, startedAt: UInt64, connected: Bool) {
        self.timeouts = timeouts
        self.startedAt = startedAt
        self.connected = connected
    }

    /// Whether any limit can still run out: false when none is set (or only connect, once connected), so no
    /// timer is needed.
    var canExpire: Bool {
        (!connected && timeouts.connect != nil) || timeouts.firstByte != nil || timeouts.idle != nil
            || timeouts.total != nil
    }

    /// The pending deadline that comes first, or nil when none runs now.
    var earliest: Deadline? {
        var candidates: [Deadline] = []
        if !connected, let limit = timeouts.connect {
            candidates.append(Deadline(at: startedAt &+ limit.nanoseconds, name: "connect"))
        }
        if !headReceived, let limit = timeouts.firstByte {
            candidates.append(Deadline(at: startedAt &+ limit.nanoseconds, name: "first byte"))
        }
        if headReceived, !readingPaused, let limit = timeouts.idle {
            candidates.append(Deadline(at: lastActivity &+ limit.nanoseconds, name: "idle"))
        }
        if let limit = timeouts.total {
            candidates.append(Deadline(at: startedAt &+ limit.nanoseconds, name: "total"))
        }
        return candidates.min { $0.at < $1.at }
    }
}
