import Synchronization

/// The idle keep-alive connections of a `SocketHTTPTransport`, per `host:port`, most recently used last.
///
/// Only idle connections are counted and bounded: any number may be busy at once (up to the descriptor
/// limit). A connection returned when its host already has `maxIdlePerHost` idle ones closes the oldest.
final class ConnectionPool: Sendable {
    private let maxIdlePerHost: Int
    private let idle = Mutex<[String: [SocketConnection]]>([:])

    init(maxIdlePerHost: Int) {
        self.maxIdlePerHost = maxIdlePerHost
    }

    /// The most recently used idle connection to `key`, if any (it may have closed since: check on attach).
    func take(_ key: String) -> SocketConnection? {
        idle.withLock { idle in idle[key]?.popLast() }
    }

    /// Keeps a connection whose last response was read completely.
    func put(_ connection: SocketConnection) {
        let evicted: SocketConnection? = idle.withLock { idle in
            var list = idle[connection.key, default: []]
            list.append(connection)
            let oldest = list.count > maxIdlePerHost ? list.removeFirst() : nil
            idle[connection.key] = list
            return oldest
        }
        evicted?.close()
    }

    /// Forgets a connection that closed while idle.
    func remove(_ connection: SocketConnection) {
        idle.withLock { idle in
            idle[connection.key]?.removeAll { $0 === connection }
            if idle[connection.key]?.isEmpty == true { idle[connection.key] = nil }
        }
    }

    /// Closes every idle connection (the transport is going away).
    func closeAll() {
        let all = idle.withLock { idle in
            defer { idle = [:] }
            return idle.values.flatMap { $0 }
        }
        for connection in all { connection.close() }
    }
}
